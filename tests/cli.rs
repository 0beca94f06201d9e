//! End-to-end tests of the `frontline` command line on files written here.

mod common;

use common::{Scratch, BIN};
use std::io::Read;
use std::process::{Command, Stdio};

fn frontline() -> Command {
    Command::new(BIN)
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("frontline runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn lookup_ranks_the_village_first_and_speaks_json() {
    let (ok, out, _) = run(frontline().args(["gazetteer", "lookup", "Khan Tuman", "--json"]));
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["name"], "Khan Toumane");
    assert_eq!(rows[0]["in_syria"], true);
    let (ok, out, _) = run(frontline().args(["gazetteer", "lookup", "Xyzzyville"]));
    assert!(!ok, "an unknown name exits non-zero");
    assert!(out.contains("no place matches"));
}

#[test]
fn scan_prints_offsets_into_the_file() {
    let s = Scratch::new();
    let file = s.write(
        "a.txt",
        "Des raids ont visé Saraqeb et la province d'Idleb.",
    );
    let (ok, out, _) = run(frontline()
        .args(["gazetteer", "scan"])
        .arg(&file)
        .arg("--json"));
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["surface"], "Saraqeb");
    // Byte offsets: "é" takes two bytes.
    assert_eq!(rows[0]["start"], 20);
    assert_eq!(rows[1]["kind"], "governorate");
}

#[test]
fn extract_reads_a_text_with_a_header_and_returns_schema_json() {
    let s = Scratch::new();
    let file = s.write(
        "dispatch.txt",
        "title: Saraqeb\npublished: 2020-02-07\n\nLes forces du régime ont repris jeudi la ville de Saraqeb, selon l'OSDH.\n",
    );
    let (ok, out, err) = run(frontline().arg("extract").arg(&file).arg("--json"));
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &v[0]["events"][0];
    assert_eq!(e["type"], "control_change");
    assert_eq!(e["date"], "2020-02-06");
    assert_eq!(e["actor"], "Syrian government");
    assert_eq!(e["precision"], "exact");
}

#[test]
fn bad_input_names_the_file_and_fails() {
    let s = Scratch::new();
    let empty = s.write("empty.txt", "  \n");
    let binary = s.path("latin1.txt");
    std::fs::write(&binary, b"Alep \xe9t\xe9").unwrap();
    let (ok, _, err) = run(frontline().arg("extract").arg(&empty).arg(&binary));
    assert!(!ok);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
    assert!(err.contains("latin1.txt") && err.contains("UTF-8"), "{err}");
}

#[test]
fn import_reports_bad_rows_with_file_and_line() {
    let s = Scratch::new();
    let good = "163345\tTall Rif'at\tTall Rif'at\tTal Rifaat\t36.46974\t37.09727\tP\tPPL\tSY\t\t09\t\t\t\t20514\t\t430\tAsia/Damascus\t2012-01-18";
    let bad = good.replace("36.46974", "nord");
    let dump = s.write("SY.txt", &format!("{good}\n{bad}\n"));
    let out_file = s.path("places.tsv");
    let (ok, out, err) = run(frontline()
        .args(["gazetteer", "import", "geonames"])
        .arg(&dump)
        .arg("--out")
        .arg(&out_file));
    assert!(!ok, "a rejected row makes the exit code non-zero");
    assert!(
        err.contains("SY.txt:2") && err.contains("latitude"),
        "{err}"
    );
    assert!(
        out.contains("1 imported") && out.contains("1 rejected"),
        "{out}"
    );
    // The imported table is usable at once.
    let (ok, out, _) = run(frontline().arg("--gazetteer").arg(&out_file).args([
        "gazetteer",
        "lookup",
        "Tal Rifaat",
    ]));
    assert!(ok);
    assert!(out.contains("Tall Rif"), "{out}");
}

#[test]
fn eval_scores_a_gold_folder() {
    let s = Scratch::new();
    let gold = serde_json::json!({
        "id": "t1", "url": null, "source": null, "published": "2020-02-07", "title": null,
        "text": "Les forces du régime ont repris jeudi la ville de Saraqeb.",
        "toponyms": [{"surface": "Saraqeb", "name": "Saraqib", "kind": "town", "lat": 35.8623, "lon": 36.8006}],
        "events": [{"type": "control_change", "place": "Saraqib", "lat": 35.8623, "lon": 36.8006, "precision": "exact",
                    "date": "2020-02-06", "date_precision": "day", "actor": "Syrian government",
                    "evidence": "Les forces du régime ont repris jeudi la ville de Saraqeb."}]
    });
    s.write("t1.json", &gold.to_string());
    let (ok, out, err) = run(frontline().arg("eval").arg(s.dir.path()).arg("--json"));
    assert!(ok, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["overall"]["f1"], 1.0);
    assert_eq!(r["actor_accuracy"], 1.0);
    assert_eq!(r["toponyms"]["recall"], 1.0);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `frontline gazetteer check | head -1` used to panic on the broken pipe.
    let mut child = frontline()
        .args(["gazetteer", "check"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(status.success());
}

/// `db copy` into a new database of the PostgreSQL server
/// `FRONTLINE_TEST_POSTGRES` names (skipped when unset): the counts table
/// on stdout, and a second copy into the same database refused.
#[test]
fn db_copy_moves_a_sqlite_file_into_postgres_and_refuses_a_full_target() {
    let s = Scratch::new();
    let missing = s.path("missing.db");
    let (ok, _, err) = run(frontline()
        .args(["db", "copy", "--from"])
        .arg(&missing)
        .args(["--to", "postgres://nobody@127.0.0.1:1/none"]));
    assert!(!ok);
    assert!(
        err.contains("missing.db") && err.contains("no such SQLite file"),
        "{err}"
    );
    assert!(!missing.exists(), "db copy created the file it was to read");
    let Some(admin) = std::env::var("FRONTLINE_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    // The source is a SQLite file whatever engine the other tests use.
    let source = s.path("source.db");
    let (ok, _, err) = run(frontline()
        .args(["ingest", "--db"])
        .arg(&source)
        .arg(common::write_samples(&s)));
    assert!(ok, "{err}");
    let (ok, _, err) = run(frontline()
        .args(["--db"])
        .arg(&source)
        .args([
            "user",
            "add",
            "lina",
            "--role",
            "editor",
            "--password-stdin",
        ])
        .stdin(std::fs::File::open(s.write("pw", "a-long-password-1")).unwrap()));
    assert!(ok, "{err}");
    let name = format!("cli_copy_{}", std::process::id());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = runtime
        .block_on(frontline_store::create_database(&admin, &name))
        .unwrap();
    let copy = || {
        run(frontline()
            .args(["db", "copy", "--to", &url, "--from"])
            .arg(&source)
            .env_remove("FRONTLINE_DB"))
    };
    let (ok, out, err) = copy();
    assert!(ok, "{err}");
    let row = |table: &str| -> Vec<String> {
        let line = out.lines().find(|l| l.starts_with(&format!("{table} ")));
        line.unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    assert_eq!(row("users"), ["users", "1", "1"], "{out}");
    let events = row("events");
    assert!(
        events.len() == 3 && events[1] == events[2] && events[1] != "0",
        "{out}"
    );
    let (ok, _, err) = copy();
    assert!(!ok);
    assert!(
        err.contains("not empty") && err.contains("articles ("),
        "{err}"
    );
}
