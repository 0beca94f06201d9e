//! Accounts end to end: `frontline user …` on a real SQLite file, the
//! roles of API tokens, and browser sessions (login form, cookie flags,
//! CSRF, logout, expiry, rate limit, the `next` redirect) against a real
//! server.

mod common;

use common::{Scratch, Server, BIN, TOKEN};
use std::io::Write;
use std::process::{Command, Output, Stdio};

const ARTICLE: &str = r#"{"text": "Des frappes aériennes ont visé lundi la ville de Saraqeb, faisant 4 morts.", "published": "2019-06-03"}"#;

/// `frontline user ARGS… --db <db>`, with `stdin` as its input.
fn user(s: &Scratch, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("user")
        .args(args)
        .arg("--db")
        .arg(s.db())
        .env_remove("FRONTLINE_DB")
        .env_remove("FRONTLINE_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run frontline user");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Create an account and return its token (the last line of the output).
fn add(s: &Scratch, name: &str, role: &str, password: &str) -> String {
    let out = user(
        s,
        &["add", name, "--role", role, "--password-stdin"],
        &format!("{password}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().expect("a last line").to_string();
    assert!(last.starts_with("fl_") && !last.contains(' '), "{stdout}");
    last
}

/// An answer, with every `Set-Cookie`.
struct Answer {
    status: u16,
    body: String,
    content_type: String,
    location: Option<String>,
    retry_after: Option<String>,
    www_authenticate: Option<String>,
    cookies: Vec<String>,
}

impl Answer {
    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(String::as_str)
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// The value of a `Set-Cookie` (what goes back in `Cookie`).
fn value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or("").to_string()
}

/// A request that does not follow redirects.
fn send(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let mut req = agent.request(method, &server.url(path));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let res = match body {
        Some(b) => req.send_string(b),
        None => req.call(),
    };
    let r = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    Answer {
        status: r.status(),
        content_type: r.content_type().to_string(),
        location: r.header("location").map(str::to_string),
        retry_after: r.header("retry-after").map(str::to_string),
        www_authenticate: r.header("www-authenticate").map(str::to_string),
        cookies: r
            .all("set-cookie")
            .into_iter()
            .map(str::to_string)
            .collect(),
        body: r.into_string().unwrap_or_default(),
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

/// The hidden `csrf` field of a login form.
fn form_token(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .unwrap_or_else(|| panic!("no csrf field: {html}"));
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// `GET /login`, then post the form; returns the answer of the post.
fn login(server: &Server, name: &str, password: &str, next: &str) -> Answer {
    let page = send(server, "GET", "/login", &[], None);
    assert_eq!(page.status, 200);
    let cookie = value(page.cookie("frontline_login").expect("a form cookie"));
    let body = serde_urlencoded::to_string([
        ("name", name),
        ("password", password),
        ("csrf", &form_token(&page.body)),
        ("next", next),
    ])
    .unwrap();
    send(
        server,
        "POST",
        "/login",
        &[("Content-Type", FORM), ("Cookie", &cookie)],
        Some(&body),
    )
}

/// Log in and return the session's `Cookie` value and its CSRF token
/// (read from the map page's meta tag).
fn session(server: &Server, name: &str, password: &str) -> (String, String) {
    let r = login(server, name, password, "/");
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = value(r.cookie("frontline_session").expect("a session cookie"));
    let map = send(server, "GET", "/", &[("Cookie", &cookie)], None);
    let at = map
        .body
        .find(r#"<meta name="csrf-token" content=""#)
        .expect("the CSRF meta tag of a logged-in page");
    let rest = &map.body[at + r#"<meta name="csrf-token" content=""#.len()..];
    (cookie, rest[..rest.find('"').unwrap()].to_string())
}

#[test]
fn user_commands_create_list_renew_and_remove_accounts() {
    let s = Scratch::new();
    let token = add(&s, "lina", "editor", "un mot de passe");
    assert_eq!(token.len(), 67);

    let dup = user(
        &s,
        &["add", "LINA", "--role", "viewer", "--password-stdin"],
        "another one\n",
    );
    assert!(!dup.status.success());
    assert!(
        text(&dup.stderr).contains("already exists"),
        "{}",
        text(&dup.stderr)
    );
    let role = user(
        &s,
        &["add", "adam", "--role", "root", "--password-stdin"],
        "password!\n",
    );
    assert!(!role.status.success());
    assert!(
        text(&role.stderr).contains("possible values"),
        "{}",
        text(&role.stderr)
    );
    let empty = user(
        &s,
        &["add", "adam", "--role", "admin", "--password-stdin"],
        "\n",
    );
    assert!(!empty.status.success());
    assert!(
        text(&empty.stderr).contains("password is empty"),
        "{}",
        text(&empty.stderr)
    );
    let argv = user(&s, &["add", "adam", "--role", "admin"], "");
    assert!(!argv.status.success());
    assert!(text(&argv.stderr).contains("--password-stdin"));
    let name = user(
        &s,
        &["add", "a b", "--role", "admin", "--password-stdin"],
        "password!\n",
    );
    assert!(!name.status.success());
    assert!(text(&name.stderr).contains("user name"));

    add(&s, "adam", "admin", "password!");
    let list = user(&s, &["list"], "");
    let listed = text(&list.stdout);
    assert!(
        listed.contains("adam") && listed.contains("admin"),
        "{listed}"
    );
    assert!(
        listed.contains("lina") && listed.contains("editor"),
        "{listed}"
    );
    assert!(!listed.contains("argon2") && !listed.contains(&token));

    let renewed = user(&s, &["token", "lina"], "");
    assert!(renewed.status.success());
    let new_token = text(&renewed.stdout).lines().last().unwrap().to_string();
    assert!(new_token.starts_with("fl_") && new_token != token);

    for (args, what) in [
        (&["token", "nobody"][..], "not found"),
        (&["remove", "nobody"][..], "not found"),
    ] {
        let out = user(&s, args, "");
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out.stderr).contains(what), "{}", text(&out.stderr));
    }
    assert!(user(&s, &["remove", "lina"], "").status.success());
    assert!(!text(&user(&s, &["list"], "").stdout).contains("lina"));

    // Only hashes are stored (the file's bytes; a PostgreSQL database is
    // checked by the store's own tests).
    if s.on_postgres() {
        return;
    }
    let dump = std::fs::read(s.db()).unwrap();
    let dump = String::from_utf8_lossy(&dump);
    assert!(!dump.contains("password!"));
    assert!(!dump.contains(&new_token[3..]));
}

#[test]
fn roles_gate_articles_and_feeds_and_a_new_token_revokes_the_old() {
    let s = Scratch::new();
    let viewer = add(&s, "vera", "viewer", "password-v");
    let editor = add(&s, "eli", "editor", "password-e");
    let admin = add(&s, "ada", "admin", "password-a");
    let server = Server::start("serve", &s.db(), &[]);

    let r = server.post("/api/articles", None, ARTICLE);
    assert_eq!(r.status, 401);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = server.post("/api/articles", Some(&viewer), ARTICLE);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(r.json()["detail"].as_str().unwrap().contains("viewer"));
    let r = server.post("/api/articles", Some(&editor), ARTICLE);
    assert_eq!(r.status, 201, "{}", r.body);

    let feeds = |token: &str| {
        server
            .get_with(
                "/api/feeds",
                &[("Authorization", &format!("Bearer {token}"))],
            )
            .status
    };
    assert_eq!(feeds(&editor), 403);
    assert_eq!(feeds(&viewer), 403);
    assert_eq!(feeds(&admin), 200);
    assert_eq!(feeds(TOKEN), 200, "the bootstrap token is an admin");
    assert_eq!(server.get("/api/feeds").status, 401);

    // A new token for eli, made while the server runs: the old one stops
    // working at once.
    let out = user(&s, &["token", "eli"], "");
    let renewed = text(&out.stdout).lines().last().unwrap().to_string();
    assert_eq!(
        server.post("/api/articles", Some(&editor), ARTICLE).status,
        401
    );
    assert_eq!(
        server.post("/api/articles", Some(&renewed), ARTICLE).status,
        200
    );
    // A removed account's token too.
    assert!(user(&s, &["remove", "ada"], "").status.success());
    assert_eq!(feeds(&admin), 401);
}

#[test]
fn browser_sessions_need_their_csrf_token_and_end_at_logout() {
    let s = Scratch::new();
    add(&s, "eli", "editor", "password-e");
    let server = Server::start("serve", &s.db(), &[]);

    // The form's cookie and the session cookie, with their flags (no
    // Secure on a plain http site).
    let page = send(&server, "GET", "/login", &[], None);
    let form_cookie = page.cookie("frontline_login").unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/login"] {
        assert!(form_cookie.contains(flag), "{form_cookie}");
    }
    let r = login(&server, "eli", "password-e", "/");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/"));
    let cookie = r.cookie("frontline_session").unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");

    let (cookie, csrf) = session(&server, "eli", "password-e");
    let map = send(&server, "GET", "/", &[("Cookie", &cookie)], None);
    assert!(map.body.contains("eli") && map.body.contains("Déconnexion"));
    assert!(!send(&server, "GET", "/", &[], None)
        .body
        .contains("csrf-token"));

    let post = |headers: &[(&str, &str)]| {
        let mut all = vec![
            ("Cookie", cookie.as_str()),
            ("Content-Type", "application/json"),
        ];
        all.extend_from_slice(headers);
        send(&server, "POST", "/api/articles", &all, Some(ARTICLE))
    };
    let r = post(&[]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("missing CSRF token"));
    let r = post(&[("X-CSRF-Token", "0123")]);
    assert_eq!(r.status, 403);
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("invalid CSRF token"));
    let r = post(&[("X-CSRF-Token", &csrf)]);
    assert_eq!(r.status, 201, "{}", r.body);
    // An editor's session is not an admin's.
    let feeds = send(&server, "GET", "/api/feeds", &[("Cookie", &cookie)], None);
    assert_eq!(feeds.status, 403);

    // Logout is a form with the token: without it, 403 and the session lives.
    let r = send(
        &server,
        "POST",
        "/logout",
        &[("Cookie", &cookie), ("Content-Type", FORM)],
        Some(""),
    );
    assert_eq!(r.status, 403);
    assert!(
        r.content_type.starts_with("text/html"),
        "{}",
        r.content_type
    );
    assert_eq!(post(&[("X-CSRF-Token", &csrf)]).status, 200);
    let form = format!("csrf={csrf}");
    let r = send(
        &server,
        "POST",
        "/logout",
        &[("Cookie", &cookie), ("Content-Type", FORM)],
        Some(&form),
    );
    assert_eq!(r.status, 303);
    assert!(r.cookie("frontline_session").unwrap().contains("Max-Age=0"));
    // The old cookie no longer authenticates anything.
    let r = post(&[("X-CSRF-Token", &csrf)]);
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(!send(&server, "GET", "/", &[("Cookie", &cookie)], None)
        .body
        .contains("csrf-token"));
}

#[test]
fn the_login_form_refuses_forgeries_wrong_passwords_and_foreign_redirects() {
    let s = Scratch::new();
    add(&s, "eli", "editor", "password-e");
    let server = Server::start("serve", &s.db(), &[]);

    // Another site's form: no form cookie, or a token that is not the
    // cookie's.
    let forged = "name=eli&password=password-e&csrf=abc&next=%2F";
    let r = send(
        &server,
        "POST",
        "/login",
        &[("Content-Type", FORM)],
        Some(forged),
    );
    assert_eq!(r.status, 403);
    assert!(r.cookie("frontline_session").is_none());
    let r = send(
        &server,
        "POST",
        "/login",
        &[("Content-Type", FORM), ("Cookie", "frontline_login=def")],
        Some(forged),
    );
    assert_eq!(r.status, 403);

    // A wrong password and an unknown name get the same answer.
    let wrong = login(&server, "eli", "password-x", "/");
    let unknown = login(&server, "nobody", "password-e", "/");
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert!(wrong
        .body
        .contains("Nom d’utilisateur ou mot de passe incorrect"));
    assert!(unknown
        .body
        .contains("Nom d’utilisateur ou mot de passe incorrect"));
    assert!(wrong.cookie("frontline_session").is_none());

    // `next` is followed only to a path of this site.
    let r = login(&server, "eli", "password-e", "/places/aleppo?lang=en");
    assert_eq!(r.location.as_deref(), Some("/places/aleppo?lang=en"));
    for foreign in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ] {
        let r = login(&server, "eli", "password-e", foreign);
        assert_eq!(r.status, 303);
        assert_eq!(r.location.as_deref(), Some("/"), "{foreign}");
    }
    let page = send(&server, "GET", "/login?next=//evil.example", &[], None);
    assert!(
        page.body.contains(r#"name="next" value="/""#),
        "{}",
        page.body
    );
}

#[test]
fn failed_logins_are_rate_limited_with_retry_after() {
    let s = Scratch::new();
    add(&s, "eli", "editor", "password-e");
    let server = Server::start(
        "serve",
        &s.db(),
        &["--login-attempts", "3", "--login-window", "10m"],
    );
    for _ in 0..3 {
        assert_eq!(login(&server, "eli", "wrong-one", "/").status, 401);
    }
    // Now even the right password waits.
    let r = login(&server, "eli", "password-e", "/");
    assert_eq!(r.status, 429, "{}", r.body);
    let wait: u64 = r.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((590..=601).contains(&wait), "{wait}");
    assert!(r
        .body
        .contains("Trop de tentatives de connexion. Réessayez dans 10 minutes."));
    assert!(r.cookie("frontline_session").is_none());
    // The API's tokens are not affected.
    assert_eq!(
        server.post("/api/articles", Some(TOKEN), ARTICLE).status,
        201
    );
    let _ = r.www_authenticate;
}

#[test]
fn cookies_are_secure_behind_https_and_sessions_expire() {
    let s = Scratch::new();
    add(&s, "eli", "editor", "password-e");
    let server = Server::start(
        "serve",
        &s.db(),
        &[
            "--public-url",
            "https://maps.example.org",
            "--session-duration",
            "2s",
        ],
    );
    let form = send(&server, "GET", "/login", &[], None);
    assert!(form.cookie("frontline_login").unwrap().contains("; Secure"));
    let r = login(&server, "eli", "password-e", "/");
    let cookie = r.cookie("frontline_session").unwrap();
    assert!(
        cookie.contains("; Secure") && cookie.contains("Max-Age=2"),
        "{cookie}"
    );
    let cookie = value(cookie);
    let map = send(&server, "GET", "/", &[("Cookie", &cookie)], None);
    assert!(map.body.contains("csrf-token"));
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let map = send(&server, "GET", "/", &[("Cookie", &cookie)], None);
    assert!(
        !map.body.contains("csrf-token"),
        "the session outlived its duration"
    );
    assert!(map.body.contains("Connexion"));
    let r = send(&server, "GET", "/api/feeds", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 401);
    assert!(r.www_authenticate.is_some());
}

#[test]
fn a_cookie_that_is_no_session_costs_no_body_read() {
    use std::io::Read;
    let s = Scratch::new();
    let server = Server::start("serve", &s.db(), &[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    // A form announced and never sent, with a made-up session cookie: a
    // server reading it for its CSRF field would wait for it.
    write!(
        stream,
        "POST /api/articles HTTP/1.1\r\nHost: {addr}\r\nCookie: frontline_session=0123456789abcdef\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    )
    .unwrap();
    let mut reply = [0u8; 256];
    let n = stream.read(&mut reply).expect("an answer without the body");
    let reply = String::from_utf8_lossy(&reply[..n]);
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
}
