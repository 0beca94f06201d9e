//! `/api/events`, `/api/events/{id}` and `/api/events.csv`.

use super::geojson::{event_feature, json_as, Link, GEOJSON};
use super::params::{AllEvents, PagedEvents, Query};
use super::{event_with_sources, path_id, with_query, AppState, BaseUrl};
use crate::error::{Error, Result};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use frontline_store::{EventRow, SourceRow};

/// `/api/events` answers 1000 events by default, at most 10,000.
pub type EventsQuery = PagedEvents<1000, 10_000>;

/// `GET /api/events`: a FeatureCollection of matching events in id order,
/// with a `next` link while more match (`after` is the paging cursor).
pub async fn list(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Query(EventsQuery { filter, params: p }): Query<EventsQuery>,
) -> Result<Response> {
    let page = state.store.event_features(&filter).await?;
    let mut links = vec![Link::new(
        with_query(&format!("{base}/api/events"), &p.without(&[])),
        "self",
        GEOJSON,
    )];
    let mut next = None;
    if let Some(after) = page.next_after {
        let mut q = p.without(&["after"]);
        q.push(("after".into(), after.to_string()));
        let href = with_query(&format!("{base}/api/events"), &q);
        links.push(Link::new(href.clone(), "next", GEOJSON));
        next = Some(href);
    }
    // The features come as JSON texts from the store: splice them in.
    let tail =
        serde_json::json!({"links": links, "next": next, "numberReturned": page.features.len()});
    let tail = tail.to_string();
    let mut body = String::with_capacity(
        page.features.iter().map(|f| f.len() + 1).sum::<usize>() + tail.len() + 64,
    );
    body.push_str(r#"{"type":"FeatureCollection","features":["#);
    for (i, f) in page.features.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(f);
    }
    body.push_str("],");
    body.push_str(tail.get(1..).unwrap_or("}"));
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    Ok(res)
}

/// `GET /api/events/{id}`: one event with its evidence and every source.
pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let id = path_id("event", &id)?;
    let (event, sources) = event_with_sources(&state.store, "event", id).await?;
    Ok(json_as(GEOJSON, &event_feature(event, sources, true)))
}

/// The CSV columns, ACLED-style.
const CSV_COLUMNS: [&str; 13] = [
    "event_id",
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
];

/// ACLED's geo_precision codes: 1 the place itself, 2 near it, 3 a region.
fn geo_precision(p: &str) -> &'static str {
    match p {
        "exact" => "1",
        "near" => "2",
        _ => "3",
    }
}

/// A cell as a spreadsheet may read it without running it: text that
/// starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading apostrophe (OWASP's advice for CSV injection).
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

fn csv_rows(
    events: &[EventRow],
    sources: &std::collections::HashMap<i64, Vec<SourceRow>>,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in events {
        let e = &row.fields;
        let src: Vec<String> = sources
            .get(&e.id)
            .map(|v| {
                v.iter()
                    .map(|s| {
                        s.source
                            .clone()
                            .or_else(|| s.url.clone())
                            .unwrap_or_else(|| format!("article {}", s.article_id))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let fatalities = e.fatalities.map(|n| n.to_string()).unwrap_or_default();
        let (lat, lon) = (format!("{:.5}", row.lat), format!("{:.5}", row.lon));
        // Numbers are written as they are; every text from articles or
        // the extractor is neutralised.
        let _ = w.write_record([
            e.id.to_string().as_str(),
            &cell(e.date.as_deref().unwrap_or("")),
            &cell(&e.event_type),
            &cell(e.subtype.as_deref().unwrap_or("")),
            &cell(e.actor.as_deref().unwrap_or("")),
            &cell(e.target.as_deref().unwrap_or("")),
            &cell(&e.place),
            lat.as_str(),
            lon.as_str(),
            geo_precision(&e.precision),
            fatalities.as_str(),
            &cell(&src.join("; ")),
            &cell(&e.evidence),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `GET /api/events.csv`: every matching event (or `limit` of them),
/// streamed page by page.
pub async fn csv(
    State(state): State<AppState>,
    Query(AllEvents(mut filter)): Query<AllEvents>,
) -> Result<Response> {
    let mut remaining = filter.limit;
    filter.limit = remaining.min(5000);
    let (tx, rx) = tokio::sync::mpsc::channel::<std::result::Result<Bytes, std::io::Error>>(4);
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut header = csv::Writer::from_writer(Vec::new());
        let _ = header.write_record(CSV_COLUMNS);
        if tx
            .send(Ok(Bytes::from(header.into_inner().unwrap_or_default())))
            .await
            .is_err()
        {
            return;
        }
        loop {
            // A failed read ends the body with an error, never with rows
            // missing their sources.
            let fetched = async {
                let page = store.events(&filter).await?;
                let ids: Vec<i64> = page.events.iter().map(|e| e.fields.id).collect();
                let sources = store.sources(&ids).await?;
                Ok::<_, Error>((page, sources))
            }
            .await;
            let (page, sources) = match fetched {
                Ok(fetched) => fetched,
                Err(e) => {
                    tracing::error!(error = %e, "CSV export failed");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            if tx
                .send(Ok(Bytes::from(csv_rows(&page.events, &sources))))
                .await
                .is_err()
            {
                return;
            }
            remaining -= page.events.len() as i64;
            match page.next_after {
                Some(after) if remaining > 0 => {
                    filter.after = Some(after);
                    filter.limit = remaining.min(5000);
                }
                _ => return,
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut res = Body::from_stream(stream).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"frontline-events.csv\""),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_are_neutralised() {
        for (raw, out) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"x\")",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
            ),
            ("+33 1 23", "'+33 1 23"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Alep", "Alep"),
            ("", ""),
        ] {
            assert_eq!(cell(raw), out, "{raw:?}");
        }
        let row = EventRow {
            fields: frontline_store::EventFields {
                id: 7,
                event_type: "strike".into(),
                place: "=1+1".into(),
                actor: Some("@x".into()),
                evidence: "-cmd".into(),
                ..Default::default()
            },
            lat: 36.2,
            lon: 37.1,
            evidence_spans: "[]".into(),
            sources: "[]".into(),
        };
        let mut sources = std::collections::HashMap::new();
        sources.insert(
            7,
            vec![SourceRow {
                event_id: 7,
                article_id: 1,
                url: None,
                title: None,
                source: Some("=HYPERLINK(\"http://evil.example\")".into()),
                published: None,
                actor: None,
                target: None,
                fatalities: None,
                injured: None,
                claimed_by: None,
                evidence: String::new(),
                evidence_spans: "[]".into(),
                confidence: 0.0,
            }],
        );
        let csv = String::from_utf8(csv_rows(&[row], &sources)).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        for (i, want) in [
            (4, "'@x"),
            (6, "'=1+1"),
            (11, "'=HYPERLINK(\"http://evil.example\")"),
            (12, "'-cmd"),
        ] {
            assert_eq!(&rec[i], want, "column {i}: {csv}");
        }
    }
}
