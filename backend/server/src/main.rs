use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = frontline::cli::Cli::parse();
    match frontline::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
