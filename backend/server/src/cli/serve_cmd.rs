//! `ingest`, `serve`, `demo` and `demo-data`: the commands that use the
//! database, each on its own tokio runtime. `serve` and `demo` build the
//! server's state here and hand it to [`server::serve`].

use super::{extractor, gazetteer, limits, to_json, Config};
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

pub(crate) const DB: &str = "frontline.db";
const DEMO_DB: &str = "frontline-demo.db";

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
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
        let ingester = Ingester::new(store.clone(), extractor(config)?).with_limits(limits(config));
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
        // A front-end folder must hold every file the pages load: a
        // missing one would break the map in every visitor's browser.
        if let Some(dir) = &config.assets {
            let missing = crate::frontend::missing_in(dir);
            if !missing.is_empty() {
                return Err(Error::File {
                    path: dir.clone(),
                    message: format!(
                        "--assets: this folder lacks {} of the front end's files ({}{}); run `npm ci` in it, or leave --assets out to serve the files embedded in the binary",
                        missing.len(),
                        missing.iter().take(5).copied().collect::<Vec<_>>().join(", "),
                        if missing.len() > 5 { ", …" } else { "" }
                    ),
                });
            }
        }
        // Syria's outline clips the areas of control: the folder's copy,
        // else the embedded one, which is always there.
        let border = match basemap::syria_border(config.assets.as_deref()) {
            Ok(border) => border,
            Err(e) if config.assets.is_some() => {
                tracing::warn!("{e}; using the embedded outline of Syria");
                basemap::syria_border(None)?
            }
            Err(e) => return Err(e),
        };
        let border = Some(Arc::new(border));
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
        let ingester = Ingester::new(store.clone(), self.extractor).with_limits(limits(&config));
        AppState::new(
            store.clone(),
            ingester,
            self.gazetteer,
            self.boundaries,
            Arc::new(ControlMaps::new(self.border, AreaOptions::default())),
            self.outlines,
            config,
        )
    }
}

/// The server's store: every use of a connection under the statement
/// time limit.
async fn server_store(config: &Config, db: &frontline_store::Location) -> Result<Store> {
    let options = frontline_store::Options {
        statement_timeout: Some(std::time::Duration::from_millis(
            config.query_timeout_ms.max(1),
        )),
        max_connections: Some(config.db_pool),
    };
    Ok(Store::open_with(db, options).await?)
}

pub fn serve(config: Config, watch: bool) -> Result<ExitCode> {
    server::init_logs("info,frontline=info");
    let db = config.db_or(DB);
    let loaded = Loaded::new(&config)?;
    runtime()?.block_on(async {
        let store = server_store(&config, &db).await?;
        let stop = server::stop_signal();
        let watcher = match watch {
            true => Some(spawn_watcher(&config, &store, &loaded, stop.clone())?),
            false => None,
        };
        server::serve_until(loaded.state(config, &store), stop).await?;
        if let Some(w) = watcher {
            // It stops between two articles.
            let _ = w.await;
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// The feed watcher of `serve --watch`, in the server's runtime: it logs
/// each poll and stops with the server.
fn spawn_watcher(
    config: &Config,
    store: &Store,
    loaded: &Loaded,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<()>> {
    let ingester =
        Ingester::new(store.clone(), loaded.extractor.clone()).with_limits(limits(config));
    let poller = super::feeds_cmd::poller(config, ingester)?;
    Ok(tokio::spawn(async move {
        let mut log = |r: &crate::feeds::PollReport| {
            tracing::info!("feed {}", r.summary());
            for (url, why) in &r.item_failures {
                tracing::warn!(%url, "page failed: {why}");
            }
        };
        if let Err(e) = crate::feeds::watch(&poller, Vec::new(), stop, &mut log).await {
            tracing::error!("the feed watcher stopped: {e}");
        }
    }))
}

pub fn demo(config: Config) -> Result<ExitCode> {
    server::init_logs("info,frontline=info");
    let db = config.db_or(DEMO_DB);
    let loaded = Loaded::new(&config)?;
    runtime()?.block_on(async {
        let store = server_store(&config, &db).await?;
        let state = loaded.state(config, &store);
        match demo::complete(&state.ingester).await? {
            Some(summary) if summary.new > 0 || summary.failed > 0 => {
                let done = if summary.unchanged > 0 {
                    "completed"
                } else {
                    "built"
                };
                eprintln!("frontline: {done} the demo database {}: {summary}", db);
                print_failures(&summary);
            }
            _ => eprintln!("frontline: serving the existing database {db}"),
        }
        server::serve(state).await?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo_data(config: &Config, events: usize, seed: u64) -> Result<ExitCode> {
    // Its batches are slow statements by design: sqlx's warnings about each
    // would bury the summary.
    server::init_logs("warn,sqlx::query=error");
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
