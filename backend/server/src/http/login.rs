//! `/login` and `/logout`: the browser's session cookie.
//!
//! The login form is protected against login CSRF (a page elsewhere
//! logging the browser in as someone else) by a double submit: `GET
//! /login` sets a random `frontline_login` cookie (HttpOnly,
//! SameSite=Strict, only sent to `/login`) and puts the same value in the
//! form; `POST /login` requires both to match. Another site can neither
//! read the value nor send the cookie with its own form.
//!
//! The session cookie is HttpOnly, SameSite=Lax, `Path=/`, `Secure` when
//! `--public-url` is https, and lives `--session-duration`.

use super::auth::{cookie, session_to_end, ClientAddr, MaybeSession, PageSession, SESSION_COOKIE};
use super::pages::{no_store, PageError};
use super::AppState;
use crate::accounts::{self, same};
use crate::error::{Error, Result};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::time::Duration;

/// The double-submit cookie of the login form.
const LOGIN_COOKIE: &str = "frontline_login";
/// How long a login form stays usable.
const LOGIN_FORM_SECS: u64 = 3600;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: &'a str,
    assets: &'a str,
    session: Option<PageSession>,
    form_token: String,
    next: String,
    name: String,
    message: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// The fields of the login form (others are ignored).
#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    next: String,
}

/// Where to go after login: a path of this site, else `/`. Refused: a
/// scheme or host (`https://…`, `//host`, `/\host`, which browsers read
/// as another site), backslashes and control characters anywhere.
pub fn local_path(next: &str) -> &str {
    let bytes = next.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048;
    if local {
        next
    } else {
        "/"
    }
}

/// A `Set-Cookie` value with this site's flags.
fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    extra: &str,
    max_age: u64,
) -> HeaderValue {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let text = format!("{name}={value}; Path={path}; HttpOnly; {extra}; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text)
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

fn session_cookie(state: &AppState, value: &str, max_age: u64) -> HeaderValue {
    set_cookie(state, SESSION_COOKIE, value, "/", "SameSite=Lax", max_age)
}

/// The login form, with `status` and `message`, a fresh (or the current)
/// form token and its cookie.
fn form_page(
    state: &AppState,
    status: StatusCode,
    headers: &HeaderMap,
    session: Option<PageSession>,
    form: LoginForm,
    message: &str,
) -> Result<Response> {
    let token = match cookie(headers, LOGIN_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => t.to_string(),
        _ => accounts::new_secret()?,
    };
    let page = LoginPage {
        lang: "fr",
        assets: state.assets_prefix(),
        session,
        next: local_path(&form.next).to_string(),
        form_token: token.clone(),
        name: form.name,
        message: message.to_string(),
    };
    let body = page
        .render()
        .map_err(|e| Error::Internal(format!("template: {e}")))?;
    let mut res = (status, Html(body)).into_response();
    let h = res.headers_mut();
    no_store(h);
    h.append(
        header::SET_COOKIE,
        set_cookie(
            state,
            LOGIN_COOKIE,
            &token,
            "/login",
            "SameSite=Strict",
            LOGIN_FORM_SECS,
        ),
    );
    Ok(res)
}

/// `GET /login`: the form.
pub async fn form(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(q): Query<NextQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let form = LoginForm {
        next: q.next,
        ..LoginForm::default()
    };
    form_page(&state, StatusCode::OK, &headers, session, form, "")
        .map_err(|e| PageError::new(e, &state))
}

/// `POST /login`: check the form token, the rate limit and the password;
/// on success a new session and a 303 to `next`. Failures show the form
/// again with a message in French (401, 403, 429 with Retry-After).
pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let form: LoginForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let page = |status, form, message: &str| {
        form_page(&state, status, &headers, None, form, message)
            .map_err(|e| PageError::new(e, &state))
    };
    let form_ok = cookie(&headers, LOGIN_COOKIE)
        .is_some_and(|c| !form.csrf.is_empty() && same(c, &form.csrf));
    if !form_ok {
        let message = "Le formulaire a expiré ou ne vient pas de ce site : merci de réessayer.";
        return page(
            StatusCode::FORBIDDEN,
            LoginForm {
                password: String::new(),
                ..form
            },
            message,
        );
    }
    let login = accounts::login(
        &state.store,
        &state.logins,
        form.name.trim(),
        &form.password,
        &client,
        state.settings.session_duration,
    )
    .await;
    let retry = LoginForm {
        password: String::new(),
        ..form
    };
    match login {
        Ok(session) => Ok(logged_in(&state, &session, local_path(&retry.next))),
        Err(Error::Unauthorized(_)) => page(
            StatusCode::UNAUTHORIZED,
            retry,
            "Nom d’utilisateur ou mot de passe incorrect.",
        ),
        Err(Error::TooMany { retry_after, .. }) => {
            let minutes = retry_after.div_ceil(60);
            let message = format!(
                "Trop de tentatives de connexion. Réessayez dans {minutes} minute{}.",
                if minutes > 1 { "s" } else { "" }
            );
            let mut res = page(StatusCode::TOO_MANY_REQUESTS, retry, &message)?;
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            Ok(res)
        }
        Err(e) => Err(PageError::new(e, &state)),
    }
}

/// The answer of a good login: the session cookie, the form's cookie
/// cleared, and a 303 to where the user was going.
fn logged_in(state: &AppState, session: &accounts::NewSession, next: &str) -> Response {
    tracing::info!(user = %session.name, "logged in");
    let max_age = state
        .settings
        .session_duration
        .max(Duration::from_secs(1))
        .as_secs();
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(next).unwrap_or_else(|_| HeaderValue::from_static("/")),
    );
    h.append(
        header::SET_COOKIE,
        session_cookie(state, &session.id, max_age),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(state, LOGIN_COOKIE, "", "/login", "SameSite=Strict", 0),
    );
    no_store(h);
    res
}

/// `POST /logout` (with the session's CSRF token): end the session, clear
/// the cookie, back to the map. Without a session, only the cookie is
/// cleared; with a session and no good token, 403.
pub async fn logout(State(state): State<AppState>, req: Request) -> Result<Response, PageError> {
    let (mut parts, _body) = req.into_parts();
    let ended = match session_to_end(&mut parts, &state).await {
        Ok(s) => s,
        Err(e) => return Err(PageError::new(e, &state)),
    };
    if let Some(s) = ended {
        state
            .store
            .delete_session(&s.id_hash)
            .await
            .map_err(|e| PageError::new(e, &state))?;
        tracing::info!(user = %s.caller.name, "logged out");
    }
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    h.insert(header::LOCATION, HeaderValue::from_static("/"));
    h.append(header::SET_COOKIE, session_cookie(&state, "", 0));
    no_store(h);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        for ok in ["/", "/review?type=strike", "/places/aleppo#events"] {
            assert_eq!(local_path(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/ok\\..\\x",
            "/a\nLocation: x",
            "",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
