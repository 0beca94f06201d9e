//! Store tests on real SQLite files in a temporary folder.

use super::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::dates::DatePrecision;
use frontline_extract::Event;
use frontline_extract::EventType;
use gazetteer::Precision;

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("t.db")).await.unwrap();
    (dir, s)
}

fn article(text: &str) -> Article {
    Article {
        id: "t".into(),
        text: text.into(),
        published: NaiveDate::from_ymd_opt(2016, 12, 22),
        ..Article::default()
    }
}

fn place(id: &str, lat: f64, lon: f64) -> PlaceRow {
    PlaceRow {
        id: id.into(),
        name: id.into(),
        name_en: id.into(),
        name_ar: String::new(),
        kind: "city".into(),
        admin1: "Aleppo".into(),
        country: "SY".into(),
        lat,
        lon,
        geonameid: None,
    }
}

fn event(
    t: EventType,
    p: &PlaceRow,
    date: &str,
    actor: Option<&str>,
    dead: Option<u64>,
) -> (Event, PlaceRow) {
    (
        Event {
            event_type: t,
            subtype: None,
            place: p.name.clone(),
            place_id: p.id.clone(),
            lat: p.lat,
            lon: p.lon,
            precision: Precision::Exact,
            radius_km: 0.0,
            date: Some(date.into()),
            date_precision: DatePrecision::Day,
            actor: actor.map(String::from),
            target: None,
            fatalities: dead,
            injured: None,
            claimed_by: None,
            evidence: format!("{} à {} le {date}", t.as_str(), p.name),
            evidence_spans: Vec::new(),
            confidence: 0.5,
        },
        p.clone(),
    )
}

#[tokio::test]
async fn the_same_article_twice_adds_nothing() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let events = [event(
        EventType::ControlChange,
        &aleppo,
        "2016-12-22",
        Some("Syrian government"),
        None,
    )];
    let first = s
        .add_article(&article("Le régime a repris Alep."), &events)
        .await
        .unwrap();
    assert!(first.new);
    assert_eq!(first.events_added, 1);
    let again = s
        .add_article(&article("  Le régime a repris Alep.\n"), &events)
        .await
        .unwrap();
    assert!(!again.new);
    assert_eq!(again.article_id, first.article_id);
    assert_eq!(again.event_ids, first.event_ids);
    let c = s.counts().await.unwrap();
    assert_eq!((c.articles, c.events, c.sources), (1, 1, 1));
}

#[tokio::test]
async fn one_event_reported_twice_has_two_sources() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let near = place("aleppo-east", 36.21, 37.18); // about 2 km away
    let far = place("idlib", 35.93, 36.63);
    let a = s
        .add_article(
            &article("a"),
            &[event(
                EventType::Strike,
                &aleppo,
                "2016-12-22",
                Some("Russia"),
                Some(10),
            )],
        )
        .await
        .unwrap();
    // Nearby, same day, actor unknown, a higher toll: the same strike.
    let b = s
        .add_article(
            &article("b"),
            &[event(
                EventType::Strike,
                &near,
                "2016-12-22",
                None,
                Some(12),
            )],
        )
        .await
        .unwrap();
    assert_eq!(b.events_merged, 1);
    assert_eq!(a.event_ids, b.event_ids);
    let e = s.event(a.event_ids[0]).await.unwrap().unwrap();
    assert_eq!(e.fields.source_count, 2);
    assert_eq!(e.fields.fatalities, Some(12));
    assert_eq!(e.fields.actor.as_deref(), Some("Russia"));
    // Another place, another day, another actor or another type: new events.
    for (i, ev) in [
        event(EventType::Strike, &far, "2016-12-22", Some("Russia"), None),
        event(
            EventType::Strike,
            &aleppo,
            "2016-12-23",
            Some("Russia"),
            None,
        ),
        event(
            EventType::Strike,
            &aleppo,
            "2016-12-22",
            Some("Syrian government"),
            None,
        ),
        event(
            EventType::Clash,
            &aleppo,
            "2016-12-22",
            Some("Russia"),
            None,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let r = s
            .add_article(&article(&format!("c{i}")), &[ev])
            .await
            .unwrap();
        assert_eq!(r.events_added, 1, "case {i}");
    }
    assert_eq!(s.counts().await.unwrap().events, 5);
}

