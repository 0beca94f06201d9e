//! Reviewing events: a reviewer's JSON body (`PATCH /api/events/{id}`)
//! checked field by field against the vocabulary, the gazetteer and
//! sensible ranges, into the store's [`Review`]. Every bad field is
//! named; none is dropped silently.

use crate::error::{Error, Result};
use chrono::{NaiveDate, Utc};
use frontline_extract::{EventType, Subtype, Vocabulary};
use frontline_store::{PlaceRow, Review, ReviewStatus};
use gazetteer::Gazetteer;
use serde_json::{Map, Value};

/// The fields a review body may carry.
pub const REVIEW_FIELDS: [&str; 15] = [
    "status",
    "note",
    "type",
    "subtype",
    "place_id",
    "lat",
    "lon",
    "precision",
    "date",
    "date_precision",
    "actor",
    "target",
    "fatalities",
    "injured",
    "claimed_by",
];

/// Where a hand-placed point may be: Syria and its neighbours.
const LAT_RANGE: (f64, f64) = (29.0, 40.0);
const LON_RANGE: (f64, f64) = (32.0, 46.0);
/// The most casualties one event may be given.
const MAX_COUNT: i64 = 100_000;
const MAX_NOTE: usize = 2000;

/// The bad fields found so far.
#[derive(Default)]
struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }
}

/// Read a review body for an event whose current type is `current_type`.
pub fn parse_review(
    body: &Map<String, Value>,
    reviewer: &str,
    current_type: &str,
    g: &Gazetteer,
) -> Result<Review> {
    let mut bad = Problems::default();
    for k in body.keys() {
        if !REVIEW_FIELDS.contains(&k.as_str()) {
            bad.add(
                k,
                format!("unknown field (expected {})", REVIEW_FIELDS.join(", ")),
            );
        }
    }
    let mut r = Review {
        reviewer: reviewer.to_string(),
        ..Review::default()
    };
    r.status = status(body, &mut bad);
    r.note = text(body, "note", MAX_NOTE, &mut bad);
    let event_type = event_type(body, current_type, &mut bad, &mut r);
    subtype(body, event_type, &mut bad, &mut r);
    place(body, g, &mut bad, &mut r);
    date(body, &mut bad, &mut r);
    for field in ["actor", "target", "claimed_by"] {
        actor(body, field, &mut bad, &mut r);
    }
    for field in ["fatalities", "injured"] {
        count(body, field, &mut bad, &mut r);
    }
    if bad.0.is_empty() && r.status.is_none() && r.edits.is_empty() {
        bad.add(
            "status",
            "nothing to do: give a status (accepted, rejected) or fields to correct",
        );
    }
    if bad.0.is_empty() {
        Ok(r)
    } else {
        Err(Error::Fields(bad.0))
    }
}

fn status(body: &Map<String, Value>, bad: &mut Problems) -> Option<ReviewStatus> {
    let v = body.get("status")?;
    match v.as_str().and_then(ReviewStatus::parse) {
        Some(s @ (ReviewStatus::Accepted | ReviewStatus::Rejected)) => Some(s),
        _ => {
            bad.add("status", format!("{v} is not \"accepted\" or \"rejected\""));
            None
        }
    }
}

/// A text field of at most `max` characters (absent or null: none).
fn text(body: &Map<String, Value>, field: &str, max: usize, bad: &mut Problems) -> Option<String> {
    match body.get(field)? {
        Value::Null => None,
        Value::String(s) if s.chars().count() <= max => Some(s.trim().to_string()),
        Value::String(_) => {
            bad.add(field, format!("is longer than {max} characters"));
            None
        }
        v => {
            bad.add(field, format!("{v} is not a text"));
            None
        }
    }
}

/// The type the event will have (the new one when valid, else its own).
fn event_type(
    body: &Map<String, Value>,
    current: &str,
    bad: &mut Problems,
    r: &mut Review,
) -> Option<EventType> {
    let Some(v) = body.get("type") else {
        return EventType::parse(current);
    };
    match v.as_str().and_then(EventType::parse) {
        Some(t) => {
            r.edits.push(("type", t.as_str().into()));
            // A type without subtypes clears the old one.
            if t.subtypes().is_empty() && !body.contains_key("subtype") {
                r.edits.push(("subtype", Value::Null));
            }
            Some(t)
        }
        None => {
            let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            bad.add(
                "type",
                format!(
                    "{v} is not an event type (expected one of {})",
                    known.join(", ")
                ),
            );
            None
        }
    }
}

