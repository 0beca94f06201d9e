//! The `frontline` command line: parsing, and the wiring of the domain
//! modules: the gazetteer, the extractor and the store are built here from
//! the plain settings of [`Config`].

/// `println!` that ends the command quietly when the reader has gone away
/// (`frontline … | head`) instead of panicking on the broken pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            return Ok(std::process::ExitCode::SUCCESS);
        }
    }};
}

mod db_cmd;
mod feeds_cmd;
mod gazetteer_cmd;
mod review_cmd;
mod serve_cmd;
mod user_cmd;

use crate::error::{Error, Result};
use clap::{Parser, Subcommand};
use frontline_extract::article;
use frontline_extract::eval;
use frontline_extract::{Extraction, Extractor};
use gazetteer::Gazetteer;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

pub use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "frontline",
    version,
    about = "French news on the war in Syria, turned into mapped events"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look up, scan, import and check place names.
    Gazetteer {
        #[command(subcommand)]
        command: gazetteer_cmd::GazetteerCommand,
    },
    /// Extract events from articles (.txt with optional header, .html, .jsonl, .json).
    Extract {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON (schema format) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Score extraction against gold files (the corpus SCHEMA.md format):
    /// one table per folder, with the errors counted by cause.
    Eval {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Score only the events with at least this confidence.
        #[arg(long, default_value_t = 0.0)]
        min_confidence: f64,
        /// List every missed, spurious and mis-attributed item.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Fit the extractor's confidence model on annotated articles (corpus
    /// format) with k-fold cross-validation, and write it.
    Train {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Folds of the cross-validation (articles are dealt round them).
        #[arg(long, default_value_t = 6)]
        folds: usize,
        /// Where to write the model.
        #[arg(long, default_value = "backend/extract/data/confidence.tsv")]
        out: PathBuf,
    },
    /// Extract events from articles and store them (files, folders, JSON
    /// Lines, `-` for stdin). Ingesting the same article twice adds nothing.
    Ingest {
        #[arg(required_unless_present = "reextract")]
        paths: Vec<PathBuf>,
        /// Re-run extraction over every stored article (after a gazetteer
        /// or rule change) instead of reading new ones.
        #[arg(long, conflicts_with = "paths")]
        reextract: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Analysts' reviews: export the reviewed articles as gold files.
    Review {
        #[command(subcommand)]
        command: review_cmd::ReviewCommand,
    },
    /// Serve the API (and the map) over the database.
    Serve {
        /// Also poll the followed feeds, as `frontline watch` does.
        #[arg(long)]
        watch: bool,
    },
    /// Follow news feeds: add, list and remove them.
    Feeds {
        #[command(subcommand)]
        command: feeds_cmd::FeedsCommand,
    },
    /// Manage the accounts: add, list and remove them, renew a token.
    User {
        #[command(subcommand)]
        command: user_cmd::UserCommand,
    },
    /// Poll the followed feeds as they fall due, until stopped (Ctrl-C or
    /// SIGTERM end it between two articles); new French articles are
    /// ingested as `frontline ingest` does.
    Watch {
        /// Poll every feed once, then exit.
        #[arg(long)]
        once: bool,
        /// Poll this feed (repeatable) instead of the followed ones,
        /// without storing it.
        #[arg(long = "feed", value_name = "URL")]
        feeds: Vec<String>,
        /// How often to poll the feeds given with --feed.
        #[arg(long, default_value = "15m", value_parser = crate::feeds::parse_every)]
        every: std::time::Duration,
    },
    /// Database maintenance: copy a SQLite database into PostgreSQL.
    Db {
        #[command(subcommand)]
        command: db_cmd::DbCommand,
    },
    /// Build the demo database from the built-in dispatches, or complete
    /// one a stopped build left part-way (default `frontline-demo.db`),
    /// then serve it.
    Demo,
    /// Add N synthetic events to the database, for benchmarks.
    DemoData {
        #[arg(long)]
        events: usize,
        /// Seed of the generator (same seed, same events).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Gazetteer { command } => gazetteer_cmd::run(&cli.config, command),
        Command::Extract { files, json } => extract(&cli.config, &files, json),
        Command::Eval {
            dirs,
            json,
            min_confidence,
            verbose,
        } => {
            let extractor = extractor(&cli.config)?;
            let mut reports = Vec::new();
            for dir in &dirs {
                reports.push(eval::evaluate_with(&extractor, dir, min_confidence)?);
            }
            if json {
                match reports.as_slice() {
                    [one] => say!("{}", to_json(one)?),
                    many => say!("{}", to_json(&many)?),
                }
            } else {
                for (dir, report) in dirs.iter().zip(&reports) {
                    if dirs.len() > 1 {
                        say!("== {}", dir.display());
                    }
                    say!("{}", eval::table(report, verbose).trim_end());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Train { dirs, folds, out } => {
            let (examples, gold) = eval::examples(&extractor(&cli.config)?, &dirs)?;
            let t = crate::train::train(examples, gold, folds)?;
            std::fs::write(&out, t.model.to_tsv()).map_err(|e| Error::io(&out, e))?;
            for line in &t.model.notes[2..] {
                say!("{line}");
            }
            say!("wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest {
            paths,
            reextract,
            json,
        } => serve_cmd::ingest(&cli.config, &paths, reextract, json),
        Command::Review { command } => review_cmd::run(&cli.config, command),
        Command::Serve { watch } => serve_cmd::serve(cli.config, watch),
        Command::Feeds { command } => feeds_cmd::feeds(&cli.config, command),
        Command::User { command } => user_cmd::user(&cli.config, command),
        Command::Watch { once, feeds, every } => feeds_cmd::watch(&cli.config, once, &feeds, every),
        Command::Db { command } => db_cmd::db(command),
        Command::Demo => serve_cmd::demo(cli.config),
        Command::DemoData { events, seed } => serve_cmd::demo_data(&cli.config, events, seed),
    }
}

/// The gazetteer: the built-in tables and the configured extra ones.
fn gazetteer(config: &Config) -> Result<Arc<Gazetteer>> {
    let extra: Vec<&Path> = config
        .gazetteer_files
        .iter()
        .map(PathBuf::as_path)
        .collect();
    Ok(Arc::new(Gazetteer::builtin_with(&extra)?))
}

/// What the configuration allows an article to be.
fn limits(config: &Config) -> crate::ingest::Limits {
    crate::ingest::Limits {
        dates: config.date_bounds(),
        max_events: config.max_events_per_article,
    }
}

/// The extractor over that gazetteer.
fn extractor(config: &Config) -> Result<Extractor> {
    Ok(Extractor::new(gazetteer(config)?)?)
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Usage(format!("JSON output: {e}")))
}

fn extract(config: &Config, files: &[PathBuf], json: bool) -> Result<ExitCode> {
    let extractor = extractor(config)?;
    let mut failed = false;
    let mut all = Vec::new();
    for path in files {
        match article::read_file_within(path, &config.date_bounds()) {
            Ok(articles) => {
                for a in articles {
                    let out = extractor.extract(&a);
                    all.push((a, out));
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            id: &'a str,
            url: &'a Option<String>,
            published: Option<String>,
            #[serde(flatten)]
            extraction: &'a Extraction,
        }
        let out: Vec<Out> = all
            .iter()
            .map(|(a, x)| Out {
                id: &a.id,
                url: &a.url,
                published: a.published.map(|d| d.to_string()),
                extraction: x,
            })
            .collect();
        say!("{}", to_json(&out)?);
    } else {
        for (a, x) in &all {
            say!(
                "== {} ({} events, {} places)",
                a.id,
                x.events.len(),
                x.toponyms.len()
            );
            for e in &x.events {
                say!(
                    "{:<18} {:<11} {:<24} {:<7} {:<10} {:<18} -> {:<18} dead {:<4} hurt {:<4} {}",
                    e.event_type.as_str(),
                    e.subtype.map_or("-", |s| s.as_str()),
                    truncate(&e.place, 24),
                    format!("{:?}", e.precision).to_lowercase(),
                    e.date.as_deref().unwrap_or("?"),
                    e.actor.as_deref().unwrap_or("-"),
                    e.target.as_deref().unwrap_or("-"),
                    e.fatalities.map(|n| n.to_string()).unwrap_or("-".into()),
                    e.injured.map(|n| n.to_string()).unwrap_or("-".into()),
                    truncate(&e.evidence, 90),
                );
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
