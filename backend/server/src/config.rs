//! Every setting in one struct, from flags and environment variables:
//! plain values only (addresses, paths, strings). What they name (the
//! gazetteer, the extractor, the boundaries file) is loaded by the command
//! line, which hands it to the server. Printing it never shows the token.

use chrono::NaiveDate;
use clap::Args;
use frontline_store::Location;
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
    /// The database: a SQLite file (created when missing) or a PostgreSQL
    /// URL (`postgres://user:password@host/db`, PostGIS installed).
    /// `frontline demo` defaults to `frontline-demo.db`, every other
    /// command to `frontline.db`.
    #[arg(long, global = true, env = "FRONTLINE_DB", hide_env_values = true)]
    pub db: Option<Location>,
    /// Most connections each process opens to the database.
    #[arg(long, global = true, env = "FRONTLINE_DB_POOL", default_value_t = frontline_store::POOL_SIZE,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool: u32,
    /// Bootstrap admin token: `Authorization: Bearer` with it acts as the
    /// admin `admin-token` (before any account exists); without one (or
    /// with an empty one), only the accounts' tokens and sessions are
    /// accepted. Read it with [`Config::token`], which treats a blank
    /// value as unset.
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
    /// Host names (with their port, when not 80/443) that requests may
    /// name in `Host`; any other is refused (400). Without it and without
    /// `--public-url`, links follow whatever Host the request names.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Earliest publication date an article may have (YYYY-MM-DD).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_EARLIEST_DATE",
        default_value = "2011-01-01"
    )]
    pub earliest_date: NaiveDate,
    /// How many days after today a publication date may be.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_FUTURE_DAYS",
        default_value_t = 2
    )]
    pub future_days: u32,
    /// Seconds a client has to send a request's head, counted from when
    /// the connection opens or its previous answer was sent: an idle
    /// connection is closed after this long.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_HEADER_TIMEOUT",
        default_value_t = 10
    )]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_BODY_TIMEOUT",
        default_value_t = 30
    )]
    pub body_timeout: u64,
    /// Seconds without a byte read or written after which a connection is
    /// closed (a client that stops reading an answer).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_IDLE_TIMEOUT",
        default_value_t = 60
    )]
    pub idle_timeout: u64,
    /// Connections served at once; beyond, a new connection is answered
    /// 503 and closed (lowered to fit the open-files limit).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_MAX_CONNECTIONS",
        default_value_t = 1024
    )]
    pub max_connections: usize,
    /// Milliseconds one database statement may run before it is
    /// interrupted (the request answers 503).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_QUERY_TIMEOUT_MS",
        default_value_t = 5000
    )]
    pub query_timeout_ms: u64,
    /// Event queries (lists, CSV, points, OGC items, control, areas, place
    /// histories) run at once; beyond, requests wait up to a second, then
    /// are answered 429 with Retry-After.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_MAX_HEAVY_QUERIES",
        default_value_t = 4
    )]
    pub max_heavy_queries: usize,
    /// Most events one article may yield; an article yielding more is
    /// refused (422 over HTTP, a failure in `ingest`).
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_MAX_EVENTS_PER_ARTICLE",
        default_value_t = 200
    )]
    pub max_events_per_article: usize,
    /// Articles one token may post per minute (`POST /api/articles`);
    /// beyond, 429 with Retry-After.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_MAX_ARTICLES_PER_MINUTE",
        default_value_t = 60
    )]
    pub max_articles_per_minute: u32,
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
    /// How long a browser session lasts after `/login` (e.g. 12h, 30m).
    #[arg(long, global = true, env = "FRONTLINE_SESSION_DURATION", default_value = "12h", value_parser = parse_duration)]
    pub session_duration: Duration,
    /// Failed logins allowed per user name within `--login-window` (a
    /// client address gets four times as many); beyond, 429.
    #[arg(
        long,
        global = true,
        env = "FRONTLINE_LOGIN_ATTEMPTS",
        default_value_t = 5
    )]
    pub login_attempts: u32,
    /// The window of `--login-attempts` (e.g. 15m).
    #[arg(long, global = true, env = "FRONTLINE_LOGIN_WINDOW", default_value = "15m", value_parser = parse_duration)]
    pub login_window: Duration,
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
            db_pool: frontline_store::POOL_SIZE,
            token: None,
            max_body: 1 << 20,
            tile_url: OSM_TILES.into(),
            tile_attribution: OSM_ATTRIBUTION.into(),
            public_url: None,
            frame_origins: vec!["*".into()],
            gazetteer_files: Vec::new(),
            assets: None,
            boundaries: None,
            allowed_hosts: Vec::new(),
            earliest_date: EARLIEST_DATE,
            future_days: 2,
            header_timeout: 10,
            body_timeout: 30,
            idle_timeout: 60,
            max_connections: 1024,
            query_timeout_ms: 5000,
            max_heavy_queries: 4,
            max_events_per_article: 200,
            max_articles_per_minute: 60,
            allow_private_addresses: false,
            fetch_timeout: Duration::from_secs(20),
            fetch_max_bytes: 5 << 20,
            fetch_max_redirects: 5,
            host_interval: Duration::from_secs(1),
            session_duration: Duration::from_secs(12 * 3600),
            login_attempts: 5,
            login_window: Duration::from_secs(15 * 60),
        }
    }
}

