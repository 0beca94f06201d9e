//! The followed feeds: adding, listing and removing them, which are due,
//! and what each poll found.

use serde::Serialize;
use std::collections::BTreeMap;

/// A followed feed and its status.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct FeedRow {
    pub id: i64,
    pub url: String,
    pub name: Option<String>,
    pub every_secs: i64,
    pub added_at: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_poll_at: Option<String>,
    pub last_success_at: Option<String>,
    pub next_poll_at: Option<String>,
    pub failures: i64,
    pub last_error: Option<String>,
    pub items_seen: i64,
    pub items_new: i64,
    pub items_known: i64,
    pub items_skipped: i64,
    /// JSON object: reason → count.
    pub skipped_reasons: String,
    pub items_failed: i64,
    pub items_folded: i64,
    pub articles_total: i64,
}

/// What one poll of a feed found, to be recorded with it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PollRecord {
    /// RFC 3339 UTC times.
    pub polled_at: String,
    pub next_poll_at: String,
    pub outcome: PollOutcome,
}

/// How a poll ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub enum PollOutcome {
    /// The feed answered 304 Not Modified: nothing to read.
    #[default]
    NotModified,
    /// The feed was read; its new validators and what its items gave.
    Read {
        etag: Option<String>,
        last_modified: Option<String>,
        counts: ItemCounts,
    },
    /// The feed could not be fetched or read: the feed keeps its last
    /// good state and records why.
    Failed { error: String },
}

/// What the items of one poll gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemCounts {
    pub seen: i64,
    pub new: i64,
    pub known: i64,
    pub skipped: i64,
    /// Why items were skipped or failed: reason → count.
    pub reasons: BTreeMap<String, i64>,
    pub failed: i64,
    /// Near-duplicates of stored articles, folded into their sources.
    pub folded: i64,
}

impl ItemCounts {
    /// The reasons as stored (a JSON object, keys in order).
    pub(crate) fn reasons_json(&self) -> String {
        serde_json::to_string(&self.reasons).unwrap_or_else(|_| "{}".into())
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::store;
    use crate::{PollOutcome, PollRecord};

    #[tokio::test]
    async fn a_page_skipped_again_keeps_the_latest_reason() {
        let (_d, s) = store().await;
        assert_eq!(s.skipped_page("https://a.example/1").await.unwrap(), None);
        s.skip_page("https://a.example/1", "no text").await.unwrap();
        s.skip_page("https://a.example/1", "not French (English)")
            .await
            .unwrap();
        assert_eq!(
            s.skipped_page("https://a.example/1").await.unwrap(),
            Some("not French (English)".into())
        );
        assert_eq!(s.article_by_url("https://a.example/1").await.unwrap(), None);
    }

    #[tokio::test]
    async fn feeds_never_polled_come_first_then_the_most_overdue() {
        let (_d, s) = store().await;
        assert_eq!(s.next_due().await.unwrap(), None);
        let mut ids = Vec::new();
        for (n, next) in [(1, "2026-01-01T10:30:00Z"), (2, "2026-01-01T10:10:00Z")] {
            let f = s
                .add_feed(&format!("https://{n}.example/rss"), None, 900)
                .await
                .unwrap();
            let poll = PollRecord {
                polled_at: "2026-01-01T10:00:00Z".into(),
                next_poll_at: next.into(),
                outcome: PollOutcome::NotModified,
            };
            s.record_poll(f.id, &poll).await.unwrap();
            ids.push(f.id);
        }
        assert_eq!(
            s.next_due().await.unwrap().as_deref(),
            Some("2026-01-01T10:10:00Z")
        );
        let fresh = s
            .add_feed("https://3.example/rss", None, 900)
            .await
            .unwrap();
        let due = |now: &'static str| {
            let s = s.clone();
            async move {
                let rows = s.due_feeds(now).await.unwrap();
                rows.into_iter().map(|f| f.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(due("2026-01-01T10:00:00Z").await, [fresh.id]);
        assert_eq!(due("2026-01-01T10:10:00Z").await, [fresh.id, ids[1]]);
        assert_eq!(
            due("2026-01-01T11:00:00Z").await,
            [fresh.id, ids[1], ids[0]]
        );
        assert_eq!(s.next_due().await.unwrap().as_deref(), Some(""));
    }

    #[tokio::test]
    async fn watchers_claiming_at_once_never_take_the_same_feed() {
        let (_d, s) = store().await;
        for n in 0..6 {
            s.add_feed(&format!("https://{n}.example/rss"), None, 900)
                .await
                .unwrap();
        }
        let now = "2026-01-01T10:00:00Z";
        let lease = "2026-01-01T10:15:00Z";
        // Eight watchers, six due feeds: each feed claimed once.
        let claims = (0..8).map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.claim_due_feed(now, lease).await.unwrap() })
        });
        let mut taken = Vec::new();
        for c in claims {
            if let Some(f) = c.await.unwrap() {
                assert_eq!(f.next_poll_at.as_deref(), Some(lease));
                taken.push(f.id);
            }
        }
        taken.sort();
        let before = taken.len();
        taken.dedup();
        assert_eq!((before, taken.len()), (6, 6), "{taken:?}");
        // Leased: not due again until the lease ends.
        assert!(s.claim_due_feed(now, lease).await.unwrap().is_none());
        assert!(s
            .claim_due_feed("2026-01-01T10:16:00Z", "2026-01-01T10:31:00Z")
            .await
            .unwrap()
            .is_some());
    }
}