fn subtype(
    body: &Map<String, Value>,
    event_type: Option<EventType>,
    bad: &mut Problems,
    r: &mut Review,
) {
    let Some(v) = body.get("subtype") else {
        return;
    };
    if v.is_null() {
        r.edits.push(("subtype", Value::Null));
        return;
    }
    let allowed: Vec<&str> = event_type
        .map(|t| t.subtypes().iter().map(|s| s.as_str()).collect())
        .unwrap_or_default();
    match v.as_str().and_then(Subtype::parse) {
        Some(s) if allowed.contains(&s.as_str()) => r.edits.push(("subtype", s.as_str().into())),
        _ if allowed.is_empty() => bad.add(
            "subtype",
            format!("{v}: this event type takes no subtype (give null)"),
        ),
        _ => bad.add(
            "subtype",
            format!(
                "{v} is not a subtype of this type (expected one of {})",
                allowed.join(", ")
            ),
        ),
    }
}

/// `place_id` (a gazetteer place), or `lat` and `lon`; `precision` with
/// either.
fn place(body: &Map<String, Value>, g: &Gazetteer, bad: &mut Problems, r: &mut Review) {
    let precision = match body.get("precision") {
        None => None,
        Some(v) => match v
            .as_str()
            .filter(|p| ["exact", "near", "region"].contains(p))
        {
            Some(p) => Some(p.to_string()),
            None => {
                bad.add("precision", format!("{v} is not exact, near or region"));
                return;
            }
        },
    };
    let point = coordinates(body, bad);
    if let Some(v) = body.get("place_id") {
        let found = v.as_str().and_then(|id| g.by_id(id));
        let Some(pid) = found else {
            bad.add(
                "place_id",
                format!("{v} is not a place of the gazetteer (find ids with /api/places?q=)"),
            );
            return;
        };
        let row = PlaceRow::from(g.place(pid));
        let (lat, lon) = point.unwrap_or((row.lat, row.lon));
        r.edits.push(("place_id", row.id.clone().into()));
        r.edits.push(("place", row.name.clone().into()));
        push_point(r, lat, lon, precision.as_deref().unwrap_or("exact"));
        r.place = Some(row);
    } else if let Some((lat, lon)) = point {
        push_point(r, lat, lon, precision.as_deref().unwrap_or("exact"));
    } else if precision.is_some() {
        bad.add("precision", "goes with place_id or lat and lon");
    }
}

fn push_point(r: &mut Review, lat: f64, lon: f64, precision: &str) {
    r.edits.push(("lat", lat.into()));
    r.edits.push(("lon", lon.into()));
    r.edits.push(("precision", precision.into()));
    if precision == "exact" {
        r.edits.push(("radius_km", 0.0.into()));
    }
}

/// `lat` and `lon`, both or neither, within the region.
fn coordinates(body: &Map<String, Value>, bad: &mut Problems) -> Option<(f64, f64)> {
    let one = |field: &str, (min, max): (f64, f64), bad: &mut Problems| {
        let v = body.get(field)?;
        match v.as_f64().filter(|x| (min..=max).contains(x)) {
            Some(x) => Some(x),
            None => {
                bad.add(field, format!("{v} is not a number from {min} to {max}"));
                None
            }
        }
    };
    let lat = one("lat", LAT_RANGE, bad);
    let lon = one("lon", LON_RANGE, bad);
    match (body.contains_key("lat"), body.contains_key("lon")) {
        (true, false) => bad.add("lon", "is needed with lat"),
        (false, true) => bad.add("lat", "is needed with lon"),
        _ => {}
    }
    lat.zip(lon)
}

/// `date` (`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or null) with its
/// `date_precision` (day, month, year; unknown for null), each implied by
/// the other when absent.
fn date(body: &Map<String, Value>, bad: &mut Problems, r: &mut Review) {
    let given = body.get("date");
    let precision = body.get("date_precision");
    if given.is_none() && precision.is_none() {
        return;
    }
    let Some(given) = given else {
        bad.add("date", "is needed with date_precision");
        return;
    };
    let (day, implied) = match given {
        Value::Null => (None, "unknown"),
        Value::String(s) => match parse_date(s) {
            Some(d) => d,
            None => {
                bad.add(
                    "date",
                    format!("{s:?} is not a date from 1900 to today (YYYY-MM-DD, YYYY-MM or YYYY)"),
                );
                return;
            }
        },
        v => {
            bad.add("date", format!("{v} is not a date text"));
            return;
        }
    };
    if let Some(p) = precision {
        if p.as_str() != Some(implied) {
            bad.add(
                "date_precision",
                format!("{p} does not fit the date (it reads as {implied})"),
            );
            return;
        }
    }
    r.edits.push(("date", day.map(|d| d.to_string()).into()));
    r.edits.push(("date_precision", implied.into()));
}

