//! The extraction crate's one error type: reading articles, the French
//! tables and gold files. It knows nothing of databases or HTTP.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Gazetteer(#[from] gazetteer::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A field of one record of an input file (a line of a table, of a
    /// JSON Lines file, of a header block) that cannot be used.
    #[error("{path}:{line}: field `{field}`: {message}")]
    Input {
        path: PathBuf,
        line: usize,
        field: String,
        message: String,
    },
    /// A file that cannot be used as a whole.
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