#[tokio::test]
async fn two_events_of_one_article_stay_two() {
    let (_d, s) = store().await;
    let a = place("a", 36.2, 37.16);
    let b = place("b", 36.21, 37.17);
    let r = s
        .add_article(
            &article("x"),
            &[
                event(EventType::Strike, &a, "2016-12-22", None, None),
                event(EventType::Strike, &b, "2016-12-22", None, None),
            ],
        )
        .await
        .unwrap();
    assert_eq!(r.events_added, 2);
}

#[tokio::test]
async fn the_data_version_moves_with_every_change_to_events() {
    let (_d, s) = store().await;
    let v0 = s.data_version().await.unwrap();
    assert_eq!(
        s.data_version().await.unwrap(),
        v0,
        "reading changes nothing"
    );
    let aleppo = place("aleppo", 36.2, 37.16);
    let added = s
        .add_article(
            &article("1"),
            &[event(
                EventType::ControlChange,
                &aleppo,
                "2012-07-20",
                Some("rebels"),
                None,
            )],
        )
        .await
        .unwrap();
    let v1 = s.data_version().await.unwrap();
    assert!(v1 > v0);
    s.replace_events(added.article_id, &[]).await.unwrap();
    assert!(
        s.data_version().await.unwrap() > v1,
        "deleting moves it too"
    );
}

#[tokio::test]
async fn control_is_the_latest_change_on_or_before_the_date() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    s.add_article(
        &article("1"),
        &[event(
            EventType::ControlChange,
            &aleppo,
            "2012-07-20",
            Some("rebels"),
            None,
        )],
    )
    .await
    .unwrap();
    s.add_article(
        &article("2"),
        &[event(
            EventType::ControlChange,
            &aleppo,
            "2016-12-22",
            Some("Syrian government"),
            None,
        )],
    )
    .await
    .unwrap();
    s.add_article(
        &article("3"),
        &[event(
            EventType::ControlChange,
            &aleppo,
            "2024-11-30",
            None,
            None,
        )],
    )
    .await
    .unwrap();
    let at = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    assert!(s.control_at(at("2011-01-01")).await.unwrap().is_empty());
    let c = s.control_at(at("2015-01-01")).await.unwrap();
    assert_eq!(c[0].actor.as_deref(), Some("rebels"));
    assert_eq!(c[0].since, "2012-07-20");
    let c = s.control_at(at("2016-12-22")).await.unwrap();
    assert_eq!(c[0].actor.as_deref(), Some("Syrian government"));
    let c = s.control_at(at("2025-01-01")).await.unwrap();
    assert_eq!(c[0].actor, None, "an unknown taker stays unknown");
    let h = s.place_history("aleppo", 10).await.unwrap();
    assert_eq!(h.control.len(), 3);
    assert_eq!(h.events_total, 3);
}

#[tokio::test]
async fn reextraction_replaces_an_articles_events() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let idlib = place("idlib", 35.93, 36.63);
    let a = s
        .add_article(
            &article("a"),
            &[event(EventType::Strike, &aleppo, "2016-12-22", None, None)],
        )
        .await
        .unwrap();
    let b = s
        .add_article(
            &article("b"),
            &[event(
                EventType::Strike,
                &aleppo,
                "2016-12-22",
                None,
                Some(3),
            )],
        )
        .await
        .unwrap();
    assert_eq!(a.event_ids, b.event_ids);
    // Article b now says Idlib: the Aleppo strike keeps one source.
    let r = s
        .replace_events(
            b.article_id,
            &[event(EventType::Strike, &idlib, "2016-12-22", None, None)],
        )
        .await
        .unwrap();
    assert_eq!(
        (
            r.events_before,
            r.events_after,
            r.events_removed,
            r.events_added
        ),
        (1, 1, 0, 1)
    );
    let e = s.event(a.event_ids[0]).await.unwrap().unwrap();
    assert_eq!((e.fields.source_count, e.fields.fatalities), (1, None));
    // Article a now reports nothing: its event goes.
    let r = s.replace_events(a.article_id, &[]).await.unwrap();
    assert_eq!(r.events_removed, 1);
    assert_eq!(s.counts().await.unwrap().events, 1);
}

