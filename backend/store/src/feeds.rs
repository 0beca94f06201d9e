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
