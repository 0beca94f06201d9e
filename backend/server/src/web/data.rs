//! The map's data beyond the core API: compact event points for tens of
//! thousands of markers, areas of control as of a date, the governorate
//! capitals for the offline basemap, and the admin boundaries a user gave.

use super::WebState;
use crate::api::geojson::{json_as, round6, GEOJSON};
use crate::api::params::{self, Params, EVENT_FILTERS};
use crate::api::AppState;
use crate::areas::{self, AreaOptions, Holder};
use crate::error::{Error, Result};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::Extension;
use chrono::NaiveDate;
use frontline_store::EventRow;
use gazetteer::{Gazetteer, Kind};
use geo::MultiPolygon;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const POINTS_DEFAULT: i64 = 20_000;
pub const POINTS_MAX: i64 = 50_000;

/// Columns of `/api/events/points`, in row order.
const COLUMNS: [&str; 11] = [
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
];

#[derive(Serialize)]
struct Points {
    columns: [&'static str; 11],
    rows: Vec<Value>,
    /// The cursor for the next page (`after`), or null on the last one.
    next_after: Option<i64>,
    /// First and last event dates in the whole database.
    min_date: Option<String>,
    max_date: Option<String>,
}

/// `GET /api/events/points`: the same filters as `/api/events`, but each
/// event as one short row (no evidence, no sources), up to 50,000 a page.
pub async fn points(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response> {
    let mut allowed = EVENT_FILTERS.to_vec();
    allowed.push("after");
    let p = Params::parse(raw.as_deref(), &allowed)?;
    let mut filter = params::event_filter(&p, state.gazetteer(), POINTS_DEFAULT, POINTS_MAX)?;
    filter.after = p.integer("after", 0, i64::MAX)?;
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
                    e.radius_km
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

/// Syria's outline from world-atlas's `countries-50m.json` in the assets.
pub fn load_border(assets: &Path) -> Result<MultiPolygon<f64>, String> {
    let path: PathBuf = assets.join("node_modules/world-atlas/countries-50m.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run `npm ci` in the assets folder)",
            path.display()
        )
    })?;
    areas::country_from_topojson(&text, "countries", "Syria")
}

/// `GET /api/control/areas?at=YYYY-MM-DD`: a FeatureCollection of
/// MultiPolygons, one per class (`status`: held, contested or unknown;
/// `actor` for held areas; `stale`).
pub async fn areas(
    State(state): State<AppState>,
    Extension(web): Extension<Arc<WebState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let p = Params::parse(raw.as_deref(), &["at"])?;
    let at = match p.get("at")? {
        Some(v) => params::date("at", v, true)?,
        None => chrono::Utc::now().date_naive(),
    };
    let border = web.border.clone().ok_or_else(|| {
        Error::Internal(
            "Syria's outline (world-atlas) is not installed in the assets folder".into(),
        )
    })?;
    let holders: Vec<Holder> = state
        .store
        .control_at(at)
        .await?
        .into_iter()
        .map(|c| Holder {
            lat: c.lat,
            lon: c.lon,
            actor: c.actor,
            last_report: c
                .last_report
                .as_deref()
                .or(Some(c.since.as_str()))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        })
        .collect();
    let options = AreaOptions::default();
    let found = tokio::task::spawn_blocking(move || areas::areas(&holders, &border, at, &options))
        .await
        .map_err(|e| Error::Internal(format!("computing areas: {e}")))?;
    let features: Vec<Value> = found
        .into_iter()
        .map(|a| {
            let geometry = geojson::Geometry::from(&round_shape(a.shape));
            json!({
                "type": "Feature",
                "properties": a.class,
                "geometry": geometry,
            })
        })
        .collect();
    Ok(json_as(
        GEOJSON,
        &json!({
            "type": "FeatureCollection",
            "at": at.to_string(),
            "options": {
                "cell_km": options.cell_km,
                "reach_km": options.reach_km,
                "contested_km": options.contested_km,
                "stale_days": options.stale_days,
            },
            "features": features,
        }),
    ))
}

/// Five decimals (about a metre) are plenty for 5 km cells.
fn round_shape(mut m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::MapCoordsInPlace;
    m.map_coords_in_place(
        |c| geo::coord! { x: (c.x * 1e5).round() / 1e5, y: (c.y * 1e5).round() / 1e5 },
    );
    m
}

/// A governorate capital: a name and a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capital {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// The governorate capitals: for each Syrian governorate (placed at its
/// capital in the gazetteer), the city at that point, named in French or
/// English; one label per point.
pub fn capitals(g: &Gazetteer, english: bool) -> Vec<Capital> {
    let places = g.places();
    let mut out: Vec<Capital> = Vec::new();
    for gov in places
        .iter()
        .filter(|p| p.kind == Kind::Governorate && p.in_syria())
    {
        let city = places
            .iter()
            .filter(|p| matches!(p.kind, Kind::City | Kind::Town) && p.in_syria())
            .map(|p| (gazetteer::distance_km(p.lat, p.lon, gov.lat, gov.lon), p))
            .filter(|(d, _)| *d < 5.0)
            .min_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(b.1.population.cmp(&a.1.population))
            })
            .map(|(_, p)| p);
        let name = match (city, english) {
            (Some(c), true) if !c.name_en.is_empty() => c.name_en.clone(),
            (Some(c), _) => c.name().to_string(),
            (None, true) if !gov.admin1.is_empty() => gov.admin1.clone(),
            (None, _) => gov.name().to_string(),
        };
        let (lat, lon) = city.map_or((gov.lat, gov.lon), |c| (c.lat, c.lon));
        if out
            .iter()
            .any(|c| gazetteer::distance_km(c.lat, c.lon, lat, lon) < 1.0)
        {
            continue;
        }
        out.push(Capital { name, lat, lon });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `GET /api/capitals[?lang=en]`: the capitals as GeoJSON points.
pub async fn capitals_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let p = Params::parse(raw.as_deref(), &["lang"])?;
    let english = p.get("lang")? == Some("en");
    let features: Vec<Value> = capitals(state.gazetteer(), english)
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

/// Admin boundaries loaded from a GeoJSON file (`--boundaries`), checked
/// when the flag is read and served as a FeatureCollection.
#[derive(Debug, Clone)]
pub struct Boundaries {
    pub path: PathBuf,
    pub features: usize,
    pub geojson: Arc<Value>,
}

impl Boundaries {
    /// Read and check the file (for clap's `value_parser`).
    pub fn from_file(path: &str) -> Result<Boundaries, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Boundaries::parse(PathBuf::from(path), &text)
    }