/// The default earliest publication date: the war's first year.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2011, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl Config {
    /// The database, or the file `default` when none is configured.
    pub fn db_or(&self, default: &str) -> Location {
        self.db
            .clone()
            .unwrap_or_else(|| Location::File(PathBuf::from(default)))
    }

    /// The bearer token, unless unset or blank (an empty
    /// `FRONTLINE_TOKEN=` means no token, not an error).
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref().filter(|t| !t.0.trim().is_empty())
    }

    /// The publication dates the article readers accept: from
    /// `--earliest-date` to today plus `--future-days`.
    pub fn date_bounds(&self) -> frontline_extract::article::DateBounds {
        let today = chrono::Utc::now().date_naive();
        frontline_extract::article::DateBounds {
            earliest: self.earliest_date,
            latest: today + chrono::Days::new(u64::from(self.future_days)),
        }
    }

    /// Whether cookies must be `Secure`: the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_base().is_some_and(|u| {
            u.get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        })
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
            "addr={} db={} token={} max_body={} tile_url={} public_url={} frame_origins={} gazetteer=[{}] assets={} boundaries={} \
             allowed_hosts={} earliest_date={} future_days={} header_timeout={}s body_timeout={}s idle_timeout={}s \
             max_connections={} query_timeout={}ms max_heavy_queries={} max_events_per_article={} max_articles_per_minute={} \
             allow_private_addresses={} fetch_timeout={:?} fetch_max_bytes={} fetch_max_redirects={} host_interval={:?} \
             session_duration={:?} login_attempts={} login_window={:?}",
            self.addr,
            self.db.as_ref().map(|l| l.to_string()).unwrap_or_else(|| "(default)".into()),
            if self.token().is_some() { "[redacted]" } else { "(none)" },
            self.max_body,
            self.tile_url,
            self.public_url.as_deref().unwrap_or("(from Host)"),
            self.frame_origins.join(","),
            self.gazetteer_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(","),
            self.assets.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(embedded)".into()),
            self.boundaries.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(none)".into()),
            if self.allowed_hosts.is_empty() { "(any)".to_string() } else { self.allowed_hosts.join(",") },
            self.earliest_date,
            self.future_days,
            self.header_timeout,
            self.body_timeout,
            self.idle_timeout,
            self.max_connections,
            self.query_timeout_ms,
            self.max_heavy_queries,
            self.max_events_per_article,
            self.max_articles_per_minute,
            self.allow_private_addresses,
            self.fetch_timeout,
            self.fetch_max_bytes,
            self.fetch_max_redirects,
            self.host_interval,
            self.session_duration,
            self.login_attempts,
            self.login_window,
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
    /// Any value: a blank one is read as no token by [`Config::token`],
    /// so that `FRONTLINE_TOKEN=` does not break every command.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
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
    fn a_blank_token_is_no_token() {
        for blank in ["", "  "] {
            let c = Config {
                token: Some(blank.parse().unwrap()),
                ..Config::default()
            };
            assert!(c.token().is_none(), "{blank:?}");
            assert!(c.to_string().contains("token=(none)"));
        }
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
