//! `frontline review export DIR`: the reviewed articles as gold files.

use super::serve_cmd::{runtime, DB};
use super::{to_json, Config};
use crate::error::Result;
use crate::review_export;
use crate::server;
use clap::Subcommand;
use frontline_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Write the articles whose events were all reviewed (accepted, edited
    /// or rejected) as gold files in the corpus format, one `<id>.json`
    /// each, to score the extractor with `frontline eval DIR`.
    Export {
        dir: PathBuf,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(config: &Config, command: ReviewCommand) -> Result<ExitCode> {
    let ReviewCommand::Export { dir, json } = command;
    server::init_logs("warn");
    let db = config.db_or(DB);
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let summary = review_export::export(&store, &dir).await;
        store.close().await;
        let summary = summary?;
        if json {
            say!("{}", to_json(&summary)?);
            return Ok(ExitCode::SUCCESS);
        }
        say!(
            "wrote {} articles to {} ({} gold events, {} rejected left out)",
            summary.written.len(),
            dir.display(),
            summary.gold_events,
            summary.rejected_events
        );
        if !summary.partial.is_empty() {
            say!(
                "left out {} reviewed articles with events still to review:",
                summary.partial.len()
            );
            for (id, auto) in &summary.partial {
                say!("  article {id}: {auto} unreviewed");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
