//! The `frontline` crate's one error type. It wraps the errors of the
//! extraction and store crates; the HTTP layer maps it to problem details
//! in one place (`http::problem`).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Extract(#[from] frontline_extract::Error),
    #[error(transparent)]
    Store(#[from] frontline_store::Error),
    #[error(transparent)]
    Gazetteer(#[from] gazetteer::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    /// A feed or page that could not be fetched or read: where, and why.
    #[error("{url}: {message}")]
    Fetch { url: String, message: String },
    /// A query parameter that cannot be used (`bbox`, `type`, `from`…).
    #[error("parameter `{name}`: {message}")]
    Param { name: String, message: String },
    /// A body that is not a document at all (not JSON, not an object).
    #[error("{0}")]
    Body(String),
    /// Fields of a JSON body that cannot be used (a review): each named,
    /// with why.
    #[error("{}", .0.iter().map(|(f, m)| format!("`{f}`: {m}")).collect::<Vec<_>>().join("; "))]
    Fields(Vec<(String, String)>),
    #[error("{0} not found")]
    NotFound(String),
    /// No credentials, or credentials that are not valid (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Valid credentials without the right to do this: a role too low, a
    /// cookie request without its CSRF token (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("the request body is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    /// An article that is well formed but refused whole (too many events).
    #[error("{0}")]
    Refused(String),
    /// Too many requests: from this token (articles per minute), or event
    /// queries beyond the concurrency cap. Retry after that many seconds.
    #[error("{message}")]
    TooMany { message: String, retry_after: u64 },
    /// The server cannot answer now (a statement that ran past its time
    /// limit, a damaged database); retry after that many seconds.
    #[error("{message}")]
    Unavailable { message: String, retry_after: u64 },
    /// A request that was not sent in time (its body).
    #[error("{0}")]
    Timeout(String),
    /// A `Host` header that is not one of `--allowed-hosts`.
    #[error("{0}")]
    Host(String),
    /// Something asked for that is not offered (oEmbed's `format=xml`).
    #[error("{0}")]
    NotImplemented(String),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn fetch(url: &str, message: impl Into<String>) -> Self {
        Error::Fetch {
            url: url.to_string(),
            message: message.into(),
        }
    }

    pub fn param(name: &str, message: impl Into<String>) -> Self {
        Error::Param {
            name: name.into(),
            message: message.into(),
        }
    }
}
