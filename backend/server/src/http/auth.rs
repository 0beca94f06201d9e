//! The bearer token that writing requests need.

use super::AppState;
use crate::error::Error;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// Proof that the request carries `Authorization: Bearer <token>` with the
/// configured token. As an extractor it runs before the body is read, so a
/// request without the token costs no body.
#[derive(Debug, Clone, Copy)]
pub struct Authorized;

impl FromRequestParts<AppState> for Authorized {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Some(token) = state.settings.token() else {
            return Err(Error::Unauthorized(
                "this server accepts no articles: it was started without FRONTLINE_TOKEN".into(),
            ));
        };
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim);
        match presented {
            None => Err(Error::Unauthorized(
                "missing `Authorization: Bearer <token>` header".into(),
            )),
            // Compared in constant time: no timing hint of a prefix.
            Some(p) if token.matches(p) => Ok(Authorized),
            Some(_) => Err(Error::Unauthorized("the bearer token is not valid".into())),
        }
    }
}
