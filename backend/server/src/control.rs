//! Control maps (areas and front lines) per date, computed once per date
//! and data version: dragging or playing the time slider asks for the
//! same dates again and again, and only new events change the answer.
//!
//! The store's data version moves with every change to events or places,
//! whichever process made it; the cache is emptied when it moves.

use crate::areas::{self, AreaOptions, ControlMap, Holder};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use frontline_store::Store;
use geo::MultiPolygon;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Dates kept per data version (each map is a few kB to a few hundred).
const MAX_DATES: usize = 4096;

/// The control maps of the dates asked for so far.
pub struct ControlMaps {
    /// Syria's outline; `None` when it could not be loaded (no areas).
    border: Option<Arc<MultiPolygon<f64>>>,
    options: AreaOptions,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    version: Option<i64>,
    maps: HashMap<NaiveDate, Arc<ControlMap>>,
}

impl ControlMaps {
    pub fn new(border: Option<Arc<MultiPolygon<f64>>>, options: AreaOptions) -> ControlMaps {
        ControlMaps {
            border,
            options,
            cache: Mutex::new(Cache::default()),
        }
    }

    pub fn options(&self) -> &AreaOptions {
        &self.options
    }

    pub fn border(&self) -> Option<&Arc<MultiPolygon<f64>>> {
        self.border.as_ref()
    }

    /// The map as of `at`, from the cache when the data has not changed.
    pub async fn at(&self, store: &Store, at: NaiveDate) -> Result<Arc<ControlMap>> {
        let border = self.border.clone().ok_or_else(|| {
            Error::Internal(
                "Syria's outline (world-atlas) is not installed in the assets folder".into(),
            )
        })?;
        let version = store.data_version().await?;
        if let Some(map) = self.cached(version, at) {
            return Ok(map);
        }
        let holders: Vec<Holder> = store
            .control_at(at)
            .await?
            .into_iter()
            .map(Holder::from)
            .collect();
        let options = self.options;
        let map = tokio::task::spawn_blocking(move || {
            areas::control_map(&holders, &border, at, &options)
        })
        .await
        .map_err(|e| Error::Internal(format!("computing areas of control: {e}")))?;
        let map = Arc::new(map);
        self.keep(version, at, map.clone());
        Ok(map)
    }

    /// The cached map, after emptying the cache if the version moved.
    fn cached(&self, version: i64, at: NaiveDate) -> Option<Arc<ControlMap>> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.version != Some(version) {
            cache.maps.clear();
            cache.version = Some(version);
            return None;
        }
        cache.maps.get(&at).cloned()
    }

    /// Keep a map computed at `version`, unless newer data came meanwhile.
    fn keep(&self, version: i64, at: NaiveDate, map: Arc<ControlMap>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.version != Some(version) {
            return;
        }
        if cache.maps.len() >= MAX_DATES {
            cache.maps.clear();
        }
        cache.maps.insert(at, map);
    }

    /// How many dates are cached now.
    pub fn cached_dates(&self) -> usize {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.maps.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_extract::article::Article;
    use frontline_extract::dates::DatePrecision;
    use frontline_extract::{Event, EventType};
    use gazetteer::Precision;

    fn square() -> MultiPolygon<f64> {
        MultiPolygon(vec![geo::Rect::new((36.0, 35.0), (37.0, 36.0)).to_polygon()])
    }

    #[tokio::test]
    async fn maps_are_cached_per_date_until_the_events_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).await.unwrap();
        let maps = ControlMaps::new(Some(Arc::new(square())), AreaOptions::default());
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let empty = maps.at(&store, day("2020-01-01")).await.unwrap();
        assert!(empty.areas.is_empty());
        let again = maps.at(&store, day("2020-01-01")).await.unwrap();
        assert!(
            Arc::ptr_eq(&empty, &again),
            "the second answer is the cached one"
        );
        assert_eq!(maps.cached_dates(), 1);

        // An event arrives: the next answer is computed anew.
        let place = frontline_store::PlaceRow {
            id: "homs".into(),
            name: "Homs".into(),
            name_en: "Homs".into(),
            name_ar: String::new(),
            kind: "city".into(),
            admin1: "Homs".into(),
            country: "SY".into(),
            lat: 35.5,
            lon: 36.5,
            geonameid: None,
        };
        let event = Event {
            event_type: EventType::ControlChange,
            subtype: None,
            place: "Homs".into(),
            place_id: "homs".into(),
            lat: 35.5,
            lon: 36.5,
            precision: Precision::Exact,
            radius_km: 0.0,
            date: Some("2019-06-01".into()),
            date_precision: DatePrecision::Day,
            actor: Some("Syrian government".into()),
            target: None,
            fatalities: None,
            injured: None,
            claimed_by: None,
            evidence: "Les forces du gouvernement ont repris la ville.".into(),
            evidence_spans: Vec::new(),
            confidence: 0.5,
        };
        let article = Article {
            id: "a".into(),
            text: "Les forces du gouvernement ont repris la ville.".into(),
            ..Article::default()
        };
        store
            .add_article(&article, &[(event, place)])
            .await
            .unwrap();
        let fresh = maps.at(&store, day("2020-01-01")).await.unwrap();
        assert!(!Arc::ptr_eq(&empty, &fresh));
        assert!(!fresh.areas.is_empty(), "the new place is held");
        assert_eq!(maps.cached_dates(), 1);
    }

    #[tokio::test]
    async fn without_a_border_there_is_no_map() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).await.unwrap();
        let maps = ControlMaps::new(None, AreaOptions::default());
        let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert!(matches!(
            maps.at(&store, day).await,
            Err(Error::Internal(_))
        ));
    }
}
