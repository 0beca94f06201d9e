//! End to end: hostile clients and absurd input against the real binary
//! over loopback (issue 17). Each test names what it guards.

mod common;

use common::{served, Scratch, Server, BIN, TOKEN};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

fn addr(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_string()
}

/// Send raw bytes, read until the server closes (or `wait` passes).
fn raw(server: &Server, request: &[u8], wait: Duration) -> String {
    let mut c = TcpStream::connect(addr(server)).unwrap();
    c.set_read_timeout(Some(wait)).unwrap();
    let _ = c.write_all(request);
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"))
}

fn assert_raw_problem(response: &str, status: u16) {
    assert_eq!(status_of(response), status, "{response}");
    let lower = response.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/problem+json"),
        "{response}"
    );
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    let p: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"));
    assert_eq!(p["status"], status);
}

#[test]
fn an_empty_token_is_no_token() {
    let out = Command::new(BIN)
        .args(["gazetteer", "lookup", "Alep", "--limit", "1"])
        .env("FRONTLINE_TOKEN", "")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And the server started with it accepts no article.
    let s = Scratch::new();
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(s.db())
        .env("FRONTLINE_TOKEN", "")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let mut buf = [0u8; 4096];
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !seen.contains("listening on") && Instant::now() < deadline {
        let n = err.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("listening on"), "{seen}");
    assert!(seen.contains("token=(none)"), "{seen}");
}

