//! What keeps one client from taking the server down: the cap on event
//! queries running at once, the articles-per-minute quota of each caller,
//! the Host allow-list, problem details for every error of the API, and
//! the database's health (`/healthz`, with the integrity check run at
//! start).

use super::problem::{Problem, PROBLEM_JSON};
use super::AppState;
use crate::error::Error;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How long a request waits for one of the event-query slots before it is
/// answered 429.
const HEAVY_WAIT: Duration = Duration::from_secs(1);

/// The shared counters behind the guards.
pub struct Guards {
    heavy: Arc<Semaphore>,
    heavy_max: usize,
    /// When each caller's recent articles were posted (the last minute's),
    /// by caller name.
    posted: Mutex<HashMap<String, VecDeque<Instant>>>,
    integrity: RwLock<Integrity>,
}

/// The result of `PRAGMA quick_check`, run when the server starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Integrity {
    Checking,
    Ok,
    /// SQLite's findings.
    Damaged(Vec<String>),
    /// The check itself failed (the file cannot be read).
    Failed(String),
}

impl Guards {
    pub fn new(max_heavy_queries: usize) -> Self {
        let heavy_max = max_heavy_queries.max(1);
        Guards {
            heavy: Arc::new(Semaphore::new(heavy_max)),
            heavy_max,
            posted: Mutex::new(HashMap::new()),
            integrity: RwLock::new(Integrity::Checking),
        }
    }

    pub fn integrity(&self) -> Integrity {
        self.integrity
            .read()
            .map(|i| i.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    fn set_integrity(&self, i: Integrity) {
        match self.integrity.write() {
            Ok(mut g) => *g = i,
            Err(e) => *e.into_inner() = i,
        }
    }

    /// Count one more article for `caller`, or say when to retry.
    fn post_article(&self, caller: &str, per_minute: u32, now: Instant) -> Result<(), Error> {
        let window = Duration::from_secs(60);
        let mut all = self.posted.lock().unwrap_or_else(|e| e.into_inner());
        // Callers idle for a minute are forgotten (the map stays as small
        // as the set of active callers).
        all.retain(|_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < window)
        });
        let posted = all.entry(caller.to_string()).or_default();
        while posted
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            posted.pop_front();
        }
        if posted.len() >= per_minute as usize {
            let wait = posted
                .front()
                .map(|t| window.saturating_sub(now.duration_since(*t)))
                .unwrap_or(window);
            return Err(Error::TooMany {
                message: format!(
                    "{caller} has posted {} articles in the last minute, the most allowed (--max-articles-per-minute)",
                    posted.len()
                ),
                retry_after: wait.as_secs() + 1,
            });
        }
        posted.push_back(now);
        Ok(())
    }
}

/// Run `PRAGMA quick_check` in the background; `/healthz` reports it.
pub fn check_integrity(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let result = match state.store.quick_check().await {
            Ok(findings) if findings.is_empty() => Integrity::Ok,
            Ok(findings) => Integrity::Damaged(findings),
            Err(e) => Integrity::Failed(e.to_string()),
        };
        match &result {
            Integrity::Ok => tracing::info!(
                "database integrity: ok ({:.1} s)",
                started.elapsed().as_secs_f64()
            ),
            other => tracing::error!(
                "database {} is damaged: {other:?}; /healthz answers 503",
                state.store.location()
            ),
        }
        state.guards.set_integrity(result);
    });
}

/// Middleware of the event queries: at most `--max-heavy-queries` run at
/// once; a request waits a second for a slot, then gets 429. The slot is
/// held until the answer's body is sent (a CSV export streams for a while).
pub async fn heavy(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let guards = &state.guards;
    let slot = match tokio::time::timeout(HEAVY_WAIT, guards.heavy.clone().acquire_owned()).await
    {
        Ok(Ok(slot)) => slot,
        _ => {
            return Error::TooMany {
                message: format!(
                    "{} event queries are running, the most this server runs at once; retry in a moment",
                    guards.heavy_max
                ),
                retry_after: 1,
            }
            .into_response()
        }
    };
    let res = next.run(req).await;
    let (parts, body) = res.into_parts();
    let body = body.into_data_stream().map(move |chunk| {
        let _held = &slot;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(body))
}

/// The caller's quota: at most `--max-articles-per-minute` articles a
/// minute per caller name. An extractor, so that it runs after the
/// caller's role is checked (by the extractor before it) and before the
/// body is read.
pub struct Quota;

impl FromRequestParts<AppState> for Quota {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let super::auth::MaybeCaller(caller) =
            super::auth::MaybeCaller::from_request_parts(parts, state)
                .await
                .unwrap_or(super::auth::MaybeCaller(None));
        let name = caller.map(|c| c.name).unwrap_or_default();
        state
            .guards
            .post_article(
                &name,
                state.settings.max_articles_per_minute,
                Instant::now(),
            )
            .map(|()| Quota)
    }
}

