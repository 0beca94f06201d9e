//! End to end: ingest articles with the real binary into a real SQLite
//! file, serve it, and query the HTTP API over loopback.

mod common;

use common::{served, write_samples, Scratch, Server, TOKEN};
use serde_json::Value;

fn features(v: &Value) -> &Vec<Value> {
    v["features"].as_array().expect("features")
}

fn assert_problem(server: &Server, path: &str, status: u16, parameter: &str) {
    let r = server.get(path);
    assert_eq!(r.status, status, "{path}: {}", r.body);
    assert_eq!(r.content_type, "application/problem+json", "{path}");
    let p = r.json();
    assert_eq!(p["status"], status);
    assert_eq!(p["parameter"], parameter, "{path}: {p}");
    assert!(p["detail"].as_str().unwrap().contains(parameter), "{p}");
}

#[test]
fn events_are_geojson_with_evidence_sources_filters_and_stable_paging() {
    let (_s, server) = served(&[]);
    let r = server.get("/api/events");
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/geo+json");
    // A valid RFC 7946 FeatureCollection.
    let fc: geojson::FeatureCollection = r
        .body
        .parse::<geojson::GeoJson>()
        .unwrap()
        .try_into()
        .unwrap();
    assert!(fc.features.len() >= 5, "{}", r.body);
    let all = r.json();
    for f in features(&all) {
        let p = &f["properties"];
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (35.0..43.0).contains(&lon) && (32.0..38.0).contains(&lat),
            "{f}"
        );
        for key in [
            "type",
            "date",
            "date_precision",
            "place",
            "place_id",
            "precision",
            "actor",
            "evidence",
            "evidence_spans",
            "sources",
            "source_count",
            "confidence",
        ] {
            assert!(p.get(key).is_some(), "missing {key} in {p}");
        }
        assert!(!p["evidence"].as_str().unwrap().is_empty());
        assert!(!p["sources"].as_array().unwrap().is_empty());
    }
    // Aleppo's recapture is told by two articles: one event, two sources.
    let aleppo: Vec<&Value> = features(&all)
        .iter()
        .filter(|f| {
            f["properties"]["type"] == "control_change" && f["properties"]["date"] == "2016-12-22"
        })
        .collect();
    assert_eq!(aleppo.len(), 1, "{all}");
    assert_eq!(aleppo[0]["properties"]["source_count"], 2);
    assert_eq!(aleppo[0]["properties"]["actor"], "Syrian government");

    // Filters.
    let strikes = server.get_json("/api/events?type=strike");
    assert!(!features(&strikes).is_empty());
    assert!(features(&strikes)
        .iter()
        .all(|f| f["properties"]["type"] == "strike"));
    let box_aleppo = server.get_json("/api/events?bbox=36.9,36.0,37.4,36.4");
    assert!(!features(&box_aleppo).is_empty());
    for f in features(&box_aleppo) {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (36.9..=37.4).contains(&lon) && (36.0..=36.4).contains(&lat),
            "{f}"
        );
    }
    assert!(features(&box_aleppo).len() < features(&all).len());
    let in_2017 = server.get_json("/api/events?from=2017&to=2017-12");
    assert!(features(&in_2017).iter().all(|f| f["properties"]["date"]
        .as_str()
        .unwrap()
        .starts_with("2017")));
    assert!(features(&in_2017).len() >= 2, "{in_2017}");
    let q = server.get_json("/api/events?q=voiture%20pi%C3%A9g%C3%A9e");
    assert_eq!(features(&q).len(), 1, "{q}");
    let dead = server.get_json("/api/events?min_fatalities=8");
    assert!(features(&dead)
        .iter()
        .all(|f| f["properties"]["fatalities"].as_i64().unwrap() >= 8));
    // The surer half of the events, by the extractor's confidence; the
    // points the map reads carry it too.
    let mut confidences: Vec<f64> = features(&all)
        .iter()
        .map(|f| f["properties"]["confidence"].as_f64().unwrap())
        .collect();
    confidences.sort_by(f64::total_cmp);
    let median = confidences[confidences.len() / 2];
    let sure = server.get_json(&format!("/api/events?min_confidence={median}"));
    assert!(!features(&sure).is_empty());
    assert!(features(&sure).len() < features(&all).len() || confidences[0] >= median);
    assert!(features(&sure)
        .iter()
        .all(|f| f["properties"]["confidence"].as_f64().unwrap() >= median));
    let points = server.get_json(&format!("/api/events/points?min_confidence={median}"));
    let column = points["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "confidence")
        .expect("a confidence column");
    assert_eq!(
        points["rows"].as_array().unwrap().len(),
        features(&sure).len()
    );
    assert!(points["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r[column].as_f64().unwrap() >= median - 0.005));
    assert_problem(
        &server,
        "/api/events?min_confidence=2",
        400,
        "min_confidence",
    );
    let russia = server.get_json("/api/events?actor=Russia");
    assert!(!features(&russia).is_empty());
    let place = aleppo[0]["properties"]["place_id"].as_str().unwrap();
    let at_place = server.get_json(&format!("/api/events?place={place}"));
    assert!(features(&at_place)
        .iter()
        .all(|f| f["properties"]["place_id"] == place));

    // Paging one by one with `next` links returns every event once, in order.
    let mut seen = Vec::new();
    let mut next = Some(server.url("/api/events?limit=1"));
    while let Some(url) = next {
        let page: Value = ureq::get(&url).call().unwrap().into_json().unwrap();
        assert!(features(&page).len() <= 1);
        seen.extend(features(&page).iter().map(|f| f["id"].as_i64().unwrap()));
        next = page["next"].as_str().map(String::from);
        assert!(seen.len() <= 100, "paging does not end");
    }
    let ids: Vec<i64> = features(&all)
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, ids);

    // One event with all its sources.
    let id = aleppo[0]["id"].as_i64().unwrap();
    let one = server.get_json(&format!("/api/events/{id}"));
    assert_eq!(one["type"], "Feature");
    assert_eq!(one["properties"]["sources"].as_array().unwrap().len(), 2);
    assert!(one["properties"]["sources"][0]["evidence_spans"].is_array());
    assert!(one["properties"]["sources"][1]["evidence"].is_string());
}

#[test]
fn bad_parameters_get_problem_details_naming_them() {
    let (_s, server) = served(&[]);
    assert_problem(&server, "/api/events?bbox=36,35,37", 400, "bbox");
    assert_problem(&server, "/api/events?bbox=a,b,c,d", 400, "bbox");
    assert_problem(&server, "/api/events?type=battle", 400, "type");
    assert_problem(&server, "/api/events?subtype=nuclear", 400, "subtype");
    assert_problem(&server, "/api/events?from=22/12/2016", 400, "from");
    assert_problem(&server, "/api/events?limit=0", 400, "limit");
    assert_problem(&server, "/api/events?bboxx=1", 400, "bboxx");
    assert_problem(&server, "/api/control?at=hier", 400, "at");
    assert_problem(&server, "/api/places", 400, "q");
    assert_problem(&server, "/api/events.csv?to=2016-02-30", 400, "to");
    assert_problem(
        &server,
        "/ogc/collections/events/items?datetime=bad",
        400,
        "datetime",
    );
    // SQL in a parameter is only a value.
    let r = server.get("/api/events?actor=x%27%20OR%201%3D1%20--");
    assert_eq!(r.status, 200);
    assert!(features(&r.json()).is_empty());
    for path in [
        "/api/events/999999",
        "/api/events/abc",
        "/api/places/atlantis",
        "/api/articles/12345",
        "/nowhere",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.content_type, "application/problem+json");
    }
    let h = server.get_json("/healthz");
    assert_eq!(h["status"], "ok");
}

