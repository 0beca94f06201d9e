//! Store tests on a real database: a SQLite file in a temporary folder,
//! or, when `FRONTLINE_TEST_POSTGRES` names a PostgreSQL server (an admin
//! URL, as `scripts/test.sh` sets it), a new database on it for each test.

use super::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::dates::DatePrecision;
use frontline_extract::Event;
use frontline_extract::EventType;
use gazetteer::Precision;

pub(crate) async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let location = match std::env::var("FRONTLINE_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => {
            static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let name = format!("store_{}_{n}", std::process::id());
            Location::Postgres(create_database(&admin, &name).await.unwrap())
        }
        _ => Location::File(dir.path().join("t.db")),
    };
    let s = Store::open(location).await.unwrap();
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
            min_confidence: Some(0.5),
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
    assert_eq!(keys.len(), 19, "{keys:?}");
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

#[tokio::test]
async fn min_confidence_keeps_the_surer_events() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let homs = place("homs", 34.73, 36.72);
    let (mut sure, p1) = event(EventType::Strike, &aleppo, "2016-12-20", None, None);
    sure.confidence = 0.9;
    let (mut doubtful, p2) = event(EventType::Clash, &homs, "2016-12-21", None, None);
    doubtful.confidence = 0.4;
    s.add_article(&article("a"), &[(sure, p1), (doubtful, p2)])
        .await
        .unwrap();
    let f = EventFilter {
        min_confidence: Some(0.7),
        limit: 10,
        ..EventFilter::default()
    };
    let page = s.events(&f).await.unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].fields.place_id, "aleppo");
    let all = EventFilter {
        limit: 10,
        ..EventFilter::default()
    };
    assert_eq!(s.events(&all).await.unwrap().events.len(), 2);
}

#[tokio::test]
async fn feeds_are_added_once_listed_and_removed() {
    let (_dir, s) = store().await;
    let f = s
        .add_feed("https://a.example/rss", Some("A"), 900)
        .await
        .unwrap();
    assert_eq!((f.every_secs, f.name.as_deref()), (900, Some("A")));
    let e = s
        .add_feed("https://a.example/rss", None, 60)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Conflict(_)) && e.to_string().contains(&format!("id {}", f.id)),
        "{e}"
    );
    s.add_feed("https://b.example/atom", None, 60)
        .await
        .unwrap();
    assert_eq!(s.feeds().await.unwrap().len(), 2);
    // Never polled: both are due.
    assert_eq!(s.due_feeds("2026-01-01T00:00:00Z").await.unwrap().len(), 2);
    assert_eq!(s.next_due().await.unwrap().as_deref(), Some(""));
    assert!(s.remove_feed(f.id).await.unwrap());
    assert!(!s.remove_feed(f.id).await.unwrap());
    assert_eq!(s.feeds().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_poll_keeps_the_last_good_state() {
    let (_dir, s) = store().await;
    let f = s
        .add_feed("https://a.example/rss", None, 900)
        .await
        .unwrap();
    let mut counts = ItemCounts {
        seen: 3,
        new: 2,
        skipped: 1,
        ..ItemCounts::default()
    };
    counts.reasons.insert("not French (English)".into(), 1);
    let good = PollRecord {
        polled_at: "2026-01-01T10:00:00Z".into(),
        next_poll_at: "2026-01-01T10:15:00Z".into(),
        outcome: PollOutcome::Read {
            etag: Some("\"v1\"".into()),
            last_modified: None,
            counts,
        },
    };
    s.record_poll(f.id, &good).await.unwrap();
    let bad = PollRecord {
        polled_at: "2026-01-01T10:15:00Z".into(),
        next_poll_at: "2026-01-01T10:45:00Z".into(),
        outcome: PollOutcome::Failed {
            error: "https://a.example/rss: HTTP 500".into(),
        },
    };
    s.record_poll(f.id, &bad).await.unwrap();
    s.record_poll(f.id, &bad).await.unwrap();
    let row = s.feed(f.id).await.unwrap().unwrap();
    assert_eq!(row.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        (row.items_seen, row.items_new, row.articles_total),
        (3, 2, 2)
    );
    assert_eq!(row.skipped_reasons, r#"{"not French (English)":1}"#);
    assert_eq!(row.last_success_at.as_deref(), Some("2026-01-01T10:00:00Z"));
    assert_eq!(
        (row.failures, row.last_error.as_deref()),
        (2, Some("https://a.example/rss: HTTP 500"))
    );
    // Not due before its back-off ends.
    assert!(s
        .due_feeds("2026-01-01T10:30:00Z")
        .await
        .unwrap()
        .is_empty());
    s.record_poll(f.id, &good).await.unwrap();
    let row = s.feed(f.id).await.unwrap().unwrap();
    assert_eq!(
        (row.failures, row.last_error, row.articles_total),
        (0, None, 4)
    );
}

#[tokio::test]
async fn event_changes_are_logged_in_order_and_pruned_to_the_latest() {
    let (_dir, s) = store().await;
    let p = place("alep", 36.2, 37.15);
    assert_eq!(s.last_change().await.unwrap(), 0);
    s.add_article(
        &article("a"),
        &[event(EventType::Strike, &p, "2016-12-22", None, Some(3))],
    )
    .await
    .unwrap();
    s.add_article(
        &article("b"),
        &[event(EventType::Strike, &p, "2016-12-22", None, Some(5))],
    )
    .await
    .unwrap();
    // Created, then changed by a second source: two changes of one event.
    let changes = s.changes_after(0, 10).await.unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].1, changes[1].1);
    assert!(changes[0].0 < changes[1].0);
    assert_eq!(s.last_change().await.unwrap(), changes[1].0);
    let features = s
        .features_of(&[changes[0].1], &EventFilter::default())
        .await
        .unwrap();
    assert_eq!(features.len(), 1);
    let other = EventFilter {
        types: vec!["clash".into()],
        ..EventFilter::default()
    };
    assert!(s
        .features_of(&[changes[0].1], &other)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.prune_changes(1).await.unwrap(), 1);
    assert_eq!(s.changes_after(0, 10).await.unwrap(), [changes[1]]);
}

