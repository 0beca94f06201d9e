//! `GET /api/events/stream`: new and changed events as Server-Sent Events
//! (`event: event`, the GeoJSON Feature as data, the change's sequence
//! number as id; `event: removed`, `{"id": N}` as data, for a changed event
//! that is no longer among them: rejected, deleted, or out of the filter),
//! with the filters of `/api/events`; `Last-Event-ID` (or
//! `last_event_id=`) resumes after a reconnection. The work is
//! [`crate::live`]'s.

use super::params::{Query, StreamedEvents};
use super::AppState;
use crate::error::{Error, Result};
use crate::live::{self, Message};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::Duration;

/// How often an idle stream says it is alive.
const HEARTBEAT: Duration = Duration::from_secs(15);

pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(StreamedEvents {
        filter,
        last_event_id,
    }): Query<StreamedEvents>,
) -> Result<Response> {
    let from_header = match headers.get("last-event-id") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| Error::Body("the Last-Event-ID header is not an event id".into()))?,
        ),
    };
    let rx = live::follow(&state.live, filter, from_header.or(last_event_id));
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        let message = rx.recv().await?;
        Some((Ok::<_, Infallible>(sse_event(message)), rx))
    });
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
        .into_response();
    // Proxies must pass it through as it comes.
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    res.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-cache"));
    Ok(res)
}

fn sse_event(message: Message) -> Event {
    match message {
        Message::Ready { last_event_id } => Event::default()
            .event("ready")
            .id(last_event_id.to_string())
            .data(format!("{{\"last_event_id\":{last_event_id}}}")),
        Message::Event { seq, feature } => Event::default()
            .event("event")
            .id(seq.to_string())
            .data(feature),
        Message::Removed { seq, id } => Event::default()
            .event("removed")
            .id(seq.to_string())
            .data(format!("{{\"id\":{id}}}")),
    }
}
