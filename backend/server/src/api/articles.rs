//! `POST /api/articles` (behind the bearer token) and `GET /api/articles/{id}`.

use super::geojson::{event_features, json_as, FeatureCollection};
use super::{path_id, AppState};
use crate::error::{Error, Result};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use frontline_extract::article::Article;
use frontline_store::ArticleRow;
use serde::Serialize;
use serde_json::{Map, Value};

const FIELDS: [&str; 6] = ["text", "url", "title", "source", "published", "id"];

#[derive(Serialize)]
struct Stored {
    article: ArticleMeta,
    /// False when the same text was already stored.
    new: bool,
    events_added: usize,
    events_merged: usize,
    events: FeatureCollection<super::geojson::EventProperties>,
}

#[derive(Serialize)]
struct ArticleMeta {
    id: i64,
    name: String,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
    published: Option<String>,
    content_hash: String,
    ingested_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

impl ArticleMeta {
    fn from_row(a: ArticleRow, with_text: bool) -> Self {
        ArticleMeta {
            id: a.id,
            name: a.name,
            url: a.url,
            title: a.title,
            source: a.source,
            published: a.published,
            content_hash: a.content_hash,
            ingested_at: a.ingested_at,
            text: with_text.then_some(a.text),
        }
    }
}

/// Check `Authorization: Bearer <token>` against the configured token.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<()> {
    let Some(token) = &state.config.token else {
        return Err(Error::Unauthorized(
            "this server accepts no articles: it was started without FRONTLINE_TOKEN".into(),
        ));
    };
    let presented = headers
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
        Some(p) if token.matches(p) => Ok(()),
        Some(_) => Err(Error::Unauthorized("the bearer token is not valid".into())),
    }
}

fn optional_string(obj: &Map<String, Value>, field: &str) -> Result<Option<String>> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(Error::field(
            field,
            format!("must be a string, not {}", kind(other)),
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The article in a request body, every field checked.
pub fn parse_article(body: &[u8]) -> Result<Article> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::Body(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(Error::Body(format!(
            "the body must be a JSON object, not {}",
            kind(&value)
        )));
    };
    if let Some(k) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Error::field(
            k,
            format!("unknown field (expected {})", FIELDS.join(", ")),
        ));
    }
    let text = match obj.get("text") {
        None | Some(Value::Null) => return Err(Error::field("text", "is required")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(Error::field("text", "is empty"))
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(Error::field(
                "text",
                format!("must be a string, not {}", kind(other)),
            ))
        }
    };
    let published = match optional_string(&obj, "published")? {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                Error::field(
                    "published",
                    format!("{d:?} is not a date (expected YYYY-MM-DD)"),
                )
            })?,
        ),
    };
    let url = optional_string(&obj, "url")?;
    if let Some(u) = &url {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            return Err(Error::field("url", format!("{u:?} is not an http(s) URL")));
        }
    }
    Ok(Article {
        id: optional_string(&obj, "id")?.unwrap_or_default(),
        url,
        source: optional_string(&obj, "source")?,
        title: optional_string(&obj, "title")?,
        published,
        text,
    })
}

/// `POST /api/articles`: extract and store one article; answer with its
/// events (201 when new, 200 when it was already stored).
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    authorize(&state, &headers)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge {
                limit: state.config.max_body,
            }
        } else {
            Error::Body(format!("the body could not be read: {e}"))
        }
    })?;
    let article = parse_article(&body)?;
    let added = state.ingester.article(article).await?;
    let row = state
        .store
        .article(added.article_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("article {} vanished", added.article_id)))?;
    let events = state.store.article_events(added.article_id).await?;
    let ids: Vec<i64> = events.iter().map(|e| e.fields.id).collect();
    let sources = state.store.sources(&ids).await?;
    let status = if added.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let out = Stored {
        article: ArticleMeta::from_row(row, false),
        new: added.new,
        events_added: added.events_added,
        events_merged: added.events_merged,
        events: FeatureCollection::new(event_features(events, sources)),
    };
    let mut res = json_as("application/json", &out);
    *res.status_mut() = status;
    if let Ok(v) = format!("/api/articles/{}", added.article_id).parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res.into_response())
}

/// `GET /api/articles/{id}`: a stored article, its text and its events.
pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let id = path_id("article", &id)?;
    let row = state
        .store
        .article(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("article {id}")))?;
    let events = state.store.article_events(id).await?;
    let ids: Vec<i64> = events.iter().map(|e| e.fields.id).collect();
    let sources = state.store.sources(&ids).await?;
    let body = serde_json::json!({
        "article": ArticleMeta::from_row(row, true),
        "events": FeatureCollection::new(event_features(events, sources)),
    });
    Ok(json_as("application/json", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(body: &str) -> String {
        match parse_article(body.as_bytes()) {
            Err(Error::Field { field, .. }) => field,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(field_of(r#"{"title": "x"}"#), "text");
        assert_eq!(field_of(r#"{"text": "  "}"#), "text");
        assert_eq!(field_of(r#"{"text": 12}"#), "text");
        assert_eq!(
            field_of(r#"{"text": "a", "published": "hier"}"#),
            "published"
        );
        assert_eq!(
            field_of(r#"{"text": "a", "url": "javascript:alert(1)"}"#),
            "url"
        );
        assert_eq!(field_of(r#"{"text": "a", "txt": "b"}"#), "txt");
        assert_eq!(field_of(r#"{"text": "a", "title": ["x"]}"#), "title");
    }

    #[test]
    fn non_objects_are_body_errors() {
        assert!(matches!(parse_article(b"not json"), Err(Error::Body(_))));
        assert!(matches!(parse_article(b"[1]"), Err(Error::Body(_))));
    }

    #[test]
    fn a_good_article_keeps_its_metadata() {
        let a = parse_article(
            r#"{"text": "Raids sur Idleb.", "url": "https://x.org/1", "published": "2019-05-06", "source": "x"}"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2019-05-06")
        );
        assert_eq!(a.url.as_deref(), Some("https://x.org/1"));
    }
}
