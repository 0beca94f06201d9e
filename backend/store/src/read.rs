//! Reading: filtered, paged events; control as of a date; place history.

use super::{EventRow, PlaceRow};
use crate::review::ReviewFilter;
use chrono::NaiveDate;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// West, south, east, north in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

/// Which events to return. Lists match any of their values; `actors`
/// match the actor or the target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    pub bbox: Option<Bbox>,
    pub types: Vec<String>,
    pub subtypes: Vec<String>,
    pub actors: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub place: Option<String>,
    pub min_fatalities: Option<i64>,
    /// Only events whose extraction confidence is at least this.
    pub min_confidence: Option<f64>,
    /// Words that must all occur in the evidence.
    pub words: Vec<String>,
    /// Keyset paging: only events with a larger id.
    pub after: Option<i64>,
    /// Only these events (none: all).
    pub ids: Vec<i64>,
    /// Offset paging (OGC API): events to skip.
    pub offset: Option<i64>,
    pub limit: i64,
    /// Rejected events are never listed; `Checked` lists only the events
    /// a human accepted or corrected.
    pub review: ReviewFilter,
}

/// One page of events, in id order.
#[derive(Debug, Clone, Default)]
pub struct EventPage {
    pub events: Vec<EventRow>,
    /// The id to continue after, when more events match.
    pub next_after: Option<i64>,
}

/// One page of events as GeoJSON Feature texts, built by SQLite.
#[derive(Debug, Clone, Default)]
pub struct FeaturePage {
    pub features: Vec<String>,
    pub next_after: Option<i64>,
}

/// The serde names of [`EventFields`](crate::EventFields), in their
/// order; they are also the columns of `events`.
pub fn event_field_names() -> Vec<String> {
    // Serialising the struct writes its keys in declaration order; reading
    // them back as a map's keys keeps that order (a JSON `Map` would sort).
    struct Keys(Vec<String>);
    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Keys, D::Error> {
            struct InOrder;
            impl<'de> Visitor<'de> for InOrder {
                type Value = Keys;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> std::result::Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some((k, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                        keys.push(k);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(InOrder)
        }
    }
    serde_json::to_string(&crate::EventFields::default())
        .and_then(|json| serde_json::from_str::<Keys>(&json))
        .map(|k| k.0)
        .unwrap_or_default()
}

/// A place's latest controller as of a date.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ControlPoint {
    pub place_id: String,
    pub place: String,
    pub kind: String,
    pub admin1: String,
    pub lat: f64,
    pub lon: f64,
    /// The event that says so.
    pub event_id: i64,
    /// Who took control, or `None` when the news does not say.
    pub actor: Option<String>,
    /// Who lost it.
    pub target: Option<String>,
    /// Date of that news.
    pub since: String,
    pub date_precision: String,
    pub source_count: i64,
    /// Latest news of any kind about the place up to the date.
    pub last_report: Option<String>,
}

/// One step in a place's control history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ControlStep {
    pub event_id: i64,
    pub date: Option<String>,
    pub date_precision: String,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub source_count: i64,
    pub evidence: String,
}

/// A place, who controlled it when, and what happened there.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceHistory {
    pub place: Option<PlaceRow>,
    pub control: Vec<ControlStep>,
    /// The latest events, newest first.
    pub events: Vec<EventRow>,
    pub events_total: i64,
}

impl EventFilter {
    /// Whether the filter asks nothing beyond the box and the paging, so
    /// that the spatial index alone answers it. Any other field, present
    /// or added later, is a condition of the engines' filters and makes this
    /// false without being listed here.
    pub(crate) fn only_box(&self) -> bool {
        *self
            == EventFilter {
                bbox: self.bbox,
                after: self.after,
                offset: self.offset,
                limit: self.limit,
                ..EventFilter::default()
            }
    }
}
