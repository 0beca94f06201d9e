//! The map's data beyond the core API: compact event points for tens of
//! thousands of markers, areas of control as of a date, the governorate
//! capitals for the offline basemap, and the admin boundaries a user gave.

use super::geojson::{json_as, round6, GEOJSON};
use super::params::{AreasAt, Lang, PagedEvents, Query};
use super::AppState;
use crate::areas::FrontLine;
use crate::basemap;
use crate::error::{Error, Result};
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use frontline_store::EventRow;
use geo::MultiPolygon;
use serde::Serialize;
use serde_json::{json, Value};

/// `/api/events/points` answers 20,000 events by default, at most 50,000.
pub type PointsQuery = PagedEvents<20_000, 50_000>;

/// Columns of `/api/events/points`, in row order.
const COLUMNS: [&str; 14] = [
    "id",
    "lat",
    "lon",
    "type",
    "subtype",
    "date",
    "actor",
    "target",
    "fatalities",
    "precision",
    "radius_km",
    "confidence",
    "review",
    "reviewed_at",
];

#[derive(Serialize)]
struct Points {
    columns: [&'static str; 14],
    rows: Vec<Value>,
    /// The cursor for the next page (`after`), or null on the last one.
    next_after: Option<i64>,
    /// First and last event dates in the whole database.
    min_date: Option<String>,
    max_date: Option<String>,
}

/// `GET /api/events/points`: the same filters as `/api/events`, but each
/// event as one short row (no evidence, no sources), up to 50,000 a page.
pub async fn points(
    State(state): State<AppState>,
    Query(PointsQuery { filter, .. }): Query<PointsQuery>,
) -> Result<Response> {
    let page = state.store.events(&filter).await?;
    let (min_date, max_date) = state.store.date_range().await?;
    let rows = page
        .events
        .into_iter()
        .map(
            |EventRow {
                 fields: e,
                 lat,
                 lon,
                 ..
             }| {
                json!([
                    e.id,
                    round6(lat),
                    round6(lon),
                    e.event_type,
                    e.subtype,
                    e.date,
                    e.actor,
                    e.target,
                    e.fatalities,
                    e.precision,
                    e.radius_km,
                    (e.confidence * 100.0).round() / 100.0,
                    e.review,
                    e.reviewed_at
                ])
            },
        )
        .collect();
    Ok(json_as(
        "application/json",
        &Points {
            columns: COLUMNS,
            rows,
            next_after: page.next_after,
            min_date,
            max_date,
        },
    ))
}

/// `GET /api/control/areas?at=YYYY-MM-DD`: a FeatureCollection of
/// MultiPolygons, one per class (`status`: held, contested or unknown;
/// `actor` for held areas; `stale`).
pub async fn areas(
    State(state): State<AppState>,
    Query(AreasAt(at)): Query<AreasAt>,
) -> Result<Response> {
    let map = state.control.at(&state.store, at).await?;
    let features: Vec<Value> = map
        .areas
        .iter()
        .map(|a| {
            let geometry = geojson::Geometry::from(&round_shape(a.shape.clone()));
            json!({
                "type": "Feature",
                "properties": a.class,
                "geometry": geometry,
            })
        })
        .collect();
    Ok(json_as(GEOJSON, &control_collection(&state, at, features)))
}

/// `GET /api/control/frontlines?at=YYYY-MM-DD`: a FeatureCollection of
/// the lines where two sides' areas meet (LineString or MultiLineString),
/// with `sides` (the two actors), `newest_report` (the newest news about
/// the places on either side) and `stale`.
pub async fn front_lines(
    State(state): State<AppState>,
    Query(AreasAt(at)): Query<AreasAt>,
) -> Result<Response> {
    let map = state.control.at(&state.store, at).await?;
    let features: Vec<Value> = map.front_lines.iter().map(front_line_feature).collect();
    Ok(json_as(GEOJSON, &control_collection(&state, at, features)))
}

fn front_line_feature(f: &FrontLine) -> Value {
    let mut shape = f.shape.clone();
    round_coords(&mut shape);
    let geometry = match shape.0.as_slice() {
        [one] => geojson::Geometry::from(one),
        _ => geojson::Geometry::from(&shape),
    };
    json!({
        "type": "Feature",
        "properties": {
            "sides": f.sides,
            "newest_report": f.newest_report.map(|d| d.to_string()),
            "stale": f.stale,
        },
        "geometry": geometry,
    })
}

/// A FeatureCollection with the date and the options it was computed with.
fn control_collection(state: &AppState, at: NaiveDate, features: Vec<Value>) -> Value {
    let o = state.control.options();
    json!({
        "type": "FeatureCollection",
        "at": at.to_string(),
        "options": {
            "reach_km": o.reach_km,
            "contested_km": o.contested_km,
            "stale_days": o.stale_days,
            "stale_penalty_km": o.stale_penalty_km,
        },
        "features": features,
    })
}

/// Five decimals (about a metre) are plenty for areas drawn from towns.
fn round_shape(mut m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    round_coords(&mut m);
    m
}

fn round_coords(g: &mut impl geo::MapCoordsInPlace<f64>) {
    g.map_coords_in_place(
        |c| geo::coord! { x: (c.x * 1e5).round() / 1e5, y: (c.y * 1e5).round() / 1e5 },
    );
}

/// `GET /api/capitals[?lang=en]`: the capitals as GeoJSON points.
pub async fn capitals(
    State(state): State<AppState>,
    Query(Lang { english }): Query<Lang>,
) -> Result<Response> {
    let features: Vec<Value> = basemap::capitals(&state.gazetteer, english)
        .into_iter()
        .map(|c| {
            json!({
                "type": "Feature",
                "properties": {"name": c.name},
                "geometry": {"type": "Point", "coordinates": [round6(c.lon), round6(c.lat)]},
            })
        })
        .collect();
    Ok(json_as(
        GEOJSON,
        &json!({"type": "FeatureCollection", "features": features}),
    ))
}

/// `GET /api/boundaries`: the loaded boundaries, or not found.
pub async fn boundaries(State(state): State<AppState>) -> Result<Response> {
    let b = state.boundaries.as_ref().ok_or_else(|| {
        Error::NotFound("boundaries (start the server with --boundaries FILE.geojson)".into())
    })?;
    Ok(json_as(GEOJSON, &b.geojson))
}
