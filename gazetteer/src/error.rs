//! The gazetteer's one error type.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not valid UTF-8 (byte offset {offset}); convert it to UTF-8 first")]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}:{line}: field `{field}`: {message}")]
    Row {
        path: PathBuf,
        line: usize,
        field: String,
        message: String,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: zip archive: {message}")]
    Zip { path: PathBuf, message: String },
    #[error("{0}")]
    Invalid(String),
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

/// Read a whole file as UTF-8 text with a clear error for empty or non-UTF-8 files.
pub fn read_text(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    text_from_bytes(path, bytes)
}

/// Turn bytes into text, naming `path` in the error.
pub fn text_from_bytes(path: &std::path::Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { path: path.into() });
    }
    String::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        path: path.into(),
        offset: e.utf8_error().valid_up_to(),
    })
}
