//! The one place where errors become HTTP responses: problem details
//! (RFC 9457) as `application/problem+json`.

use crate::error::Error;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem details document.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    /// The query parameter at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The body field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every bad field of the body, with why (a review).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
    /// Seconds to wait before trying again (also sent as `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// One bad field of a body.
#[derive(Debug, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail: detail.into(),
            parameter: None,
            field: None,
            errors: None,
            retry_after: None,
        }
    }

    /// The same problem, asking the client to retry after `seconds`.
    pub fn retry_after(self, seconds: u64) -> Self {
        Problem {
            retry_after: Some(seconds.max(1)),
            ..self
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"frontline\""),
            );
        }
        res
    }
}

impl From<&Error> for Problem {
    fn from(e: &Error) -> Self {
        match e {
            Error::Param { name, message } => Problem {
                parameter: Some(name.clone()),
                ..Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Invalid parameter",
                    format!("`{name}`: {message}"),
                )
            },
            // A field of an article (the body of `POST /api/articles`),
            // read by the extraction crate's article reader.
            Error::Extract(frontline_extract::Error::Input { field, message, .. }) => Problem {
                field: Some(field.clone()),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid field",
                    format!("`{field}`: {message}"),
                )
            },
            Error::Fields(fields) => Problem {
                field: fields.first().map(|(f, _)| f.clone()),
                errors: Some(
                    fields
                        .iter()
                        .map(|(field, message)| FieldProblem {
                            field: field.clone(),
                            message: message.clone(),
                        })
                        .collect(),
                ),
                ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid fields", e.to_string())
            },
            Error::Body(m) => Problem::new(StatusCode::BAD_REQUEST, "Invalid body", m.clone()),
            Error::NotFound(what) => Problem::new(
                StatusCode::NOT_FOUND,
                "Not found",
                format!("{what} not found"),
            ),
            Error::Unauthorized(m) => {
                Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", m.clone())
            }
            Error::Forbidden(m) => Problem::new(StatusCode::FORBIDDEN, "Forbidden", m.clone()),
            Error::TooLarge { .. } => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload too large",
                e.to_string(),
            ),
            Error::NotImplemented(m) => {
                Problem::new(StatusCode::NOT_IMPLEMENTED, "Not implemented", m.clone())
            }
            Error::Refused(m) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Article refused",
                m.clone(),
            ),
            Error::TooMany {
                message,
                retry_after,
            } => Problem::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests", message)
                .retry_after(*retry_after),
            Error::Unavailable {
                message,
                retry_after,
            } => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable", message)
                .retry_after(*retry_after),
            Error::Timeout(m) => {
                Problem::new(StatusCode::REQUEST_TIMEOUT, "Request timeout", m.clone())
            }
            Error::Host(m) => Problem::new(StatusCode::BAD_REQUEST, "Host not allowed", m.clone()),
            Error::Store(s) if s.is_interrupted() => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Query too slow",
                "the query ran past the server's time limit and was stopped; narrow the filters (a smaller bbox, a date range, a limit) or retry later",
            )
            .retry_after(5),
            Error::Store(s) if s.is_pool_timeout() => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service unavailable",
                "the database is busy; retry later",
            )
            .retry_after(2),
            Error::Store(frontline_store::Error::Conflict(m)) => {
                Problem::new(StatusCode::CONFLICT, "Conflict", m.clone())
            }
            Error::Extract(frontline_extract::Error::File { .. })
            | Error::Fetch { .. }
            | Error::File { .. }
            | Error::Usage(_) => {
                Problem::new(StatusCode::BAD_REQUEST, "Bad request", e.to_string())
            }
            Error::Extract(
                frontline_extract::Error::Io { .. } | frontline_extract::Error::Gazetteer(_),
            )
            | Error::Store(_)
            | Error::Gazetteer(_)
            | Error::Io { .. }
            | Error::Internal(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal server error",
                "the server could not answer; the details are in its log",
            ),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let problem = Problem::from(&self);
        if problem.status >= 500 {
            tracing::error!(error = %self, "request failed");
        }
        problem.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_fields_are_named_and_internals_are_not_shown() {
        let p = Problem::from(&Error::param("bbox", "must be four numbers"));
        assert_eq!((p.status, p.parameter.as_deref()), (400, Some("bbox")));
        let p = Problem::from(&Error::Extract(frontline_extract::Error::Input {
            path: "request body".into(),
            line: 1,
            field: "text".into(),
            message: "is required".into(),
        }));
        assert_eq!((p.status, p.field.as_deref()), (422, Some("text")));
        assert_eq!(p.detail, "`text`: is required");
        assert_eq!(
            Problem::from(&Error::NotFound("event 9".into())).status,
            404
        );
        assert_eq!(Problem::from(&Error::Unauthorized("no".into())).status, 401);
        assert_eq!(Problem::from(&Error::Forbidden("no".into())).status, 403);
        assert_eq!(Problem::from(&Error::TooLarge { limit: 10 }).status, 413);
        assert_eq!(
            Problem::from(&Error::NotImplemented("xml".into())).status,
            501
        );
        let p = Problem::from(&Error::Internal("secret path /var/db".into()));
        assert_eq!(p.status, 500);
        assert!(!p.detail.contains("secret"));
    }

    #[test]
    fn responses_are_problem_json_with_a_bearer_challenge_on_401() {
        let r = Error::Unauthorized("no token".into()).into_response();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
