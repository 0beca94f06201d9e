//! Polling a feed: fetch it (conditionally), read its items, fetch each
//! new item's page, keep the French articles and ingest them as
//! `frontline ingest` does. A feed or page that fails is reported with
//! its URL and reason; it never stops the others.

use super::fetch::{Fetched, Fetcher, Validators};
use super::page::{self, Skip};
use super::parse::{self, Item};
use super::urls;
use crate::error::{Error, Result};
use crate::ingest::Ingester;
use chrono::{DateTime, Utc};
use frontline_store::{FeedRow, ItemCounts, PollOutcome, PollRecord, Store};
use std::time::Duration;
use tokio::sync::watch;

/// The longest wait between polls of a failing feed (unless it is polled
/// less often anyway).
pub const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);

/// A feed to poll: a stored one, or one given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedTarget {
    /// `None` for a feed given with `--feed`, which is not stored.
    pub id: Option<i64>,
    pub url: String,
    pub name: Option<String>,
    pub every: Duration,
    pub validators: Validators,
    /// Consecutive failed polls before this one.
    pub failures: u32,
}

impl FeedTarget {
    pub fn from_row(row: &FeedRow) -> Self {
        FeedTarget {
            id: Some(row.id),
            url: row.url.clone(),
            name: row.name.clone(),
            every: Duration::from_secs(row.every_secs.max(1) as u64),
            validators: Validators {
                etag: row.etag.clone(),
                last_modified: row.last_modified.clone(),
            },
            failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
        }
    }

    pub fn unstored(url: &str, every: Duration) -> Self {
        FeedTarget {
            id: None,
            url: url.trim().to_string(),
            name: None,
            every,
            validators: Validators::default(),
            failures: 0,
        }
    }
}

/// What one poll of one feed did.
#[derive(Debug, Clone)]
pub struct PollReport {
    pub url: String,
    pub record: PollRecord,
    /// Items (pages) that could not be fetched or stored: URL and reason.
    pub item_failures: Vec<(String, String)>,
    pub events_added: usize,
    pub events_merged: usize,
    /// The poll was cut short by a stop request.
    pub interrupted: bool,
}

impl PollReport {
    pub fn counts(&self) -> Option<&ItemCounts> {
        match &self.record.outcome {
            PollOutcome::Read { counts, .. } => Some(counts),
            _ => None,
        }
    }

    /// One line for people: what the poll found.
    pub fn summary(&self) -> String {
        match &self.record.outcome {
            PollOutcome::NotModified => format!("{}: not modified", self.url),
            PollOutcome::Failed { error } => {
                let why = error
                    .strip_prefix(self.url.as_str())
                    .and_then(|e| e.strip_prefix(": "))
                    .unwrap_or(error);
                format!("{}: failed: {why}", self.url)
            }
            PollOutcome::Read { counts: c, .. } => {
                let reasons: Vec<String> =
                    c.reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
                format!(
                    "{}: {} items: {} new, {} known, {} near-duplicates folded, {} skipped, {} failed{}; events: {} added, {} merged{}",
                    self.url,
                    c.seen,
                    c.new,
                    c.known,
                    c.folded,
                    c.skipped,
                    c.failed,
                    if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join(", ")) },
                    self.events_added,
                    self.events_merged,
                    if self.interrupted { " (stopped part-way)" } else { "" },
                )
            }
        }
    }
}

/// Polls feeds into the store.
#[derive(Clone)]
pub struct Poller {
    ingester: Ingester,
    fetcher: Fetcher,
}

/// RFC 3339 UTC to the second, as SQLite's `strftime` writes it.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// When to poll again: after `every`, or after a failure `every` doubled
/// for each consecutive failure, up to [`MAX_BACKOFF`] (or `every`, if
/// longer).
pub fn next_delay(every: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return every;
    }
    let factor = 2u32.saturating_pow(failures.min(16));
    every.saturating_mul(factor).min(MAX_BACKOFF.max(every))
}

impl Poller {
    pub fn new(ingester: Ingester, fetcher: Fetcher) -> Self {
        Poller { ingester, fetcher }
    }

    pub fn store(&self) -> &Store {
        self.ingester.store()
    }

    /// Poll one feed and, when it is stored, record what the poll found.
    /// Between articles, a stop request ends the poll early.
    pub async fn poll(
        &self,
        feed: &FeedTarget,
        stop: &watch::Receiver<bool>,
    ) -> Result<PollReport> {
        let polled = Utc::now();
        let mut report = PollReport {
            url: feed.url.clone(),
            record: PollRecord {
                polled_at: timestamp(polled),
                ..PollRecord::default()
            },
            item_failures: Vec::new(),
            events_added: 0,
            events_merged: 0,
            interrupted: false,
        };
        let mut failures = 0;
        report.record.outcome = match self.read_feed(feed, stop, &mut report).await {
            Ok(outcome) => outcome,
            Err(e) => {
                failures = feed.failures.saturating_add(1);
                PollOutcome::Failed {
                    error: e.to_string(),
                }
            }
        };
        let next = polled + next_delay(feed.every, failures);
        report.record.next_poll_at = timestamp(next);
        if let Some(id) = feed.id {
            self.store().record_poll(id, &report.record).await?;
        }
        Ok(report)
    }

