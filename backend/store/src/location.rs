//! Where a store's data lives: a SQLite file, or a PostgreSQL database
//! named by its URL (`--db`, `FRONTLINE_DB`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A SQLite file or a PostgreSQL URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    /// `postgres://user:password@host:port/database?options`.
    Postgres(String),
}

impl Location {
    /// The file, for a SQLite store.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }
}

impl FromStr for Location {
    type Err = std::convert::Infallible;

    /// `postgres://…` and `postgresql://…` name a PostgreSQL database;
    /// anything else is a file path.
    fn from_str(s: &str) -> Result<Location, Self::Err> {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        Ok(
            if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
                Location::Postgres(s.to_string())
            } else {
                Location::File(PathBuf::from(s))
            },
        )
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Location {
        Location::File(p.to_path_buf())
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Location {
        Location::File(p)
    }
}

impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Location {
        Location::File(p.clone())
    }
}

impl From<&Location> for Location {
    fn from(l: &Location) -> Location {
        l.clone()
    }
}

/// The file's path, or the URL with its password replaced by `***`
/// (logs and error messages never show it).
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Location({self})")
    }
}

fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The credentials end at the last '@' before the path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_string();
    };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_postgres_and_the_rest_files() {
        let pg: Location = "postgres://u:p@h/db".parse().unwrap();
        assert!(matches!(pg, Location::Postgres(_)));
        let pg: Location = "PostgreSQL://h/db".parse().unwrap();
        assert!(matches!(pg, Location::Postgres(_)));
        let file: Location = "data/postgres.db".parse().unwrap();
        assert_eq!(file.file(), Some(Path::new("data/postgres.db")));
    }

    #[test]
    fn the_password_never_shows() {
        let pg: Location = "postgres://ana:s3cr@t@db.example:5432/front?sslmode=require"
            .parse()
            .unwrap();
        let shown = format!("{pg} {pg:?}");
        assert!(!shown.contains("s3cr"), "{shown}");
        assert!(
            shown.contains("postgres://ana:***@db.example:5432/front"),
            "{shown}"
        );
        let no_password: Location = "postgres://ana@h/db".parse().unwrap();
        assert_eq!(no_password.to_string(), "postgres://ana@h/db");
    }
}
