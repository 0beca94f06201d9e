//! OGC API – Features (Part 1: Core, GeoJSON) over the events, under
//! `/ogc`, so GIS tools (QGIS, GDAL's `OAPIF:` driver) load them as a layer.

use super::geojson::{json_as, Feature, FeatureCollection, Link, GEOJSON};
use super::params::{self, FromQuery, Params, Query};
use super::{event_with_sources, path_id, with_query, AppState, BaseUrl};
use crate::error::{Error, Result};
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use frontline_store::EventFilter;
use frontline_store::{EventFields, EventRow, SourceRow};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

const JSON: &str = "application/json";
const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// Syria and its borders, for the collection's extent.
const SYRIA: [f64; 4] = [35.5, 32.3, 42.5, 37.4];
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 10_000;

/// `f=json` (or geojson) is the only format; anything else is refused.
fn check_format(p: &Params) -> Result<()> {
    match p.get("f")? {
        None
        | Some("json")
        | Some("geojson")
        | Some("application/json")
        | Some("application/geo+json") => Ok(()),
        Some(other) => Err(Error::param(
            "f",
            format!("unsupported format {other:?} (only json)"),
        )),
    }
}

/// The parameters of the pages that take only `f`, checked.
pub struct JsonFormat;

impl FromQuery for JsonFormat {
    const ALLOWED: &'static [&'static str] = &["f"];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        check_format(p).map(|()| JsonFormat)
    }
}

pub async fn landing(BaseUrl(base): BaseUrl, _: Query<JsonFormat>) -> Result<Response> {
    let base = format!("{base}/ogc");
    let links = vec![
        Link::new(base.clone(), "self", JSON).titled("This document"),
        Link::new(format!("{base}/api"), "service-desc", OPENAPI).titled("The API definition"),
        Link::new(format!("{base}/conformance"), "conformance", JSON).titled("Conformance classes"),
        Link::new(format!("{base}/collections"), "data", JSON).titled("Collections"),
    ];
    Ok(json_as(
        JSON,
        &json!({
            "title": "Frontline",
            "description": "Events of the war in Syria extracted from French news: control changes, strikes, explosions, clashes, civilian targeting.",
            "links": links,
        }),
    ))
}

/// A short OpenAPI 3.0 description of the OGC endpoints.
pub async fn openapi(BaseUrl(base): BaseUrl) -> Response {
    let base = format!("{base}/ogc");
    let param = |name: &str, kind: &str, description: &str| json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": kind}});
    let ok = |media: &str| json!({"200": {"description": "OK", "content": {media: {}}}});
    json_as(
        OPENAPI,
        &json!({
            "openapi": "3.0.3",
            "info": {"title": "Frontline OGC API – Features", "version": env!("CARGO_PKG_VERSION")},
            "servers": [{"url": base}],
            "paths": {
                "/": {"get": {"summary": "Landing page", "responses": ok(JSON)}},
                "/conformance": {"get": {"summary": "Conformance classes", "responses": ok(JSON)}},
                "/collections": {"get": {"summary": "Collections", "responses": ok(JSON)}},
                "/collections/events": {"get": {"summary": "The events collection", "responses": ok(JSON)}},
                "/collections/events/items": {"get": {
                    "summary": "Events",
                    "parameters": [
                        param("bbox", "string", "west,south,east,north in degrees (CRS84)"),
                        param("datetime", "string", "a date or an interval a/b, `..` for an open end"),
                        param("limit", "integer", "at most this many features (1 to 10000, default 100)"),
                        param("offset", "integer", "features to skip"),
                        param("type", "string", "event types, comma-separated"),
                        param("subtype", "string", "event subtypes, comma-separated"),
                        param("actor", "string", "actors (either side), comma-separated"),
                    ],
                    "responses": ok(GEOJSON),
                }},
                "/collections/events/items/{featureId}": {"get": {
                    "summary": "One event",
                    "parameters": [{"name": "featureId", "in": "path", "required": true, "schema": {"type": "integer"}}],
                    "responses": ok(GEOJSON),
                }},
            },
        }),
    )
}

pub async fn conformance(_: Query<JsonFormat>) -> Result<Response> {
    Ok(json_as(
        JSON,
        &json!({
            "conformsTo": [
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            ]
        }),
    ))
}

async fn collection_doc(state: &AppState, base: &str) -> Result<serde_json::Value> {
    let (first, last) = state.store.date_range().await?;
    let to_instant = |d: Option<String>| d.map(|d| format!("{d}T00:00:00Z"));
    let href = format!("{base}/collections/events");
    Ok(json!({
        "id": "events",
        "title": "Events",
        "description": "One feature per event, with its date, actors, casualties, evidence and sources.",
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {"bbox": [SYRIA], "crs": CRS84},
            "temporal": {"interval": [[to_instant(first), to_instant(last)]]},
        },
        "links": [
            Link::new(href.clone(), "self", JSON),
            Link::new(format!("{href}/items"), "items", GEOJSON).titled("Events as GeoJSON"),
        ],
    }))
}

pub async fn collections(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    _: Query<JsonFormat>,
) -> Result<Response> {
    let base = format!("{base}/ogc");
    let events = collection_doc(&state, &base).await?;
    Ok(json_as(
        JSON,
        &json!({
            "links": [Link::new(format!("{base}/collections"), "self", JSON)],
            "collections": [events],
        }),
    ))
}

pub async fn collection(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    _: Query<JsonFormat>,
) -> Result<Response> {
    let base = format!("{base}/ogc");
    Ok(json_as(JSON, &collection_doc(&state, &base).await?))
}

