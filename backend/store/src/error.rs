//! The store crate's one error type. It knows nothing of HTTP: the server
//! maps it to problem details in one place.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A write whose parts do not fit together (a bulk event naming an
    /// article outside its batch).
    #[error("{0}")]
    Inconsistent(String),
    /// A write that would duplicate something unique (a feed already
    /// followed).
    #[error("{0}")]
    Conflict(String),
    /// The database could not be opened or migrated (its file, or its
    /// URL without the password).
    #[error("database {location}: {message}")]
    Open { location: String, message: String },
}

impl Error {
    /// A statement interrupted because it ran past its time limit.
    pub fn is_interrupted(&self) -> bool {
        // SQLite's SQLITE_INTERRUPT; PostgreSQL's query_canceled.
        matches!(self, Error::Db(sqlx::Error::Database(d)) if matches!(d.code().as_deref(), Some("9" | "57014")))
    }

    /// No pooled connection came free in time.
    pub fn is_pool_timeout(&self) -> bool {
        matches!(self, Error::Db(sqlx::Error::PoolTimedOut))
    }

    /// The database is damaged (SQLITE_CORRUPT, SQLITE_NOTADB;
    /// PostgreSQL's data_corrupted, index_corrupted).
    pub fn is_corrupt(&self) -> bool {
        matches!(self, Error::Db(sqlx::Error::Database(d))
            if d.code().is_some_and(|c| matches!(c.as_ref(), "XX001" | "XX002")
                || c.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 11 | 26))))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
