//! `db copy`: move a SQLite database into PostgreSQL. The copying is the
//! store's ([`frontline_store::copy_sqlite_to_postgres`]); this shows its
//! progress and its counts.

use super::serve_cmd::runtime;
use super::to_json;
use crate::error::Result;
use crate::server;
use clap::Subcommand;
use frontline_store::{copy_sqlite_to_postgres, CopyProgress, CopyReport, Location};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy a SQLite database into an empty PostgreSQL database (every
    /// table, ids kept), then compare the rows of each table on both
    /// sides; fails when a count differs.
    Copy {
        /// The SQLite file (brought to the current schema first).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The PostgreSQL database: postgres://user:password@host:port/name
        /// (migrated first; must hold no rows).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn db(command: DbCommand) -> Result<ExitCode> {
    // Batches of a thousand rows are slow statements by design: sqlx's
    // warnings about them would bury the progress bars.
    server::init_logs("warn,sqlx::query=error");
    let DbCommand::Copy { from, to, json } = command;
    runtime()?.block_on(async {
        let started = Instant::now();
        let mut bars = Bars::new(std::io::stderr().is_terminal());
        let report = copy_sqlite_to_postgres(&from, &to, &mut |p| bars.show(p)).await?;
        bars.finish();
        let secs = started.elapsed().as_secs_f64();
        if json {
            say!("{}", to_json(&report)?);
        } else {
            let target = to.parse::<Location>().unwrap_or_else(|e| match e {});
            say!("copied {} into {target} in {secs:.1} s", from.display());
            say!("{}", counts_table(&report).trim_end());
        }
        if report.counts_match() {
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!("error: the row counts differ (see the table above)");
            Ok(ExitCode::FAILURE)
        }
    })
}

/// One line per table: its rows in SQLite and in PostgreSQL.
fn counts_table(report: &CopyReport) -> String {
    let mut out = format!("{:<16} {:>12} {:>12}\n", "table", "sqlite", "postgres");
    for t in &report.tables {
        let flag = if t.sqlite == t.postgres {
            ""
        } else {
            "  DIFFERS"
        };
        out.push_str(&format!(
            "{:<16} {:>12} {:>12}{flag}\n",
            t.table, t.sqlite, t.postgres
        ));
    }
    out
}

/// A progress bar for the table being copied, on a terminal only.
struct Bars {
    shown: bool,
    bar: Option<ProgressBar>,
}

impl Bars {
    fn new(shown: bool) -> Bars {
        Bars { shown, bar: None }
    }

    fn show(&mut self, p: CopyProgress<'_>) {
        if !self.shown {
            return;
        }
        match p {
            CopyProgress::Table { name, rows } => {
                self.finish();
                let bar = ProgressBar::new(rows);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{msg:<16} {bar:40} {pos}/{len} rows [{elapsed_precise}, eta {eta}]",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_message(name.to_string());
                self.bar = Some(bar);
            }
            CopyProgress::Rows(n) => {
                if let Some(bar) = &self.bar {
                    bar.inc(n);
                }
            }
        }
    }

    /// Clear the finished table's bar (the counts table follows).
    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_store::TableCount;

    #[test]
    fn the_counts_table_flags_a_difference() {
        let report = CopyReport {
            tables: vec![
                TableCount {
                    table: "articles".into(),
                    sqlite: 3,
                    postgres: 3,
                },
                TableCount {
                    table: "events".into(),
                    sqlite: 5,
                    postgres: 4,
                },
            ],
        };
        let text = counts_table(&report);
        assert!(!report.counts_match());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("articles") && !lines[1].contains("DIFFERS"));
        assert!(lines[2].starts_with("events") && lines[2].ends_with("DIFFERS"));
    }
}
