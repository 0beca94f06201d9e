//! The SQLite engine: one file, WAL, an R*Tree and FTS5 beside the tables.

mod accounts;
mod copies;
mod feeds;
mod read;
mod review;
mod write;

use crate::error::{Error, Result};
use crate::{Counts, Health, Options, POOL_SIZE};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The database: a pool of SQLite connections, and one connection of its
/// own for health checks, so that they never wait behind the pool.
#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    health: SqlitePool,
    options: SqliteConnectOptions,
}

/// Interrupt whatever the connection runs once `deadline` has passed
/// (checked every thousand virtual machine instructions).
async fn set_deadline(conn: &mut SqliteConnection, timeout: Duration) -> sqlx::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut handle = conn.lock_handle().await?;
    handle.set_progress_handler(1000, move || Instant::now() < deadline);
    Ok(())
}

impl SqliteStore {
    /// Open (creating it if missing) and migrate the database at `path`.
    /// Errors name the file (and, for a read-only one, say what the
    /// server needs).
    pub async fn open(path: &Path, opts: Options) -> Result<SqliteStore> {
        SqliteStore::connect(path, opts).await.map_err(|e| {
            let readonly = matches!(&e, Error::Db(sqlx::Error::Database(d)) if d.code().is_some_and(|c| c.parse::<i32>().is_ok_and(|c| c & 0xff == 8)))
                || e.to_string().contains("readonly");
            let hint = if readonly {
                " (the file or its folder is read-only: the server writes to the database and, in WAL mode, creates the -wal and -shm files beside it)"
            } else {
                ""
            };
            Error::Open {
                location: path.display().to_string(),
                message: format!("{e}{hint}"),
            }
        })
    }

    async fn connect(path: &Path, opts: Options) -> Result<SqliteStore> {
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
            match sqlx::migrate!("../../migrations/sqlite").run(&pool).await {
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
        Ok(SqliteStore {
            pool,
            health,
            options,
        })
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
    pub async fn close(&self) {
        self.health.close().await;
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests;
