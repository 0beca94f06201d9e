//! Who is asking, and may they: the credentials of a request (an API
//! token in `Authorization: Bearer`, the bootstrap `FRONTLINE_TOKEN`, or
//! the browser's session cookie), read once per request, and the
//! extractors that require a role ([`Editor`], [`Admin`]) or only look
//! ([`MaybeCaller`], [`MaybeSession`]).
//!
//! A request the session cookie authenticates and that may change state
//! (any method but GET, HEAD, OPTIONS) must carry the session's CSRF
//! token: in the `X-CSRF-Token` header (scripts, which read it from the
//! page's `<meta name="csrf-token">`) or in the `csrf` field of a form
//! (read by the [`form_csrf`] middleware). Bearer requests need none: a
//! browser never adds that header by itself.
//!
//! The extractors run before the body is read, so a request without the
//! right credentials costs no body.

use super::AppState;
use crate::accounts::{same, secret_hash};
use crate::error::Error;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

pub use crate::accounts::Role;

/// Who a request comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: String,
    pub role: Role,
}

impl Caller {
    /// Whether they may review events (editors and admins).
    pub fn can_review(&self) -> bool {
        self.role >= Role::Editor
    }
}

/// The cookie of a browser session (its value: the session id).
pub const SESSION_COOKIE: &str = "frontline_session";
/// The header scripts send the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field HTML forms send it in.
pub const CSRF_FIELD: &str = "csrf";
/// The caller `FRONTLINE_TOKEN` stands for.
pub const BOOTSTRAP_NAME: &str = "admin-token";

/// A live browser session: who, and the CSRF token its pages carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSession {
    pub caller: Caller,
    pub csrf: String,
    /// The stored hash of the session id (to end it at logout).
    pub(super) id_hash: String,
}

impl PageSession {
    /// The token pages put in `<meta name="csrf-token">` and forms in
    /// their `csrf` field.
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }
}

/// How a request was authenticated.
#[derive(Debug, Clone)]
enum Credential {
    Bearer(Caller),
    Session(PageSession),
}

/// The request's credential, once resolved (kept in its extensions, so
/// that several extractors look it up once).
#[derive(Clone)]
struct Resolved(Option<Credential>);

/// The `csrf` field of a form body, read by [`form_csrf`].
#[derive(Clone)]
struct FormCsrf(String);

/// The request's credential: `Err` for an `Authorization` header that is
/// not a valid bearer token; `None` without credentials or with a session
/// cookie that is unknown or expired.
async fn credential(parts: &mut Parts, state: &AppState) -> Result<Option<Credential>, Error> {
    if let Some(Resolved(c)) = parts.extensions.get::<Resolved>() {
        return Ok(c.clone());
    }
    let c = match parts.headers.get(header::AUTHORIZATION) {
        Some(value) => Some(Credential::Bearer(
            bearer(value.to_str().unwrap_or(""), state).await?,
        )),
        None => match cookie(&parts.headers, SESSION_COOKIE) {
            Some(id) => session(id, state).await?.map(Credential::Session),
            None => None,
        },
    };
    parts.extensions.insert(Resolved(c.clone()));
    Ok(c)
}

/// The caller of `Authorization: Bearer <token>` (the scheme's case does
/// not matter): the bootstrap token (compared in constant time) or an
/// account's token (looked up by its hash).
async fn bearer(value: &str, state: &AppState) -> Result<Caller, Error> {
    let token = value
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("bearer "))
        .and_then(|_| value.get(7..))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::Unauthorized("the Authorization header must be `Bearer <token>`".into())
        })?;
    if state.settings.token().is_some_and(|t| t.matches(token)) {
        return Ok(Caller {
            name: BOOTSTRAP_NAME.into(),
            role: Role::Admin,
        });
    }
    match state.store.user_by_token(&secret_hash(token)).await? {
        Some(u) => Ok(Caller {
            role: Role::from_stored(&u.role)?,
            name: u.name,
        }),
        None => Err(Error::Unauthorized("the bearer token is not valid".into())),
    }
}

