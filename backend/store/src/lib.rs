//! Storage: articles, places, events and accounts, in SQLite (one file,
//! the default) or PostgreSQL with PostGIS (teams, several servers), both
//! through sqlx.
//!
//! [`Store`] is the one storage interface: every method is listed once
//! (see the `interface!` block below) and answered by the engine the
//! [`Location`] names, `sqlite/` or `postgres/`, whose SQL is its own.
//! Each engine's schema comes only from its folder of `migrations/`, and
//! every query binds its parameters. Nothing here knows about HTTP.

mod accounts;
mod copies;
mod error;
mod feeds;
mod location;
mod postgres;
mod read;
mod review;
mod sqlite;
mod transfer;
mod write;

pub use error::{Error, Result};

pub use accounts::{SessionRow, UserLogin, UserRef, UserRow};
pub use copies::{CopyRow, BAND_CAP};
pub use feeds::{FeedRow, ItemCounts, PollOutcome, PollRecord};
pub use location::Location;
pub use postgres::create_database;
pub use read::{
    event_field_names, Bbox, ControlPoint, ControlStep, EventFilter, EventPage, FeaturePage,
    PlaceHistory,
};
pub use review::{
    HistoryRow, QueueFilter, QueuePage, Review, ReviewFilter, ReviewStatus, ReviewedEvent, EDITABLE,
};
pub use transfer::{copy_sqlite_to_postgres, CopyProgress, CopyReport, TableCount, TABLES};
pub use write::{content_hash, Added, BulkEvent, Replaced};

use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use gazetteer::Place;
use postgres::PgStore;
use serde::Serialize;
use sqlite::SqliteStore;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Connections in the pool (per server process).
pub const POOL_SIZE: u32 = 8;

/// The database, on whichever engine its [`Location`] names. Cloned into
/// every request: a clone shares the engine (its pools) and the location.
#[derive(Clone)]
pub struct Store {
    engine: Arc<Engine>,
    location: Arc<Location>,
}

// One per open database, behind an Arc: the size of a variant costs nothing.
#[allow(clippy::large_enum_variant)]
enum Engine {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Store {
    /// Open (creating a missing SQLite file) and migrate the database.
    pub async fn open(location: impl Into<Location>) -> Result<Store> {
        Store::open_with(location, Options::default()).await
    }

    /// [`Store::open`] with options. Errors name the database (a
    /// PostgreSQL URL without its password).
    pub async fn open_with(location: impl Into<Location>, opts: Options) -> Result<Store> {
        let location = location.into();
        let engine = match &location {
            Location::File(path) => Engine::Sqlite(SqliteStore::open(path, opts).await?),
            Location::Postgres(url) => {
                Engine::Postgres(PgStore::open(url, opts).await.map_err(|e| Error::Open {
                    location: location.to_string(),
                    message: e.to_string(),
                })?)
            }
        };
        Ok(Store {
            engine: Arc::new(engine),
            location: Arc::new(location),
        })
    }

    /// Where the data lives (printable: no password).
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// `sqlite` or `postgres`.
    pub fn engine_name(&self) -> &'static str {
        match *self.engine {
            Engine::Sqlite(_) => "sqlite",
            Engine::Postgres(_) => "postgres",
        }
    }

    /// Close the pools (checkpointing SQLite's WAL); every clone of this
    /// store is closed with it.
    pub async fn close(self) {
        match &*self.engine {
            Engine::Sqlite(s) => s.close().await,
            Engine::Postgres(s) => s.close().await,
        }
    }
}

