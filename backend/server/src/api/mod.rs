//! The HTTP API: thin axum handlers over the store and the ingester.
//!
//! - `/api/events` (GeoJSON), `/api/events/{id}`, `/api/events.csv`
//! - `/api/control?at=`, `/api/places?q=`, `/api/places/{id}`
//! - `POST /api/articles` (bearer token), `/api/articles/{id}`
//! - `/ogc/…`: OGC API – Features over the same events
//! - `/healthz`

mod articles;
mod events;
pub mod geojson;
mod ogc;
pub mod params;
mod places;
pub mod problem;

use crate::config::Config;
use crate::error::Error;
use crate::ingest::Ingester;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontline_store::{EventRow, SourceRow, Store};
use gazetteer::Gazetteer;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub ingester: Ingester,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(ingester: Ingester, config: Config) -> Self {
        AppState {
            store: ingester.store().clone(),
            ingester,
            config: Arc::new(config),
        }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        self.ingester.extractor().gazetteer()
    }

    /// The base for absolute links: the configured public URL, or the
    /// request's Host.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(base) = self.config.public_base() {
            return base.to_string();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .map(str::to_string)
            .unwrap_or_else(|| self.config.addr.to_string());
        format!("http://{host}")
    }
}

/// The API routes; the app merges them with the web pages.
pub fn router(config: &Config) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/events", get(events::list))
        .route("/api/events.csv", get(events::csv))
        .route("/api/events/{id}", get(events::one))
        .route("/api/control", get(places::control))
        .route("/api/places", get(places::search))
        .route("/api/places/{id}", get(places::one))
        .route(
            "/api/articles",
            post(articles::create).layer(DefaultBodyLimit::max(config.max_body)),
        )
        .route("/api/articles/{id}", get(articles::one))
        .merge(ogc::router())
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(e) => Error::from(e).into_response(),
    }
}

/// Answer for any path no route knows.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    Error::NotFound(uri.path().to_string()).into_response()
}

/// `url` with the query string made of `pairs` (no `?` when empty).
pub(crate) fn with_query(url: &str, pairs: &[(String, String)]) -> String {
    match serde_urlencoded::to_string(pairs) {
        Ok(q) if !q.is_empty() => format!("{url}?{q}"),
        _ => url.to_string(),
    }
}

/// An id from a path segment: a positive integer, or not found.
pub(crate) fn path_id(what: &str, raw: &str) -> Result<i64, Error> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::NotFound(format!("{what} {raw:?}")))
}

/// One event and all its sources; not found (as `what {id}`) when there is
/// no such event.
pub(crate) async fn event_with_sources(
    store: &Store,
    what: &str,
    id: i64,
) -> Result<(EventRow, Vec<SourceRow>), Error> {
    let event = store
        .event(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{what} {id}")))?;
    let sources = store.sources(&[id]).await?.remove(&id).unwrap_or_default();
    Ok((event, sources))
}