/// Middleware: with `--allowed-hosts`, a request must name one of them in
/// `Host` (compared without case; a host listed without a port matches it
/// on any port).
pub async fn allowed_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let allowed = &state.settings.allowed_hosts;
    if allowed.is_empty() {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if host_allowed(&host, allowed) {
        return next.run(req).await;
    }
    Error::Host(format!(
        "the Host {host:?} is not one this server answers for (--allowed-hosts)"
    ))
    .into_response()
}

fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = match host.rsplit_once(':') {
        Some((n, port))
            if !n.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            n
        }
        _ => host,
    };
    allowed.iter().any(|a| {
        let a = a.trim().to_ascii_lowercase();
        !a.is_empty() && (a == host || a == name)
    })
}

/// Middleware: any error answer of the API (`/api`, `/ogc`, `/healthz`,
/// `/oembed`) that is not problem details already (a path segment that is
/// not UTF-8, a method not allowed, a body of the wrong type…) becomes
/// one, with the same status and headers.
pub async fn problem_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = ["/api", "/ogc", "/healthz", "/oembed"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    let res = next.run(req).await;
    let status = res.status();
    if !api || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if is_problem {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let title = status.canonical_reason().unwrap_or("Error");
    let detail = match (status, text) {
        (_, Some(t)) => t,
        (StatusCode::METHOD_NOT_ALLOWED, None) => {
            let allow = parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("this resource answers only {allow}")
        }
        (_, None) => title.to_lowercase(),
    };
    let problem = Problem::new(status, title, detail);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, Body::from(body))
}

/// `GET /healthz`: whether the database answers (on a connection of its
/// own, never behind the pool), the integrity check's result, and how busy
/// the pool and the event-query slots are. 200 while the database answers
/// and is sound (`status` is `busy` when every pooled connection or query
/// slot is taken), 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let health = state.store.health().await;
    let integrity = state.guards.integrity();
    let heavy_running = state.guards.heavy_max - state.guards.heavy.available_permits();
    let sound = !matches!(integrity, Integrity::Damaged(_) | Integrity::Failed(_));
    let busy = health.saturated() || heavy_running >= state.guards.heavy_max;
    let status = if !health.database || !sound {
        "error"
    } else if busy {
        "busy"
    } else {
        "ok"
    };
    let integrity_json = match &integrity {
        Integrity::Checking => serde_json::json!("checking"),
        Integrity::Ok => serde_json::json!("ok"),
        Integrity::Damaged(findings) => serde_json::json!({"damaged": findings}),
        Integrity::Failed(e) => serde_json::json!({"failed": e}),
    };
    let body = serde_json::json!({
        "status": status,
        "database": if health.database { "ok" } else { "unreachable" },
        "integrity": integrity_json,
        "pool": {
            "size": health.pool_size,
            "idle": health.pool_idle,
            "max": health.pool_max,
            "saturated": health.saturated(),
        },
        "heavy_queries": {"running": heavy_running, "max": state.guards.heavy_max},
    });
    let code = if status == "error" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let mut res = (code, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_counts_the_last_minute_and_says_when_to_retry() {
        let g = Guards::new(2);
        let t0 = Instant::now();
        for i in 0..3 {
            g.post_article("lina", 3, t0 + Duration::from_secs(i))
                .unwrap();
        }
        match g.post_article("lina", 3, t0 + Duration::from_secs(10)) {
            Err(Error::TooMany { retry_after, .. }) => assert_eq!(retry_after, 51),
            other => panic!("{other:?}"),
        }
        // Another caller has a quota of its own.
        g.post_article("adam", 3, t0 + Duration::from_secs(10))
            .unwrap();
        // A minute after the first, one slot is free again.
        g.post_article("lina", 3, t0 + Duration::from_secs(60))
            .unwrap();
        assert!(g
            .post_article("lina", 3, t0 + Duration::from_secs(60))
            .is_err());
    }

    #[test]
    fn hosts_are_matched_by_name_and_port() {
        let allowed = vec!["maps.example.org".to_string(), "127.0.0.1:8080".into()];
        assert!(host_allowed("maps.example.org", &allowed));
        assert!(host_allowed("maps.example.org:443", &allowed));
        assert!(host_allowed("127.0.0.1:8080", &allowed));
        assert!(!host_allowed("127.0.0.1:8081", &allowed));
        assert!(!host_allowed("evil.example", &allowed));
        assert!(!host_allowed("maps.example.org.evil.example", &allowed));
        assert!(!host_allowed("", &allowed));
    }
}