#[test]
fn csv_has_acled_columns() {
    let (_s, server) = served(&[]);
    let r = server.get("/api/events.csv");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/csv"));
    let mut rd = csv::Reader::from_reader(r.body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
        "source",
        "notes",
    ] {
        assert!(header.contains(&col.to_string()), "{col} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let n = features(&server.get_json("/api/events")).len();
    assert_eq!(rows.len(), n);
    let limited = server.get("/api/events.csv?type=strike&limit=1");
    assert_eq!(limited.body.lines().count(), 2, "{}", limited.body);
}

#[test]
fn a_database_error_while_exporting_csv_breaks_the_download() {
    let (s, server) = served(&[]);
    // The events still read, their sources no longer do.
    common::execute_sql(&s.db(), "DROP TABLE event_sources");
    let r = ureq::get(&server.url("/api/events.csv")).call().unwrap();
    // The header went out before the failure: the status is 200, but the
    // body ends with an error instead of rows without their sources.
    assert_eq!(r.status(), 200);
    let body = r.into_string();
    assert!(body.is_err(), "a complete CSV: {body:?}");
}

#[test]
fn control_as_of_a_date_and_place_history() {
    let (_s, server) = served(&[]);
    let before = server.get_json("/api/control?at=2016-01-01");
    let after = server.get_json("/api/control?at=2018-06-01");
    assert!(
        features(&after).len() > features(&before).len(),
        "{before}\n{after}"
    );
    let found = server.get_json("/api/places?q=Alep");
    let aleppo_id = features(&found)[0]["id"].as_str().unwrap().to_string();
    let aleppo = features(&after)
        .iter()
        .find(|f| f["properties"]["place_id"] == aleppo_id.as_str())
        .unwrap_or_else(|| panic!("Aleppo is not in the control layer: {after}"));
    let p = &aleppo["properties"];
    assert_eq!(p["controller"], "Syrian government");
    assert_eq!(p["since"], "2016-12-22");
    assert!(p["age_days"].as_i64().unwrap() > 500);
    assert_eq!(p["stale"], true);

    let first = &features(&found)[0];
    assert_eq!(first["properties"]["name_en"], "Aleppo");
    assert!(first["properties"]["events"].as_i64().unwrap() >= 1);
    let id = first["id"].as_str().unwrap();
    let place = server.get_json(&format!("/api/places/{id}"));
    assert_eq!(place["properties"]["place"]["name_en"], "Aleppo");
    assert_eq!(
        place["properties"]["control"][0]["actor"],
        "Syrian government"
    );
    assert!(!features(&place["events"]).is_empty());
}

/// Two towns ~45 km apart held by two sides, written behind the server's
/// back as another process would.
const TWO_SIDES: &str = "
    INSERT INTO places (id, name, kind, country, lat, lon) VALUES
        ('homs', 'Homs', 'city', 'SY', 34.72, 36.72),
        ('hama', 'Hama', 'city', 'SY', 35.13, 36.75);
    INSERT INTO events (type, place_id, place, lat, lon, precision, date, date_precision, actor, evidence) VALUES
        ('control_change', 'homs', 'Homs', 34.72, 36.72, 'exact', '2019-06-01', 'day', 'Syrian government', 'x'),
        ('control_change', 'hama', 'Hama', 35.13, 36.75, 'exact', '2019-07-01', 'day', 'HTS', 'y');";

#[test]
fn areas_and_front_lines_follow_the_events_even_when_another_process_writes_them() {
    let s = Scratch::new();
    let server = Server::start("serve", &s.db(), &[]);
    let none = server.get_json("/api/control/frontlines?at=2020-01-01");
    assert_eq!(none["type"], "FeatureCollection");
    assert!(features(&none).is_empty(), "{none}");
    assert!(features(&server.get_json("/api/control/areas?at=2020-01-01")).is_empty());

    common::execute_sql(&s.db(), TWO_SIDES);
    let r = server.get("/api/control/frontlines?at=2019-12-01");
    assert_eq!(r.content_type, "application/geo+json");
    let fronts = r.json();
    let lines = features(&fronts);
    assert_eq!(lines.len(), 1, "{fronts}");
    let p = &lines[0]["properties"];
    assert_eq!(p["sides"], serde_json::json!(["HTS", "Syrian government"]));
    assert_eq!(p["newest_report"], "2019-07-01");
    assert_eq!(p["stale"], false);
    let g = &lines[0]["geometry"];
    assert!(
        g["type"] == "LineString" || g["type"] == "MultiLineString",
        "{g}"
    );
    // Between the two towns, across the road from one to the other.
    let text = g["coordinates"].to_string();
    let numbers: Vec<f64> = text
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|n| n.parse().ok())
        .collect();
    let lats: Vec<f64> = numbers.iter().skip(1).step_by(2).copied().collect();
    assert!(lats.iter().any(|y| (34.8..35.05).contains(y)), "{text}");

    let areas = server.get_json("/api/control/areas?at=2019-12-01");
    let held: Vec<&str> = features(&areas)
        .iter()
        .filter(|f| f["properties"]["status"] == "held")
        .filter_map(|f| f["properties"]["actor"].as_str())
        .collect();
    assert_eq!(held, ["HTS", "Syrian government"], "{areas}");
    assert!(features(&areas)
        .iter()
        .any(|f| f["properties"]["status"] == "contested"));
    assert_eq!(areas["options"]["reach_km"], 35.0);

    // Before either change, nothing.
    let before = server.get_json("/api/control/frontlines?at=2019-01-01");
    assert!(features(&before).is_empty(), "{before}");
    assert_problem(&server, "/api/control/frontlines?at=soon", 400, "at");
    assert_problem(
        &server,
        "/api/control/frontlines?date=2019-01-01",
        400,
        "date",
    );
}

/// The colour of a pixel of a PNG, at a point of the map.
fn pixel(img: &tiny_skia::Pixmap, x: u32, y: u32) -> (u8, u8, u8) {
    let p = img.pixel(x, y).expect("inside the image");
    (p.red(), p.green(), p.blue())
}

#[test]
fn static_images_draw_the_view_with_areas_front_lines_and_events() {
    let s = Scratch::new();
    let server = Server::start("serve", &s.db(), &[]);
    common::execute_sql(&s.db(), TWO_SIDES);
    common::execute_sql(
        &s.db(),
        "INSERT INTO events (type, place_id, place, lat, lon, precision, date, date_precision, actor, fatalities, evidence)
         VALUES ('strike', 'homs', 'Homs', 34.72, 36.72, 'exact', '2019-08-01', 'day', 'Russia', 40, 'z');",
    );
    // Centred between the towns at zoom 8: 800 × 500 px.
    let view = "lat=34.9&lng=37.4&z=8&at=2019-12-01";
    let r = server.get(&format!("/static.png?{view}&w=800&h=500"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "image/png");
    let img = tiny_skia::Pixmap::decode_png(&r.bytes).expect("a PNG");
    assert_eq!((img.width(), img.height()), (800, 500));
    // Mercator pixels of a point in this view.
    let px = |lon: f64, lat: f64| -> (u32, u32) {
        let world = 256.0 * 256.0;
        let merc = |lat: f64| {
            let r = lat.to_radians();
            (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * world
        };
        let x = (lon - 37.4) / 360.0 * world + 400.0;
        let y = merc(lat) - merc(34.9) + 250.0;
        (x as u32, y as u32)
    };
    let syria_land = (0xf4, 0xf1, 0xe8);
    // Syria far from both towns: plain land.
    let (x, y) = px(38.6, 34.9);
    assert_eq!(pixel(&img, x, y), syria_land);
    // Beside Hama, in HTS's area: tinted.
    let (x, y) = px(36.85, 35.2);
    assert_ne!(pixel(&img, x, y), syria_land);
    // The front line runs east–west between the towns: dark pixels on
    // the meridian of 36.9°E, between them.
    let (x, y0) = px(36.9, 35.0);
    let (_, y1) = px(36.9, 34.85);
    let dark = (y0..y1).any(|y| pixel(&img, x, y).0 < 90);
    assert!(dark, "no front line between the towns");
    // The strike at Homs is drawn over its area.
    let (x, y) = px(36.72, 34.72);
    assert_ne!(pixel(&img, x, y), syria_land);
    // The sea (west of the coast) is blue.
    let (x, y) = px(35.4, 34.9);
    let sea = pixel(&img, x, y);
    assert!(sea.2 > sea.0 + 20, "{sea:?}");

    let double = server.get(&format!("/static.png?{view}&w=400&h=300&scale=2"));
    let big = tiny_skia::Pixmap::decode_png(&double.bytes).expect("a PNG");
    assert_eq!((big.width(), big.height()), (800, 600));

    let svg = server.get(&format!("/static.svg?{view}&w=800&h=500&lang=en"));
    assert_eq!(svg.status, 200);
    assert_eq!(svg.content_type, "image/svg+xml");
    assert!(
        svg.body.contains("control as of 1 December 2019"),
        "{}",
        &svg.body[..400]
    );
    let tree = usvg::Tree::from_str(&svg.body, &usvg::Options::default());
    assert!(tree.is_ok(), "not valid SVG: {:?}", tree.err());
    // Events wear the web map's glyphs (a strike without subtype: the
    // generic one), and nothing is ringed unless a link names an event.
    assert!(svg.body.contains(r##"href="#glyph-strike-unspecified""##));
    assert!(!svg.body.contains(r#"class="highlight""#));

    // `event` (an /embed link that opens an event) rings that event.
    let id = server.get("/api/events").body;
    let id: serde_json::Value = serde_json::from_str(&id).unwrap();
    let id = id["features"][0]["id"].as_i64().expect("the strike's id");
    let ringed = server.get(&format!("/static.svg?{view}&event={id}"));
    assert_eq!(ringed.status, 200, "{}", ringed.body);
    assert_eq!(ringed.body.matches(r#"class="highlight""#).count(), 1);
    let png = server.get(&format!("/static.png?{view}&w=800&h=500&event={id}"));
    let img2 = tiny_skia::Pixmap::decode_png(&png.bytes).expect("a PNG");
    // The dark ring: left of the strike, where the plain image has none.
    let (x, y) = px(36.72, 34.72);
    let ring = |img: &tiny_skia::Pixmap| (x - 20..x - 8).any(|x| pixel(img, x, y).0 < 40);
    assert!(ring(&img2), "no ring around the linked event");
    assert!(!ring(&img), "a ring without a linked event");
    // An event deleted since the link was made: the same view, unringed.
    let gone = server.get(&format!("/static.svg?{view}&event=999999"));
    assert_eq!(gone.status, 200);
    assert!(!gone.body.contains(r#"class="highlight""#));

    assert_problem(&server, "/static.png?event=x", 400, "event");
    assert_problem(&server, "/static.png?w=4000", 400, "w");
    assert_problem(&server, "/static.png?h=0", 400, "h");
    assert_problem(&server, "/static.png?scale=3", 400, "scale");
    assert_problem(&server, "/static.svg?layers=tanks", 400, "layers");
    assert_problem(&server, "/static.svg?size=2", 400, "size");
}

#[test]
fn static_images_draw_the_admin_boundaries_only_when_their_layer_is_asked() {
    let s = Scratch::new();
    // A made-up unit around Palmyra.
    let file = s.write(
        "units.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Unit"},
            "geometry":{"type":"Polygon","coordinates":[[[37.5,34.0],[39.0,34.0],[39.0,35.0],[37.5,35.0],[37.5,34.0]]]}}]}"#,
    );
    let server = Server::start("serve", &s.db(), &["--boundaries", file.to_str().unwrap()]);
    let view = "lat=34.5&lng=38.2&z=7&at=2019-12-01";
    let off = server.get(&format!("/static.svg?{view}"));
    assert_eq!(off.status, 200, "{}", off.body);
    assert!(
        !off.body.contains(r#"class="boundaries""#),
        "off by default, as on the map"
    );
    let on = server.get(&format!("/static.svg?{view}&layers=strike,boundaries"));
    assert_eq!(on.body.matches(r#"class="boundaries""#).count(), 1);
    assert!(
        on.body.contains("Limites administratives"),
        "named in the legend"
    );
    // The ring's west side at 37.5°E is drawn: dark violet pixels there.
    let png = server.get(&format!("/static.png?{view}&layers=boundaries&w=800&h=500"));
    let img = tiny_skia::Pixmap::decode_png(&png.bytes).expect("a PNG");
    let x = (400.0 + (37.5 - 38.2) / 360.0 * 256.0 * 128.0) as u32;
    let violet = (200..300).any(|y| {
        let (r, g, b) = pixel(&img, x, y);
        u16::from(b) > u16::from(g) + 20 && r < 140
    });
    assert!(violet, "no boundary line at 37.5°E");
}

#[test]
fn posting_articles_needs_the_token_and_a_good_body() {
    let s = Scratch::new();
    let server = Server::start("serve", &s.db(), &["--max-body", "4096"]);
    let article = r#"{"text": "Des frappes aériennes russes ont visé mardi Maarat al-Nouman, faisant 11 morts.", "published": "2019-07-23", "url": "https://example.org/maarat", "source": "example.org"}"#;
    let r = server.post("/api/articles", None, article);
    assert_eq!(r.status, 401);
    assert_eq!(r.content_type, "application/problem+json");
    assert_eq!(
        server.post("/api/articles", Some("wrong"), article).status,
        401
    );

    let big = format!(r#"{{"text": "{}"}}"#, "a".repeat(10_000));
    let r = server.post("/api/articles", Some(TOKEN), &big);
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json");

    for (body, status, field) in [
        (r#"{"title": "sans texte"}"#, 422, "text"),
        (r#"{"text": "x", "published": "mardi"}"#, 422, "published"),
        (r#"{"text": "x", "url": "ftp://x"}"#, 422, "url"),
        (r#"{"text": "x", "texte": "y"}"#, 422, "texte"),
    ] {
        let r = server.post("/api/articles", Some(TOKEN), body);
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert_eq!(r.json()["field"], field, "{body}");
    }
    let r = server.post("/api/articles", Some(TOKEN), "{not json");
    assert_eq!(r.status, 400);

    let r = server.post("/api/articles", Some(TOKEN), article);
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    assert_eq!(v["new"], true);
    let events = features(&v["events"]);
    assert_eq!(events.len(), 1, "{v}");
    assert_eq!(events[0]["properties"]["type"], "strike");
    assert_eq!(events[0]["properties"]["fatalities"], 11);
    assert_eq!(
        events[0]["properties"]["sources"][0]["url"],
        "https://example.org/maarat"
    );
    // The same article again: stored once, same events, 200.
    let again = server.post("/api/articles", Some(TOKEN), article);
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["new"], false);
    assert_eq!(features(&again.json()["events"]).len(), 1);
    assert_eq!(features(&server.get_json("/api/events")).len(), 1);
    let id = v["article"]["id"].as_i64().unwrap();
    let stored = server.get_json(&format!("/api/articles/{id}"));
    assert!(stored["article"]["text"]
        .as_str()
        .unwrap()
        .contains("Maarat"));

    // The body is read by the same reader as `.jsonl` files, so a
    // timestamp is its date, as in a JSON Lines file (this endpoint
    // refused it before the two readers became one).
    let r = server.post(
        "/api/articles",
        Some(TOKEN),
        r#"{"text": "Des combats ont opposé lundi l'armée aux rebelles à Deraa.", "published": "2018-07-02T10:00:00Z"}"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["article"]["published"], "2018-07-02");
}

#[test]
fn the_token_is_checked_before_the_body_is_read() {
    use std::io::{Read, Write};
    let s = Scratch::new();
    let server = Server::start("serve", &s.db(), &[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    for auth in ["", "Authorization: Bearer wrong\r\n"] {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        // A body announced and never sent: a server reading it first
        // would wait for it, and this read would time out.
        write!(
            stream,
            "POST /api/articles HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        .unwrap();
        let mut reply = [0u8; 256];
        let n = stream.read(&mut reply).expect("an answer without the body");
        let reply = String::from_utf8_lossy(&reply[..n]);
        assert!(reply.starts_with("HTTP/1.1 401"), "{auth:?}: {reply}");
    }
}

#[test]
fn ingest_is_idempotent_and_reports_failures() {
    let s = Scratch::new();
    let dir = write_samples(&s);
    let first = s.ingest(&[dir.to_str().unwrap(), "--json"]);
    assert!(first.status.success());
    let v: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(v["new"], 6);
    let again = s.ingest(&[dir.to_str().unwrap(), "--json"]);
    let w: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (
            w["new"].as_i64(),
            w["unchanged"].as_i64(),
            w["events_added"].as_i64()
        ),
        (Some(0), Some(6), Some(0))
    );

    // A bad file: non-zero exit, the file and the reason on stderr, the
    // good ones still stored.
    s.write("bad/ok.txt", "Des combats ont éclaté lundi à Deraa.");
    s.write(
        "bad/broken.jsonl",
        "{\"text\": \"ok\"}\n{\"title\": \"sans texte\"}\n",
    );
    let out = s.ingest(&[s.path("bad").to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.jsonl:2") && err.contains("text"),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 new") && stdout.contains("1 failed"),
        "{stdout}"
    );

    // stdin.
    let mut child = std::process::Command::new(common::BIN)
        .args(["ingest", "--db", s.db().to_str().unwrap(), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("{\"text\": \"Des affrontements ont opposé vendredi l'EI aux FDS à Hajin.\", \"published\": \"2018-11-30\"}\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 new"));

    // Re-extraction keeps the same events when nothing changed.
    let out = s.ingest(&["--reextract", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["events_removed"], 0, "{r}");
    assert_eq!(r["events_added"], 0, "{r}");
}

#[test]
fn ogc_api_features_pages_with_next_links() {
    let (_s, server) = served(&[]);
    let landing = server.get_json("/ogc");
    let rels: Vec<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "conformance", "data", "service-desc"] {
        assert!(rels.contains(&rel), "{rel}");
    }
    let conf = server.get_json("/ogc/conformance");
    assert!(conf["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c.as_str().unwrap().ends_with("/conf/core")));
    let cols = server.get_json("/ogc/collections");
    assert_eq!(cols["collections"][0]["id"], "events");
    let all = server.get_json("/ogc/collections/events/items?limit=1000");
    let n = features(&all).len();
    assert!(n >= 5);
    let mut seen = 0;
    let mut next = Some(server.url("/ogc/collections/events/items?limit=2"));
    while let Some(url) = next {
        let r = ureq::get(&url).call().unwrap();
        assert_eq!(r.content_type(), "application/geo+json");
        let page: Value = r.into_json().unwrap();
        seen += features(&page).len();
        next = next_link(&page);
    }
    assert_eq!(seen, n);
    let in_2017 = server
        .get_json("/ogc/collections/events/items?datetime=2017-01-01/2017-12-31&bbox=35,32,43,38");
    assert!(features(&in_2017).iter().all(|f| f["properties"]["date"]
        .as_str()
        .unwrap()
        .starts_with("2017")));
    let id = features(&all)[0]["id"].as_i64().unwrap();
    let one = server.get_json(&format!("/ogc/collections/events/items/{id}"));
    assert_eq!(one["id"], id);
}

/// The `next` link of an OGC page, if any.
fn next_link(page: &Value) -> Option<String> {
    page["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .map(|l| l["href"].as_str().unwrap().to_string())
}

/// The ids of the features found by following `next` links from `url`
/// (at most 100 pages).
fn ogc_ids_by_pages(url: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut next = Some(url.to_string());
    let mut pages = 0;
    while let Some(url) = next {
        pages += 1;
        assert!(pages <= 100, "paging does not end: {ids:?}");
        let page: Value = ureq::get(&url).call().unwrap().into_json().unwrap();
        ids.extend(features(&page).iter().map(|f| f["id"].as_i64().unwrap()));
        next = next_link(&page);
    }
    ids
}

#[test]
fn ogc_paging_is_exact_when_the_spatial_index_rounds_the_bbox() {
    let (_s, server) = served(&[]);
    let all = server.get_json("/ogc/collections/events/items?limit=1000");
    let coords: Vec<(i64, f64, f64)> = features(&all)
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                f["id"].as_i64().unwrap(),
                c[0].as_f64().unwrap(),
                c[1].as_f64().unwrap(),
            )
        })
        .collect();
    // The southernmost event, and a south edge just north of it: outside
    // the box, but inside the R*Tree's float32 bounds (rounded outward),
    // so the index query returns it and the exact test drops it.
    let (low_id, _, low_lat) = coords
        .iter()
        .copied()
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .unwrap();
    let rounded = low_lat as f32;
    let up = if f64::from(rounded) > low_lat {
        f64::from(rounded)
    } else {
        f64::from(f32::from_bits(rounded.to_bits() + 1))
    };
    let south = (low_lat + up) / 2.0;
    assert!(low_lat < south && south < up);
    let west = coords.iter().map(|c| c.1).fold(f64::INFINITY, f64::min) - 1.0;
    let east = coords.iter().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max) + 1.0;
    let north = coords.iter().map(|c| c.2).fold(f64::NEG_INFINITY, f64::max) + 1.0;
    let items = format!("/ogc/collections/events/items?bbox={west},{south},{east},{north}");
    let expected: Vec<i64> = coords
        .iter()
        .filter(|c| c.2 >= south)
        .map(|c| c.0)
        .collect();
    // The case needs events on both sides of the dropped one in id order.
    assert!(expected.iter().any(|&id| id < low_id) && expected.iter().any(|&id| id > low_id));
    let in_box = server.get_json(&format!("{items}&limit=1000"));
    let ids: Vec<i64> = features(&in_box)
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, expected);
    // Every page size returns each feature once, in order.
    for limit in 1..=3 {
        assert_eq!(
            ogc_ids_by_pages(&server.url(&format!("{items}&limit={limit}"))),
            expected,
            "limit={limit}"
        );
    }
}

#[test]
fn the_vocabulary_is_served_once_for_all_with_labels_colours_and_an_etag() {
    let (_s, server) = served(&[]);
    let r = server.get("/api/vocabulary");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "application/json");
    assert_eq!(r.header("cache-control"), Some("public, max-age=3600"));
    let etag = r.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let v = r.json();

    // Shape: types, subtypes and actors, each with its labels and colour.
    let by = |list: &str, field: &str, key: &str| -> Value {
        v[list]
            .as_array()
            .unwrap_or_else(|| panic!("{list} in {v}"))
            .iter()
            .find(|x| x[field] == key)
            .unwrap_or_else(|| panic!("{key} in {list}"))
            .clone()
    };
    for list in ["types", "subtypes"] {
        for t in v[list].as_array().unwrap() {
            for field in [
                "key",
                "label_fr",
                "label_fr_plural",
                "label_en",
                "label_en_plural",
                "colour",
                "icon",
            ] {
                assert!(
                    t[field].as_str().is_some_and(|s| !s.is_empty()),
                    "{field} of {t}"
                );
            }
        }
    }
    assert_eq!(v["types"].as_array().unwrap().len(), 5);
    let strike = by("types", "key", "strike");
    assert_eq!(
        (&strike["label_fr_plural"], &strike["label_en_plural"]),
        (&Value::from("Frappes"), &Value::from("Strikes"))
    );
    assert_eq!(strike["colour"], "#b71c1c");
    let air = by("subtypes", "key", "air");
    assert_eq!(air["types"], serde_json::json!(["strike"]));
    assert_eq!(air["icon"], "strike/air");
    assert_eq!(air["label_fr"], "aérienne");
    let turkey = by("actors", "name", "Turkey");
    assert_eq!(
        (&turkey["label_fr"], &turkey["label_en"]),
        (&Value::from("Turquie"), &Value::from("Turkey"))
    );
    assert!(turkey["colour"].as_str().unwrap().starts_with('#'));

    // What the events say is what the vocabulary knows.
    let events = server.get_json("/api/events");
    for f in features(&events) {
        let p = &f["properties"];
        by("types", "key", p["type"].as_str().unwrap());
        if let Some(sub) = p["subtype"].as_str() {
            by("subtypes", "key", sub);
        }
        for role in ["actor", "target"] {
            if let Some(a) = p[role].as_str() {
                by("actors", "name", a);
            }
        }
    }

    // Revalidation: the same tag is 304 without a body; another is 200.
    for header in [etag.clone(), format!("W/{etag}"), format!("\"x\", {etag}")] {
        let again = server.get_with("/api/vocabulary", &[("If-None-Match", &header)]);
        assert_eq!(again.status, 304, "{header}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        assert_eq!(again.header("cache-control"), Some("public, max-age=3600"));
    }
    let other = server.get_with("/api/vocabulary", &[("If-None-Match", "\"other\"")]);
    assert_eq!(other.status, 200);
    assert_eq!(other.body, r.body);
}

#[test]
fn the_demo_builds_its_database_from_the_dispatches_and_serves_it() {
    let s = Scratch::new();
    let db = s.db();
    let server = Server::start("demo", &db, &[]);
    let events = server.get_json("/api/events?limit=10000");
    let n = features(&events).len();
    assert!(n >= 120, "the demo database has only {n} events");
    for t in [
        "control_change",
        "strike",
        "explosion",
        "clash",
        "civilian_targeting",
    ] {
        assert!(
            features(&events)
                .iter()
                .any(|f| f["properties"]["type"] == t),
            "no {t}"
        );
    }
    let control = server.get_json("/api/control?at=2025-01-01");
    assert!(features(&control).len() >= 10, "{control}");
    drop(server);
    // A second start serves the existing database as it is.
    let server = Server::start("demo", &db, &[]);
    assert_eq!(
        features(&server.get_json("/api/events?limit=10000")).len(),
        n
    );
}

#[test]
fn two_servers_on_one_database_serve_the_same_data_and_never_duplicate() {
    // Stateless servers: what one stores, the other serves; the same
    // article posted to both at once is stored once, and two reports of
    // one happening posted at once make one event with two sources.
    let s = Scratch::new();
    let one = Server::start("serve", &s.db(), &[]);
    let two = Server::start("serve", &s.db(), &[]);
    let same = r#"{"text": "Des frappes aériennes russes ont visé mardi Saraqeb, faisant 7 morts.", "published": "2020-02-04"}"#;
    let other = r#"{"text": "Mardi, des avions russes ont bombardé Saraqeb : 7 civils ont été tués.", "published": "2020-02-04", "url": "https://example.org/saraqeb"}"#;
    let answers: Vec<u16> = std::thread::scope(|scope| {
        let posts = [(&one, same), (&two, same), (&one, other)];
        let handles: Vec<_> = posts
            .iter()
            .map(|(server, body)| {
                scope.spawn(|| server.post("/api/articles", Some(TOKEN), body).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut created = answers.clone();
    created.sort();
    assert_eq!(created, [200, 201, 201], "{answers:?}");
    for server in [&one, &two] {
        let events = server.get_json("/api/events");
        let events = features(&events);
        assert_eq!(events.len(), 1, "{events:?}");
        let p = &events[0]["properties"];
        assert_eq!(p["type"], "strike");
        assert_eq!(p["source_count"], 2, "{p}");
    }
    // The same features (the links name each server's own address).
    assert_eq!(
        one.get_json("/api/events")["features"],
        two.get_json("/api/events")["features"]
    );
}