#[tokio::test]
async fn precision_is_stored_by_its_name() {
    let (_d, s) = store().await;
    let precisions = [Precision::Exact, Precision::Near, Precision::Region];
    let events: Vec<(Event, PlaceRow)> = precisions
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            // A degree apart: never merged.
            let at = place(&format!("p{i}"), 33.0 + i as f64, 37.0);
            let (mut e, at) = event(EventType::Strike, &at, "2016-12-22", None, None);
            e.precision = p;
            (e, at)
        })
        .collect();
    let added = s.add_article(&article("x"), &events).await.unwrap();
    let synthetic: Vec<BulkEvent> = events
        .iter()
        .map(|(e, p)| BulkEvent {
            event: e.clone(),
            place: p.clone(),
            article: 0,
        })
        .collect();
    s.add_bulk(&[article("synthetic")], &synthetic)
        .await
        .unwrap();
    let mut stored = Vec::new();
    for id in added.event_ids {
        stored.push(s.event(id).await.unwrap().unwrap().fields.precision);
    }
    assert_eq!(stored, ["exact", "near", "region"]);
    let c = s.counts().await.unwrap();
    assert_eq!(c.events, 6);
    let rows = s
        .events(&EventFilter {
            limit: 10,
            ..EventFilter::default()
        })
        .await
        .unwrap();
    let names: Vec<&str> = rows
        .events
        .iter()
        .map(|e| e.fields.precision.as_str())
        .collect();
    assert_eq!(
        names,
        ["exact", "near", "region", "exact", "near", "region"]
    );
}

#[test]
fn only_the_box_and_paging_leave_a_filter_to_the_spatial_index() {
    let paging = EventFilter {
        bbox: Some(Bbox {
            west: 36.0,
            south: 35.0,
            east: 38.0,
            north: 37.0,
        }),
        after: Some(7),
        offset: Some(20),
        limit: 50,
        ..EventFilter::default()
    };
    assert!(paging.only_box());
    assert!(EventFilter::default().only_box());
    let day = NaiveDate::from_ymd_opt(2016, 12, 22);
    let some = || vec!["x".to_string()];
    let conditions = [
        EventFilter {
            types: some(),
            ..paging.clone()
        },
        EventFilter {
            subtypes: some(),
            ..paging.clone()
        },
        EventFilter {
            actors: some(),
            ..paging.clone()
        },
        EventFilter {
            from: day,
            ..paging.clone()
        },
        EventFilter {
            to: day,
            ..paging.clone()
        },
        EventFilter {
            place: Some("aleppo".into()),
            ..paging.clone()
        },
        EventFilter {
            min_fatalities: Some(1),
            ..paging.clone()
        },
        EventFilter {
            words: some(),
            ..paging.clone()
        },
    ];
    for f in conditions {
        assert!(!f.only_box(), "{f:?}");
    }
}

#[tokio::test]
async fn features_built_by_sqlite_carry_the_event_fields_in_their_order() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    s.add_article(
        &article("a"),
        &[event(
            EventType::Strike,
            &aleppo,
            "2016-12-20",
            Some("Russia"),
            Some(3),
        )],
    )
    .await
    .unwrap();
    let f = EventFilter {
        limit: 10,
        ..EventFilter::default()
    };
    let text = s.event_features(&f).await.unwrap().features.remove(0);
    let row = s.events(&f).await.unwrap().events.remove(0);
    let mut keys = event_field_names();
    assert_eq!(keys.len(), 17, "{keys:?}");
    keys.extend(["evidence_spans".into(), "sources".into()]);
    // The SQL's property keys: the struct's serde names, in their order.
    let props = text.split_once("\"properties\":").unwrap().1;
    let at: Vec<usize> = keys
        .iter()
        .map(|k| {
            props
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} in {props}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{keys:?} in {props}");
    // And their values: what serde gives for the row read by sqlx.
    let feature: serde_json::Value = serde_json::from_str(&text).unwrap();
    let fields = serde_json::to_value(&row.fields).unwrap();
    for k in event_field_names() {
        assert_eq!(feature["properties"][&k], fields[&k], "{k}");
    }
    assert_eq!(fields["actor"], "Russia");
}
