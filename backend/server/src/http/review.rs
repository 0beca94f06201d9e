//! Review of events by editors: `PATCH /api/events/{id}`,
//! `GET /api/events/{id}/history`, `GET /api/review/queue` and the
//! `/review` page. The checks are in [`crate::review`], the work in the
//! store. Editors and admins only (a bearer token, or a logged-in
//! browser whose requests carry the session's CSRF token); each decision
//! is recorded under the caller's account name.

use super::auth::{Editor, MaybeCaller, MaybeSession};
use super::pages::{html, PageError};
use super::params::{date, FromQuery, Params, Query};
use super::{path_id, AppState};
use crate::error::{Error, Result};
use crate::review::parse_review;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use frontline_extract::EventType;
use frontline_store::{QueueFilter, ReviewStatus, ReviewedEvent};
use serde_json::{Map, Value};

/// The event with its review, or not found.
async fn find(state: &AppState, raw: &str) -> Result<ReviewedEvent> {
    let id = path_id("event", raw)?;
    state
        .store
        .reviewed_event(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("event {id}")))
}

/// `PATCH /api/events/{id}`: accept, reject or correct an event; answers
/// the event as it now is.
pub async fn patch(
    State(state): State<AppState>,
    Editor(caller): Editor,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let event = find(&state, &id).await?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| Error::Body(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(Error::Body("the body must be a JSON object".into()));
    };
    let review = parse_review(
        &obj,
        &caller.name,
        &event.event.fields.event_type,
        &state.gazetteer,
    )?;
    let id = event.event.fields.id;
    let updated = state
        .store
        .review_event(id, &review)
        .await?
        .ok_or_else(|| Error::NotFound(format!("event {id}")))?;
    Ok(Json(updated).into_response())
}

/// `GET /api/events/{id}/history`: every recorded change, oldest first.
pub async fn history(
    State(state): State<AppState>,
    _editor: Editor,
    Path(id): Path<String>,
) -> Result<Response> {
    let event = find(&state, &id).await?;
    let history = state.store.event_history(event.event.fields.id).await?;
    let mut out = Map::new();
    out.insert("event_id".into(), event.event.fields.id.into());
    out.insert(
        "history".into(),
        serde_json::to_value(history).unwrap_or_default(),
    );
    Ok(Json(Value::Object(out)).into_response())
}

/// The queue's parameters.
#[derive(Debug)]
pub struct QueueQuery(pub QueueFilter);

impl FromQuery for QueueQuery {
    const ALLOWED: &'static [&'static str] = &[
        "status", "type", "place", "from", "to", "source", "limit", "offset",
    ];

    fn from_query(p: &Params, state: &AppState) -> Result<Self> {
        let mut f = QueueFilter {
            limit: p.integer("limit", 1, 500)?.unwrap_or(50),
            offset: p.integer("offset", 0, i64::MAX)?.unwrap_or(0),
            ..QueueFilter::default()
        };
        for s in p.list("status", ReviewStatus::ALL.len())? {
            let status = ReviewStatus::parse(&s).ok_or_else(|| {
                Error::param(
                    "status",
                    format!("unknown status {s:?} (expected auto, accepted, edited, rejected)"),
                )
            })?;
            f.statuses.push(status);
        }
        for t in p.list("type", EventType::ALL.len())? {
            if EventType::parse(&t).is_none() {
                return Err(Error::param("type", format!("unknown type {t:?}")));
            }
            f.types.push(t);
        }
        if let Some(v) = p.get("place")? {
            if state.gazetteer.by_id(v).is_none() {
                return Err(Error::param("place", format!("unknown place id {v:?}")));
            }
            f.place = Some(v.to_string());
        }
        f.from = p.get("from")?.map(|v| date("from", v, false)).transpose()?;
        f.to = p.get("to")?.map(|v| date("to", v, true)).transpose()?;
        f.source = p.get("source")?.map(str::to_string);
        Ok(QueueQuery(f))
    }
}

/// `GET /api/review/queue`: events to check, unreviewed and least
/// confident first, then the most cited (see `QUEUE_ORDER`).
pub async fn queue(
    State(state): State<AppState>,
    _editor: Editor,
    Query(QueueQuery(filter)): Query<QueueQuery>,
) -> Result<Response> {
    let page = state.store.review_queue(&filter).await?;
    let ids: Vec<i64> = page.events.iter().map(|e| e.event.fields.id).collect();
    let mut sources = state.store.sources(&ids).await?;
    let events: Vec<Value> = page
        .events
        .into_iter()
        .map(|e| {
            let id = e.event.fields.id;
            let mut v = serde_json::to_value(&e).unwrap_or_default();
            if let Value::Object(o) = &mut v {
                // The JSON texts as JSON.
                for k in ["evidence_spans", "sources"] {
                    if let Some(Value::String(s)) = o.get(k) {
                        let parsed = serde_json::from_str(s).unwrap_or(Value::Null);
                        o.insert(k.into(), parsed);
                    }
                }
                let evidence = sources.remove(&id).unwrap_or_default();
                o.insert(
                    "source_evidence".into(),
                    serde_json::to_value(evidence).unwrap_or_default(),
                );
            }
            v
        })
        .collect();
    Ok(Json(serde_json::json!({
        "total": page.total,
        "offset": filter.offset,
        "limit": filter.limit,
        "order": "auto first; confidence by tenths ascending; sources descending; confidence; date descending; id",
        "events": events,
    }))
    .into_response())
}

#[derive(askama::Template)]
#[template(path = "review.html")]
struct ReviewPage<'a> {
    lang: &'a str,
    assets: &'a str,
    tiles: &'a str,
    attribution: &'a str,
    session: Option<super::auth::PageSession>,
}

/// Where a browser without an editor's session is sent to log in.
const LOGIN: &str = "/login?next=/review";

/// `GET /review`: the reviewers' page (its script does the work through
/// the API above, with the session's CSRF token). Without credentials the
/// browser is sent to `/login` (and back here after); a viewer gets 403.
pub async fn page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    MaybeSession(session): MaybeSession,
) -> std::result::Result<Response, PageError> {
    use askama::Template;
    let Some(caller) = caller else {
        return Ok(Redirect::to(LOGIN).into_response());
    };
    if !caller.can_review() {
        let e = Error::Forbidden(format!(
            "{} has the {} role; reviewing needs editor",
            caller.name, caller.role
        ));
        return Err(PageError::new(e, &state));
    }
    let page = ReviewPage {
        lang: "fr",
        assets: state.assets_prefix(),
        tiles: &state.settings.tile_url,
        attribution: &state.settings.tile_attribution,
        session,
    };
    let body = page
        .render()
        .map_err(|e| PageError::new(Error::Internal(format!("template: {e}")), &state))?;
    Ok(html(body, &page.session))
}
