//! Synthetic events for benchmarks: realistic spread over Syrian places,
//! 2011–2025 dates, types, subtypes and actors. Deterministic for a seed.
//! Their evidence says they are synthetic.

use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::dates::{french_date, DatePrecision};
use frontline_extract::{Event, Evidence};
use frontline_extract::{EventType, Subtype};
use frontline_store::{BulkEvent, PlaceRow};
use gazetteer::{offset_point, Gazetteer, Kind, Precision};

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total.max(1) as usize) as u32;
        for (item, w) in items {
            if r < *w {
                return item;
            }
            r -= w;
        }
        &items[items.len() - 1].0
    }
}

/// A batch of synthetic articles and the events they report.
pub struct Synthetic {
    pub articles: Vec<Article>,
    pub events: Vec<BulkEvent>,
}

const EVENTS_PER_ARTICLE: usize = 20;

const YEARS: [(i32, u32); 15] = [
    (2011, 2),
    (2012, 7),
    (2013, 9),
    (2014, 9),
    (2015, 10),
    (2016, 11),
    (2017, 9),
    (2018, 8),
    (2019, 6),
    (2020, 4),
    (2021, 2),
    (2022, 2),
    (2023, 2),
    (2024, 4),
    (2025, 2),
];

const TYPES: [(EventType, u32); 5] = [
    (EventType::Strike, 38),
    (EventType::Clash, 25),
    (EventType::ControlChange, 15),
    (EventType::Explosion, 12),
    (EventType::CivilianTargeting, 10),
];

const STRIKE_SUBTYPES: [(Subtype, u32); 5] = [
    (Subtype::Air, 50),
    (Subtype::Artillery, 25),
    (Subtype::Drone, 10),
    (Subtype::Missile, 10),
    (Subtype::Unspecified, 5),
];
const EXPLOSION_SUBTYPES: [(Subtype, u32); 4] = [
    (Subtype::CarBomb, 40),
    (Subtype::Suicide, 25),
    (Subtype::Ied, 25),
    (Subtype::Unspecified, 10),
];

const STRIKERS: [(Option<&str>, u32); 6] = [
    (Some("Syrian government"), 40),
    (Some("Russia"), 25),
    (Some("US-led coalition"), 12),
    (Some("Turkey"), 8),
    (Some("Israel"), 5),
    (None, 10),
];

const FIGHTERS: [(Option<&str>, u32); 10] = [
    (Some("Syrian government"), 30),
    (Some("rebels"), 14),
    (Some("HTS"), 10),
    (Some("Islamic State"), 12),
    (Some("SDF"), 8),
    (Some("Free Syrian Army"), 6),
    (Some("Syrian National Army"), 5),
    (Some("Hezbollah"), 3),
    (Some("Turkey"), 3),
    (None, 9),
];

fn place_weight(kind: Kind, population: Option<u64>) -> u32 {
    let base = match kind {
        Kind::City => 40,
        Kind::Town => 12,
        Kind::Neighbourhood | Kind::Base | Kind::Camp => 6,
        _ => 3,
    };
    base + population
        .map(|p| ((p as f64).sqrt() / 20.0) as u32)
        .unwrap_or(0)
        .min(200)
}

