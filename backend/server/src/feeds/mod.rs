//! Following news feeds: [`fetch`] (polite, guarded HTTP), [`parse`]
//! (RSS, Atom, JSON Feed into items), [`page`] (article pages into French
//! articles), [`urls`] (normalisation), [`poll`] (one feed, through the
//! ingester into the store), and here the watcher that polls feeds as
//! they fall due until it is asked to stop.

pub mod fetch;
pub mod page;
pub mod parse;
pub mod poll;
pub mod urls;

pub use crate::config::parse_duration;
use crate::error::{Error, Result};
use chrono::Utc;
pub use fetch::{FetchSettings, Fetcher};
use frontline_store::{FeedRow, ItemCounts, PollOutcome};
pub use poll::{FeedTarget, PollReport, Poller};
use std::time::Duration;
use tokio::sync::watch;

/// The longest the watcher sleeps before looking for due feeds again
/// (feeds added meanwhile by `frontline feeds add` are seen by then).
const IDLE: Duration = Duration::from_secs(30);

/// How long a claimed feed is kept from other watchers: longer than a poll
/// takes; if the watcher dies mid-poll, the feed is due again after it.
const CLAIM_LEASE: Duration = Duration::from_secs(15 * 60);

/// A poll interval: a duration ([`parse_duration`]) of at least a second.
pub fn parse_every(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        d if d.is_zero() => Err(format!("{text:?}: the interval must be at least 1s")),
        d => Ok(d),
    }
}

/// `900` seconds as `15m`, for listings.
pub fn show_every(secs: i64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// A feed's status for `feeds list --json` and `GET /api/feeds`: the row,
/// with its skip reasons as an object and without its validators.
pub fn status(row: &FeedRow) -> serde_json::Value {
    let reasons: serde_json::Value =
        serde_json::from_str(&row.skipped_reasons).unwrap_or_else(|_| serde_json::json!({}));
    serde_json::json!({
        "id": row.id,
        "url": row.url,
        "name": row.name,
        "every_secs": row.every_secs,
        "added_at": row.added_at,
        "last_poll_at": row.last_poll_at,
        "last_success_at": row.last_success_at,
        "next_poll_at": row.next_poll_at,
        "failures": row.failures,
        "last_error": row.last_error,
        "last_poll": {
            "items_seen": row.items_seen,
            "items_new": row.items_new,
            "items_known": row.items_known,
            "items_folded": row.items_folded,
            "items_skipped": row.items_skipped,
            "items_failed": row.items_failed,
            "reasons": reasons,
        },
        "articles_total": row.articles_total,
    })
}

/// One line adding up several polls.
pub fn total(reports: &[PollReport]) -> String {
    let mut t = ItemCounts::default();
    let (mut failed_feeds, mut added, mut merged) = (0, 0, 0);
    for r in reports {
        added += r.events_added;
        merged += r.events_merged;
        match &r.record.outcome {
            PollOutcome::Failed { .. } => failed_feeds += 1,
            PollOutcome::Read { counts, .. } => {
                t.seen += counts.seen;
                t.new += counts.new;
                t.known += counts.known;
                t.folded += counts.folded;
                t.skipped += counts.skipped;
                t.failed += counts.failed;
            }
            PollOutcome::NotModified => {}
        }
    }
    format!(
        "polled {} feeds ({failed_feeds} failed): {} items, {} new articles, {} known, {} near-duplicates folded, {} skipped, {} failed; events: {added} added, {merged} merged",
        reports.len(), t.seen, t.new, t.known, t.folded, t.skipped, t.failed
    )
}

/// Poll each feed once, in order, until a stop request.
pub async fn poll_once(
    poller: &Poller,
    feeds: &[FeedTarget],
    stop: &watch::Receiver<bool>,
    report: &mut (dyn FnMut(&PollReport) + Send),
) -> Result<Vec<PollReport>> {
    let mut out = Vec::new();
    for feed in feeds {
        if *stop.borrow() {
            break;
        }
        let r = poller.poll(feed, stop).await?;
        report(&r);
        out.push(r);
    }
    Ok(out)
}

/// Poll the stored feeds as they fall due, and `unstored` ones every
/// their interval, until a stop request.
pub async fn watch(
    poller: &Poller,
    mut unstored: Vec<FeedTarget>,
    mut stop: watch::Receiver<bool>,
    report: &mut (dyn FnMut(&PollReport) + Send),
) -> Result<()> {
    // When each unstored feed is due next.
    let mut due_at: Vec<tokio::time::Instant> = unstored
        .iter()
        .map(|_| tokio::time::Instant::now())
        .collect();
    while !*stop.borrow() {
        // Stored feeds one at a time, each claimed first: several
        // watchers on one database (two servers with --watch) share the
        // feeds instead of fetching each twice.
        while unstored.is_empty() && !*stop.borrow() {
            let now = Utc::now();
            let lease_until = now + chrono::Duration::from_std(CLAIM_LEASE).unwrap_or_default();
            let claimed = poller
                .store()
                .claim_due_feed(&poll::timestamp(now), &poll::timestamp(lease_until))
                .await?;
            let Some(row) = claimed else { break };
            report(&poller.poll(&FeedTarget::from_row(&row), &stop).await?);
        }
        for (feed, due) in unstored.iter_mut().zip(due_at.iter_mut()) {
            if *stop.borrow() || *due > tokio::time::Instant::now() {
                continue;
            }
            let r = poller.poll(feed, &stop).await?;
            feed.failures = match r.record.outcome {
                PollOutcome::Failed { .. } => feed.failures.saturating_add(1),
                _ => 0,
            };
            if let PollOutcome::Read {
                etag,
                last_modified,
                ..
            } = &r.record.outcome
            {
                feed.validators = fetch::Validators {
                    etag: etag.clone(),
                    last_modified: last_modified.clone(),
                };
            }
            *due = tokio::time::Instant::now() + poll::next_delay(feed.every, feed.failures);
            report(&r);
        }
        let sleep = next_wake(poller, &due_at).await?;
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            _ = stop.changed() => {}
        }
    }
    Ok(())
}

/// How long to sleep before the next feed is due (at most [`IDLE`]).
async fn next_wake(poller: &Poller, unstored_due: &[tokio::time::Instant]) -> Result<Duration> {
    let now = tokio::time::Instant::now();
    if !unstored_due.is_empty() {
        let first = unstored_due.iter().min().copied().unwrap_or(now);
        return Ok(first.saturating_duration_since(now).min(IDLE));
    }
    let wait = match poller.store().next_due().await? {
        None => IDLE,
        Some(at) if at.is_empty() => Duration::ZERO,
        Some(at) => chrono::DateTime::parse_from_rfc3339(&at)
            .map(|t| {
                (t.with_timezone(&Utc) - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
            })
            .map_err(|e| Error::Internal(format!("a feed's next poll time {at:?}: {e}")))?,
    };
    // At least a second: a feed due now is polled on the next turn.
    Ok(wait.clamp(Duration::from_secs(1), IDLE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_like_people_write_them() {
        assert_eq!(parse_every("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_every("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_every("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_every("2d"), Ok(Duration::from_secs(172_800)));
        for bad in ["", "15", "m", "15x", "-5m", "99999999999999999999d"] {
            let e = parse_every(bad).unwrap_err();
            assert!(e.contains("is not a duration"), "{bad}: {e}");
        }
        assert!(parse_every("0m").unwrap_err().contains("at least 1s"));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(show_every(900), "15m");
        assert_eq!(show_every(7200), "2h");
        assert_eq!(show_every(90), "90s");
    }
}
