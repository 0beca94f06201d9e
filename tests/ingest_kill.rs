//! Faults: SIGKILL the ingest of many articles halfway; a rerun completes
//! with no duplicate and no lost article, and the database ends exactly as
//! after an uninterrupted ingest. A demo database left part-way is
//! completed by the next `frontline demo`. A reader of the output gone away
//! (`frontline ingest … | head`) ends the command quietly.

mod common;

use common::{write_jsonl, Scratch, Server, BIN};
use frontline_store::Counts;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ARTICLES: usize = 1500;

fn corpus() -> Vec<serde_json::Value> {
    let places = [
        "Alep", "Idleb", "Homs", "Hama", "Deraa", "Raqqa", "Douma", "Palmyre", "Manbij", "Afrin",
    ];
    let months = ["janvier", "mars", "mai", "juillet", "septembre", "novembre"];
    (0..ARTICLES)
        .map(|i| {
            let place = places[i % places.len()];
            let month = months[(i / places.len()) % months.len()];
            let day = 1 + (i / 60) % 28;
            let year = 2013 + (i / 7) % 10;
            serde_json::json!({
                "id": format!("k{i}"),
                "published": format!("{year}-12-31"),
                "text": format!(
                    "Dépêche {i}. Des raids aériens ont frappé {place} le {day} {month} {year}, faisant {} morts, selon l'OSDH. \
                     Des combats ont opposé le {day} {month} les forces gouvernementales aux rebelles près de {place}.",
                    1 + i % 40
                ),
            })
        })
        .collect()
}

/// Row counts read without migrating (the file may be half-created).
async fn counts(db: &std::path::Path) -> (Counts, i64) {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let ready: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'event_sources'")
            .fetch_one(&pool)
            .await
            .unwrap();
    if ready == 0 {
        pool.close().await;
        return (Counts::default(), 0);
    }
    let (articles, events, sources, places, distinct): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),
                (SELECT count(*) FROM event_sources), (SELECT count(*) FROM places),
                (SELECT count(DISTINCT name) FROM articles)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    (
        Counts {
            articles,
            events,
            sources,
            places,
        },
        distinct,
    )
}

fn ingest(db: &std::path::Path, input: &std::path::Path) -> std::process::Output {
    Command::new(BIN)
        .args(["ingest", "--db"])
        .arg(db)
        .arg(input)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_ingest_resumes_without_duplicates_or_losses() {
    let s = Scratch::new();
    let input = s.path("many.jsonl");
    write_jsonl(&input, &corpus());

    // The reference: one uninterrupted run.
    let reference = s.path("reference.db");
    assert!(ingest(&reference, &input).status.success());
    let (want, _) = counts(&reference).await;
    assert_eq!(want.articles as usize, ARTICLES);
    assert!(want.events > 100, "{want:?}");

    // Kill -9 once some articles are committed.
    let db = s.db();
    let mut child = Command::new(BIN)
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut stored = 0;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if db.exists() {
            stored = counts(&db).await.0.articles;
            if stored >= 100 {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (after_kill, _) = counts(&db).await;
    assert!(
        after_kill.articles >= stored && (after_kill.articles as usize) < ARTICLES,
        "the kill did not land halfway: {after_kill:?}"
    );

    // The rerun completes the job.
    let out = ingest(&db, &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains(&format!("{} unchanged", after_kill.articles)),
        "{summary}"
    );
    let (got, distinct) = counts(&db).await;
    assert_eq!(
        got, want,
        "the resumed database differs from an uninterrupted ingest"
    );
    assert_eq!(distinct as usize, ARTICLES, "duplicate or lost articles");
}

/// Run `frontline ARGS…` with its stdout closed before it writes, as
/// `frontline … | head -0` does.
fn with_stdout_closed(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("FRONTLINE_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_the_database_commands_quietly() {
    let s = Scratch::new();
    let input = s.path("few.jsonl");
    write_jsonl(&input, &corpus()[..3]);
    let db = s.db();
    let (db, input) = (db.as_os_str(), input.as_os_str());
    let runs: [&[&std::ffi::OsStr]; 5] = [
        &["ingest".as_ref(), "--db".as_ref(), db, input],
        &[
            "ingest".as_ref(),
            "--json".as_ref(),
            "--db".as_ref(),
            db,
            input,
        ],
        &[
            "ingest".as_ref(),
            "--reextract".as_ref(),
            "--db".as_ref(),
            db,
        ],
        &[
            "ingest".as_ref(),
            "--reextract".as_ref(),
            "--json".as_ref(),
            "--db".as_ref(),
            db,
        ],
        &[
            "demo-data".as_ref(),
            "--events".as_ref(),
            "10".as_ref(),
            "--db".as_ref(),
            db,
        ],
    ];
    for args in runs {
        let out = with_stdout_closed(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !stderr.contains("panicked"),
            "{args:?}: {}\n{stderr}",
            out.status
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partly_built_demo_database_is_completed_on_the_next_start() {
    let s = Scratch::new();
    // The reference: the demo built in one go.
    let whole = s.path("whole.db");
    drop(Server::start("demo", &whole, &[]));
    let (want, _) = counts(&whole).await;
    assert!(want.articles >= 100, "{want:?}");

    // What a build killed after its first dispatches leaves (the build
    // stores them in file order, one transaction each).
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/dispatches");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let part = s.path("part.db");
    let out = Command::new(BIN)
        .args(["ingest", "--db"])
        .arg(&part)
        .args(&files[..10])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&part).await.0.articles, 10);

    drop(Server::start("demo", &part, &[]));
    let (got, distinct) = counts(&part).await;
    assert_eq!(
        got, want,
        "the completed demo database differs from a whole build"
    );
    assert_eq!(distinct, want.articles);
}
