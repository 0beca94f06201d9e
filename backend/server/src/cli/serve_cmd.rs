//! `ingest`, `serve`, `demo` and `demo-data`: the commands that use the
//! database, each on its own tokio runtime. `serve` and `demo` build the
//! server's state here and hand it to [`server::serve`].

use super::{extractor, gazetteer, to_json, Config};
use crate::areas::AreaOptions;
use crate::basemap::{self, Boundaries};
use crate::control::ControlMaps;
use crate::demo;
use crate::error::{Error, Result};
use crate::http::AppState;
use crate::ingest::{Ingester, Summary};
use crate::server;
use frontline_extract::Extractor;
use frontline_store::Store;
use gazetteer::Gazetteer;
use geo::MultiPolygon;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
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
        let ingester = Ingester::new(store.clone(), extractor(config)?);
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

/// What the server needs besides the store, loaded before the database is
/// opened: a bad `--boundaries` file stops the command at once.
struct Loaded {
    gazetteer: Arc<Gazetteer>,
    extractor: Extractor,
    boundaries: Option<Arc<Boundaries>>,
    border: Option<Arc<MultiPolygon<f64>>>,
    outlines: Arc<Vec<basemap::Outline>>,
}

impl Loaded {
    fn new(config: &Config) -> Result<Loaded> {
        let boundaries = match &config.boundaries {
            Some(path) => Some(Arc::new(Boundaries::from_file(path)?)),
            None => None,
        };
        // Without Syria's outline the map still works, without areas.
        let border = match basemap::syria_border(config.assets.as_deref()) {
            Ok(border) => Some(Arc::new(border)),
            Err(e) => {
                tracing::warn!("areas of control are unavailable: {e}");
                None
            }
        };
        let outlines = basemap::outlines_near_syria(config.assets.as_deref()).unwrap_or_else(|e| {
            tracing::warn!("static maps will have no basemap: {e}");
            Vec::new()
        });
        let gazetteer = gazetteer(config)?;
        Ok(Loaded {
            outlines: Arc::new(outlines),
            extractor: Extractor::new(gazetteer.clone())?,
            gazetteer,
            boundaries,
            border,
        })
    }

    fn state(self, config: Config, store: &Store) -> AppState {
        AppState {
            store: store.clone(),
            ingester: Ingester::new(store.clone(), self.extractor),
            gazetteer: self.gazetteer,
            boundaries: self.boundaries,
            control: Arc::new(ControlMaps::new(self.border, AreaOptions::default())),
            outlines: self.outlines,
            settings: Arc::new(config),
        }
    }
}

pub fn serve(config: Config) -> Result<ExitCode> {
    server::init_logs("info,frontline=info");
    let db = config.db_or(DB);
    let loaded = Loaded::new(&config)?;
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        server::serve(loaded.state(config, &store)).await?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo(config: Config) -> Result<ExitCode> {
    server::init_logs("info,frontline=info");
    let db = config.db_or(DEMO_DB);
    let loaded = Loaded::new(&config)?;
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let state = loaded.state(config, &store);
        match demo::complete(&state.ingester).await? {
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
        server::serve(state).await?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo_data(config: &Config, events: usize, seed: u64) -> Result<ExitCode> {
    server::init_logs("warn");
    let db = config.db_or(DB);
    let g = gazetteer(config)?;
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