/// A date and its precision, from its written form.
fn parse_date(s: &str) -> Option<(Option<NaiveDate>, &'static str)> {
    let s = s.trim();
    let (full, precision) = match s.len() {
        10 => (s.to_string(), "day"),
        7 => (format!("{s}-01"), "month"),
        4 => (format!("{s}-01-01"), "year"),
        _ => return None,
    };
    let d = NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()?;
    let ok = d >= NaiveDate::from_ymd_opt(1900, 1, 1)? && d <= Utc::now().date_naive();
    ok.then_some((Some(d), precision))
}

/// An actor field: null or a canonical actor of the vocabulary.
fn actor(body: &Map<String, Value>, field: &'static str, bad: &mut Problems, r: &mut Review) {
    let Some(v) = body.get(field) else {
        return;
    };
    if v.is_null() {
        r.edits.push((field, Value::Null));
        return;
    }
    match v
        .as_str()
        .and_then(|name| Vocabulary::builtin().actor(name))
    {
        Some(a) => r.edits.push((field, a.name.clone().into())),
        None => bad.add(
            field,
            format!("{v} is not an actor of the vocabulary (see /api/vocabulary)"),
        ),
    }
}

fn count(body: &Map<String, Value>, field: &'static str, bad: &mut Problems, r: &mut Review) {
    let Some(v) = body.get(field) else {
        return;
    };
    if v.is_null() {
        r.edits.push((field, Value::Null));
        return;
    }
    match v.as_i64().filter(|n| (0..=MAX_COUNT).contains(n)) {
        Some(n) => r.edits.push((field, n.into())),
        None => bad.add(
            field,
            format!("{v} is not a whole number from 0 to {MAX_COUNT}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Review> {
        let g = Gazetteer::builtin().unwrap();
        let body: Map<String, Value> = serde_json::from_str(json).unwrap();
        parse_review(&body, "alice", "strike", &g)
    }

    fn bad_fields(json: &str) -> Vec<String> {
        match parse(json) {
            Err(Error::Fields(f)) => f.into_iter().map(|(k, _)| k).collect(),
            other => panic!("{json}: {other:?}"),
        }
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(
            bad_fields(r#"{"status": "maybe", "type": "battle", "fatalities": -1, "colour": 1}"#),
            ["colour", "status", "type", "fatalities"]
        );
        assert_eq!(bad_fields(r#"{"subtype": "car_bomb"}"#), ["subtype"]);
        assert_eq!(bad_fields(r#"{"place_id": "atlantis"}"#), ["place_id"]);
        assert_eq!(bad_fields(r#"{"lat": 36.2}"#), ["lon"]);
        assert_eq!(bad_fields(r#"{"lat": 1.0, "lon": 37.0}"#), ["lat"]);
        assert_eq!(bad_fields(r#"{"date": "2016-13-01"}"#), ["date"]);
        assert_eq!(
            bad_fields(r#"{"date": "2016-12", "date_precision": "day"}"#),
            ["date_precision"]
        );
        assert_eq!(bad_fields(r#"{"actor": "Martians"}"#), ["actor"]);
        assert_eq!(bad_fields(r#"{"precision": "exact"}"#), ["precision"]);
        assert_eq!(bad_fields(r#"{}"#), ["status"]);
    }

    #[test]
    fn good_fields_become_edits() {
        let r = parse(r#"{"status": "accepted", "note": " ok "}"#).unwrap();
        assert_eq!(
            (r.status, r.edits.len(), r.note.as_deref()),
            (Some(ReviewStatus::Accepted), 0, Some("ok"))
        );
        let r = parse(r#"{"type": "clash", "date": "2016-12", "fatalities": 4, "actor": null}"#)
            .unwrap();
        let names: Vec<&str> = r.edits.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "type",
                "subtype",
                "date",
                "date_precision",
                "actor",
                "fatalities"
            ]
        );
        assert!(r.edits.contains(&("date", "2016-12-01".into())));
        assert!(r.edits.contains(&("date_precision", "month".into())));
        let g = Gazetteer::builtin().unwrap();
        let some_place = g.place(0).id.clone();
        let r = parse(&format!(r#"{{"place_id": "{some_place}"}}"#)).unwrap();
        assert_eq!(
            r.place.as_ref().map(|p| p.id.as_str()),
            Some(some_place.as_str())
        );
        assert!(r.edits.contains(&("precision", "exact".into())));
    }
}
