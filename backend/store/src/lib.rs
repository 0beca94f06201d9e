//! Storage: articles, places, events and accounts in SQLite through sqlx.
//!
//! The pool is set up once (WAL, foreign keys, busy timeout), the schema
//! comes only from `migrations/`, and every query binds its parameters.
//! Nothing here knows about HTTP.

mod accounts;
mod copies;
mod error;
mod feeds;
mod read;
mod review;
mod write;

pub use error::{Error, Result};

pub use accounts::{SessionRow, UserLogin, UserRef, UserRow};
pub use copies::CopyRow;
pub use feeds::{FeedRow, ItemCounts, PollOutcome, PollRecord};
pub use read::{
    event_field_names, Bbox, ControlPoint, EventFilter, EventPage, FeaturePage, PlaceHistory,
};
pub use review::{
    HistoryRow, QueueFilter, QueuePage, Review, ReviewFilter, ReviewStatus, ReviewedEvent,
    EDITABLE, QUEUE_ORDER,
};
pub use write::{content_hash, Added, BulkEvent, Replaced};

use gazetteer::Place;
use serde::Serialize;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Connections in the pool.
pub const POOL_SIZE: u32 = 8;

/// The database: a pool of SQLite connections, and one connection of its
/// own for health checks, so that they never wait behind the pool.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    health: SqlitePool,
    options: SqliteConnectOptions,
    path: PathBuf,
}

/// How a store is opened.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// How long one use of a pooled connection (a statement, or a
    /// transaction) may run before SQLite interrupts it; none by default
    /// (the command line's bulk work), set by the server.
    pub statement_timeout: Option<Duration>,
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

/// Interrupt whatever the connection runs once `deadline` has passed
/// (checked every thousand virtual machine instructions).
async fn set_deadline(conn: &mut SqliteConnection, timeout: Duration) -> sqlx::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut handle = conn.lock_handle().await?;
    handle.set_progress_handler(1000, move || Instant::now() < deadline);
    Ok(())
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

impl Store {
    /// Open (creating it if missing) and migrate the database at `path`.
    pub async fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Options::default()).await
    }

    /// [`Store::open`] with options. Errors name the file (and, for a
    /// read-only one, say what the server needs).
    pub async fn open_with(path: &Path, opts: Options) -> Result<Store> {
        Store::connect(path, opts).await.map_err(|e| {
            let readonly = matches!(&e, Error::Db(sqlx::Error::Database(d)) if d.code().is_some_and(|c| c.parse::<i32>().is_ok_and(|c| c & 0xff == 8)))
                || e.to_string().contains("readonly");
            let hint = if readonly {
                " (the file or its folder is read-only: the server writes to the database and, in WAL mode, creates the -wal and -shm files beside it)"
            } else {
                ""
            };
            Error::Open {
                path: path.to_path_buf(),
                message: format!("{e}{hint}"),
            }
        })
    }

    async fn connect(path: &Path, opts: Options) -> Result<Store> {
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
        let mut pool_options = SqlitePoolOptions::new()
            .max_connections(POOL_SIZE)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30));
        if let Some(timeout) = opts.statement_timeout {
            // Every use of a connection gets its own deadline: new ones
            // when they connect, pooled ones each time they are acquired.
            pool_options = pool_options
                .after_connect(move |conn, _| Box::pin(set_deadline(conn, timeout)))
                .before_acquire(move |conn, _| {
                    Box::pin(async move { set_deadline(conn, timeout).await.map(|()| true) })
                });
        }
        let pool = pool_options.connect_with(options.clone()).await?;
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
        // A read-only file fails here, naming it, rather than on the
        // first write a request makes: a write that is rolled back (taking
        // the write lock alone does not find every read-only file).
        {
            let mut conn = pool.acquire().await?;
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
            let version: i64 = sqlx::query_scalar("PRAGMA user_version")
                .fetch_one(&mut *conn)
                .await?;
            let write = sqlx::query(&format!("PRAGMA user_version = {version}"))
                .execute(&mut *conn)
                .await;
            sqlx::query("ROLLBACK").execute(&mut *conn).await?;
            write?;
        }
        let health = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(1))
            .connect_lazy_with(options.clone());
        Ok(Store {
            pool,
            health,
            options,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Cheap liveness check, on the pool.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers, on the health connection (never
    /// behind the pool), and how busy the pool is.
    pub async fn health(&self) -> Health {
        let ping = sqlx::query("SELECT 1").execute(&self.health);
        let database = matches!(
            tokio::time::timeout(Duration::from_secs(1), ping).await,
            Ok(Ok(_))
        );
        Health {
            database,
            pool_size: self.pool.size(),
            pool_idle: self.pool.num_idle(),
            pool_max: POOL_SIZE,
        }
    }

    /// `PRAGMA quick_check` on a connection of its own: `Ok(vec![])` when
    /// the database is sound, else SQLite's findings (at most 20).
    pub async fn quick_check(&self) -> Result<Vec<String>> {
        let mut conn = SqliteConnection::connect_with(&self.options).await?;
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(20)")
            .fetch_all(&mut conn)
            .await?;
        let _ = conn.close().await;
        Ok(if rows.len() == 1 && rows[0] == "ok" {
            Vec::new()
        } else {
            rows
        })
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
        self.health.close().await;
        self.pool.close().await;
    }
}

#[cfg(test)]
pub(crate) mod tests;
