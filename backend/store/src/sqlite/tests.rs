//! Tests of what only the SQLite engine has: its planner's index choices,
//! its statement deadline, its health connection, its file errors.

use super::SqliteStore;
use crate::error::Error;
use crate::{EventFilter, Options, POOL_SIZE};
use sqlx::sqlite::{SqliteConnection, SqlitePoolOptions};
use std::time::{Duration, Instant};

/// A store of `n` events spread over a few places and actors, written
/// straight into the table (the triggers keep the indexes), analysed.
async fn many_events(n: i64) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let s = SqliteStore::open(&path, Options::default()).await.unwrap();
    sqlx::raw_sql(&format!(
        "INSERT INTO places (id, name, kind, country, lat, lon) VALUES ('p', 'P', 'city', 'SY', 36.2, 37.1);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         INSERT INTO events (type, place_id, place, lat, lon, precision, date, date_precision, actor, target, fatalities, evidence)
         SELECT CASE i % 5 WHEN 0 THEN 'strike' WHEN 1 THEN 'clash' WHEN 2 THEN 'explosion' WHEN 3 THEN 'control_change' ELSE 'civilian_targeting' END,
                'p', 'P', 32.5 + (i % 500) / 100.0, 36.0 + (i % 613) / 100.0, 'exact',
                date('2012-01-01', '+' || (i % 4000) || ' days'), 'day',
                CASE i % 3 WHEN 0 THEN 'Russia' WHEN 1 THEN 'rebels' ELSE NULL END,
                CASE i % 4 WHEN 0 THEN 'Syrian government' ELSE NULL END,
                i % 40, 'raid synthétique ' || i
         FROM n;"
    ))
    .execute(&s.pool)
    .await
    .unwrap();
    // The statistics a real database has after a load (`demo-data` and
    // `ingest` end with this): with them, the planner scans rather than
    // search an index whose values each have many rows on average.
    s.optimize().await.unwrap();
    (dir, s)
}

/// The same store, each use of its pooled connections allowed about `ops`
/// virtual machine instructions (a budget that, unlike a time limit, does
/// not depend on how busy the machine is).
async fn with_op_budget(s: &SqliteStore, ops: u32) -> SqliteStore {
    async fn budget(conn: &mut SqliteConnection, ops: u32) -> sqlx::Result<()> {
        let mut left = ops / 1000;
        let mut handle = conn.lock_handle().await?;
        handle.set_progress_handler(1000, move || {
            left = left.saturating_sub(1);
            left > 0
        });
        Ok(())
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(2)
        .after_connect(move |c, _| Box::pin(budget(c, ops)))
        .before_acquire(move |c, _| Box::pin(async move { budget(c, ops).await.map(|()| true) }))
        .connect_with(s.options.clone())
        .await
        .unwrap();
    SqliteStore { pool, ..s.clone() }
}

#[tokio::test]
async fn a_statement_past_its_time_limit_is_interrupted() {
    let opts = Options {
        statement_timeout: Some(Duration::from_millis(100)),
        ..Options::default()
    };
    let (_dir, s) = {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("t.db"), opts)
            .await
            .unwrap();
        (dir, s)
    };
    let started = Instant::now();
    let slow = sqlx::query_scalar::<_, i64>(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n",
    )
    .fetch_one(&s.pool)
    .await
    .map_err(Error::from)
    .unwrap_err();
    assert!(slow.is_interrupted(), "{slow}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The next use of a connection has a deadline of its own.
    assert_eq!(s.counts().await.unwrap().events, 0);
}

#[tokio::test]
async fn health_answers_while_every_pooled_connection_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("t.db"), Options::default())
        .await
        .unwrap();
    let mut held = Vec::new();
    for _ in 0..POOL_SIZE {
        held.push(s.pool.acquire().await.unwrap());
    }
    let started = Instant::now();
    let h = s.health().await;
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(h.database);
    assert!(h.saturated(), "{h:?}");
    drop(held);
    assert!(s.quick_check().await.unwrap().is_empty());
}

#[tokio::test]
async fn opening_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("x.db");
    let e = SqliteStore::open(&path, Options::default())
        .await
        .err()
        .unwrap();
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
}

#[tokio::test]
async fn a_read_only_database_is_named_at_open_with_what_to_do() {
    // A file SQLite must treat as read-only whoever runs the test (root
    // ignores file modes): a write version above 2 in its header.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    let s = SqliteStore::open(&path, Options::default()).await.unwrap();
    s.optimize().await.unwrap(); // the WAL emptied into the file
    s.close().await;
    for end in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("ro.db{end}")));
    }
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[18] = 3;
    std::fs::write(&path, bytes).unwrap();
    let e = SqliteStore::open(&path, Options::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains(&path.display().to_string()), "{e}");
    assert!(e.contains("read-only"), "{e}");
}

#[tokio::test]
async fn selective_filters_are_answered_through_an_index_not_a_scan() {
    // 200,000 events: scanning them all in id order (what a filter matching
    // nothing did) takes millions of SQLite instructions, far more than the
    // 300,000 allowed here; an index finds that nothing matches at once.
    let (_dir, all) = many_events(200_000).await;
    let s = with_op_budget(&all, 300_000).await;
    let nothing = [
        EventFilter {
            actors: vec!["nobody".into()],
            limit: 1000,
            ..EventFilter::default()
        },
        EventFilter {
            types: vec!["clash".into()],
            min_fatalities: Some(500),
            limit: 1000,
            ..EventFilter::default()
        },
        EventFilter {
            words: vec!["synthétique".into()],
            actors: vec!["nobody".into()],
            limit: 1000,
            ..EventFilter::default()
        },
    ];
    for f in &nothing {
        let page = s.events(f).await.unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert!(page.events.is_empty());
    }
    // Few matches come sorted by id, with the paging cursor; many matches
    // still page in id order (counting up to the cap through an index
    // takes more than this budget: checked on the unlimited store).
    let few = EventFilter {
        min_fatalities: Some(39),
        types: vec!["civilian_targeting".into()],
        limit: 10,
        ..EventFilter::default()
    };
    let page = s.events(&few).await.unwrap();
    let ids: Vec<i64> = page.events.iter().map(|e| e.fields.id).collect();
    assert_eq!(ids.len(), 10);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert!(ids.iter().all(|id| id % 40 == 39), "{ids:?}");
    let next = s
        .events(&EventFilter {
            after: page.next_after,
            ..few.clone()
        })
        .await
        .unwrap();
    assert!(next.events[0].fields.id > ids[9]);
    let many = EventFilter {
        actors: vec!["Russia".into()],
        limit: 5,
        ..EventFilter::default()
    };
    let ids: Vec<i64> = all
        .events(&many)
        .await
        .unwrap()
        .events
        .iter()
        .map(|e| e.fields.id)
        .collect();
    assert_eq!(ids, [3, 6, 9, 12, 15]);
}
