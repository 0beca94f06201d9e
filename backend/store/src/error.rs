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
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
