//! `POST /api/articles` (an editor or admin) and `GET /api/articles/{id}`.

use super::auth::Editor;
use super::geojson::{event_features, json_as, EventProperties, FeatureCollection};
use super::guards::Quota;
use super::{path_id, AppState};
use crate::error::{Error, Result};
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use frontline_extract::article::{self, Article, Origin, OtherKeys};
use frontline_store::{ArticleRow, Store};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Stored {
    article: ArticleMeta,
    /// False when the same text was already stored, or when it was a
    /// near-duplicate of a stored article (then `folded`).
    new: bool,
    /// The text repeated a stored article (the one answered) and was
    /// folded into it as another source.
    folded: bool,
    events_added: usize,
    events_merged: usize,
    events: FeatureCollection<EventProperties>,
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

/// The article in a request body, read by the same reader as `.jsonl`
/// files ([`article::from_json_object`]); fields it does not know are
/// refused. A body that is not a JSON object is a 400; a bad field, a 422
/// naming it.
pub struct ArticleJson(pub Article);

impl FromRequest<AppState> for ArticleJson {
    type Rejection = Error;

    /// The body must arrive whole within `--body-timeout` (a client
    /// trickling it byte by byte gets 408).
    async fn from_request(req: Request, state: &AppState) -> Result<Self> {
        let limit = std::time::Duration::from_secs(state.settings.body_timeout.max(1));
        let read = tokio::time::timeout(limit, Bytes::from_request(req, state))
            .await
            .map_err(|_| {
                Error::Timeout(format!(
                    "the request body did not arrive within {} s (--body-timeout)",
                    limit.as_secs()
                ))
            })?;
        let body = read.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge {
                    limit: state.settings.max_body,
                }
            } else {
                Error::Body(format!("the body could not be read: {e}"))
            }
        })?;
        parse_article(&body, &state.settings.date_bounds()).map(ArticleJson)
    }
}

fn parse_article(body: &[u8], bounds: &article::DateBounds) -> Result<Article> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::Body(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(Error::Body(format!(
            "the body must be a JSON object, not {}",
            kind(&value)
        )));
    };
    let origin = Origin {
        path: "request body".into(),
        line: None,
    };
    Ok(article::from_json_object(
        &obj,
        &origin,
        OtherKeys::Refuse,
        bounds,
    )?)
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

/// `POST /api/articles`: extract and store one article; answer with its
/// events (201 when new, 200 when it was already stored). The caller's
/// role and quota are checked before the body is read.
pub async fn create(
    State(state): State<AppState>,
    Editor(_): Editor,
    _: Quota,
    ArticleJson(article): ArticleJson,
) -> Result<Response> {
    let added = state.ingester.article(article).await?;
    let (row, events) = article_with_events(&state.store, added.article_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("article {} vanished", added.article_id)))?;
    let status = if added.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let out = Stored {
        article: ArticleMeta::from_row(row, false),
        new: added.new,
        folded: added.folded,
        events_added: added.events_added,
        events_merged: added.events_merged,
        events,
    };
    let mut res = json_as("application/json", &out);
    *res.status_mut() = status;
    if let Ok(v) = format!("/api/articles/{}", added.article_id).parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// A stored article and its events with their sources, or `None`.
async fn article_with_events(
    store: &Store,
    id: i64,
) -> Result<Option<(ArticleRow, FeatureCollection<EventProperties>)>> {
    let Some(row) = store.article(id).await? else {
        return Ok(None);
    };
    let events = store.article_events(id).await?;
    let ids: Vec<i64> = events.iter().map(|e| e.fields.id).collect();
    let sources = store.sources(&ids).await?;
    Ok(Some((
        row,
        FeatureCollection::new(event_features(events, sources)),
    )))
}

/// `GET /api/articles/{id}`: a stored article, its text, the copies other
/// outlets published (near-duplicates folded into it) and its events.
pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let id = path_id("article", &id)?;
    let (row, events) = article_with_events(&state.store, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("article {id}")))?;
    let copies = state.store.copies(id).await?;
    let body = serde_json::json!({
        "article": ArticleMeta::from_row(row, true),
        "copies": copies,
        "events": events,
    });
    Ok(json_as("application/json", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(body: &str) -> String {
        match parse_article(body.as_bytes(), &Default::default()) {
            Err(Error::Extract(frontline_extract::Error::Input { field, .. })) => field,
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
        assert!(matches!(
            parse_article(b"not json", &Default::default()),
            Err(Error::Body(_))
        ));
        assert!(matches!(
            parse_article(b"[1]", &Default::default()),
            Err(Error::Body(_))
        ));
    }

    #[test]
    fn a_good_article_keeps_its_metadata() {
        let a = parse_article(
            r#"{"text": "Raids sur Idleb.", "url": "https://x.org/1", "published": "2019-05-06", "source": "x"}"#
                .as_bytes(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2019-05-06")
        );
        assert_eq!(a.url.as_deref(), Some("https://x.org/1"));
    }
}
