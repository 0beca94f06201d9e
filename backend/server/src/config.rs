//! Every setting in one struct, from flags and environment variables:
//! plain values only (addresses, paths, strings). What they name (the
//! gazetteer, the extractor, the boundaries file) is loaded by the command
//! line, which hands it to the server. Printing it never shows the token.

use clap::Args;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// The default basemap: OpenStreetMap's standard tiles.
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

/// Settings shared by every command (flags and environment).
#[derive(Clone, Args)]
pub struct Config {
    /// Address the server listens on.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: SocketAddr,
    /// SQLite database file (created when missing). `frontline demo`
    /// defaults to `frontline-demo.db`, every other command to `frontline.db`.
    #[arg(long, global = true, env = "FRONTLINE_DB")]
    pub db: Option<PathBuf>,
    /// Bearer token that `POST /api/articles` requires; without one, the
    /// endpoint refuses every request.
    #[arg(long, global = true, env = "FRONTLINE_TOKEN", hide_env_values = true)]
    pub token: Option<Secret>,
    /// Largest accepted request body, in bytes.
    #[arg(long, global = true, env = "FRONTLINE_MAX_BODY", default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Basemap tile URL template for the map pages.
    #[arg(long, global = true, env = "FRONTLINE_TILE_URL", default_value = OSM_TILES)]
    pub tile_url: String,
    /// Attribution shown for the tiles.
    #[arg(long, global = true, env = "FRONTLINE_TILE_ATTRIBUTION", default_value = OSM_ATTRIBUTION)]
    pub tile_attribution: String,
    /// Public base URL (e.g. https://maps.example.org) for absolute links,
    /// iframe code and oEmbed; without it, links use the request's Host.
    #[arg(long, global = true, env = "FRONTLINE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Origins allowed to frame `/embed` (comma-separated; `*` for any).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_FRAME_ORIGINS",
        value_delimiter = ',',
        default_value = "*"
    )]
    pub frame_origins: Vec<String>,
    /// Extra place tables made by `gazetteer import`, merged under the
    /// curated overlay (comma-separated in the environment).
    #[arg(
        long = "gazetteer",
        global = true,
        env = "FRONTLINE_GAZETTEER",
        value_delimiter = ','
    )]
    pub gazetteer_files: Vec<PathBuf>,
    /// Serve the front end from this folder (`js/`, `css/` and the npm
    /// packages of `node_modules/`, after `npm ci` there) instead of the
    /// files embedded in the binary: for front-end work, no long caching.
    #[arg(long, global = true, env = "FRONTLINE_ASSETS")]
    pub assets: Option<PathBuf>,
    /// Administrative boundaries (a GeoJSON file) for the map to draw;
    /// read and checked when the server starts.
    #[arg(long, global = true, env = "FRONTLINE_BOUNDARIES")]
    pub boundaries: Option<PathBuf>,
    /// Fetch feeds and pages from loopback, private, link-local and other
    /// non-public addresses (refused by default: a server that fetches
    /// URLs must not be steered into its own network). For tests and
    /// intranets.
    #[arg(long, global = true, env = "FRONTLINE_ALLOW_PRIVATE_ADDRESSES")]
    pub allow_private_addresses: bool,
    /// Time limit of one fetch of a feed or page (e.g. 20s).
    #[arg(long, global = true, env = "FRONTLINE_FETCH_TIMEOUT", default_value = "20s", value_parser = parse_duration)]
    pub fetch_timeout: Duration,
    /// Largest feed or page fetched, in bytes (after decompression).
    #[arg(long, global = true, env = "FRONTLINE_FETCH_MAX_BYTES", default_value_t = 5 << 20)]
    pub fetch_max_bytes: usize,
    /// Redirects followed when fetching (each target is checked again).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_FETCH_MAX_REDIRECTS",
        default_value_t = 5
    )]
    pub fetch_max_redirects: usize,
    /// Least time between two requests to the same host (e.g. 1s; 0s for none).
    #[arg(long, global = true, env = "FRONTLINE_HOST_INTERVAL", default_value = "1s", value_parser = parse_duration)]
    pub host_interval: Duration,
}

/// A duration like `15m`, `90s`, `2h`, `1d`, `1h30m` or `0s`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a duration like 15m, 90s, 2h or 1h30m");
    if t.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: None,
            token: None,
            max_body: 1 << 20,
            tile_url: OSM_TILES.into(),
            tile_attribution: OSM_ATTRIBUTION.into(),
            public_url: None,
            frame_origins: vec!["*".into()],
            gazetteer_files: Vec::new(),
            assets: None,
            boundaries: None,
            allow_private_addresses: false,
            fetch_timeout: Duration::from_secs(20),
            fetch_max_bytes: 5 << 20,
            fetch_max_redirects: 5,
            host_interval: Duration::from_secs(1),
        }
    }
}

impl Config {
    /// The database file, or `default` when none is configured.
    pub fn db_or(&self, default: &str) -> PathBuf {
        self.db.clone().unwrap_or_else(|| PathBuf::from(default))
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> Option<&str> {
        self.public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/'))
            .filter(|u| !u.is_empty())
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "addr={} db={} token={} max_body={} tile_url={} public_url={} frame_origins={} gazetteer=[{}] assets={} boundaries={} allow_private_addresses={} fetch_timeout={:?} fetch_max_bytes={} fetch_max_redirects={} host_interval={:?}",
            self.addr,
            self.db.as_deref().map(|p| p.display().to_string()).unwrap_or_else(|| "(default)".into()),
            if self.token.is_some() { "[redacted]" } else { "(none)" },
            self.max_body,
            self.tile_url,
            self.public_url.as_deref().unwrap_or("(from Host)"),
            self.frame_origins.join(","),
            self.gazetteer_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(","),
            self.assets.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(embedded)".into()),
            self.boundaries.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(none)".into()),
            self.allow_private_addresses,
            self.fetch_timeout,
            self.fetch_max_bytes,
            self.fetch_max_redirects,
            self.host_interval,
        )
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A secret that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// Compare with a presented value without stopping at the first
    /// differing byte.
    pub fn matches(&self, presented: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), presented.as_bytes());
        let mut diff = (a.len() != b.len()) as u8;
        for (i, x) in a.iter().enumerate() {
            diff |= x ^ b.get(i).copied().unwrap_or(0);
        }
        diff == 0
    }
}

impl FromStr for Secret {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Err("the token is empty".into());
        }
        Ok(Secret(s.to_string()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_the_config_redacts_the_token() {
        let c = Config {
            token: Some(Secret::new("s3cret-value")),
            ..Config::default()
        };
        assert!(!c.to_string().contains("s3cret"));
        assert!(!format!("{c:?}").contains("s3cret"));
        assert!(c.to_string().contains("token=[redacted]"));
    }

    #[test]
    fn secrets_match_only_the_same_value() {
        let s = Secret::new("abc");
        assert!(s.matches("abc"));
        assert!(!s.matches("abd"));
        assert!(!s.matches("ab"));
        assert!(!s.matches("abcd"));
    }
}
