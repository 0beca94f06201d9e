//! The HTTP layer: one state, one router, thin handlers.
//!
//! - [`events`]: `/api/events` (GeoJSON), `/api/events/{id}`, `/api/events.csv`
//! - [`live`]: `/api/events/stream`, new and changed events as they come
//! - [`places`]: `/api/control?at=`, `/api/places?q=`, `/api/places/{id}`
//! - [`articles`]: `POST /api/articles` (an editor), `/api/articles/{id}`
//! - [`feeds`]: `/api/feeds` (an admin), the followed feeds' status
//! - [`login`]: `/login`, `/logout`: the browser's session cookie
//! - [`ogc`]: `/ogc/…`, OGC API – Features over the same events
//! - [`map_data`]: what the map loads beyond that: `/api/events/points`,
//!   `/api/control/areas`, `/api/control/frontlines`, `/api/capitals`,
//!   `/api/boundaries`
//! - [`review`]: `PATCH /api/events/{id}`, `/api/events/{id}/history`,
//!   `/api/review/queue` and the `/review` page (editors)
//! - [`vocabulary`]: `/api/vocabulary`, the event types, subtypes and
//!   actors with their labels, colours and icon keys
//! - [`pages`]: `/`, `/embed`, `/places/{id}`; [`oembed`]: `/oembed`
//! - [`static_map`]: `/static.png`, `/static.svg` (the view of an embed
//!   link as one image)
//! - [`assets`]: the front end's static files (embedded, or `--assets`)
//! - [`cache`]: ETags, 304s and `Cache-Control` of what may be cached
//!
//! Requests are read by typed extractors: [`params::Query`] (strict query
//! parameters), [`auth::Editor`], [`auth::Admin`], [`auth::MaybeCaller`]
//! and [`auth::MaybeSession`] (who asks: an API token, the bootstrap
//! token or the session cookie, with its CSRF token), [`BaseUrl`].
//! Every error becomes a problem details response in one place
//! ([`problem`]); [`headers`] sets the security headers of every response.
//! Handlers only translate: the work is done by the store, the ingester,
//! [`crate::control`] (areas and front lines) and [`crate::basemap`].

mod articles;
mod assets;
pub mod auth;
mod cache;
mod events;
mod feeds;
pub mod geojson;
pub mod guards;
mod headers;
mod live;
mod login;
mod map_data;
mod oembed;
mod ogc;
mod pages;
pub mod params;
mod places;
pub mod problem;
mod review;
mod static_map;
mod vocabulary;

use crate::basemap::{Boundaries, Outline};
use crate::config::Config;
use crate::control::ControlMaps;
use crate::error::Error;
use crate::ingest::Ingester;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use frontline_store::{EventRow, SourceRow, Store};
use gazetteer::Gazetteer;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// What every handler can reach, built once by the command line.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Extracts and stores posted articles.
    pub ingester: Ingester,
    /// The gazetteer the extractor uses, for geocoding and parameters.
    pub gazetteer: Arc<Gazetteer>,
    /// The admin boundaries given with `--boundaries`, if any.
    pub boundaries: Option<Arc<Boundaries>>,
    /// Areas of control and front lines per date (cached), clipped to
    /// Syria's outline; without it (an `--assets` folder lacking
    /// world-atlas) they are unavailable.
    pub control: Arc<ControlMaps>,
    /// Country outlines around Syria, for the static maps' basemap
    /// (empty when world-atlas could not be read).
    pub outlines: Arc<Vec<Outline>>,
    pub settings: Arc<Config>,
    /// The query slots, the token's quota and the integrity check.
    pub guards: Arc<guards::Guards>,
    /// New and changed events, for `/api/events/stream`.
    pub live: crate::live::LiveEvents,
    /// Recent failed logins, for their rate limit.
    pub logins: Arc<crate::accounts::LoginLimiter>,
}

pub use guards::check_integrity;

