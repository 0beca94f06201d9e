//! Writing: articles with their events, one transaction per article, and
//! the merging of one event reported by several articles.

use super::PlaceRow;
use frontline_extract::Event;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The SHA-256 of an article's text, in hex: its identity in the store.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.trim().as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// What storing one article did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Added {
    pub article_id: i64,
    /// False when the same text was already stored: nothing changed.
    pub new: bool,
    /// Every event the article reports, in extraction order.
    pub event_ids: Vec<i64>,
    /// Events created by this article.
    pub events_added: usize,
    /// Events already reported by another article, now with one more source.
    pub events_merged: usize,
    /// The text was a near-duplicate of the stored article `article_id`,
    /// and was folded into it as another source (nothing else changed).
    pub folded: bool,
}

/// What re-extracting one article changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Replaced {
    pub events_before: usize,
    pub events_after: usize,
    /// Events that no article reports any more.
    pub events_removed: usize,
    pub events_added: usize,
}

/// One prepared event written in bulk (generated data for benchmarks, copies).
#[derive(Debug, Clone)]
pub struct BulkEvent {
    pub event: Event,
    pub place: PlaceRow,
    /// Index into the batch's articles.
    pub article: usize,
}

/// `YYYY-MM-DD` for the schema's `YYYY-MM-DD`, `YYYY-MM` and `YYYY`.
pub(crate) fn full_date(date: Option<&str>) -> Option<String> {
    let d = date?.trim();
    let full = match d.len() {
        10 => d.to_string(),
        7 => format!("{d}-01"),
        4 => format!("{d}-01-01"),
        _ => return None,
    };
    chrono::NaiveDate::parse_from_str(&full, "%Y-%m-%d")
        .ok()
        .map(|_| full)
}

pub(crate) fn spans_json(e: &Event) -> String {
    serde_json::to_string(&e.evidence_spans).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn count_i64(n: Option<u64>) -> Option<i64> {
    n.and_then(|n| i64::try_from(n).ok())
}