    async fn read_feed(
        &self,
        feed: &FeedTarget,
        stop: &watch::Receiver<bool>,
        report: &mut PollReport,
    ) -> Result<PollOutcome> {
        let doc = match self.fetcher.get(&feed.url, Some(&feed.validators)).await? {
            Fetched::NotModified => return Ok(PollOutcome::NotModified),
            Fetched::Body(doc) => doc,
        };
        let parsed = parse::parse_feed(&feed.url, &doc.bytes)?;
        let source = feed
            .name
            .clone()
            .or(parsed.title.clone())
            .or_else(|| urls::host(doc.url.as_str()));
        let mut counts = ItemCounts::default();
        for item in &parsed.items {
            if *stop.borrow() {
                report.interrupted = true;
                break;
            }
            counts.seen += 1;
            self.item(item, source.as_deref(), &mut counts, report)
                .await;
        }
        // Read the feed whole again next time unless every item was dealt
        // with: a conditional GET would hide the items left.
        let validators = if report.interrupted || counts.failed > 0 {
            feed.validators.clone()
        } else {
            doc.validators
        };
        Ok(PollOutcome::Read {
            etag: validators.etag,
            last_modified: validators.last_modified,
            counts,
        })
    }

    /// Deal with one item: known, skipped (why), failed (why), or stored.
    async fn item(
        &self,
        item: &Item,
        source: Option<&str>,
        counts: &mut ItemCounts,
        report: &mut PollReport,
    ) {
        let skip = |counts: &mut ItemCounts, reason: String| {
            counts.skipped += 1;
            *counts.reasons.entry(reason).or_default() += 1;
        };
        let Some(link) = &item.link else {
            skip(counts, "no link".into());
            return;
        };
        let url = urls::normalize(link);
        match self.ingest_item(&url, item, source).await {
            Ok(ItemOutcome::Known) => counts.known += 1,
            Ok(ItemOutcome::Skipped(reason)) => skip(counts, reason),
            Ok(ItemOutcome::Stored(added)) if added.new => {
                counts.new += 1;
                report.events_added += added.events_added;
                report.events_merged += added.events_merged;
            }
            Ok(ItemOutcome::Stored(added)) if added.folded => counts.folded += 1,
            Ok(ItemOutcome::Stored(_)) => counts.known += 1,
            Err(e) => {
                counts.failed += 1;
                let reason = match &e {
                    Error::Fetch { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                *counts.reasons.entry(reason).or_default() += 1;
                report.item_failures.push((url, e.to_string()));
            }
        }
    }

    async fn ingest_item(
        &self,
        url: &str,
        item: &Item,
        source: Option<&str>,
    ) -> Result<ItemOutcome> {
        let store = self.store();
        if store.article_by_url(url).await?.is_some() {
            return Ok(ItemOutcome::Known);
        }
        if let Some(reason) = store.skipped_page(url).await? {
            return Ok(ItemOutcome::Skipped(reason));
        }
        let doc = match self.fetcher.get(url, None).await? {
            Fetched::Body(doc) => doc,
            Fetched::NotModified => return Err(Error::fetch(url, "HTTP 304 to a plain GET")),
        };
        match page::read_page(url, source, item, doc.content_type.as_deref(), &doc.bytes) {
            Ok(article) => Ok(ItemOutcome::Stored(self.ingester.article(article).await?)),
            Err(skip) => {
                let reason = skip.reason();
                store.skip_page(url, &reason).await?;
                if let Skip::Language(_) = skip {
                    tracing::info!(%url, %reason, "page skipped");
                }
                Ok(ItemOutcome::Skipped(reason))
            }
        }
    }
}

enum ItemOutcome {
    Known,
    Skipped(String),
    Stored(frontline_store::Added),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_exponentially_up_to_a_day() {
        let m = Duration::from_secs(60);
        assert_eq!(next_delay(m, 0), m);
        assert_eq!(next_delay(m, 1), 2 * m);
        assert_eq!(next_delay(m, 3), 8 * m);
        assert_eq!(next_delay(m, 40), MAX_BACKOFF);
        let weekly = Duration::from_secs(7 * 24 * 3600);
        assert_eq!(next_delay(weekly, 2), weekly);
    }

    #[test]
    fn timestamps_sort_as_text() {
        let t = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.678+00:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(timestamp(t), "2026-01-02T03:04:05Z");
    }
}
