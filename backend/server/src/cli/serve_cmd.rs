//! `ingest`, `serve`, `demo` and `demo-data`: the commands that use the
//! database, each on its own tokio runtime.

use super::{to_json, Config};
use crate::demo;
use crate::error::{Error, Result};
use crate::ingest::{Ingester, Summary};
use crate::server;
use frontline_store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const DB: &str = "frontline.db";
const DEMO_DB: &str = "frontline-demo.db";

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("starting the async runtime: {e}")))
}

fn print_failures(summary: &Summary) {
    for line in summary.failure_lines() {
        eprintln!("{line}");
    }
}

pub fn ingest(config: &Config, paths: &[PathBuf], reextract: bool, json: bool) -> Result<ExitCode> {
    server::init_logs("warn");
    let db = config.db_or(DB);
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let ingester = Ingester::new(store.clone(), config.extractor()?);
        let progress = std::io::stderr().is_terminal();
        let started = Instant::now();
        if reextract {
            let r = ingester.reextract(progress).await?;
            if json {
                say!("{}", to_json(&r)?);
            } else {
                say!(
                    "re-extracted {} articles in {:.1} s: events {} → {} per article total, {} added, {} no longer reported",
                    r.articles,
                    started.elapsed().as_secs_f64(),
                    r.events_before,
                    r.events_after,
                    r.events_added,
                    r.events_removed
                );
            }
            store.close().await;
            return Ok(ExitCode::SUCCESS);
        }
        let summary = ingester.paths(paths, progress).await;
        print_failures(&summary);
        if json {
            say!("{}", to_json(&summary)?);
        } else {
            say!("{summary} ({:.1} s)", started.elapsed().as_secs_f64());
        }
        store.close().await;
        Ok(if summary.failed > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        })
    })
}

pub fn serve(config: Config) -> Result<ExitCode> {
    server::init_logs("info,frontline=info");
    let db = config.db_or(DB);
    runtime()?.block_on(server::serve(config, &db))?;
    Ok(ExitCode::SUCCESS)
}

pub fn demo(config: Config) -> Result<ExitCode> {
    server::init_logs("info,frontline=info");
    let db = config.db_or(DEMO_DB);
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let ingester = Ingester::new(store.clone(), config.extractor()?);
        match demo::complete(&ingester).await? {
            Some(summary) if summary.new > 0 || summary.failed > 0 => {
                let done = if summary.unchanged > 0 {
                    "completed"
                } else {
                    "built"
                };
                eprintln!(
                    "frontline: {done} the demo database {}: {summary}",
                    db.display()
                );
                print_failures(&summary);
            }
            _ => eprintln!("frontline: serving the existing database {}", db.display()),
        }
        server::serve_with(config, ingester).await?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo_data(config: &Config, events: usize, seed: u64) -> Result<ExitCode> {
    server::init_logs("warn");
    let db = config.db_or(DB);
    let g = config.gazetteer()?;
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let started = Instant::now();
        let bar = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(events as u64)
        } else {
            indicatif::ProgressBar::hidden()
        };
        const BATCH: usize = 50_000;
        let mut done = 0;
        while done < events {
            let n = BATCH.min(events - done);
            let batch = demo::generate(&g, seed, done, n);
            store.add_bulk(&batch.articles, &batch.events).await?;
            done += n;
            bar.set_position(done as u64);
        }
        bar.finish_and_clear();
        store.optimize().await?;
        let counts = store.counts().await?;
        say!(
            "added {events} synthetic events in {:.1} s; the database now holds {} events from {} articles",
            started.elapsed().as_secs_f64(),
            counts.events,
            counts.articles
        );
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
