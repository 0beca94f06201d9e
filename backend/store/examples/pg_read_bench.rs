//! Reading speed on PostgreSQL with many synthetic events — a
//! measurement, not a test (see `scripts/bench-pg-read.sh`).
//!
//! Usage: `pg_read_bench ADMIN_URL [EVENTS] [RUNS]`. Creates (once) the
//! database `bench_read_EVENTS` on the server ADMIN_URL names, fills it
//! with EVENTS events spread over 2,000 places of Syria's box (written by
//! `generate_series`), then times, RUNS times each, a page of 1,000
//! events in a 0.5° box, the same page as GeoJSON features, and control
//! as of a date; prints the median and the largest, in ms.

use chrono::NaiveDate;
use frontline_store::{create_database, Bbox, EventFilter, Location, Store};
use std::time::{Duration, Instant};

const PLACES: i64 = 2000;

/// Places uniform over 32.3–37.3 N, 35.7–42.4 E; each event near one
/// (within 0.05°), a fifth of them control changes (two thirds of those
/// exactly placed), in every place, dated over 14 years.
fn load_sql(events: i64) -> String {
    format!(
        "INSERT INTO places (id, name, kind, country, lat, lon)
           SELECT 'p' || i, 'Place ' || i, 'city', 'SY',
                  32.3 + 5.0 * ((i * 7919) % {PLACES}) / {PLACES}, 35.7 + 6.7 * ((i * 104729) % {PLACES}) / {PLACES}
           FROM generate_series(0, {PLACES} - 1) i;
         INSERT INTO events (type, place_id, place, lat, lon, precision, date, date_precision,
                             actor, target, fatalities, evidence, confidence, source_count)
           SELECT (ARRAY['strike', 'clash', 'explosion', 'control_change', 'civilian_targeting'])[1 + i % 5],
                  p.id, p.name, p.lat + ((i * 31) % 101 - 50) / 1000.0, p.lon + ((i * 17) % 101 - 50) / 1000.0,
                  (ARRAY['exact', 'exact', 'near'])[1 + (i / 5) % 3],
                  to_char(date '2011-03-15' + (i * 13) % 5000, 'YYYY-MM-DD'), 'day',
                  (ARRAY['Russia', 'rebels', 'Syrian government', NULL])[1 + i % 4],
                  CASE WHEN i % 3 = 0 THEN 'ISIS' END, i % 40,
                  'Frappe synthétique numéro ' || i || ' sur ' || p.name, (i % 10) / 10.0, 1 + i % 4
           FROM generate_series(1, {events}) i
           JOIN places p ON p.id = 'p' || ((i * 7 + (i / 5) * 2) % {PLACES});
         ANALYZE;"
    )
}

async fn open(admin: &str, events: i64) -> Store {
    let name = format!("bench_read_{events}");
    let url = match create_database(admin, &name).await {
        Ok(url) => url,
        // Already there from an earlier run: keep it.
        Err(_) => admin
            .rsplit_once('/')
            .map_or(admin.to_string(), |(base, _)| format!("{base}/{name}")),
    };
    let store = Store::open(Location::Postgres(url.clone()))
        .await
        .expect("open");
    if store.counts().await.expect("counts").events < events {
        let started = Instant::now();
        let pool = sqlx::PgPool::connect(&url).await.expect("connect");
        sqlx::raw_sql(&load_sql(events))
            .execute(&pool)
            .await
            .expect("load");
        eprintln!(
            "loaded {events} events in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    store
}

/// Median and largest of `runs` timings of `f`, in ms.
async fn time<F, Fut, T>(runs: usize, mut f: F) -> (f64, f64, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(f().await);
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let last = last.expect("at least one run");
    (ms(times[times.len() / 2]), ms(times[times.len() - 1]), last)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(admin) = args.get(1) else {
        eprintln!("usage: pg_read_bench ADMIN_URL [EVENTS] [RUNS]");
        std::process::exit(2);
    };
    let events: i64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args
        .get(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21)
        .max(1);
    let store = open(admin, events).await;
    let page = EventFilter {
        bbox: Some(Bbox {
            west: 36.9,
            south: 35.9,
            east: 37.4,
            north: 36.4,
        }),
        limit: 1000,
        ..EventFilter::default()
    };
    let (median, max, rows) = time(runs, || async {
        store.events(&page).await.expect("events").events.len()
    })
    .await;
    println!("events, 0.5° box, limit 1000: {rows} rows, median {median:.1} ms, max {max:.1} ms");
    let (median, max, rows) = time(runs, || async {
        store
            .event_features(&page)
            .await
            .expect("features")
            .features
            .len()
    })
    .await;
    println!("event_features, same page: {rows} features, median {median:.1} ms, max {max:.1} ms");
    let at = NaiveDate::from_ymd_opt(2018, 6, 1).expect("date");
    let (median, max, rows) = time(runs, || async {
        store.control_at(at).await.expect("control").len()
    })
    .await;
    println!("control_at 2018-06-01: {rows} places, median {median:.1} ms, max {max:.1} ms");
    store.close().await;
}