#[tokio::test]
async fn an_event_no_article_reports_any_more_is_logged_as_changed_when_deleted() {
    let (_dir, s) = store().await;
    let p = place("alep", 36.2, 37.15);
    let added = s
        .add_article(
            &article("a"),
            &[event(EventType::Strike, &p, "2016-12-22", None, Some(3))],
        )
        .await
        .unwrap();
    let id = added.event_ids[0];
    let before = s.last_change().await.unwrap();
    let r = s.replace_events(added.article_id, &[]).await.unwrap();
    assert_eq!(r.events_removed, 1);
    assert!(s.event(id).await.unwrap().is_none());
    // Open maps learn of it: the stream sends the gone event as removed.
    assert_eq!(s.changes_after(before, 10).await.unwrap()[0].1, id);
}

fn edits(pairs: &[(&'static str, serde_json::Value)]) -> Review {
    Review {
        reviewer: "alice".into(),
        edits: pairs.to_vec(),
        ..Review::default()
    }
}

fn decide(status: ReviewStatus) -> Review {
    Review {
        reviewer: "alice".into(),
        status: Some(status),
        note: Some("vu".into()),
        ..Review::default()
    }
}

fn all_events(review: ReviewFilter) -> EventFilter {
    EventFilter {
        limit: 100,
        review,
        ..EventFilter::default()
    }
}

#[tokio::test]
async fn a_rejected_event_leaves_every_listing_and_stays_rejected_when_found_again() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let take = event(
        EventType::ControlChange,
        &aleppo,
        "2016-12-22",
        Some("Syrian government"),
        None,
    );
    let a = s
        .add_article(&article("a"), std::slice::from_ref(&take))
        .await
        .unwrap();
    let id = a.event_ids[0];
    let v0 = s.data_version().await.unwrap();
    let seq0 = s.last_change().await.unwrap();
    let r = s
        .review_event(id, &decide(ReviewStatus::Rejected))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.event.fields.review, "rejected");
    assert_eq!(r.reviewed_by.as_deref(), Some("alice"));
    assert!(r.event.fields.reviewed_at.is_some());
    assert!(s.data_version().await.unwrap() > v0);
    assert!(s.last_change().await.unwrap() > seq0);
    // Gone from listings, the box alone (spatial index), control, places.
    assert!(s
        .events(&all_events(ReviewFilter::Public))
        .await
        .unwrap()
        .events
        .is_empty());
    let boxed = EventFilter {
        bbox: Some(Bbox {
            west: 37.0,
            south: 36.0,
            east: 37.5,
            north: 36.5,
        }),
        ..all_events(ReviewFilter::Public)
    };
    assert!(boxed.only_box());
    assert!(s.events(&boxed).await.unwrap().events.is_empty());
    assert!(s.event(id).await.unwrap().is_none());
    let at = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
    assert!(s.control_at(at).await.unwrap().is_empty());
    let h = s.place_history("aleppo", 10).await.unwrap();
    assert_eq!((h.events.len(), h.control.len(), h.events_total), (0, 0, 0));
    assert_eq!(s.date_range().await.unwrap(), (None, None));
    // A second article about the same happening joins it: still rejected.
    let b = s
        .add_article(&article("b"), std::slice::from_ref(&take))
        .await
        .unwrap();
    assert_eq!(b.event_ids, vec![id]);
    let again = s.reviewed_event(id).await.unwrap().unwrap();
    assert_eq!(
        (
            again.event.fields.review.as_str(),
            again.event.fields.source_count
        ),
        ("rejected", 2)
    );
    // Re-extraction that finds nothing keeps the decision (no deletion).
    s.replace_events(a.article_id, &[]).await.unwrap();
    s.replace_events(b.article_id, &[]).await.unwrap();
    let kept = s.reviewed_event(id).await.unwrap().unwrap();
    assert_eq!(
        (
            kept.event.fields.review.as_str(),
            kept.event.fields.source_count
        ),
        ("rejected", 0)
    );
    // And found again by a later extraction of the same article.
    s.replace_events(a.article_id, &[take]).await.unwrap();
    assert_eq!(
        s.article_events_reviewed(a.article_id).await.unwrap()[0]
            .event
            .fields
            .id,
        id
    );
    let hist = s.event_history(id).await.unwrap();
    assert_eq!(hist.len(), 1);
    assert_eq!(
        (hist[0].field.as_str(), hist[0].after.as_deref()),
        ("status", Some("\"rejected\""))
    );
    assert_eq!(hist[0].note.as_deref(), Some("vu"));
}

