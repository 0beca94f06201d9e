//! `feeds add|list|remove` and `watch`: following news feeds.

use super::serve_cmd::{runtime, DB};
use super::{extractor, limits, to_json, Config};
use crate::error::{Error, Result};
use crate::feeds::{self, FeedTarget, FetchSettings, Fetcher, PollReport, Poller};
use crate::ingest::Ingester;
use crate::server;
use clap::Subcommand;
use frontline_store::{FeedRow, PollOutcome, Store};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Follow a feed (RSS, Atom or JSON Feed).
    Add {
        url: String,
        /// The outlet's name, shown as the source of its articles (default:
        /// the feed's title).
        #[arg(long)]
        name: Option<String>,
        /// How often to poll it (e.g. 15m, 1h, 90s).
        #[arg(long, default_value = "15m", value_parser = feeds::parse_every)]
        every: Duration,
    },
    /// List the followed feeds and what their last poll found.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop following a feed (its articles and events stay).
    Remove { id: i64 },
}

pub fn feeds(config: &Config, command: FeedsCommand) -> Result<ExitCode> {
    server::init_logs("warn");
    let db = config.db_or(DB);
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let code = match command {
            FeedsCommand::Add { url, name, every } => {
                check_feed_url(&url)?;
                let secs = i64::try_from(every.as_secs())
                    .map_err(|_| Error::Usage(format!("--every {every:?} is too long")))?;
                let row = store.add_feed(url.trim(), name.as_deref(), secs).await?;
                say!(
                    "following feed {} ({}), polled every {}",
                    row.id,
                    row.url,
                    feeds::show_every(row.every_secs)
                );
                ExitCode::SUCCESS
            }
            FeedsCommand::List { json } => {
                let rows = store.feeds().await?;
                if json {
                    let status: Vec<_> = rows.iter().map(feeds::status).collect();
                    say!("{}", to_json(&status)?);
                } else if rows.is_empty() {
                    say!("no feeds followed; add one with `frontline feeds add URL`");
                } else {
                    for row in &rows {
                        say!("{}", list_line(row));
                    }
                }
                ExitCode::SUCCESS
            }
            FeedsCommand::Remove { id } => {
                if !store.remove_feed(id).await? {
                    return Err(Error::NotFound(format!("feed {id}")));
                }
                say!("stopped following feed {id}");
                ExitCode::SUCCESS
            }
        };
        store.close().await;
        Ok(code)
    })
}

/// Only absolute http(s) URLs are feeds.
fn check_feed_url(url: &str) -> Result<()> {
    match url::Url::parse(url.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        Ok(u) => Err(Error::Usage(format!(
            "{url}: a feed URL must be http or https with a host, not {}:",
            u.scheme()
        ))),
        Err(e) => Err(Error::Usage(format!("{url:?} is not a URL: {e}"))),
    }
}

/// One feed in `feeds list`: its id, interval, name, URL, then its status.
fn list_line(row: &FeedRow) -> String {
    let mut line = format!(
        "{:>3}  every {:<5} {}{}\n     ",
        row.id,
        feeds::show_every(row.every_secs),
        row.name
            .as_deref()
            .map(|n| format!("{n}: "))
            .unwrap_or_default(),
        row.url
    );
    match &row.last_poll_at {
        None => line.push_str("never polled"),
        Some(at) => {
            line.push_str(&format!(
                "last poll {at}: {} items, {} new, {} known, {} folded, {} skipped, {} failed",
                row.items_seen,
                row.items_new,
                row.items_known,
                row.items_folded,
                row.items_skipped,
                row.items_failed
            ));
            if row.skipped_reasons != "{}" {
                line.push_str(&format!(" {}", row.skipped_reasons));
            }
            line.push_str(&format!("; {} articles in all", row.articles_total));
        }
    }
    if let Some(e) = &row.last_error {
        line.push_str(&format!(
            "\n     last error ({} in a row): {e}",
            row.failures
        ));
    }
    if let Some(next) = &row.next_poll_at {
        line.push_str(&format!("\n     next poll {next}"));
    }
    line
}

impl From<&Config> for FetchSettings {
    fn from(c: &Config) -> Self {
        FetchSettings {
            allow_private_addresses: c.allow_private_addresses,
            timeout: c.fetch_timeout,
            max_bytes: c.fetch_max_bytes,
            max_redirects: c.fetch_max_redirects,
            host_interval: c.host_interval,
        }
    }
}

/// The poller over a store, as `watch` and `serve --watch` use it.
pub(crate) fn poller(config: &Config, ingester: Ingester) -> Result<Poller> {
    Ok(Poller::new(
        ingester,
        Fetcher::new(FetchSettings::from(config))?,
    ))
}

/// Print a poll's summary, and its failures on stderr.
fn print_report(r: &PollReport) {
    println!("{}", r.summary());
    if let PollOutcome::Failed { error } = &r.record.outcome {
        eprintln!("error: feed {error}");
    }
    for (url, why) in &r.item_failures {
        if why.starts_with(url.as_str()) {
            eprintln!("error: page {why}");
        } else {
            eprintln!("error: page {url}: {why}");
        }
    }
}

/// `frontline watch`: poll due feeds until stopped, or every feed once.
pub fn watch(config: &Config, once: bool, urls: &[String], every: Duration) -> Result<ExitCode> {
    server::init_logs("warn");
    let db = config.db_or(DB);
    let extractor = extractor(config)?;
    runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        let poller = poller(config, Ingester::new(store.clone(), extractor).with_limits(limits(config)))?;
        let stop = server::stop_signal();
        let unstored: Vec<FeedTarget> = urls.iter().map(|u| FeedTarget::unstored(u, every)).collect();
        let mut failed = false;
        let mut report = |r: &PollReport| {
            failed |= matches!(r.record.outcome, PollOutcome::Failed { .. }) || !r.item_failures.is_empty();
            print_report(r);
        };
        if once {
            let targets = if unstored.is_empty() {
                store.feeds().await?.iter().map(FeedTarget::from_row).collect()
            } else {
                unstored
            };
            if targets.is_empty() {
                eprintln!("frontline: no feeds to poll; add one with `frontline feeds add URL` or give --feed URL");
            }
            let reports = feeds::poll_once(&poller, &targets, &stop, &mut report).await?;
            say!("{}", feeds::total(&reports));
        } else {
            eprintln!("frontline: watching feeds (Ctrl-C to stop)");
            feeds::watch(&poller, unstored, stop, &mut report).await?;
            eprintln!("frontline: stopped");
        }
        store.close().await;
        Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
    })
}