#[test]
fn absurd_dates_and_urls_to_other_hosts_are_refused_by_every_reader() {
    let (s, server) = served(&["--earliest-date", "2012-01-01"]);
    let today = chrono::Utc::now().date_naive();
    let later = (today + chrono::Days::new(3)).to_string();
    for date in ["0001-01-01", "+10000-01-01", "2011-12-31", later.as_str()] {
        let body = serde_json::json!({"text": "Des raids ont frappé Alep.", "published": date});
        let r = server.post("/api/articles", Some(TOKEN), &body.to_string());
        assert_eq!(r.status, 422, "{date}: {}", r.body);
        assert_eq!(r.json()["field"], "published", "{date}");
    }
    let soon = (today + chrono::Days::new(2)).to_string();
    let body = serde_json::json!({"text": "Des raids ont frappé Alep.", "published": soon});
    assert_eq!(
        server
            .post("/api/articles", Some(TOKEN), &body.to_string())
            .status,
        201
    );
    for url in [
        "/\\evil.example/x",
        "//evil.example/x",
        "https://x.org\\@evil.example/",
    ] {
        let body = serde_json::json!({"text": "Des raids ont frappé Idleb.", "url": url});
        let r = server.post("/api/articles", Some(TOKEN), &body.to_string());
        assert_eq!(r.status, 422, "{url}: {}", r.body);
        assert_eq!(r.json()["field"], "url");
    }
    // The command line's readers follow the same rules.
    s.write(
        "bad/old.txt",
        "published: 0001-01-01\n\nDes raids ont frappé Alep.\n",
    );
    s.write(
        "bad/evil.txt",
        "url: /\\evil.example/x\n\nDes raids ont frappé Alep.\n",
    );
    s.write(
        "bad/page.html",
        "<html><head><meta property=\"article:published_time\" content=\"9999-01-01\"></head><body><p>Des raids ont frappé Alep.</p></body></html>",
    );
    let out = s.ingest(&[s.path("bad").to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("old.txt") && err.contains("outside the accepted dates"),
        "{err}"
    );
    assert!(
        err.contains("evil.txt") && err.contains("not an absolute http(s) URL"),
        "{err}"
    );
    assert!(err.contains("page.html"), "{err}");
}

#[test]
fn huge_lists_are_refused_naming_the_parameter() {
    let (_s, server) = served(&[]);
    // 10,000 different names (before the cap, 20,000 bound variables).
    let actors: Vec<String> = (0..10_000).map(|i| format!("{i:x}")).collect();
    let r = server.get(&format!("/api/events?actor={}", actors.join(",")));
    assert_eq!(r.status, 400, "{}", &r.body[..r.body.len().min(300)]);
    assert_eq!(r.content_type, "application/problem+json");
    assert_eq!(r.json()["parameter"], "actor");
    let r = server.get(&format!("/api/events.csv?actor={}", actors[..60].join(",")));
    assert_eq!(r.status, 400);
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let (_s, server) = served(&[]);
    let body = serde_json::json!({
        "text": "Des raids aériens ont frappé jeudi Saraqeb, faisant 4 morts.",
        "published": "2019-05-09",
        "source": "=HYPERLINK(\"http://evil.example\",\"x\")",
    });
    let r = server.post("/api/articles", Some(TOKEN), &body.to_string());
    assert_eq!(r.status, 201, "{}", r.body);
    let csv = server.get("/api/events.csv").body;
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    for row in rows.records() {
        let row = row.unwrap();
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn every_api_error_is_problem_details() {
    let (_s, server) = served(&[]);
    let r = server.get("/api/places/%FF");
    assert_eq!(r.content_type, "application/problem+json", "{}", r.body);
    assert!(r.status >= 400);
    let r = common::request_method(&server, "DELETE", "/api/articles");
    assert_eq!(r.status, 405);
    assert_eq!(r.content_type, "application/problem+json");
    assert_eq!(r.header("allow"), Some("POST"));
    assert_eq!(r.json()["status"], 405);
    let r = common::request_method(&server, "PUT", "/ogc/collections");
    assert_eq!(r.status, 405);
    assert_eq!(r.content_type, "application/problem+json");
    // hyper's own answers: an over-long URI, over-large headers, garbage.
    let long = format!(
        "GET /api/events?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    assert_raw_problem(&raw(&server, long.as_bytes(), Duration::from_secs(5)), 414);
    let big = format!(
        "GET /api/events HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(500_000)
    );
    assert_raw_problem(&raw(&server, big.as_bytes(), Duration::from_secs(5)), 431);
    assert_raw_problem(
        &raw(&server, b"GARBAGE\r\n\r\n", Duration::from_secs(5)),
        400,
    );
    // The server is still well.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn links_follow_only_allowed_hosts() {
    let (_s, server) = served(&["--allowed-hosts", "maps.example.org,127.0.0.1"]);
    let ok = raw(
        &server,
        b"GET /api/events?limit=1 HTTP/1.1\r\nHost: maps.example.org\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    );
    assert_eq!(status_of(&ok), 200, "{ok}");
    assert!(ok.contains("http://maps.example.org/api/events"), "{ok}");
    let evil = raw(
        &server,
        b"GET /api/events?limit=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    );
    assert_raw_problem(&evil, 400);
    assert!(!evil.contains("http://evil.example/api"));
    // Loopback by address, on the server's port.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn idle_trickling_and_excess_connections_are_closed() {
    let (_s, server) = served(&[
        "--header-timeout",
        "1",
        "--idle-timeout",
        "3",
        "--body-timeout",
        "1",
    ]);
    // An idle connection is closed after the header timeout.
    let started = Instant::now();
    let idle = raw(&server, b"", Duration::from_secs(10));
    assert!(idle.is_empty(), "{idle}");
    let t = started.elapsed();
    assert!(
        t >= Duration::from_millis(800) && t < Duration::from_secs(4),
        "{t:?}"
    );
    // A head trickled a byte at a time is cut at the same limit.
    let mut c = TcpStream::connect(addr(&server)).unwrap();
    c.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let started = Instant::now();
    let mut closed = false;
    for b in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
        if c.write_all(&[*b]).is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 64];
        match c.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => {}
            Err(_) => {}
        }
        if started.elapsed() > Duration::from_secs(8) {
            break;
        }
    }
    assert!(closed, "a trickled head was never cut");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // A body trickled past the body timeout: 408.
    let head = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"text\""
    );
    let slow = raw(&server, head.as_bytes(), Duration::from_secs(5));
    assert_raw_problem(&slow, 408);
}

#[test]
fn connections_beyond_the_cap_get_503_then_room_again() {
    let (_s, server) = served(&["--header-timeout", "20", "--max-connections", "4"]);
    let held: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(addr(&server)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let refused = raw(
        &server,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(3),
    );
    assert_raw_problem(&refused, 503);
    assert!(refused.to_ascii_lowercase().contains("retry-after: 1"));
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn one_token_cannot_flood_the_database() {
    let (_s, server) = served(&[
        "--max-events-per-article",
        "3",
        "--max-articles-per-minute",
        "3",
    ]);
    let flood =
        "Des raids ont frappé Alep, Idleb, Hama, Homs, Raqqa et Deir ez-Zor jeudi. ".repeat(4);
    let body = serde_json::json!({"text": flood, "published": "2019-05-09"});
    let r = server.post("/api/articles", Some(TOKEN), &body.to_string());
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("more than the 3 allowed"),
        "{}",
        r.body
    );
    for i in 0..2 {
        let body = serde_json::json!({"text": format!("Des raids ont frappé Alep jeudi ({i})."), "published": "2019-05-09"});
        let r = server.post("/api/articles", Some(TOKEN), &body.to_string());
        assert!(r.status == 201 || r.status == 200, "{}", r.body);
    }
    let body = serde_json::json!({"text": "Des raids ont frappé Homs.", "published": "2019-05-09"});
    let r = server.post("/api/articles", Some(TOKEN), &body.to_string());
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=61).contains(&wait), "{wait}");
    // Without the token, still 401 (the quota is the token's).
    assert_eq!(server.post("/api/articles", None, "{}").status, 401);
}

#[test]
fn health_reports_the_pool_and_a_damaged_database() {
    let (s, server) = served(&[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let h = loop {
        let h = server.get_json("/healthz");
        if h["integrity"] != "checking" || Instant::now() > deadline {
            break h;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(h["status"], "ok", "{h}");
    assert_eq!(h["integrity"], "ok", "{h}");
    assert_eq!(h["pool"]["max"], 8, "{h}");
    assert!(h["heavy_queries"]["max"].as_u64().unwrap() >= 1);
    drop(server);
    // Damage the file behind the server's back: the pages of an index.
    damage(&s.db());
    let server = Server::start("serve", &s.db(), &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let r = loop {
        let r = server.get("/healthz");
        if !r.body.contains("\"checking\"") || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(
        r.body.contains("damaged") || r.body.contains("failed"),
        "{}",
        r.body
    );
}

/// Overwrite the pages of the `events_scan` index with garbage.
fn damage(db: &std::path::Path) {
    let root: i64 = {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let pool = sqlx::SqlitePool::connect_with(
                sqlx::sqlite::SqliteConnectOptions::new().filename(db),
            )
            .await
            .unwrap();
            let r: i64 =
                sqlx::query_scalar("SELECT rootpage FROM sqlite_master WHERE name = 'events_scan'")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            r
        })
    };
    let mut bytes = std::fs::read(db).unwrap();
    let page = 4096usize;
    let start = (root as usize - 1) * page;
    for b in bytes[start + 8..start + page].iter_mut() {
        *b = 0xA5;
    }
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_database_that_cannot_be_opened_is_named() {
    let s = Scratch::new();
    let db = s.path("no-such-folder/frontline.db");
    let out = Command::new(BIN)
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(s.write("a.txt", "Des raids ont frappé Alep."))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&db.display().to_string()), "{err}");
}

#[test]
fn an_assets_folder_lacking_files_stops_the_server_at_start() {
    let s = Scratch::new();
    s.write("front/js/app.js", "");
    let out = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(s.db())
        .arg("--assets")
        .arg(s.path("front"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lacks") && err.contains("npm ci"), "{err}");
}
