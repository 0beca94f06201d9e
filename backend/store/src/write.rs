//! Writing: articles with their events, one transaction per article, and
//! the merging of one event reported by several articles.

use super::PlaceRow;
use frontline_extract::article::Article;
use frontline_extract::{same_happening, Event, Happening, Subtype};
use gazetteer::distance_km;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The SHA-256 of an article's text, in hex: its identity in the store.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.trim().as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// What storing one article did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Added {
    pub article_id: i64,
    /// False when the same text was already stored: nothing changed.
    pub new: bool,
    /// Every event the article reports, in extraction order.
    pub event_ids: Vec<i64>,
    /// Events created by this article.
    pub events_added: usize,
    /// Events already reported by another article, now with one more source.
    pub events_merged: usize,
    /// The text was a near-duplicate of the stored article `article_id`,
    /// and was folded into it as another source (nothing else changed).
    pub folded: bool,
}

impl Added {
    /// Count one extracted event tied to the article (an event two of its
    /// extractions merge into is listed once).
    pub(crate) fn count(&mut self, event_id: i64, created: bool) {
        if !self.event_ids.contains(&event_id) {
            self.event_ids.push(event_id);
        }
        if created {
            self.events_added += 1;
        } else {
            self.events_merged += 1;
        }
    }
}

/// What re-extracting one article changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Replaced {
    pub events_before: usize,
    pub events_after: usize,
    /// Events that no article reports any more.
    pub events_removed: usize,
    pub events_added: usize,
}

/// One prepared event written in bulk (generated data for benchmarks, copies).
#[derive(Debug, Clone)]
pub struct BulkEvent {
    pub event: Event,
    pub place: PlaceRow,
    /// Index into the batch's articles.
    pub article: usize,
}

/// `YYYY-MM-DD` for the schema's `YYYY-MM-DD`, `YYYY-MM` and `YYYY`.
pub(crate) fn full_date(date: Option<&str>) -> Option<String> {
    let d = date?.trim();
    let full = match d.len() {
        10 => d.to_string(),
        7 => format!("{d}-01"),
        4 => format!("{d}-01-01"),
        _ => return None,
    };
    chrono::NaiveDate::parse_from_str(&full, "%Y-%m-%d")
        .ok()
        .map(|_| full)
}

