//! Storage: articles, places and events in SQLite through sqlx.
//!
//! The pool is set up once (WAL, foreign keys, busy timeout), the schema
//! comes only from `migrations/`, and every query binds its parameters.
//! Nothing here knows about HTTP.

mod copies;
mod error;
mod feeds;
mod read;
mod write;

pub use error::{Error, Result};

pub use copies::CopyRow;
pub use feeds::{FeedRow, ItemCounts, PollOutcome, PollRecord};
pub use read::{
    event_field_names, Bbox, ControlPoint, EventFilter, EventPage, FeaturePage, PlaceHistory,
};
pub use write::{content_hash, Added, BulkEvent, Replaced};

use gazetteer::Place;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The database: a pool of SQLite connections.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

/// The fields every view of an event shows, listed once: the store reads
/// them (flattened into [`EventRow`]), the HTTP layer serialises them
/// (flattened into its GeoJSON and OGC properties), and the SQL that
/// builds GeoJSON features in the database is generated from their serde
/// names, which are also the columns of `events` ([`event_field_names`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, sqlx::FromRow)]
pub struct EventFields {
    pub id: i64,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub event_type: String,
    pub subtype: Option<String>,
    pub place: String,
    pub place_id: String,
    pub precision: String,
    pub radius_km: f64,
    pub date: Option<String>,
    pub date_precision: String,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub fatalities: Option<i64>,
    pub injured: Option<i64>,
    pub claimed_by: Option<String>,
    pub evidence: String,
    pub confidence: f64,
    pub source_count: i64,
}

/// A stored event (one row of `events`): the shared fields, its point,
/// and the JSON texts of its evidence spans and sources.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: EventFields,
    pub lat: f64,
    pub lon: f64,
    /// JSON array of `{text, start, end}`.
    pub evidence_spans: String,
    /// JSON array of `{article_id, url, title, source, published}`.
    pub sources: String,
}

/// What one article said about one event.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SourceRow {
    pub event_id: i64,
    pub article_id: i64,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub fatalities: Option<i64>,
    pub injured: Option<i64>,
    pub claimed_by: Option<String>,
    pub evidence: String,
    /// JSON array of `{text, start, end}`.
    pub evidence_spans: String,
    pub confidence: f64,
}

/// A stored article's metadata (and its text when asked for).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ArticleRow {
    pub id: i64,
    pub name: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub content_hash: String,
    pub ingested_at: String,
    pub text: String,
}

/// A place as stored with the events tied to it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PlaceRow {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub name_ar: String,
    pub kind: String,
    pub admin1: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub geonameid: Option<i64>,
}

impl From<&Place> for PlaceRow {
    fn from(p: &Place) -> Self {
        PlaceRow {
            id: p.id.clone(),
            name: p.name().to_string(),
            name_en: p.name_en.clone(),
            name_ar: p.name_ar.clone(),
            kind: p.kind.as_str().to_string(),
            admin1: p.admin1.clone(),
            country: p.country.clone(),
            lat: p.lat,
            lon: p.lon,
            geonameid: p.geonameid.and_then(|g| i64::try_from(g).ok()),
        }
    }
}

/// Row counts, for summaries and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub articles: i64,
    pub events: i64,
    pub sources: i64,
    pub places: i64,
}

impl Store {
    /// Open (creating it if missing) and migrate the database at `path`.
    pub async fn open(path: &Path) -> Result<Store> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-32768")
            .pragma("mmap_size", "268435456")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        // Two processes opening a fresh file at once may both try the first
        // migration; the loser finds it applied when it tries again.
        let mut attempt = 0;
        loop {
            match sqlx::migrate!("../../migrations").run(&pool).await {
                Ok(()) => break,
                Err(e) if attempt < 5 => {
                    tracing::debug!("migration attempt {attempt}: {e}; retrying");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Store { pool })
    }

    /// Cheap liveness check for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn counts(&self) -> Result<Counts> {
        let (articles, events, sources, places): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),
                    (SELECT count(*) FROM event_sources), (SELECT count(*) FROM places)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Counts {
            articles,
            events,
            sources,
            places,
        })
    }

    /// Refresh the query planner's statistics after a large load.
    pub async fn optimize(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Close the pool, checkpointing the WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
pub(crate) mod tests;
