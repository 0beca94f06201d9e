//! End to end: review events through the API of a real server over a real
//! SQLite file (the bootstrap token FRONTLINE_TOKEN is the editor), check
//! that rejected events leave every public output, and that re-extraction
//! and a new source of the same happening keep the human decisions.

mod common;

use common::{send, write_samples, Response, Scratch, Server, TOKEN};
use serde_json::{json, Value};

fn auth() -> String {
    format!("Bearer {TOKEN}")
}

fn patch(server: &Server, id: i64, body: &Value) -> Response {
    let a = auth();
    send(
        server,
        "PATCH",
        &format!("/api/events/{id}"),
        &[("Authorization", &a), ("Content-Type", "application/json")],
        Some(&body.to_string()),
    )
}

fn editor_get(server: &Server, path: &str) -> Value {
    let a = auth();
    let r = send(server, "GET", path, &[("Authorization", &a)], None);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

/// The id of the public event of this type at this place.
fn find(events: &Value, event_type: &str, place_has: &str) -> i64 {
    events["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["properties"]["type"] == event_type
                && f["properties"]["place_id"]
                    .as_str()
                    .is_some_and(|p| p.contains(place_has))
        })
        .unwrap_or_else(|| panic!("no {event_type} at {place_has} in {events}"))["id"]
        .as_i64()
        .unwrap()
}

fn ids(v: &Value) -> Vec<i64> {
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect()
}

fn started() -> (Scratch, Server) {
    let s = Scratch::new();
    let dir = write_samples(&s);
    let out = s.ingest(&[dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start("serve", &s.db(), &[]);
    (s, server)
}

#[test]
fn decisions_are_recorded_hide_rejected_events_and_survive_reextraction() {
    let (s, server) = started();
    let all = server.get_json("/api/events");
    let afrin = find(&all, "control_change", "afrin");
    let deir = find(&all, "explosion", "deir");
    let actor = server.get_json("/api/vocabulary")["actors"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();

    // Reject one, correct another.
    let r = patch(
        &server,
        afrin,
        &json!({"status": "rejected", "note": "pas un événement"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["review"], "rejected");
    let r = patch(&server, deir, &json!({"fatalities": 8, "actor": actor}));
    assert_eq!(r.status, 200, "{}", r.body);
    let edited = r.json();
    assert_eq!(
        (
            &edited["review"],
            &edited["fatalities"],
            &edited["reviewed_by"]
        ),
        (&json!("edited"), &json!(8), &json!("admin"))
    );
    let history = editor_get(&server, &format!("/api/events/{deir}/history"));
    let fields: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["actor", "fatalities", "status"]);

    // Every public output leaves the rejected event out.
    let listed = ids(&server.get_json("/api/events"));
    assert!(
        !listed.contains(&afrin) && listed.contains(&deir),
        "{listed:?}"
    );
    assert_eq!(server.get(&format!("/api/events/{afrin}")).status, 404);
    assert_eq!(
        server
            .get(&format!("/ogc/collections/events/items/{afrin}"))
            .status,
        404
    );
    assert!(!ids(&server.get_json("/ogc/collections/events/items")).contains(&afrin));
    let csv = server.get("/api/events.csv").body;
    assert!(
        !csv.lines().any(|l| l.starts_with(&format!("{afrin},"))),
        "{csv}"
    );
    let points = server.get_json("/api/events/points");
    assert!(!points["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r[0] == afrin));
    let control = server.get("/api/control?at=2018-12-31").body;
    assert!(
        !control.contains(&format!("\"event_id\":{afrin}")),
        "{control}"
    );
    assert!(!server.get("/static.svg?at=2018-12-31").body.is_empty());
    // review=accepted: only what a human checked, with when.
    let checked = server.get_json("/api/events?review=accepted");
    assert_eq!(ids(&checked), [deir]);
    assert!(checked["features"][0]["properties"]["reviewed_at"].is_string());
    assert_eq!(
        ids(&server.get_json("/ogc/collections/events/items?review=accepted")),
        [deir]
    );
    assert_eq!(server.get("/api/events?review=maybe").status, 400);

    // Re-extraction keeps both decisions.
    let out = s.ingest(&["--reextract"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rejected = editor_get(&server, "/api/review/queue?status=rejected");
    assert_eq!(rejected["events"][0]["id"], afrin, "{rejected}");
    assert!(!ids(&server.get_json("/api/events")).contains(&afrin));
    let e = editor_get(&server, "/api/review/queue?status=edited");
    assert_eq!(e["events"][0]["id"], deir, "{e}");
    assert_eq!(e["events"][0]["fatalities"], 8);
    let sources_before = e["events"][0]["source_count"].as_i64().unwrap();

    // A second article about the same bombing joins the edited event.
    s.write(
        "more/deir-bis.txt",
        "title: deir-bis\npublished: 2017-09-06\n\nUne voiture piégée a explosé mercredi à Deir ez-Zor, tuant au moins 5 personnes.\n",
    );
    let out = s.ingest(&[s.path("more").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e = editor_get(&server, "/api/review/queue?status=edited");
    let ev = &e["events"][0];
    assert_eq!(
        (ev["id"].as_i64(), &ev["review"]),
        (Some(deir), &json!("edited"))
    );
    assert_eq!(
        ev["source_count"].as_i64(),
        Some(sources_before + 1),
        "{ev}"
    );
    assert_eq!(
        (&ev["fatalities"], &ev["actor"]),
        (&json!(8), &json!(actor))
    );
}

#[test]
fn bad_reviews_are_refused_by_name() {
    let (_s, server) = started();
    let id = ids(&server.get_json("/api/events"))[0];
    let body = json!({"status": "accepted"}).to_string();
    let r = send(
        &server,
        "PATCH",
        &format!("/api/events/{id}"),
        &[],
        Some(&body),
    );
    assert_eq!(r.status, 401);
    let r = send(&server, "GET", "/api/review/queue", &[], None);
    assert_eq!(r.status, 401);
    assert_eq!(
        patch(&server, 999_999, &json!({"status": "accepted"})).status,
        404
    );
    let r = patch(
        &server,
        id,
        &json!({"status": "maybe", "fatalities": -3, "place_id": "atlantis", "colour": "red"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json");
    let p = r.json();
    let named: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["colour", "status", "place_id", "fatalities"], "{p}");
    // Nothing was changed by the refused review.
    let h = send(
        &server,
        "GET",
        &format!("/api/events/{id}/history"),
        &[("Authorization", &auth())],
        None,
    );
    assert_eq!(h.json()["history"], json!([]));
    // The queue's filters are checked too.
    let a = auth();
    let r = send(
        &server,
        "GET",
        "/api/review/queue?status=done",
        &[("Authorization", &a)],
        None,
    );
    assert_eq!(
        (r.status, r.json()["parameter"].clone()),
        (400, json!("status"))
    );
}