impl AppState {
    /// The state over these parts, with fresh guards sized by `settings`.
    pub fn new(
        store: Store,
        ingester: Ingester,
        gazetteer: Arc<Gazetteer>,
        boundaries: Option<Arc<Boundaries>>,
        control: Arc<ControlMaps>,
        outlines: Arc<Vec<Outline>>,
        settings: Config,
    ) -> Self {
        AppState {
            guards: Arc::new(guards::Guards::new(settings.max_heavy_queries)),
            live: crate::live::LiveEvents::new(store.clone()),
            logins: Arc::new(crate::accounts::LoginLimiter::new(
                settings.login_attempts,
                settings.login_window,
            )),
            store,
            ingester,
            gazetteer,
            boundaries,
            control,
            outlines,
            settings: Arc::new(settings),
        }
    }

    /// Where the pages load the front end's files from (no trailing slash).
    pub fn assets_prefix(&self) -> &'static str {
        assets::prefix(&self.settings)
    }
}

/// The whole application: every route, the fallback, the security
/// headers, the guards and request tracing.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    // The queries over many events: a few at a time (see `guards::heavy`).
    let heavy = Router::new()
        .route("/api/events", get(events::list))
        .route("/api/events.csv", get(events::csv))
        .route("/api/control", get(places::control))
        .route("/api/places/{id}", get(places::one))
        .route("/ogc/collections/events/items", get(ogc::items))
        .route("/api/events/points", get(map_data::points))
        .route("/api/control/areas", get(map_data::areas))
        .route("/api/control/frontlines", get(map_data::front_lines))
        .route("/static.png", get(static_map::png))
        .route("/static.svg", get(static_map::svg))
        .route("/places/{id}", get(pages::place))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guards::heavy,
        ));
    let routes = Router::new()
        // Events, places and articles.
        .route("/healthz", get(guards::healthz))
        .route("/api/events/stream", get(live::stream))
        .route("/api/events/{id}", get(events::one).patch(review::patch))
        .route("/api/events/{id}/history", get(review::history))
        .route("/api/review/queue", get(review::queue))
        .route("/review", get(review::page))
        .route("/api/places", get(places::search))
        .route(
            "/api/articles",
            post(articles::create).layer(DefaultBodyLimit::max(settings.max_body)),
        )
        .route("/api/articles/{id}", get(articles::one))
        .route("/api/feeds", get(feeds::list))
        // OGC API – Features (the landing page, conformance and
        // collections are below, with the cached answers).
        .route("/ogc/collections/events/items/{id}", get(ogc::item))
        // The map's data.
        .route("/api/vocabulary", get(vocabulary::handler))
        // Pages.
        .route("/", get(pages::map))
        .route("/embed", get(pages::embed))
        .route("/oembed", get(oembed::handler))
        .route(
            "/login",
            get(login::form)
                .post(login::submit)
                .layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/logout", post(login::logout))
        .merge(heavy)
        .merge(cached())
        .merge(assets::router(&settings))
        .fallback(not_found);
    headers::secure(routes, &settings)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::form_csrf,
        ))
        .layer(axum::middleware::from_fn(guards::problem_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guards::allowed_host,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The answers that carry an ETag and a `Cache-Control` policy (see
/// [`cache`]): those fixed while the server runs, and the small ones that
/// change with ingest.
fn cached() -> Router<AppState> {
    let fixed = Router::new()
        .route("/api/capitals", get(map_data::capitals))
        .route("/api/boundaries", get(map_data::boundaries))
        .route("/ogc", get(ogc::landing))
        .route("/ogc/", get(ogc::landing))
        .route("/ogc/api", get(ogc::openapi))
        .route("/ogc/conformance", get(ogc::conformance));
    let changing = Router::new()
        .route("/ogc/collections", get(ogc::collections))
        .route("/ogc/collections/events", get(ogc::collection));
    cache::revalidated(fixed, cache::FIXED).merge(cache::revalidated(changing, cache::REVALIDATE))
}

/// Answer for any path no route knows.
async fn not_found(uri: Uri) -> Response {
    Error::NotFound(uri.path().to_string()).into_response()
}

/// The base of absolute links (no trailing slash): the configured public
/// URL, or the request's Host.
pub struct BaseUrl(pub String);

impl FromRequestParts<AppState> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let settings = &state.settings;
        if let Some(base) = settings.public_base() {
            return Ok(BaseUrl(base.to_string()));
        }
        // Only a plausible host name goes into links.
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .map(str::to_string)
            .unwrap_or_else(|| settings.addr.to_string());
        Ok(BaseUrl(format!("http://{host}")))
    }
}

/// `url` with the query string made of `pairs` (no `?` when empty).
fn with_query(url: &str, pairs: &[(String, String)]) -> String {
    match serde_urlencoded::to_string(pairs) {
        Ok(q) if !q.is_empty() => format!("{url}?{q}"),
        _ => url.to_string(),
    }
}

/// An id from a path segment: a positive integer, or not found.
fn path_id(what: &str, raw: &str) -> Result<i64, Error> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::NotFound(format!("{what} {raw:?}")))
}

