//! The PostgreSQL engine: PostGIS points with a GiST index for boxes,
//! French full-text search over the evidence, and advisory locks where
//! several processes write at once.

mod accounts;
mod copies;
mod feeds;
mod read;
mod review;
mod write;

use crate::error::Result;
use crate::{Counts, Health, Options, POOL_SIZE};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// A pool of PostgreSQL connections, and one connection of its own for
/// health checks, so that they never wait behind the pool.
#[derive(Clone)]
pub struct PgStore {
    pub(crate) pool: PgPool,
    health: PgPool,
    max_connections: u32,
}

impl PgStore {
    /// Connect to the database at `url` and apply its migrations (several
    /// processes starting at once take turns: sqlx holds an advisory lock
    /// while it migrates).
    pub async fn open(url: &str, opts: Options) -> Result<PgStore> {
        let mut options = PgConnectOptions::from_str(url)?.application_name("frontline");
        if let Some(timeout) = opts.statement_timeout {
            options = options.options([("statement_timeout", timeout.as_millis().to_string())]);
        }
        let max_connections = opts.max_connections.unwrap_or(POOL_SIZE);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("../../migrations/postgres")
            .run(&pool)
            .await?;
        let health = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(1))
            .connect_lazy_with(options);
        Ok(PgStore {
            pool,
            health,
            max_connections,
        })
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

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
            pool_max: self.max_connections,
        }
    }

    /// PostgreSQL verifies its pages itself (checksums, WAL replay); a
    /// damaged page fails the query that reads it, which the server
    /// reports as it does SQLite's corruption. Nothing to scan here.
    pub async fn quick_check(&self) -> Result<Vec<String>> {
        self.ping().await?;
        Ok(Vec::new())
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

    pub async fn optimize(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.health.close().await;
        self.pool.close().await;
    }
}

/// Create an empty database named `name` on the server `admin_url`
/// connects to (a role allowed to create databases), and return its URL:
/// `admin_url` with the database replaced. For tests and `db copy`.
pub async fn create_database(admin_url: &str, name: &str) -> Result<String> {
    use sqlx::{Connection, PgConnection};
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(crate::Error::Inconsistent(format!(
            "database name {name:?}: only letters, digits and _"
        )));
    }
    let mut conn = PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await?;
    let _ = conn.close().await;
    Ok(with_database(admin_url, name))
}

/// `url` naming the database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_name_replaces_the_urls_own() {
        use super::with_database;
        assert_eq!(
            with_database("postgres://u:p@h:5433/postgres?sslmode=disable", "t1"),
            "postgres://u:p@h:5433/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t2"), "postgres://h/t2");
    }
}
