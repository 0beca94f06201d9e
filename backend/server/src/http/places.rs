//! `/api/control?at=`, `/api/places?q=` and `/api/places/{id}`.

use super::geojson::{event_features, json_as, Feature, FeatureCollection, GEOJSON};
use super::params::{ControlAt, FromQuery, Params, Query};
use super::AppState;
use crate::error::{Error, Result};
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use frontline_store::{ControlPoint, PlaceRow};
use serde::Serialize;

#[derive(Serialize)]
pub struct ControlProperties {
    pub place_id: String,
    pub place: String,
    pub kind: String,
    pub admin1: String,
    /// Who took control at the last change; `unknown` when the news
    /// does not say (never guessed).
    pub controller: String,
    pub previous: Option<String>,
    /// Date of the news that says so.
    pub since: String,
    pub date_precision: String,
    pub event_id: i64,
    pub source_count: i64,
    /// Latest news of any kind about the place up to the date.
    pub last_report: Option<String>,
    /// Days between that control news and the date asked.
    pub age_days: i64,
    pub stale: bool,
}

fn control_feature(c: ControlPoint, at: NaiveDate, stale_days: i64) -> Feature<ControlProperties> {
    let age_days = NaiveDate::parse_from_str(&c.since, "%Y-%m-%d")
        .map(|d| (at - d).num_days())
        .unwrap_or(0);
    let (lon, lat) = (c.lon, c.lat);
    Feature::new(
        c.place_id.clone(),
        lon,
        lat,
        ControlProperties {
            controller: c.actor.clone().unwrap_or_else(|| "unknown".into()),
            previous: c.target,
            place_id: c.place_id,
            place: c.place,
            kind: c.kind,
            admin1: c.admin1,
            since: c.since,
            date_precision: c.date_precision,
            event_id: c.event_id,
            source_count: c.source_count,
            last_report: c.last_report,
            age_days,
            stale: age_days > stale_days,
        },
    )
}

/// `GET /api/control?at=YYYY-MM-DD`: each place's latest controller on
/// that date (today by default).
pub async fn control(
    State(state): State<AppState>,
    Query(ControlAt { at, stale_days }): Query<ControlAt>,
) -> Result<Response> {
    let points = state.store.control_at(at).await?;
    let mut fc = FeatureCollection::new(
        points
            .into_iter()
            .map(|c| control_feature(c, at, stale_days))
            .collect(),
    );
    fc.time_stamp = Some(at.to_string());
    Ok(json_as(GEOJSON, &fc))
}

#[derive(Serialize)]
pub struct PlaceProperties {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub name_ar: String,
    pub kind: String,
    pub admin1: String,
    pub country: String,
    pub geonameid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub events: i64,
}

/// `/api/places`: a name to look up, and how many places to answer.
pub struct PlaceSearch {
    q: String,
    limit: usize,
}

impl FromQuery for PlaceSearch {
    const ALLOWED: &'static [&'static str] = &["q", "limit"];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        let q = p
            .get("q")?
            .ok_or_else(|| Error::param("q", "is required: the place name to look up"))?;
        let limit = p.integer("limit", 1, 100)?.unwrap_or(10);
        Ok(PlaceSearch {
            q: q.to_string(),
            limit: usize::try_from(limit).unwrap_or(10),
        })
    }
}

/// `GET /api/places?q=name&limit=`: geocoding through the gazetteer,
/// best match first.
pub async fn search(
    State(state): State<AppState>,
    Query(PlaceSearch { q, limit }): Query<PlaceSearch>,
) -> Result<Response> {
    let g = &state.gazetteer;
    let candidates: Vec<_> = g.lookup(&q).into_iter().take(limit).collect();
    let ids: Vec<&str> = candidates
        .iter()
        .map(|c| g.place(c.place).id.as_str())
        .collect();
    let counts = state.store.event_counts(&ids).await?;
    let features = candidates
        .iter()
        .map(|c| {
            let pl = g.place(c.place);
            Feature::new(
                pl.id.clone(),
                pl.lon,
                pl.lat,
                PlaceProperties {
                    id: pl.id.clone(),
                    name: pl.name().to_string(),
                    name_en: pl.name_en.clone(),
                    name_ar: pl.name_ar.clone(),
                    kind: pl.kind.as_str().to_string(),
                    admin1: pl.admin1.clone(),
                    country: pl.country.clone(),
                    geonameid: pl.geonameid,
                    score: Some((c.score * 1000.0).round() / 1000.0),
                    events: counts.get(&pl.id).copied().unwrap_or(0),
                },
            )
        })
        .collect();
    Ok(json_as(GEOJSON, &FeatureCollection::new(features)))
}

/// How many of a place's latest events its page lists.
const PLACE_EVENTS: i64 = 500;

/// `GET /api/places/{id}`: the place, who controlled it when, and its
/// latest events.
pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let g = &state.gazetteer;
    let history = state.store.place_history(&id, PLACE_EVENTS).await?;
    let place = match (g.by_id(&id), &history.place) {
        (Some(pid), _) => PlaceRow::from(g.place(pid)),
        (None, Some(p)) => p.clone(),
        (None, None) => return Err(Error::NotFound(format!("place {id:?}"))),
    };
    let ids: Vec<i64> = history.events.iter().map(|e| e.fields.id).collect();
    let sources = state.store.sources(&ids).await?;
    let body = serde_json::json!({
        "type": "Feature",
        "id": place.id,
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {
            "place": place,
            "control": history.control,
            "events_total": history.events_total,
            "events_url": format!("/api/events?place={}", id),
        },
        "events": FeatureCollection::new(event_features(history.events, sources)),
    });
    Ok(json_as(GEOJSON, &body))
}
