//! `GET /static.png` and `GET /static.svg`: the view of an `/embed` link
//! as one image, drawn on the server (for reports, print and link
//! previews). The drawing is [`crate::render`]'s; this gathers its data.

use super::params::{Query, StaticView};
use super::AppState;
use crate::areas::ControlMap;
use crate::basemap;
use crate::error::{Error, Result};
use crate::render::{self, ControlDot, EventDot, Scene, Words};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use frontline_extract::dates::french_date;
use frontline_store::{Bbox, EventRow};
use std::sync::Arc;

/// Events drawn at most (the newest first would need another index;
/// a map of more is unreadable anyway).
const MAX_EVENTS: i64 = 5000;

/// Images may be cached briefly: new events show within minutes.
const CACHE: &str = "public, max-age=300";

fn words(at: NaiveDate, english: bool) -> Words {
    if english {
        Words {
            title: format!("Frontline — control as of {}", at.format("%-d %B %Y")),
            attribution:
                "Frontline · events from French news · Places: GeoNames · Borders: Natural Earth"
                    .into(),
            front_line: "Front line".into(),
            contested: "Contested".into(),
            boundaries: "Admin boundaries".into(),
            unknown: "Unknown".into(),
            stale: "Old news".into(),
            english,
        }
    } else {
        Words {
            title: format!("Frontline — contrôle au {}", french_date(at)),
            attribution: "Frontline · événements tirés de dépêches · Lieux : GeoNames · Frontières : Natural Earth".into(),
            front_line: "Ligne de front".into(),
            contested: "Contesté".into(),
            boundaries: "Limites administratives".into(),
            unknown: "Inconnu".into(),
            stale: "Nouvelles anciennes".into(),
            english,
        }
    }
}

/// The SVG of the view (text, not yet rasterised).
async fn draw(state: &AppState, mut v: StaticView) -> Result<String> {
    let at = match v.at {
        Some(d) => d,
        None => latest_date(state).await?,
    };
    let map: Arc<ControlMap> = if v.areas || v.fronts {
        state.control.at(&state.store, at).await?
    } else {
        Arc::new(ControlMap::default())
    };
    let control = if v.control {
        control_dots(state, at).await?
    } else {
        Vec::new()
    };
    let events = if v.types.is_empty() {
        Vec::new()
    } else {
        let [west, south, east, north] = v.frame.bounds(20.0);
        v.filter.bbox = Some(Bbox {
            west,
            south,
            east,
            north,
        });
        v.filter.limit = MAX_EVENTS;
        state
            .store
            .events(&v.filter)
            .await?
            .events
            .into_iter()
            .map(event_dot)
            .collect()
    };
    let highlight = match v.event {
        // An event gone since the link was made: the view without it.
        Some(id) => state.store.event(id).await?.map(event_dot),
        None => None,
    };
    let capitals = basemap::capitals(&state.gazetteer, v.english);
    let scene = Scene {
        frame: v.frame,
        outlines: &state.outlines,
        capitals: &capitals,
        areas: if v.areas { &map.areas } else { &[] },
        fronts: if v.fronts { &map.front_lines } else { &[] },
        boundaries: match &state.boundaries {
            Some(b) if v.boundaries => &b.lines,
            _ => &[],
        },
        control: &control,
        events: &events,
        highlight: highlight.as_ref(),
        words: words(at, v.english),
    };
    Ok(render::svg(&scene))
}

fn event_dot(e: EventRow) -> EventDot {
    EventDot {
        lat: e.lat,
        lon: e.lon,
        event_type: e.fields.event_type,
        subtype: e.fields.subtype,
        actor: e.fields.actor,
        fatalities: e.fields.fatalities,
    }
}

/// The date of the newest event, or today.
async fn latest_date(state: &AppState) -> Result<NaiveDate> {
    let (_, last) = state.store.date_range().await?;
    Ok(last
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive()))
}

async fn control_dots(state: &AppState, at: NaiveDate) -> Result<Vec<ControlDot>> {
    let stale_days = state.control.options().stale_days;
    Ok(state
        .store
        .control_at(at)
        .await?
        .into_iter()
        .map(|c| {
            let last = c.last_report.as_deref().unwrap_or(c.since.as_str());
            let stale = NaiveDate::parse_from_str(last, "%Y-%m-%d")
                .is_ok_and(|d| (at - d).num_days() > stale_days);
            ControlDot {
                lat: c.lat,
                lon: c.lon,
                actor: c.actor,
                stale,
            }
        })
        .collect())
}

fn image(content_type: &'static str, body: Vec<u8>) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    res
}

/// `GET /static.svg?…`: the view as an SVG document.
pub async fn svg(State(state): State<AppState>, Query(v): Query<StaticView>) -> Result<Response> {
    let doc = draw(&state, v).await?;
    Ok(image("image/svg+xml", doc.into_bytes()))
}

/// `GET /static.png?…`: the view as a PNG of `w × h` (times `scale`).
pub async fn png(State(state): State<AppState>, Query(v): Query<StaticView>) -> Result<Response> {
    let scale = v.scale;
    let doc = draw(&state, v).await?;
    let bytes = tokio::task::spawn_blocking(move || render::png(&doc, scale))
        .await
        .map_err(|e| Error::Internal(format!("drawing the static map: {e}")))??;
    Ok(image("image/png", bytes))
}