/// One event and all its sources; not found (as `what {id}`) when there is
/// no such event.
async fn event_with_sources(
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

#[cfg(test)]
mod tests {
    use super::auth::{Admin, Editor, MaybeCaller, Role};
    use super::events::EventsQuery;
    use super::params::{Lang, Query};
    use super::*;
    use crate::config::Secret;
    use frontline_extract::Extractor;

    /// A state over an empty database in `dir`.
    async fn state(dir: &tempfile::TempDir, settings: Config) -> AppState {
        let store = Store::open(&dir.path().join("t.db")).await.unwrap();
        let gazetteer = Arc::new(Gazetteer::builtin().unwrap());
        let extractor = Extractor::new(gazetteer.clone()).unwrap();
        AppState::new(
            store.clone(),
            Ingester::new(store, extractor),
            gazetteer,
            None,
            Arc::new(ControlMaps::new(None, Default::default())),
            Arc::new(Vec::new()),
            settings,
        )
    }

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut req = axum::http::Request::builder().uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.body(()).unwrap().into_parts().0
    }

    #[tokio::test]
    async fn query_parameters_arrive_typed_or_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(&dir, Config::default()).await;
        let mut p = parts("/api/events?type=strike&limit=5&after=7", &[]);
        let Query(q) = Query::<EventsQuery>::from_request_parts(&mut p, &s)
            .await
            .unwrap();
        assert_eq!(
            (q.filter.types, q.filter.limit, q.filter.after),
            (vec!["strike".to_string()], 5, Some(7))
        );
        for (uri, name) in [
            ("/api/events?bboxx=1", "bboxx"),
            ("/api/events?limit=10001", "limit"),
            ("/api/events?place=atlantis", "place"),
            ("/api/events?after=x", "after"),
        ] {
            match Query::<EventsQuery>::from_request_parts(&mut parts(uri, &[]), &s).await {
                Err(Error::Param { name: n, .. }) => assert_eq!(n, name, "{uri}"),
                other => panic!("{uri}: {other:?}"),
            }
        }
        let Query(lang) = Query::<Lang>::from_request_parts(&mut parts("/?lang=en", &[]), &s)
            .await
            .unwrap();
        assert!(lang.english);
    }

    async fn authorize(s: &AppState, headers: &[(&str, &str)]) -> Result<(), String> {
        Editor::from_request_parts(&mut parts("/api/articles", headers), s)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn only_the_configured_bearer_token_is_authorized() {
        let dir = tempfile::tempdir().unwrap();
        let closed = state(&dir, Config::default()).await;
        let e = authorize(&closed, &[("authorization", "Bearer x")]).await;
        assert_eq!(e.unwrap_err(), "the bearer token is not valid");

        let dir = tempfile::tempdir().unwrap();
        let settings = Config {
            token: Some(Secret::new("s3cret")),
            ..Config::default()
        };
        let open = state(&dir, settings).await;
        assert!(authorize(&open, &[]).await.unwrap_err().contains("missing"));
        for wrong in ["Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret"] {
            assert!(
                authorize(&open, &[("authorization", wrong)]).await.is_err(),
                "{wrong}"
            );
        }
        assert_eq!(
            authorize(&open, &[("authorization", "Bearer x")]).await,
            Err("the bearer token is not valid".into())
        );
        assert_eq!(
            authorize(&open, &[("authorization", "Bearer s3cret")]).await,
            Ok(())
        );
        assert_eq!(
            authorize(&open, &[("authorization", "bearer s3cret ")]).await,
            Ok(())
        );
        // The bootstrap token is the admin `admin-token`.
        let mut p = parts("/api/feeds", &[("authorization", "Bearer s3cret")]);
        let Admin(c) = Admin::from_request_parts(&mut p, &open).await.unwrap();
        assert_eq!((c.name.as_str(), c.role), ("admin-token", Role::Admin));
    }

    #[tokio::test]
    async fn account_tokens_carry_their_role() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(&dir, Config::default()).await;
        let (_, viewer) = crate::accounts::add_user(&s.store, "vera", Role::Viewer, "password-1")
            .await
            .unwrap();
        let (_, editor) = crate::accounts::add_user(&s.store, "eli", Role::Editor, "password-2")
            .await
            .unwrap();
        let bearer = |t: &str| format!("Bearer {t}");
        let e = authorize(&s, &[("authorization", &bearer(&viewer))]).await;
        assert_eq!(
            e.unwrap_err(),
            "vera has the viewer role; this needs editor"
        );
        assert_eq!(
            authorize(&s, &[("authorization", &bearer(&editor))]).await,
            Ok(())
        );
        let mut p = parts("/api/feeds", &[("authorization", &bearer(&editor))]);
        assert!(Admin::from_request_parts(&mut p, &s).await.is_err());
        let mut p = parts("/", &[("authorization", &bearer(&viewer))]);
        let MaybeCaller(c) = MaybeCaller::from_request_parts(&mut p, &s).await.unwrap();
        assert_eq!(c.map(|c| c.name).as_deref(), Some("vera"));
        let mut p = parts("/", &[("authorization", "Bearer nope")]);
        let MaybeCaller(c) = MaybeCaller::from_request_parts(&mut p, &s).await.unwrap();
        assert!(c.is_none());
    }

    #[tokio::test]
    async fn event_queries_beyond_the_cap_get_429_with_retry_after() {
        use tower::ServiceExt;
        let dir = tempfile::tempdir().unwrap();
        let s = state(
            &dir,
            Config {
                max_heavy_queries: 1,
                ..Config::default()
            },
        )
        .await;
        let slow = Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
                    "done"
                }),
            )
            .route_layer(axum::middleware::from_fn_with_state(
                s.clone(),
                guards::heavy,
            ))
            .with_state(s.clone());
        let req = || {
            axum::http::Request::builder()
                .uri("/slow")
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let first = tokio::spawn(slow.clone().oneshot(req()));
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let second = slow.clone().oneshot(req()).await.unwrap();
        assert_eq!(second.status(), axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(second.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            second.headers()[header::CONTENT_TYPE],
            problem::PROBLEM_JSON
        );
        let first = first.await.unwrap().unwrap();
        assert_eq!(first.status(), axum::http::StatusCode::OK);
        // The slot is free again once the first answer is sent.
        let body = axum::body::to_bytes(first.into_body(), 100).await.unwrap();
        assert_eq!(&body[..], b"done");
        let third = slow.oneshot(req()).await.unwrap();
        assert_eq!(third.status(), axum::http::StatusCode::OK);
    }

    #[tokio::test]
    async fn links_use_the_public_url_or_a_plausible_host() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(&dir, Config::default()).await;
        let base = |host: &'static str| {
            let s = s.clone();
            async move {
                let BaseUrl(b) =
                    BaseUrl::from_request_parts(&mut parts("/", &[("host", host)]), &s)
                        .await
                        .unwrap();
                b
            }
        };
        assert_eq!(
            base("maps.example.org:8080").await,
            "http://maps.example.org:8080"
        );
        assert_eq!(base("evil.org/<script>").await, "http://127.0.0.1:8080");
        let dir = tempfile::tempdir().unwrap();
        let settings = Config {
            public_url: Some("https://maps.example.org/".into()),
            ..Config::default()
        };
        let public = state(&dir, settings).await;
        let BaseUrl(b) = BaseUrl::from_request_parts(&mut parts("/", &[("host", "x")]), &public)
            .await
            .unwrap();
        assert_eq!(b, "https://maps.example.org");
    }
}