#[tokio::test]
async fn edits_survive_new_sources_and_matching_uses_the_machines_keys() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let idlib = place("idlib", 35.93, 36.63);
    let strike = event(EventType::Strike, &aleppo, "2016-12-22", None, Some(2));
    let a = s
        .add_article(&article("a"), std::slice::from_ref(&strike))
        .await
        .unwrap();
    let id = a.event_ids[0];
    let r = s
        .review_event(
            id,
            &Review {
                place: Some(idlib.clone()),
                ..edits(&[
                    ("type", "clash".into()),
                    ("place_id", "idlib".into()),
                    ("place", "idlib".into()),
                    ("lat", 35.93.into()),
                    ("lon", 36.63.into()),
                    ("actor", "Syrian government".into()),
                    ("fatalities", 7.into()),
                    ("date", "2016-12-21".into()),
                ])
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.event.fields.review, "edited");
    assert_eq!(
        (
            r.event.fields.event_type.as_str(),
            r.event.fields.place_id.as_str()
        ),
        ("clash", "idlib")
    );
    // The spatial index follows the new point.
    let idlib_box = EventFilter {
        bbox: Some(Bbox {
            west: 36.5,
            south: 35.8,
            east: 36.8,
            north: 36.0,
        }),
        ..all_events(ReviewFilter::Public)
    };
    assert_eq!(s.events(&idlib_box).await.unwrap().events.len(), 1);
    // A second article about the strike as the machine read it joins
    // the edited event, which keeps every correction.
    let mut other = strike.clone();
    other.0.fatalities = Some(30);
    other.0.actor = Some("Russia".into());
    let b = s.add_article(&article("b"), &[other]).await.unwrap();
    assert_eq!(b.event_ids, vec![id]);
    let e = s.reviewed_event(id).await.unwrap().unwrap().event.fields;
    assert_eq!(e.source_count, 2);
    assert_eq!(
        (
            e.event_type.as_str(),
            e.place_id.as_str(),
            e.date.as_deref(),
            e.actor.as_deref(),
            e.fatalities
        ),
        (
            "clash",
            "idlib",
            Some("2016-12-21"),
            Some("Syrian government"),
            Some(7)
        )
    );
    assert_eq!(e.review, "edited");
    // Re-extracting both articles: found again, still edited.
    s.replace_events(a.article_id, std::slice::from_ref(&strike))
        .await
        .unwrap();
    s.replace_events(b.article_id, &[]).await.unwrap();
    let e = s.reviewed_event(id).await.unwrap().unwrap().event.fields;
    assert_eq!(
        (e.source_count, e.fatalities, e.event_type.as_str()),
        (1, Some(7), "clash")
    );
    assert_eq!(s.counts().await.unwrap().events, 1);
    // Only checked events with review=accepted.
    assert_eq!(
        s.events(&all_events(ReviewFilter::Checked))
            .await
            .unwrap()
            .events
            .len(),
        1
    );
    let hist = s.event_history(id).await.unwrap();
    let fields: Vec<&str> = hist.iter().map(|h| h.field.as_str()).collect();
    assert!(
        fields.contains(&"type") && fields.contains(&"status"),
        "{fields:?}"
    );
    let t = hist.iter().find(|h| h.field == "type").unwrap();
    assert_eq!(
        (t.before.as_deref(), t.after.as_deref()),
        (Some("\"strike\""), Some("\"clash\""))
    );
}

