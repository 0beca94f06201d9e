//! Near-duplicate copies of stored articles: finding the candidates that
//! share a band key, and folding a copy into the article it repeats.

use serde::Serialize;

/// The most articles one band key brings as candidates (the latest).
pub const BAND_CAP: i64 = 32;

/// A copy of a stored article, as listed with it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct CopyRow {
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub similarity: f64,
    pub added_at: String,
}
