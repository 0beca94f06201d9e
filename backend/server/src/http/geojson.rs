//! GeoJSON (RFC 7946) documents for events, control points and places.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use frontline_store::{EventFields, EventRow, SourceRow};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

pub const GEOJSON: &str = "application/geo+json";

#[derive(Debug, Serialize)]
pub struct FeatureCollection<P> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub features: Vec<Feature<P>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The next page's URL, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    #[serde(rename = "timeStamp", skip_serializing_if = "Option::is_none")]
    pub time_stamp: Option<String>,
}

impl<P> FeatureCollection<P> {
    pub fn new(features: Vec<Feature<P>>) -> Self {
        FeatureCollection {
            kind: "FeatureCollection",
            number_returned: features.len(),
            features,
            links: Vec::new(),
            next: None,
            time_stamp: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Feature<P> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: Value,
    pub geometry: Point,
    pub properties: P,
}

impl<P> Feature<P> {
    pub fn new(id: impl Into<Value>, lon: f64, lat: f64, properties: P) -> Self {
        Feature {
            kind: "Feature",
            id: id.into(),
            geometry: Point::new(lon, lat),
            properties,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Point {
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Longitude, latitude.
    pub coordinates: [f64; 2],
}

impl Point {
    pub fn new(lon: f64, lat: f64) -> Self {
        Point {
            kind: "Point",
            coordinates: [round6(lon), round6(lat)],
        }
    }
}

/// Six decimals: about 10 cm, more than any event's precision.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub rel: &'static str,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub media: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Link {
    pub fn new(href: impl Into<String>, rel: &'static str, media: &'static str) -> Self {
        Link {
            href: href.into(),
            rel,
            media: Some(media),
            title: None,
        }
    }

    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// A source of an event as listed with it.
#[derive(Debug, Serialize)]
pub struct Source {
    pub article_id: i64,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    /// What this source said (single-event view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Only in the single-event view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_spans: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<SourceDetail>,
}

/// What this source alone said (single-event view).
#[derive(Debug, Serialize)]
pub struct SourceDetail {
    pub actor: Option<String>,
    pub target: Option<String>,
    pub fatalities: Option<i64>,
    pub injured: Option<i64>,
    pub claimed_by: Option<String>,
    pub confidence: f64,
}

impl Source {
    pub fn from_row(s: SourceRow, detailed: bool) -> Self {
        let (evidence_spans, detail) = if detailed {
            (
                Some(spans(&s.evidence_spans)),
                Some(SourceDetail {
                    actor: s.actor,
                    target: s.target,
                    fatalities: s.fatalities,
                    injured: s.injured,
                    claimed_by: s.claimed_by,
                    confidence: s.confidence,
                }),
            )
        } else {
            (None, None)
        };
        Source {
            article_id: s.article_id,
            url: s.url,
            title: s.title,
            source: s.source,
            published: s.published,
            evidence: detailed.then_some(s.evidence),
            evidence_spans,
            detail,
        }
    }
}

fn spans(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Array(Vec::new()))
}

/// Every property of an event: its fields, its evidence spans and its
/// sources. The same document as the features SQLite builds for
/// `/api/events` (the store generates that SQL from the same fields).
#[derive(Debug, Serialize)]
pub struct EventProperties {
    #[serde(flatten)]
    pub fields: EventFields,
    pub evidence_spans: Value,
    pub sources: Vec<Source>,
}

pub fn event_feature(
    e: EventRow,
    sources: Vec<SourceRow>,
    detailed: bool,
) -> Feature<EventProperties> {
    Feature::new(
        e.fields.id,
        e.lon,
        e.lat,
        EventProperties {
            fields: e.fields,
            evidence_spans: spans(&e.evidence_spans),
            sources: sources
                .into_iter()
                .map(|s| Source::from_row(s, detailed))
                .collect(),
        },
    )
}

pub fn event_features(
    events: Vec<EventRow>,
    mut sources: HashMap<i64, Vec<SourceRow>>,
) -> Vec<Feature<EventProperties>> {
    events
        .into_iter()
        .map(|e| {
            let s = sources.remove(&e.fields.id).unwrap_or_default();
            event_feature(e, s, false)
        })
        .collect()
}

/// A JSON body with the given media type.
pub fn json_as<T: Serialize>(media: &'static str, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let mut res = body.into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
            res
        }
        Err(e) => crate::error::Error::Internal(format!("serialising JSON: {e}")).into_response(),
    }
}
