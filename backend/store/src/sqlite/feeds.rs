//! The followed feeds on SQLite.

use super::SqliteStore;
use crate::error::{Error, Result};
use crate::feeds::{FeedRow, PollOutcome, PollRecord};

const COLUMNS: &str = "id, url, name, every_secs, added_at, etag, last_modified, last_poll_at,
    last_success_at, next_poll_at, failures, last_error, items_seen, items_new, items_known,
    items_skipped, skipped_reasons, items_failed, items_folded, articles_total";

impl SqliteStore {
    /// Follow a feed; a URL already followed is an error naming its id.
    pub async fn add_feed(
        &self,
        url: &str,
        name: Option<&str>,
        every_secs: i64,
    ) -> Result<FeedRow> {
        if let Some(existing) = self.feed_by_url(url).await? {
            return Err(Error::Conflict(format!(
                "the feed {url} is already followed (id {})",
                existing.id
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO feeds (url, name, every_secs) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(url)
        .bind(name)
        .bind(every_secs)
        .fetch_one(&self.pool)
        .await?;
        self.feed(id)
            .await?
            .ok_or_else(|| Error::Inconsistent(format!("feed {id} vanished after insertion")))
    }

    pub async fn feed(&self, id: i64) -> Result<Option<FeedRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM feeds WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM feeds WHERE url = ?"))
                .bind(url)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every followed feed, in the order they were added.
    pub async fn feeds(&self) -> Result<Vec<FeedRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM feeds ORDER BY id"))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Stop following a feed (its articles stay). False when there was none.
    pub async fn remove_feed(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM feeds WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The feeds due at `now` (RFC 3339 UTC), the most overdue first.
    pub async fn due_feeds(&self, now: &str) -> Result<Vec<FeedRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= ?
             ORDER BY next_poll_at IS NOT NULL, next_poll_at, id"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// One statement: SQLite's write lock makes the pick and the lease one
    /// step for every process on the file.
    pub async fn claim_due_feed(&self, now: &str, lease_until: &str) -> Result<Option<FeedRow>> {
        Ok(sqlx::query_as(&format!(
            "UPDATE feeds SET next_poll_at = ?2 WHERE id = (
               SELECT id FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= ?1
               ORDER BY next_poll_at IS NOT NULL, next_poll_at, id LIMIT 1)
             RETURNING {COLUMNS}"
        ))
        .bind(now)
        .bind(lease_until)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// When the next feed is due (RFC 3339 UTC), if any feed is followed.
    pub async fn next_due(&self) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT min(coalesce(next_poll_at, '')) FROM feeds")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Record a poll. A failed poll keeps the feed's last good state (its
    /// validators and counts) and counts one more failure.
    pub async fn record_poll(&self, id: i64, poll: &PollRecord) -> Result<()> {
        let q = match &poll.outcome {
            PollOutcome::NotModified => sqlx::query(
                "UPDATE feeds SET last_poll_at = ?1, last_success_at = ?1, next_poll_at = ?2,
                   failures = 0, last_error = NULL, items_seen = 0, items_new = 0, items_known = 0,
                   items_skipped = 0, skipped_reasons = '{}', items_failed = 0, items_folded = 0
                 WHERE id = ?3",
            )
            .bind(&poll.polled_at)
            .bind(&poll.next_poll_at),
            PollOutcome::Read {
                etag,
                last_modified,
                counts: c,
            } => sqlx::query(
                "UPDATE feeds SET last_poll_at = ?1, last_success_at = ?1, next_poll_at = ?2,
                   failures = 0, last_error = NULL, etag = ?3, last_modified = ?4,
                   items_seen = ?5, items_new = ?6, items_known = ?7, items_skipped = ?8,
                   skipped_reasons = ?9, items_failed = ?10, items_folded = ?11,
                   articles_total = articles_total + ?6
                 WHERE id = ?12",
            )
            .bind(&poll.polled_at)
            .bind(&poll.next_poll_at)
            .bind(etag)
            .bind(last_modified)
            .bind(c.seen)
            .bind(c.new)
            .bind(c.known)
            .bind(c.skipped)
            .bind(c.reasons_json())
            .bind(c.failed)
            .bind(c.folded),
            PollOutcome::Failed { error } => sqlx::query(
                "UPDATE feeds SET last_poll_at = ?, next_poll_at = ?, failures = failures + 1,
                   last_error = ? WHERE id = ?",
            )
            .bind(&poll.polled_at)
            .bind(&poll.next_poll_at)
            .bind(error),
        };
        q.bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Remember a page read and not kept, and why.
    pub async fn skip_page(&self, url: &str, reason: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO skipped_pages (url, reason) VALUES (?, ?)
             ON CONFLICT (url) DO UPDATE SET reason = excluded.reason",
        )
        .bind(url)
        .bind(reason)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Why this page was skipped before, if it was.
    pub async fn skipped_page(&self, url: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT reason FROM skipped_pages WHERE url = ?")
                .bind(url)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The stored article at this URL, or the article that a copy at
    /// this URL was folded into, if any.
    pub async fn article_by_url(&self, url: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM articles WHERE url = ?
             UNION ALL SELECT article_id FROM article_copies WHERE url = ? LIMIT 1",
        )
        .bind(url)
        .bind(url)
        .fetch_optional(&self.pool)
        .await?)
    }
}