/// Flat properties, as GIS layers want them: the event's fields and its
/// sources as one string (no nested evidence spans).
#[derive(Serialize)]
struct Flat {
    #[serde(flatten)]
    fields: EventFields,
    /// Source URLs (or names), separated by ` ; `.
    sources: String,
}

fn flat(e: EventRow, sources: &[SourceRow]) -> Feature<Flat> {
    let list: Vec<String> = sources
        .iter()
        .map(|s| {
            s.url
                .clone()
                .or_else(|| s.source.clone())
                .unwrap_or_else(|| format!("article {}", s.article_id))
        })
        .collect();
    Feature::new(
        e.fields.id,
        e.lon,
        e.lat,
        Flat {
            fields: e.fields,
            sources: list.join(" ; "),
        },
    )
}

/// `datetime`: an instant or date, or an interval `a/b` with `..` (or
/// nothing) for an open end.
fn datetime(v: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let one = |s: &str, end: bool| -> Result<Option<NaiveDate>> {
        let s = s.trim();
        if s.is_empty() || s == ".." {
            return Ok(None);
        }
        let day = s.split('T').next().unwrap_or(s);
        params::date("datetime", day, end).map(Some)
    };
    match v.split_once('/') {
        Some((a, b)) => {
            let (from, to) = (one(a, false)?, one(b, true)?);
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(Error::param(
                        "datetime",
                        format!("the interval {v:?} ends before it starts"),
                    ));
                }
            }
            Ok((from, to))
        }
        None => {
            let d = one(v, false)?
                .ok_or_else(|| Error::param("datetime", "an instant cannot be open"))?;
            Ok((Some(d), one(v, true)?))
        }
    }
}

/// The parameters of the items page: `limit`, `bbox`, `type`, `subtype`
/// and `actor` as `/api/events` takes them; `offset` and `datetime` are
/// OGC's own. The parameters are kept for the links.
pub struct Items {
    filter: EventFilter,
    params: Params,
}

impl FromQuery for Items {
    const ALLOWED: &'static [&'static str] = &[
        "bbox", "datetime", "limit", "offset", "f", "type", "subtype", "actor", "review",
    ];

    fn from_query(p: &Params, state: &AppState) -> Result<Self> {
        check_format(p)?;
        let mut filter = params::event_filter(p, &state.gazetteer, DEFAULT_LIMIT, MAX_LIMIT)?;
        filter.offset = p.integer("offset", 0, i64::MAX)?;
        if let Some(v) = p.get("datetime")? {
            (filter.from, filter.to) = datetime(v)?;
        }
        Ok(Items {
            filter,
            params: p.clone(),
        })
    }
}

/// `GET /ogc/collections/events/items?bbox=&datetime=&limit=&offset=`
pub async fn items(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Query(Items { filter, params: p }): Query<Items>,
) -> Result<Response> {
    let page = state.store.events(&filter).await?;
    let ids: Vec<i64> = page.events.iter().map(|e| e.fields.id).collect();
    let mut sources: HashMap<i64, Vec<SourceRow>> = state.store.sources(&ids).await?;
    let features: Vec<Feature<Flat>> = page
        .events
        .into_iter()
        .map(|e| {
            let s = sources.remove(&e.fields.id).unwrap_or_default();
            flat(e, &s)
        })
        .collect();
    let mut fc = FeatureCollection::new(features);
    let base = format!("{base}/ogc/collections/events");
    let here = p.without(&[]);
    fc.links.push(Link::new(
        with_query(&format!("{base}/items"), &here),
        "self",
        GEOJSON,
    ));
    fc.links.push(Link::new(base.clone(), "collection", JSON));
    if page.next_after.is_some() {
        // A next page means the query consumed `limit` rows, some of which
        // the exact bbox test may have dropped afterwards: the next page
        // starts after all of them, not after the features returned.
        let mut next = p.without(&["offset"]);
        next.push((
            "offset".into(),
            filter
                .offset
                .unwrap_or(0)
                .saturating_add(filter.limit)
                .to_string(),
        ));
        let href = with_query(&format!("{base}/items"), &next);
        fc.links.push(Link::new(href, "next", GEOJSON));
    }
    fc.time_stamp = Some(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string());
    Ok(json_as(GEOJSON, &fc))
}

pub async fn item(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = path_id("feature", &id)?;
    let (event, sources) = event_with_sources(&state.store, "feature", id).await?;
    let base = format!("{base}/ogc/collections/events");
    let f = flat(event, &sources);
    let mut doc = serde_json::to_value(&f).map_err(|e| Error::Internal(e.to_string()))?;
    doc["links"] = json!([
        Link::new(format!("{base}/items/{id}"), "self", GEOJSON),
        Link::new(base, "collection", JSON),
    ]);
    Ok(json_as(GEOJSON, &doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_takes_instants_and_intervals() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            datetime("2016-12-22").unwrap(),
            (d("2016-12-22"), d("2016-12-22"))
        );
        assert_eq!(
            datetime("2016-12-22T10:00:00Z").unwrap(),
            (d("2016-12-22"), d("2016-12-22"))
        );
        assert_eq!(datetime("2016-01-01/..").unwrap(), (d("2016-01-01"), None));
        assert_eq!(
            datetime("../2016-12-31T23:59:59Z").unwrap(),
            (None, d("2016-12-31"))
        );
        assert!(datetime("2017-01-01/2016-01-01").is_err());
        assert!(datetime("yesterday").is_err());
    }
}