pub(crate) fn spans_json(e: &Event) -> String {
    serde_json::to_string(&e.evidence_spans).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn count_i64(n: Option<u64>) -> Option<i64> {
    n.and_then(|n| i64::try_from(n).ok())
}

/// About 5 km in latitude and, at Syrian latitudes, in longitude: the box
/// the store searches for candidates before [`nearest_same_happening`]
/// measures the distance.
pub(crate) const CANDIDATE_BOX: (f64, f64) = (0.05, 0.07);

/// What deciding a merge needs of a stored event: its matching keys (the
/// machine's values for an edited event).
#[derive(sqlx::FromRow)]
pub(crate) struct Candidate {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub actor: Option<String>,
    pub subtype: Option<String>,
}

/// Among stored events of the same type, day and date precision as `e`
/// (dated `day`), the nearest one reporting the same happening, with its
/// distance in km.
pub(crate) fn nearest_same_happening(
    e: &Event,
    day: &str,
    candidates: &[Candidate],
) -> Option<(i64, f64)> {
    let new = Happening {
        event_type: e.event_type,
        subtype: e.subtype,
        date: Some(day),
        date_precision: e.date_precision,
        lat: e.lat,
        lon: e.lon,
        actor: e.actor.as_deref(),
    };
    let mut found: Option<(i64, f64)> = None;
    for c in candidates {
        // (Type, day and precision were matched by the query.)
        let stored = Happening {
            subtype: c.subtype.as_deref().and_then(Subtype::parse),
            lat: c.lat,
            lon: c.lon,
            actor: c.actor.as_deref(),
            ..new
        };
        let d = distance_km(e.lat, e.lon, c.lat, c.lon);
        if same_happening(&new, &stored) && found.is_none_or(|(_, best)| d < best) {
            found = Some((c.id, d));
        }
    }
    found
}

/// One source of an event as its `sources` JSON lists it (fields in
/// this order, as SQLite's `json_object` writes them).
#[derive(Debug, Serialize, sqlx::FromRow)]
pub(crate) struct SourceRef {
    pub article_id: Option<i64>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
}

/// The `sources` JSON text of an event: compact, one object per source.
pub(crate) fn sources_json(sources: &[SourceRef]) -> String {
    serde_json::to_string(sources).unwrap_or_else(|_| "[]".into())
}

/// The `sources` JSON of an event written in bulk: its one article.
pub(crate) fn bulk_sources_json(article: Option<&Article>, article_id: Option<i64>) -> String {
    sources_json(&[SourceRef {
        article_id,
        url: article.and_then(|a| a.url.clone()),
        title: article.and_then(|a| a.title.clone()),
        source: article.and_then(|a| a.source.clone()),
        published: article.and_then(|a| a.published).map(|d| d.to_string()),
    }])
}

/// The distinct places of a bulk batch, by id.
pub(crate) fn bulk_places(events: &[BulkEvent]) -> Vec<&PlaceRow> {
    let mut places: Vec<&PlaceRow> = events.iter().map(|e| &e.place).collect();
    places.sort_by(|a, b| a.id.cmp(&b.id));
    places.dedup_by(|a, b| a.id == b.id);
    places
}

/// The article id of each bulk event, or an error naming the first event
/// that refers to an article outside the batch.
pub(crate) fn bulk_article_ids(
    events: &[BulkEvent],
    article_ids: &[i64],
) -> crate::Result<Vec<i64>> {
    events
        .iter()
        .map(|s| {
            article_ids.get(s.article).copied().ok_or_else(|| {
                crate::Error::Inconsistent(format!(
                    "bulk event refers to article {}, beyond the batch",
                    s.article
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_extract::dates::DatePrecision;
    use frontline_extract::EventType;
    use gazetteer::Precision;

    fn strike(lat: f64, lon: f64, actor: Option<&str>) -> Event {
        Event {
            event_type: EventType::Strike,
            subtype: None,
            place: "p".into(),
            place_id: "p".into(),
            lat,
            lon,
            precision: Precision::Exact,
            radius_km: 0.0,
            date: Some("2016-12-22".into()),
            date_precision: DatePrecision::Day,
            actor: actor.map(String::from),
            target: None,
            fatalities: None,
            injured: None,
            claimed_by: None,
            evidence: "e".into(),
            evidence_spans: Vec::new(),
            confidence: 0.5,
        }
    }

    fn candidate(id: i64, lat: f64, lon: f64, actor: Option<&str>) -> Candidate {
        Candidate {
            id,
            lat,
            lon,
            actor: actor.map(String::from),
            subtype: None,
        }
    }

    #[test]
    fn the_nearest_agreeing_candidate_is_the_happening() {
        let e = strike(36.2, 37.16, Some("Russia"));
        let found = nearest_same_happening(
            &e,
            "2016-12-22",
            &[
                candidate(1, 36.23, 37.16, None),
                candidate(2, 36.2, 37.161, Some("Syrian government")),
                candidate(3, 36.201, 37.16, Some("Russia")),
            ],
        );
        assert_eq!(found.map(|(id, _)| id), Some(3));
        assert_eq!(nearest_same_happening(&e, "2016-12-22", &[]), None);
    }

    #[test]
    fn a_bulk_event_beyond_its_batch_is_refused() {
        let e = BulkEvent {
            event: strike(36.2, 37.16, None),
            place: PlaceRow {
                id: "p".into(),
                name: "p".into(),
                name_en: String::new(),
                name_ar: String::new(),
                kind: "city".into(),
                admin1: String::new(),
                country: "SY".into(),
                lat: 36.2,
                lon: 37.16,
                geonameid: None,
            },
            article: 1,
        };
        assert!(bulk_article_ids(std::slice::from_ref(&e), &[10]).is_err());
        assert_eq!(bulk_article_ids(&[e], &[10, 11]).unwrap(), vec![11]);
    }
}