#[tokio::test]
async fn the_queue_lists_unreviewed_doubtful_and_cited_events_first() {
    let (_d, s) = store().await;
    let aleppo = place("aleppo", 36.2, 37.16);
    let idlib = place("idlib", 35.93, 36.63);
    let homs = place("homs", 34.73, 36.71);
    let mut sure = event(EventType::Strike, &aleppo, "2016-12-22", None, None);
    sure.0.confidence = 0.9;
    let mut doubtful = event(EventType::Strike, &idlib, "2016-12-22", None, None);
    doubtful.0.confidence = 0.31;
    let mut doubtful_cited = event(EventType::Clash, &homs, "2016-12-22", None, None);
    doubtful_cited.0.confidence = 0.33;
    let a = s
        .add_article(
            &article("a"),
            &[sure.clone(), doubtful.clone(), doubtful_cited.clone()],
        )
        .await
        .unwrap();
    s.add_article(&article("b"), &[doubtful_cited])
        .await
        .unwrap();
    let [sure_id, doubtful_id, cited_id] = a.event_ids[..] else {
        panic!("{a:?}")
    };
    let q = QueueFilter {
        limit: 10,
        ..QueueFilter::default()
    };
    let ids = |p: QueuePage| {
        p.events
            .iter()
            .map(|e| e.event.fields.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(s.review_queue(&q).await.unwrap()),
        vec![cited_id, doubtful_id, sure_id]
    );
    s.review_event(cited_id, &decide(ReviewStatus::Accepted))
        .await
        .unwrap();
    let page = s.review_queue(&q).await.unwrap();
    assert_eq!((page.total, ids(page)), (2, vec![doubtful_id, sure_id]));
    let strikes = QueueFilter {
        types: vec!["strike".into()],
        place: Some("aleppo".into()),
        ..q.clone()
    };
    assert_eq!(ids(s.review_queue(&strikes).await.unwrap()), vec![sure_id]);
    let all = QueueFilter {
        statuses: ReviewStatus::ALL.to_vec(),
        ..q
    };
    assert_eq!(
        ids(s.review_queue(&all).await.unwrap()),
        vec![doubtful_id, sure_id, cited_id]
    );
    assert_eq!(
        s.reviewed_article_ids().await.unwrap(),
        vec![a.article_id, a.article_id + 1]
    );
}

#[tokio::test]
async fn a_review_of_no_event_is_none_and_unknown_fields_are_refused() {
    let (_d, s) = store().await;
    assert!(s
        .review_event(99, &decide(ReviewStatus::Accepted))
        .await
        .unwrap()
        .is_none());
    assert!(s
        .review_event(1, &edits(&[("evidence", "x".into())]))
        .await
        .is_err());
}