/// Plain SQL on the store, for tests that set up a state the interface
/// cannot (portable statements only).
#[cfg(test)]
impl Store {
    pub(crate) async fn execute_sql(&self, sql: &str) -> Result<()> {
        match &*self.engine {
            Engine::Sqlite(s) => {
                sqlx::raw_sql(sql).execute(&s.pool).await?;
            }
            Engine::Postgres(s) => {
                sqlx::raw_sql(sql).execute(&s.pool).await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn scalar_sql(&self, sql: &str) -> Result<i64> {
        Ok(match &*self.engine {
            Engine::Sqlite(s) => sqlx::query_scalar(sql).fetch_one(&s.pool).await?,
            Engine::Postgres(s) => sqlx::query_scalar(sql).fetch_one(&s.pool).await?,
        })
    }
}

/// The storage interface: each method, its documentation, and the call
/// to the engine's method of the same name and arguments.
macro_rules! interface {
    ($($(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty;)*) => {
        impl Store {
            $(
                $(#[$doc])*
                pub async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match &*self.engine {
                        Engine::Sqlite(s) => s.$name($($arg),*).await,
                        Engine::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

interface! {
    // Health and maintenance.
    /// Cheap liveness check, on the pool.
    fn ping(&self) -> Result<()>;
    /// Whether the database answers on a connection of its own (never
    /// behind the pool), and how busy the pool is.
    fn health(&self) -> Health;
    /// The engine's integrity check: `Ok(vec![])` when sound, else its
    /// findings (SQLite's `quick_check`; PostgreSQL checks its own pages).
    fn quick_check(&self) -> Result<Vec<String>>;
    /// Row counts.
    fn counts(&self) -> Result<Counts>;
    /// Refresh the query planner's statistics after a large load.
    fn optimize(&self) -> Result<()>;

    // Articles and events, written.
    /// The stored article with this content hash.
    fn article_by_hash(&self, hash: &str) -> Result<Option<i64>>;
    /// Store an article and its events (merged into the events other
    /// articles reported), in one transaction; an article already stored
    /// (same text) is not stored again.
    fn add_article(&self, article: &Article, events: &[(Event, PlaceRow)]) -> Result<Added>;
    /// [`Store::add_article`] with the article's near-duplicate
    /// fingerprint and its band keys.
    fn add_article_with(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
        fingerprint: Option<(&[u8], &[i64])>,
    ) -> Result<Added>;
    /// Every stored article's id, in order.
    fn article_ids(&self) -> Result<Vec<i64>>;
    /// Replace what an article says (a new extraction): its old sources
    /// are removed, events no article reports any more are deleted (unless
    /// a human reviewed them), and the new events are merged.
    fn replace_events(&self, article_id: i64, events: &[(Event, PlaceRow)]) -> Result<Replaced>;
    /// Load synthetic articles and events fast (benchmarks, demo data): no
    /// merging, no change log.
    fn add_bulk(&self, articles: &[Article], events: &[BulkEvent]) -> Result<usize>;

    // Near-duplicate copies.
    /// Stored articles sharing one of these band keys, with their
    /// fingerprints (at most [`BAND_CAP`] per key, the latest).
    fn near_duplicate_candidates(&self, bands: &[i64], limit: i64) -> Result<Vec<(i64, Vec<u8>)>>;
    /// The article a copy with this content hash was folded into.
    fn copy_by_hash(&self, hash: &str) -> Result<Option<i64>>;
    /// Fold a copy into the stored article it repeats; false when that
    /// copy was already folded, or when its text is itself a stored
    /// article (another process stored the same text meanwhile).
    fn add_copy(&self, article_id: i64, copy: &Article, similarity: f64) -> Result<bool>;
    /// The copies folded into an article.
    fn copies(&self, article_id: i64) -> Result<Vec<CopyRow>>;

    // Events, read.
    /// A page of events matching the filter, in id order (stable paging).
    fn events(&self, f: &EventFilter) -> Result<EventPage>;
    /// The same page as [`Store::events`], as GeoJSON Features built by
    /// the database (the fast path for maps).
    fn event_features(&self, f: &EventFilter) -> Result<FeaturePage>;
    /// The events among `ids` that match the filter (its paging ignored),
    /// as `(id, GeoJSON Feature text)`.
    fn features_of(&self, ids: &[i64], f: &EventFilter) -> Result<Vec<(i64, String)>>;
    /// Event changes after sequence number `seq`, oldest first: `(seq,
    /// event id)`.
    fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>>;
    /// Forget all but the latest `keep` event changes; how many went.
    fn prune_changes(&self, keep: i64) -> Result<u64>;
    /// The sequence number of the latest event change (0 before any).
    fn last_change(&self) -> Result<i64>;
    /// A public event (none when rejected).
    fn event(&self, id: i64) -> Result<Option<EventRow>>;
    /// The sources of each of these events, oldest article first.
    fn sources(&self, event_ids: &[i64]) -> Result<HashMap<i64, Vec<SourceRow>>>;
    /// For every place with an exactly placed control change on or before
    /// `at`, the latest one.
    fn control_at(&self, at: NaiveDate) -> Result<Vec<ControlPoint>>;
    /// A stored place.
    fn place(&self, id: &str) -> Result<Option<PlaceRow>>;
    /// A place's control changes in date order and its latest events.
    fn place_history(&self, id: &str, limit: i64) -> Result<PlaceHistory>;
    /// Public event counts per place id.
    fn event_counts(&self, place_ids: &[&str]) -> Result<HashMap<String, i64>>;
    /// A stored article, with its text.
    fn article(&self, id: i64) -> Result<Option<ArticleRow>>;
    /// The public events an article reports, in id order.
    fn article_events(&self, article_id: i64) -> Result<Vec<EventRow>>;
    /// How many of these content hashes belong to stored articles.
    fn stored_hashes(&self, hashes: &[String]) -> Result<i64>;
    /// First and last public event dates.
    fn date_range(&self) -> Result<(Option<String>, Option<String>)>;
    /// A number that changes whenever events or places change (by any
    /// process): a key for caching what is computed from them.
    fn data_version(&self) -> Result<i64>;

    // Review.
    /// Apply a review to an event in one transaction; none when the event
    /// does not exist.
    fn review_event(&self, event_id: i64, r: &Review) -> Result<Option<ReviewedEvent>>;
    /// Every change reviewers made to an event, oldest first.
    fn event_history(&self, event_id: i64) -> Result<Vec<HistoryRow>>;
    /// An event with its review state (rejected ones too).
    fn reviewed_event(&self, id: i64) -> Result<Option<ReviewedEvent>>;
    /// A page of the review queue.
    fn review_queue(&self, f: &QueueFilter) -> Result<QueuePage>;
    /// Articles with at least one reviewed event.
    fn reviewed_article_ids(&self) -> Result<Vec<i64>>;
    /// An article's events with their review state, rejected ones too.
    fn article_events_reviewed(&self, article_id: i64) -> Result<Vec<ReviewedEvent>>;

    // Feeds.
    /// Follow a feed; a URL already followed is a conflict naming its id.
    fn add_feed(&self, url: &str, name: Option<&str>, every_secs: i64) -> Result<FeedRow>;
    fn feed(&self, id: i64) -> Result<Option<FeedRow>>;
    fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>>;
    /// Every followed feed, in id order.
    fn feeds(&self) -> Result<Vec<FeedRow>>;
    /// Stop following a feed; false when there was none.
    fn remove_feed(&self, id: i64) -> Result<bool>;
    /// The feeds due at `now` (RFC 3339, UTC).
    fn due_feeds(&self, now: &str) -> Result<Vec<FeedRow>>;
    /// Take the most overdue feed at `now` for one poll: its next poll is
    /// pushed to `lease_until` in the same statement, so that another
    /// process (another server's watcher) does not take it too; the poll's
    /// record sets the real next time. None when no feed is due.
    fn claim_due_feed(&self, now: &str, lease_until: &str) -> Result<Option<FeedRow>>;
    /// When the next feed is due (none: one is due now, or none is followed).
    fn next_due(&self) -> Result<Option<String>>;
    /// Record what one poll of a feed found.
    fn record_poll(&self, id: i64, poll: &PollRecord) -> Result<()>;
    /// Remember a page read and not kept, with why.
    fn skip_page(&self, url: &str, reason: &str) -> Result<()>;
    /// Why a page was skipped, if it was.
    fn skipped_page(&self, url: &str) -> Result<Option<String>>;
    /// The stored article (or folded copy) with this URL.
    fn article_by_url(&self, url: &str) -> Result<Option<i64>>;

    // Accounts.
    /// Create a user with its first API token (both hashed by the caller).
    fn add_user(&self, name: &str, role: &str, password_hash: &str, token_hash: &str) -> Result<UserRow>;
    fn user(&self, name: &str) -> Result<Option<UserRow>>;
    /// Every user, by name.
    fn users(&self) -> Result<Vec<UserRow>>;
    /// Remove a user with its token and sessions; false when unknown.
    fn remove_user(&self, name: &str) -> Result<bool>;
    /// Replace a user's API token; false when the user is unknown.
    fn replace_token(&self, name: &str, token_hash: &str) -> Result<bool>;
    /// What a login checks.
    fn user_login(&self, name: &str) -> Result<Option<UserLogin>>;
    /// The user an API token belongs to.
    fn user_by_token(&self, token_hash: &str) -> Result<Option<UserRef>>;
    /// Open a browser session for `lifetime_secs`.
    fn create_session(&self, user_id: i64, id_hash: &str, csrf: &str, lifetime_secs: i64) -> Result<()>;
    /// A live (unexpired) session.
    fn session(&self, id_hash: &str) -> Result<Option<SessionRow>>;
    /// End a session; false when there was none.
    fn delete_session(&self, id_hash: &str) -> Result<bool>;
}

/// How a store is opened.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// How long one use of a pooled connection (a statement, or a
    /// transaction) may run before SQLite interrupts it (PostgreSQL: one
    /// statement, `statement_timeout`); none by default (the command
    /// line's bulk work), set by the server.
    pub statement_timeout: Option<Duration>,
    /// Most connections in the pool ([`POOL_SIZE`] when unset).
    pub max_connections: Option<u32>,
}

/// What `/healthz` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// Whether the database answered a trivial query on the health
    /// connection (within a second).
    pub database: bool,
    /// Connections open in the pool, idle among them, and the most it opens.
    pub pool_size: u32,
    pub pool_idle: usize,
    pub pool_max: u32,
}

impl Health {
    /// Every pooled connection is in use: new queries wait.
    pub fn saturated(&self) -> bool {
        self.pool_size >= self.pool_max && self.pool_idle == 0
    }
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
    /// `auto`, `accepted`, `edited` or `rejected` (see [`ReviewStatus`]).
    pub review: String,
    /// When a human last accepted, corrected or rejected it.
    pub reviewed_at: Option<String>,
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

#[cfg(test)]
pub(crate) mod tests;