/// The live session of a session id.
async fn session(id: &str, state: &AppState) -> Result<Option<PageSession>, Error> {
    let id_hash = secret_hash(id);
    let Some(row) = state.store.session(&id_hash).await? else {
        return Ok(None);
    };
    Ok(Some(PageSession {
        caller: Caller {
            role: Role::from_stored(&row.role)?,
            name: row.name,
        },
        csrf: row.csrf,
        id_hash,
    }))
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A cookie request that may change state must send the session's CSRF
/// token (compared in constant time).
fn check_csrf(parts: &Parts, session: &PageSession) -> Result<(), Error> {
    if !changes_state(&parts.method) {
        return Ok(());
    }
    let presented = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .or_else(|| parts.extensions.get::<FormCsrf>().map(|f| f.0.as_str()));
    match presented {
        None => Err(Error::Forbidden(
            "missing CSRF token: a request made with the session cookie must send the page's token in the X-CSRF-Token header or the `csrf` form field".into(),
        )),
        Some(p) if same(p.trim(), &session.csrf) => Ok(()),
        Some(_) => Err(Error::Forbidden(
            "invalid CSRF token: it is not this session's (reload the page)".into(),
        )),
    }
}

/// The caller, who must hold at least `role`: 401 without credentials,
/// 403 with a role too low or a cookie request without its CSRF token.
async fn require(parts: &mut Parts, state: &AppState, role: Role) -> Result<Caller, Error> {
    let caller =
        match credential(parts, state).await? {
            None => return Err(Error::Unauthorized(
                "missing credentials: send `Authorization: Bearer <token>`, or log in at /login"
                    .into(),
            )),
            Some(Credential::Bearer(c)) => c,
            Some(Credential::Session(s)) => {
                check_csrf(parts, &s)?;
                s.caller
            }
        };
    if caller.role >= role {
        Ok(caller)
    } else {
        Err(Error::Forbidden(format!(
            "{} has the {} role; this needs {}",
            caller.name, caller.role, role
        )))
    }
}

/// An editor or an admin.
#[derive(Debug, Clone)]
pub struct Editor(pub Caller);

impl FromRequestParts<AppState> for Editor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        require(parts, state, Role::Editor).await.map(Editor)
    }
}

/// An admin.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        require(parts, state, Role::Admin).await.map(Admin)
    }
}

/// The caller if the credentials are good, else `None`; never rejects.
/// A cookie request that changes state without its CSRF token is `None`.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = match credential(parts, state).await {
            Ok(Some(Credential::Bearer(c))) => Some(c),
            Ok(Some(Credential::Session(s))) => check_csrf(parts, &s).ok().map(|()| s.caller),
            _ => None,
        };
        Ok(MaybeCaller(caller))
    }
}

/// The browser session of a page request, if any (for the header's name
/// and logout button, and the CSRF meta tag); never rejects.
#[derive(Debug, Clone)]
pub struct MaybeSession(pub Option<PageSession>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = match credential(parts, state).await {
            Ok(Some(Credential::Session(s))) => check_csrf(parts, &s).ok().map(|()| s),
            _ => None,
        };
        Ok(MaybeSession(session))
    }
}

/// The CSRF token of the request's session, when the page is seen by a
/// logged-in browser.
pub fn csrf_token(session: &Option<PageSession>) -> Option<&str> {
    session.as_ref().map(PageSession::csrf_token)
}

/// The session of a request that must change state (logout): `Ok(None)`
/// without one, 403 when its CSRF token is missing or wrong.
pub(super) async fn session_to_end(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<PageSession>, Error> {
    match credential(parts, state).await {
        Ok(Some(Credential::Session(s))) => check_csrf(parts, &s).map(|()| Some(s)),
        _ => Ok(None),
    }
}

/// The client's address (for the login rate limit), from the connection;
/// `unknown` when the server was not given it (tests of the router).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
        Ok(ClientAddr(addr))
    }
}

/// Middleware: a form posted with a live session's cookie (and no bearer
/// token) has its body read here (up to `--max-body`, within
/// `--body-timeout`) for its `csrf` field, then passed on whole. A cookie
/// that is no live session's costs no body read.
pub async fn form_csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let wanted = changes_state(req.method())
        && is_form
        && !headers.contains_key(header::AUTHORIZATION)
        && cookie(headers, SESSION_COOKIE).is_some();
    if !wanted {
        return next.run(req).await;
    }
    let limit = state.settings.max_body;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Error::TooLarge { limit }.into_response();
    }
    let (mut parts, body) = req.into_parts();
    if !matches!(
        credential(&mut parts, &state).await,
        Ok(Some(Credential::Session(_)))
    ) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let wait = std::time::Duration::from_secs(state.settings.body_timeout.max(1));
    let bytes = match tokio::time::timeout(wait, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return Error::Body(format!("the form could not be read: {e}")).into_response()
        }
        Err(_) => {
            return Error::Timeout(format!(
                "the form did not arrive within {} s (--body-timeout)",
                wait.as_secs()
            ))
            .into_response()
        }
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    if let Some((_, v)) = fields.into_iter().find(|(k, _)| k == CSRF_FIELD) {
        parts.extensions.insert(FormCsrf(v));
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            "a=1; frontline_session_x=no; frontline_session=abc "
                .parse()
                .unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "a"), Some("1"));
        assert_eq!(cookie(&h, "b"), None);
        h.insert(header::COOKIE, "frontline_session=".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE), None);
    }

    #[test]
    fn only_safe_methods_skip_the_csrf_check() {
        assert!(!changes_state(&Method::GET));
        assert!(!changes_state(&Method::HEAD));
        for m in [Method::POST, Method::PATCH, Method::PUT, Method::DELETE] {
            assert!(changes_state(&m), "{m}");
        }
    }
}