/// `count` synthetic events starting at number `first` (for batches).
pub fn generate(g: &Gazetteer, seed: u64, first: usize, count: usize) -> Synthetic {
    let places: Vec<(&gazetteer::Place, u32)> = g
        .places()
        .iter()
        .filter(|p| p.in_syria() && !p.kind.is_area() && p.kind != Kind::Landmark)
        .map(|p| (p, place_weight(p.kind, p.population)))
        .collect();
    let mut cumulative = Vec::with_capacity(places.len());
    let mut sum = 0u64;
    for (_, w) in &places {
        sum += *w as u64;
        cumulative.push(sum);
    }
    let mut rng = Rng(seed ^ (first as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut articles = Vec::new();
    let mut events = Vec::with_capacity(count);
    let start = NaiveDate::from_ymd_opt(2011, 3, 15).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default();
    for i in 0..count {
        let n = first + i;
        let article = i / EVENTS_PER_ARTICLE;
        let year = *rng.weighted(&YEARS);
        let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(start)
            + chrono::Days::new(rng.below(365) as u64);
        let day = day.clamp(start, end);
        if i % EVENTS_PER_ARTICLE == 0 {
            articles.push(Article {
                id: format!("synthetic-{seed}-{}", n / EVENTS_PER_ARTICLE),
                url: Some(format!("https://example.org/synthetique/{seed}/{}", n / EVENTS_PER_ARTICLE)),
                source: Some("synthétique".into()),
                title: Some(format!("Lot synthétique n° {}", n / EVENTS_PER_ARTICLE)),
                published: Some(day),
                text: format!(
                    "Lot synthétique n° {} (graine {seed}) : des événements inventés pour les bancs d'essai.",
                    n / EVENTS_PER_ARTICLE
                ),
            });
        }
        let place = places[pick(&mut rng, &cumulative)].0;
        let event_type = *rng.weighted(&TYPES);
        let (subtype, actor, target) = match event_type {
            EventType::Strike => (
                Some(*rng.weighted(&STRIKE_SUBTYPES)),
                *rng.weighted(&STRIKERS),
                *rng.weighted(&FIGHTERS),
            ),
            EventType::Explosion => (Some(*rng.weighted(&EXPLOSION_SUBTYPES)), None, None),
            _ => (None, *rng.weighted(&FIGHTERS), *rng.weighted(&FIGHTERS)),
        };
        let target = target.filter(|t| Some(*t) != actor);
        let r = rng.unit();
        let (precision, lat, lon, radius_km) = if r < 0.85 {
            (Precision::Exact, place.lat, place.lon, 0.0)
        } else if r < 0.95 {
            let km = 3.0 + rng.unit() * 12.0;
            let (lat, lon) = offset_point(place.lat, place.lon, rng.unit() * 360.0, km);
            (Precision::Near, lat, lon, km / 2.0)
        } else {
            (Precision::Region, place.lat, place.lon, 25.0)
        };
        let fatalities = if rng.unit() < 0.4 {
            None
        } else {
            Some((rng.unit().powi(3) * 120.0) as u64)
        };
        let injured = fatalities
            .filter(|_| rng.unit() < 0.5)
            .map(|f| f + rng.below(30) as u64);
        let who = actor.unwrap_or("des forces non identifiées");
        let what = match event_type {
            EventType::Strike => "une frappe",
            EventType::Clash => "des combats",
            EventType::ControlChange => "une prise de contrôle",
            EventType::Explosion => "une explosion",
            EventType::CivilianTargeting => "des exactions contre des civils",
        };
        let toll = fatalities
            .map(|f| format!(", {f} morts"))
            .unwrap_or_default();
        let evidence = format!(
            "Événement synthétique n° {n} : {what} ({who}) à {} le {}{toll}.",
            place.name(),
            french_date(day)
        );
        let len = evidence.len();
        events.push(BulkEvent {
            event: Event {
                event_type,
                subtype,
                place: place.name().to_string(),
                place_id: place.id.clone(),
                lat,
                lon,
                precision,
                radius_km,
                date: Some(day.format("%Y-%m-%d").to_string()),
                date_precision: DatePrecision::Day,
                actor: actor.map(String::from),
                target: target.map(String::from),
                fatalities,
                injured,
                claimed_by: if rng.unit() < 0.5 {
                    Some("OSDH".into())
                } else {
                    None
                },
                evidence_spans: vec![Evidence {
                    text: evidence.clone(),
                    start: 0,
                    end: len,
                }],
                evidence,
                confidence: 0.5 + rng.unit() / 2.0,
            },
            place: PlaceRow::from(place),
            article,
        });
    }
    Synthetic { articles, events }
}

/// An index drawn by weight, from cumulative weights.
fn pick(rng: &mut Rng, cumulative: &[u64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0);
    let r = (rng.unit() * total as f64) as u64;
    cumulative
        .partition_point(|&c| c <= r)
        .min(cumulative.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use frontline_store::{Bbox, EventFilter, Store};

    #[test]
    fn synthetic_events_are_deterministic_and_spread() {
        let g = Gazetteer::builtin().unwrap();
        let a = generate(&g, 7, 0, 2000);
        let b = generate(&g, 7, 0, 2000);
        assert_eq!(a.events.len(), 2000);
        assert_eq!(a.articles.len(), 100);
        assert_eq!(a.events[1234].event.evidence, b.events[1234].event.evidence);
        let places: std::collections::HashSet<_> = a.events.iter().map(|e| &e.place.id).collect();
        assert!(places.len() > 100, "{}", places.len());
        let years: std::collections::HashSet<_> = a
            .events
            .iter()
            .map(|e| e.event.date.as_deref().unwrap_or("")[..4].to_string())
            .collect();
        assert!(years.len() >= 14, "{years:?}");
        assert!(a
            .events
            .iter()
            .all(|e| e.event.evidence.contains("synthétique")));
    }

    // The store's filters and paging over many generated events.

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("t.db")).await.unwrap();
        (dir, s)
    }

    #[tokio::test]
    async fn both_bbox_plans_and_paging_agree_with_a_plain_filter() {
        let (_d, s) = store().await;
        let g = Gazetteer::builtin().unwrap();
        let batch = generate(&g, 3, 0, 6000);
        s.add_bulk(&batch.articles, &batch.events).await.unwrap();
        let expect = |b: Bbox| -> Vec<i64> {
            batch
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    (b.south..=b.north).contains(&e.event.lat)
                        && (b.west..=b.east).contains(&e.event.lon)
                })
                .map(|(i, _)| i as i64 + 1)
                .collect()
        };
        for b in [
            // All of Syria: more events than the spatial-index cap.
            Bbox {
                west: 35.0,
                south: 32.0,
                east: 43.0,
                north: 38.0,
            },
            // Around Aleppo: few events.
            Bbox {
                west: 37.0,
                south: 36.1,
                east: 37.3,
                north: 36.3,
            },
        ] {
            let want = expect(b);
            let mut got = Vec::new();
            let mut f = EventFilter {
                bbox: Some(b),
                limit: 700,
                ..EventFilter::default()
            };
            loop {
                let page = s.events(&f).await.unwrap();
                got.extend(page.events.iter().map(|e| e.fields.id));
                match page.next_after {
                    Some(a) => f.after = Some(a),
                    None => break,
                }
            }
            assert!(!want.is_empty());
            assert_eq!(got, want, "{b:?}");
        }
    }

    #[tokio::test]
    async fn filters_combine() {
        let (_d, s) = store().await;
        let g = Gazetteer::builtin().unwrap();
        let batch = generate(&g, 5, 0, 3000);
        s.add_bulk(&batch.articles, &batch.events).await.unwrap();
        let f = EventFilter {
            types: vec!["strike".into()],
            subtypes: vec!["air".into()],
            actors: vec!["Russia".into()],
            from: NaiveDate::from_ymd_opt(2015, 9, 30),
            to: NaiveDate::from_ymd_opt(2017, 12, 31),
            min_fatalities: Some(5),
            limit: 10_000,
            ..EventFilter::default()
        };
        let got = s.events(&f).await.unwrap().events;
        let want = batch
            .events
            .iter()
            .filter(|e| {
                let e = &e.event;
                let d = e.date.as_deref().unwrap_or("");
                e.event_type == EventType::Strike
                    && e.subtype == Some(Subtype::Air)
                    && (e.actor.as_deref() == Some("Russia")
                        || e.target.as_deref() == Some("Russia"))
                    && ("2015-09-30"..="2017-12-31").contains(&d)
                    && e.fatalities.is_some_and(|n| n >= 5)
            })
            .count();
        assert!(want > 0);
        assert_eq!(got.len(), want);
        let words = EventFilter {
            words: vec!["synthetique".into(), "frappe".into()],
            limit: 10_000,
            ..EventFilter::default()
        };
        let strikes = batch
            .events
            .iter()
            .filter(|e| e.event.event_type == EventType::Strike)
            .count();
        assert_eq!(s.events(&words).await.unwrap().events.len(), strikes);
    }
}