    /// Any GeoJSON document: a FeatureCollection, a Feature or a geometry,
    /// kept as a FeatureCollection of its polygon features.
    pub fn parse(path: PathBuf, text: &str) -> Result<Boundaries, String> {
        let doc: geojson::GeoJson = text
            .parse()
            .map_err(|e| format!("{}: not GeoJSON: {e}", path.display()))?;
        let features = match doc {
            geojson::GeoJson::FeatureCollection(fc) => fc.features,
            geojson::GeoJson::Feature(f) => vec![f],
            geojson::GeoJson::Geometry(g) => vec![geojson::Feature {
                geometry: Some(g),
                ..geojson::Feature::default()
            }],
        };
        let features: Vec<geojson::Feature> = features
            .into_iter()
            .filter(|f| {
                f.geometry.as_ref().is_some_and(|g| {
                    matches!(
                        g.value,
                        geojson::Value::Polygon(_)
                            | geojson::Value::MultiPolygon(_)
                            | geojson::Value::LineString(_)
                            | geojson::Value::MultiLineString(_)
                    )
                })
            })
            .collect();
        if features.is_empty() {
            return Err(format!("{}: no polygon or line features", path.display()));
        }
        let n = features.len();
        let fc = geojson::FeatureCollection {
            bbox: None,
            features,
            foreign_members: None,
        };
        let value = serde_json::to_value(&fc).map_err(|e| e.to_string())?;
        Ok(Boundaries {
            path,
            features: n,
            geojson: Arc::new(value),
        })
    }
}

/// `GET /api/boundaries`: the loaded boundaries, or not found.
pub async fn boundaries(Extension(web): Extension<Arc<WebState>>) -> Result<Response> {
    let b = web.boundaries.as_ref().ok_or_else(|| {
        Error::NotFound("boundaries (start the server with --boundaries FILE.geojson)".into())
    })?;
    Ok(json_as(GEOJSON, b.geojson.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_keep_polygon_features() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Idleb"},"geometry":{"type":"Polygon","coordinates":[[[36,35.5],[37,35.5],[37,36.3],[36,36.3],[36,35.5]]]}},
            {"type":"Feature","properties":{"name":"a point"},"geometry":{"type":"Point","coordinates":[36,35]}}]}"#;
        let b = Boundaries::parse("b.geojson".into(), text).unwrap();
        assert_eq!(b.features, 1);
        assert_eq!(b.geojson["features"][0]["properties"]["name"], "Idleb");
        assert!(
            Boundaries::parse("x".into(), "{\"type\":\"Point\",\"coordinates\":[1,2]}").is_err()
        );
        assert!(Boundaries::parse("x".into(), "not json").is_err());
    }

    #[test]
    fn capitals_are_the_governorate_seats_once_each() {
        let g = Gazetteer::builtin().unwrap();
        let fr = capitals(&g, false);
        let names: Vec<&str> = fr.iter().map(|c| c.name.as_str()).collect();
        for want in ["Alep", "Damas", "Homs", "Hama", "Idleb", "Raqqa"] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        // Damascus and Rif Dimashq share a seat: one label.
        assert_eq!(
            names.iter().filter(|n| n.starts_with("Damas")).count(),
            1,
            "{names:?}"
        );
        assert!((12..=14).contains(&fr.len()), "{names:?}");
        let en = capitals(&g, true);
        assert!(en.iter().any(|c| c.name == "Aleppo"), "{en:?}");
    }
}
