//! Helpers for the end-to-end tests: the real `frontline` binary, a real
//! SQLite file in a temporary folder (or, when `FRONTLINE_TEST_POSTGRES`
//! names a PostgreSQL server, a new database on it), HTTP over loopback.

#![allow(dead_code)]

pub mod site;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_frontline");
pub const TOKEN: &str = "test-token-0123456789";

/// A temporary folder holding the input files, and the test's database.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    db: PathBuf,
}

/// The PostgreSQL server the tests run on instead of SQLite (an admin
/// URL), when `FRONTLINE_TEST_POSTGRES` names one.
pub fn postgres_admin() -> Option<String> {
    std::env::var("FRONTLINE_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A new, empty database on the test PostgreSQL server: its URL.
fn new_postgres_database(admin: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "e2e_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    runtime()
        .block_on(frontline_store::create_database(admin, &name))
        .expect("create a test database")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

impl Scratch {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = match postgres_admin() {
            Some(admin) => PathBuf::from(new_postgres_database(&admin)),
            None => dir.path().join("frontline.db"),
        };
        Scratch { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The database as `--db` takes it: a file, or a PostgreSQL URL.
    pub fn db(&self) -> PathBuf {
        self.db.clone()
    }

    /// Whether the database is a PostgreSQL one.
    pub fn on_postgres(&self) -> bool {
        self.db.starts_with("postgres:")
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write");
        p
    }

    /// `frontline ingest --db <db> ARGS…`
    pub fn ingest(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("ingest")
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("FRONTLINE_DB")
            .output()
            .expect("run ingest")
    }
}

/// Run SQL statements on the database behind the binary's back (another
/// process writing, or breaking it on purpose): a file, or a PostgreSQL
/// URL.
pub fn execute_sql(db: &Path, sql: &str) {
    runtime().block_on(async {
        match db.to_str().filter(|d| d.starts_with("postgres:")) {
            Some(url) => {
                let pool = sqlx::PgPool::connect(url).await.expect("connect");
                sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
                pool.close().await;
            }
            None => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
                let pool = sqlx::SqlitePool::connect_with(options)
                    .await
                    .expect("open the database");
                sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
                pool.close().await;
            }
        }
    });
}

/// A running `frontline serve` (or `demo`), killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Start `frontline <command> --addr 127.0.0.1:0 --db <db> EXTRA…` and
    /// wait until it listens.
    pub fn start(command: &str, db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg(command)
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(extra)
            .env("FRONTLINE_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start server");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut base = None;
        let mut seen = String::new();
        while Instant::now() < deadline {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.split("listening on ").nth(1) {
                        base = Some(url.trim().to_string());
                        break;
                    }
                    seen.push_str(&line);
                    seen.push('\n');
                }
                _ => break,
            }
        }
        let Some(base) = base else {
            let _ = child.kill();
            panic!("the server did not start:\n{seen}");
        };
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> Response {
        request(ureq::get(&self.url(path)), None)
    }

    /// GET with request headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = ureq::get(&self.url(path));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        request(req, None)
    }

    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("GET {path}: {e}: {}", r.body))
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &str) -> Response {
        let mut req = ureq::post(&self.url(path)).set("Content-Type", "application/json");
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        request(req, Some(body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request with any method, headers and an optional body.
pub fn send(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    let mut req = ureq::request(method, &server.url(path));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    request(req, body)
}

/// A request with any method and no body.
pub fn request_method(server: &Server, method: &str, path: &str) -> Response {
    request(ureq::request(method, &server.url(path)), None)
}

pub struct Response {
    pub status: u16,
    pub content_type: String,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for binary answers) and as bytes.
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Response {
    /// The first value of a header (name in lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn request(req: ureq::Request, body: Option<&str>) -> Response {
    let res = match body {
        Some(b) => req.send_string(b),
        None => req.call(),
    };
    let r = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let headers = r
        .headers_names()
        .into_iter()
        .filter_map(|k| {
            let v = r.header(&k)?.to_string();
            Some((k.to_ascii_lowercase(), v))
        })
        .collect();
    let (status, content_type) = (r.status(), r.content_type().to_string());
    let mut bytes = Vec::new();
    let _ = std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes);
    Response {
        status,
        content_type,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// French sentences of our own, one article each, with their dates.
pub fn sample_articles() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "alep-2016",
            "2016-12-22",
            "Les forces gouvernementales ont repris jeudi le contrôle total d'Alep, selon l'OSDH. \
             La veille, des raids aériens russes ont frappé Khan Cheikhoun, faisant au moins 12 morts.",
        ),
        (
            "alep-2016-bis",
            "2016-12-22",
            "L'armée syrienne a repris jeudi le contrôle d'Alep, après des semaines de combats.",
        ),
        (
            "afrin-2018",
            "2018-03-18",
            "Les forces turques et leurs alliés syriens se sont emparés dimanche de la ville d'Afrin.",
        ),
        (
            "raqqa-2017",
            "2017-10-17",
            "Les Forces démocratiques syriennes ont pris mardi le contrôle total de Raqqa, ancienne capitale de l'EI.",
        ),
        (
            "idleb-2019",
            "2019-05-07",
            "Des frappes aériennes de l'aviation russe ont visé mardi la ville d'Idleb, tuant 9 civils selon l'OSDH.",
        ),
        (
            "deir-2017",
            "2017-09-06",
            "Une voiture piégée a explosé mercredi à Deir ez-Zor, faisant au moins 7 morts.",
        ),
    ]
}

/// Write the sample articles as `.txt` files with a header block.
pub fn write_samples(s: &Scratch) -> PathBuf {
    for (name, date, text) in sample_articles() {
        s.write(
            &format!("in/{name}.txt"),
            &format!("title: {name}\npublished: {date}\n\n{text}\n"),
        );
    }
    s.path("in")
}

pub fn write_jsonl(path: &Path, lines: &[serde_json::Value]) {
    let mut f = std::fs::File::create(path).expect("create");
    for l in lines {
        writeln!(f, "{l}").expect("write");
    }
}

/// Read a Server-Sent Events stream until `until` is satisfied by the
/// `(event, id, data)` read so far, or 30 s pass.
pub fn read_sse(
    url: &str,
    headers: &[(&str, &str)],
    until: impl Fn(&[(String, String, String)]) -> bool,
) -> Vec<(String, String, String)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut conn = std::net::TcpStream::connect(host).expect("connect");
    conn.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .expect("timeout");
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n{extra}\r\n"
    )
    .expect("request");
    let mut reader = BufReader::new(conn.take(10 << 20));
    let mut events = Vec::new();
    let (mut event, mut id, mut data) = (String::new(), String::new(), String::new());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        let l = line.trim_end_matches(['\r', '\n']).to_string();
        line.clear();
        if let Some(v) = l.strip_prefix("event:") {
            event = v.trim().to_string();
        } else if let Some(v) = l.strip_prefix("id:") {
            id = v.trim().to_string();
        } else if let Some(v) = l.strip_prefix("data:") {
            data = v.trim().to_string();
        } else if l.is_empty() && !event.is_empty() {
            events.push((event.clone(), id.clone(), data.clone()));
            event.clear();
            if until(&events) {
                break;
            }
        }
    }
    events
}

/// A database holding the sample articles, served with `extra` flags.
pub fn served(extra: &[&str]) -> (Scratch, Server) {
    let s = Scratch::new();
    let dir = write_samples(&s);
    let out = s.ingest(&[dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start("serve", &s.db(), extra);
    (s, server)
}
