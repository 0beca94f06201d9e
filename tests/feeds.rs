//! End-to-end tests of following feeds: `frontline feeds`, `frontline
//! watch` and `GET /api/feeds`, against a news site on loopback that the
//! test starts (nothing here touches the internet). Every text is written
//! for these tests.

mod common;

use common::site::{Page, Site};
use common::{read_sse, Scratch, Server, BIN, TOKEN};
use std::path::Path;
use std::process::{Command, Output};

const RSS: &str = "application/rss+xml";
const ATOM: &str = "application/atom+xml";
const HTML: &str = "text/html; charset=utf-8";

/// An article page: menus, a caption, a "Lire aussi" block around the
/// text, and whatever `head` adds (dates).
fn page(title: &str, head: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html lang=\"fr\"><head><title>{title}</title>{head}</head><body>\
         <header><nav><a href=\"/\">Accueil</a> <a href=\"/monde\">Monde</a></nav></header>\
         <article><h1>{title}</h1><figure><img src=\"x.jpg\"><figcaption>Une rue en ruines.</figcaption></figure>\
         {body}<aside>Lire aussi : notre dossier sur la guerre</aside></article>\
         <footer>Tous droits réservés</footer></body></html>"
    )
}

const MAARAT: [&str; 2] = [
    "Des frappes aériennes ont visé mardi Maarat al-Nouman, dans la province d'Idleb, faisant au moins six morts parmi les civils, d'après l'OSDH, une ONG basée à Londres.",
    "Les secouristes ont fouillé les décombres jusqu'au soir, et plusieurs familles ont quitté la ville pour les camps proches de la frontière.",
];
/// The Maarat story as another outlet republishes it: a credit line and
/// a reworded clause.
const MAARAT_COPY: [&str; 2] = [
    "(Agence) Des frappes aériennes ont visé mardi Maarat al-Nouman, dans la province d'Idleb, faisant au moins six morts parmi les civils, d'après l'OSDH, une ONG basée à Londres.",
    "Les secouristes ont cherché des survivants sous les décombres jusqu'au soir, et plusieurs familles ont quitté la ville pour les camps proches de la frontière.",
];
const HAMA: [&str; 2] = [
    "De violents combats ont opposé lundi les forces du régime aux rebelles près de Kafr Zita, au nord de Hama.",
    "Au moins onze combattants ont été tués dans ces affrontements, a fait savoir l'ONG, dont les correspondants disent avoir compté les corps.",
];
const QAMICHLI: [&str; 2] = [
    "Un attentat à la voiture piégée a fait au moins cinq morts samedi à Qamichli, ville du nord-est de la Syrie, selon les autorités kurdes.",
    "L'explosion a eu lieu près d'un marché très fréquenté en fin de matinée, et les blessés ont été conduits à l'hôpital de la ville.",
];
const DERAA: [&str; 2] = [
    "Des tirs d'artillerie ont touché dimanche plusieurs quartiers de Deraa, tuant trois civils, selon une organisation locale.",
    "Les habitants disent avoir passé la nuit dans les sous-sols, sans électricité ni eau courante depuis plusieurs jours.",
];
const ENGLISH: [&str; 2] = [
    "Air strikes hit the town of Maarat al-Numan on Tuesday, killing at least six civilians, a monitoring group said.",
    "Rescue workers searched the rubble until the evening while several families left for camps near the border.",
];

fn rss(site: &Site, items: &[(&str, &str, Option<&str>)]) -> String {
    let items: String = items
        .iter()
        .map(|(title, path, date)| {
            let date = date
                .map(|d| format!("<pubDate>{d}</pubDate>"))
                .unwrap_or_default();
            format!(
                "<item><title>{title}</title><link>{}</link><guid>{}</guid>{date}</item>",
                site.url(path),
                site.url(path)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>Le Veilleur</title><link>{}</link><description>Nouvelles</description>{items}</channel></rss>",
        site.base
    )
}

/// The site of the tests: an RSS feed (two French articles, one English),
/// an Atom feed and a JSON Feed (one French article each).
fn news_site() -> Site {
    let site = Site::start();
    site.put(
        "/rss.xml",
        Page::Doc {
            content_type: RSS,
            body: rss(
                &site,
                &[
                    (
                        "Frappes sur Maarat al-Nouman",
                        "/actu/frappes-maarat",
                        Some("Tue, 27 Aug 2019 09:00:00 +0200"),
                    ),
                    ("Combats près de Hama", "/actu/combats-hama", None),
                    (
                        "Strikes on Maarat al-Numan",
                        "/en/strikes",
                        Some("Tue, 27 Aug 2019 10:00:00 +0200"),
                    ),
                ],
            ),
            etag: Some("\"rss-v1\"".into()),
        },
    );
    site.doc(
        "/atom.xml",
        ATOM,
        &format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title>La Vigie</title><id>urn:vigie</id><updated>2019-07-13T12:00:00Z</updated>\
             <entry><title>Attentat à Qamichli</title><id>urn:vigie:1</id>\
             <link rel=\"alternate\" href=\"{}\"/><updated>2019-07-13T12:00:00Z</updated></entry>\
             <entry><title>Raids sur Maarat</title><id>urn:vigie:2</id>\
             <link rel=\"alternate\" href=\"{}\"/><updated>2019-08-27T15:00:00Z</updated></entry></feed>",
            site.url("/vigie/attentat-qamichli"),
            site.url("/vigie/reprise-maarat?utm_source=flux&amp;utm_medium=rss&amp;xtor=RSS-3#haut")
        ),
    );
    site.doc(
        "/feed.json",
        "application/feed+json",
        &serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Le Relais",
            "items": [{"id": "1", "url": site.url("/relais/tirs-deraa"), "title": "Tirs sur Deraa",
                       "date_published": "2019-06-30T08:00:00Z"}]
        })
        .to_string(),
    );
    site.doc(
        "/actu/frappes-maarat",
        HTML,
        &page("Frappes sur Maarat al-Nouman", "", &MAARAT),
    );
    site.doc(
        "/actu/combats-hama",
        HTML,
        &page(
            "Combats près de Hama",
            r#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-05-20T18:00:00+02:00"}</script>"#,
            &HAMA,
        ),
    );
    site.doc("/en/strikes", HTML, &page("Strikes", "", &ENGLISH));
    site.doc(
        "/vigie/reprise-maarat",
        HTML,
        &page("Raids sur Maarat", "", &MAARAT_COPY),
    );
    site.doc(
        "/vigie/attentat-qamichli",
        HTML,
        &page("Attentat à Qamichli", "", &QAMICHLI),
    );
    site.doc(
        "/relais/tirs-deraa",
        HTML,
        &page("Tirs sur Deraa", "", &DERAA),
    );
    site
}

fn frontline(s: &Scratch, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(s.db())
        .args(["--host-interval", "0s"])
        .env_remove("FRONTLINE_DB")
        .env_remove("FRONTLINE_ALLOW_PRIVATE_ADDRESSES")
        .output()
        .expect("frontline runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `watch --once --allow-private-addresses --feed URL…`
fn watch_once(s: &Scratch, site: &Site, paths: &[&str]) -> Output {
    let mut args = vec!["watch", "--once", "--allow-private-addresses"];
    let urls: Vec<String> = paths.iter().map(|p| site.url(p)).collect();
    for u in &urls {
        args.push("--feed");
        args.push(u);
    }
    frontline(s, &args)
}

/// One number from the database.
fn count(db: &Path, sql: &str) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
        pool.close().await;
        n
    })
}

#[test]
fn watch_once_ingests_the_french_articles_of_rss_atom_and_json_feeds_and_skips_english() {
    let site = news_site();
    let s = Scratch::new();
    let out = watch_once(&s, &site, &["/rss.xml", "/atom.xml", "/feed.json"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("3 items: 2 new, 0 known, 0 near-duplicates folded, 1 skipped, 0 failed (not French (English): 1)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("polled 3 feeds (0 failed): 6 items, 4 new articles"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{}: 2 items: 1 new, 0 known, 1 near-duplicates folded",
            site.url("/atom.xml")
        )),
        "{stdout}"
    );
    let db = s.db();
    assert_eq!(count(&db, "SELECT count(*) FROM articles"), 4);
    assert!(count(&db, "SELECT count(*) FROM events") >= 3, "{stdout}");
    // The main text only: no menus, captions or "Lire aussi".
    assert_eq!(
        count(&db, "SELECT count(*) FROM articles WHERE text LIKE '%Accueil%' OR text LIKE '%Lire aussi%' OR text LIKE '%ruines%'"),
        0
    );
    // Dated by the item, else by the page's JSON-LD; named by the feed.
    let dated = |url: &str, date: &str, source: &str| {
        count(
            &db,
            &format!(
                "SELECT count(*) FROM articles WHERE url = '{}' AND published = '{date}' AND source = '{source}'",
                site.url(url)
            ),
        )
    };
    assert_eq!(
        dated("/actu/frappes-maarat", "2019-08-27", "Le Veilleur"),
        1
    );
    assert_eq!(dated("/actu/combats-hama", "2019-05-20", "Le Veilleur"), 1);
    assert_eq!(
        dated("/vigie/attentat-qamichli", "2019-07-13", "La Vigie"),
        1
    );
    assert_eq!(dated("/relais/tirs-deraa", "2019-06-30", "Le Relais"), 1);
    // Polite: the user agent names Frontline.
    assert!(site.hits().iter().all(|h| h
        .user_agent
        .as_deref()
        .is_some_and(|u| u.starts_with("Frontline/"))));

    // The copy is another source of the first article, under its
    // normalised URL and its outlet, and adds no events.
    let maarat = count(
        &db,
        &format!(
            "SELECT id FROM articles WHERE url = '{}'",
            site.url("/actu/frappes-maarat")
        ),
    );
    let copy = format!(
        "SELECT count(*) FROM article_copies WHERE article_id = {maarat} AND url = '{}' AND source = 'La Vigie' AND similarity >= 0.5",
        site.url("/vigie/reprise-maarat")
    );
    assert_eq!(count(&db, &copy), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM article_copies"), 1);

    // A second run adds nothing and fetches no page again.
    let pages_before = site.hits().len();
    let out = watch_once(&s, &site, &["/rss.xml", "/atom.xml", "/feed.json"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("6 items, 0 new articles, 5 known, 0 near-duplicates folded"),
        "{stdout}"
    );
    assert!(stdout.contains("1 skipped"), "{stdout}");
    assert_eq!(
        site.hits().len(),
        pages_before + 3,
        "only the three feeds are fetched"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM articles"), 4);
}

#[test]
fn loopback_feeds_are_refused_by_default_naming_the_address() {
    let site = news_site();
    let s = Scratch::new();
    let url = site.url("/rss.xml");
    let out = frontline(&s, &["watch", "--once", "--feed", &url]);
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "error: feed {url}: refused: 127.0.0.1 is a loopback address"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-private-addresses"), "{stderr}");
    assert!(site.hits().is_empty(), "nothing was requested");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 0);
}

#[test]
fn a_malformed_feed_is_reported_with_its_url_and_reason_and_the_others_go_on() {
    let site = news_site();
    site.doc(
        "/broken.xml",
        RSS,
        "<rss><channel><title>Cassé</title><item><title>oups",
    );
    site.put("/gone.xml", Page::Status(500));
    site.doc(
        "/actu/vide",
        HTML,
        "<html><body><nav>Menu</nav></body></html>",
    );
    site.doc(
        "/mixed.xml",
        RSS,
        &rss(
            &site,
            &[
                ("Absent", "/actu/absente", None),
                ("Vide", "/actu/vide", None),
            ],
        ),
    );
    let s = Scratch::new();
    let out = watch_once(
        &s,
        &site,
        &["/broken.xml", "/gone.xml", "/mixed.xml", "/atom.xml"],
    );
    let (stdout, stderr) = text(&out);
    assert!(
        !out.status.success(),
        "a failure makes the exit status non-zero"
    );
    let broken = site.url("/broken.xml");
    assert!(
        stderr.contains(&format!(
            "error: feed {broken}: not a readable RSS, Atom or JSON feed"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("error: feed {}: HTTP 500", site.url("/gone.xml"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "error: page {}: HTTP 404",
            site.url("/actu/absente")
        )),
        "{stderr}"
    );
    assert!(
        stdout.contains("(HTTP 404 Not Found: 1, no readable text: 1)"),
        "{stdout}"
    );
    // The Atom feed after them was read all the same.
    assert!(stdout.contains("polled 4 feeds (2 failed)"), "{stdout}");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 2);
}

#[test]
fn redirects_are_followed_up_to_the_limit() {
    let site = news_site();
    site.put("/r1", Page::Redirect("/r2".into()));
    site.put("/r2", Page::Redirect(site.url("/atom.xml")));
    for i in 0..7 {
        site.put(
            &format!("/loop{i}"),
            Page::Redirect(format!("/loop{}", i + 1)),
        );
    }
    let s = Scratch::new();
    let out = watch_once(&s, &site, &["/r1", "/loop0"]);
    let (stdout, stderr) = text(&out);
    assert!(
        stdout.contains(&format!("{}: 2 items: 2 new", site.url("/r1"))),
        "{stdout}"
    );
    assert!(
        stderr.contains("more than 5 redirects (the last to ") && stderr.contains("/loop5"),
        "{stderr}"
    );
    assert_eq!(
        site.hits_of("/loop6"),
        0,
        "the sixth redirect is not followed"
    );
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 2);
}

#[test]
fn followed_feeds_are_polled_conditionally_and_keep_their_status() {
    let site = news_site();
    let s = Scratch::new();
    let out = frontline(
        &s,
        &[
            "feeds",
            "add",
            &site.url("/rss.xml"),
            "--name",
            "Veilleur",
            "--every",
            "30m",
        ],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(
        text(&out).0.contains("following feed 1"),
        "{:?}",
        text(&out)
    );
    let out = frontline(&s, &["watch", "--once", "--allow-private-addresses"]);
    assert!(out.status.success(), "{:?}", text(&out));
    // The second poll sends the ETag back and gets a 304.
    let out = frontline(&s, &["watch", "--once", "--allow-private-addresses"]);
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains(&format!("{}: not modified", site.url("/rss.xml"))),
        "{stdout}"
    );
    let feed_hits: Vec<_> = site
        .hits()
        .into_iter()
        .filter(|h| h.path == "/rss.xml")
        .collect();
    assert_eq!(feed_hits.len(), 2);
    assert_eq!(feed_hits[0].if_none_match, None);
    assert_eq!(feed_hits[1].if_none_match.as_deref(), Some("\"rss-v1\""));

    let out = frontline(&s, &["feeds", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let f = &list[0];
    assert_eq!(f["name"], "Veilleur");
    assert_eq!(f["every_secs"], 1800);
    assert_eq!(f["articles_total"], 2);
    assert_eq!(f["failures"], 0);
    assert!(f["last_poll_at"].is_string());

    // Failing now: the feed keeps its last good state and backs off.
    site.put("/rss.xml", Page::Status(503));
    site.put("/rss.xml", Page::Status(503));
    let out = frontline(&s, &["watch", "--once", "--allow-private-addresses"]);
    assert!(!out.status.success());
    let out = frontline(&s, &["feeds", "list"]);
    let (listing, _) = text(&out);
    assert!(
        listing.contains("Veilleur: ") && listing.contains("2 articles in all"),
        "{listing}"
    );
    assert!(
        listing.contains("last error (1 in a row): ") && listing.contains("HTTP 503"),
        "{listing}"
    );
    assert_eq!(
        count(
            &s.db(),
            "SELECT count(*) FROM feeds WHERE etag = '\"rss-v1\"'"
        ),
        1
    );
    assert_eq!(
        count(&s.db(), "SELECT count(*) FROM feeds WHERE next_poll_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+59 minutes')"),
        1,
        "one failure doubles the 30 minutes"
    );
}

#[test]
fn feeds_are_added_listed_served_to_token_holders_and_removed() {
    let s = Scratch::new();
    for (args, message) in [
        (
            vec!["feeds", "add", "ftp://a.example/feed"],
            "must be http or https",
        ),
        (vec!["feeds", "add", "pas une adresse"], "is not a URL"),
        (
            vec!["feeds", "add", "https://a.example/rss", "--every", "soon"],
            "is not a duration",
        ),
    ] {
        let out = frontline(&s, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out).1.contains(message), "{args:?}: {:?}", text(&out));
    }
    let out = frontline(
        &s,
        &["feeds", "add", "https://a.example/rss", "--every", "1h"],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let out = frontline(&s, &["feeds", "add", "https://a.example/rss"]);
    assert!(
        text(&out).1.contains("already followed (id 1)"),
        "{:?}",
        text(&out)
    );
    frontline(
        &s,
        &["feeds", "add", "https://b.example/atom.xml", "--name", "B"],
    );
    let (listing, _) = text(&frontline(&s, &["feeds", "list"]));
    assert!(
        listing.contains("  1  every 1h    https://a.example/rss"),
        "{listing}"
    );
    assert!(
        listing.contains("every 15m   B: https://b.example/atom.xml"),
        "{listing}"
    );
    assert!(listing.contains("never polled"), "{listing}");

    let server = Server::start("serve", &s.db(), &[]);
    assert_eq!(server.get("/api/feeds").status, 401);
    let r = server.get_with(
        "/api/feeds",
        &[("Authorization", &format!("Bearer {TOKEN}"))],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let feeds = r.json()["feeds"].as_array().cloned().unwrap_or_default();
    assert_eq!(feeds.len(), 2);
    assert_eq!(feeds[1]["name"], "B");
    assert_eq!(feeds[1]["last_poll"]["items_seen"], 0);
    assert!(feeds[0].get("etag").is_none());
    drop(server);

    let out = frontline(&s, &["feeds", "remove", "1"]);
    assert!(out.status.success());
    let out = frontline(&s, &["feeds", "remove", "1"]);
    assert!(!out.status.success() && text(&out).1.contains("feed 1 not found"));
    let (listing, _) = text(&frontline(&s, &["feeds", "list"]));
    assert!(!listing.contains("a.example"), "{listing}");
}

#[test]
fn watch_polls_until_sigterm_and_ends_cleanly() {
    let site = news_site();
    let s = Scratch::new();
    frontline(&s, &["feeds", "add", &site.url("/atom.xml")]);
    let mut child = Command::new(BIN)
        .args([
            "watch",
            "--allow-private-addresses",
            "--host-interval",
            "0s",
            "--db",
        ])
        .arg(s.db())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("watch starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(
        first.contains("2 items: 2 new, 0 known, 0 near-duplicates"),
        "{first}"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("watch ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("frontline: stopped"), "{stderr}");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 2);
}

#[test]
fn serve_watch_polls_the_followed_feeds_inside_the_server() {
    let site = news_site();
    let s = Scratch::new();
    frontline(&s, &["feeds", "add", &site.url("/rss.xml")]);
    let server = Server::start(
        "serve",
        &s.db(),
        &[
            "--watch",
            "--allow-private-addresses",
            "--host-interval",
            "0s",
        ],
    );
    let auth = format!("Bearer {TOKEN}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let feed = loop {
        let r = server.get_with("/api/feeds", &[("Authorization", &auth)]);
        let feed = r.json()["feeds"][0].clone();
        if feed["last_poll_at"].is_string() || std::time::Instant::now() > deadline {
            break feed;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(feed["last_poll"]["items_new"], 2, "{feed}");
    assert_eq!(
        feed["last_poll"]["reasons"]["not French (English)"], 1,
        "{feed}"
    );
    let events = server.get_json("/api/events");
    assert!(
        !events["features"].as_array().is_some_and(Vec::is_empty),
        "{events}"
    );
}

#[test]
fn ingest_folds_a_republished_copy_into_the_first_article_and_reports_it() {
    let s = Scratch::new();
    let header = |title: &str, url: &str, source: &str| {
        format!("title: {title}\nurl: {url}\nsource: {source}\npublished: 2019-08-27\n\n")
    };
    let original = s.write(
        "a.txt",
        &format!(
            "{}{}\n\n{}\n",
            header("Frappes", "https://veilleur.example/a", "Le Veilleur"),
            MAARAT[0],
            MAARAT[1]
        ),
    );
    let copy = s.write(
        "b.txt",
        &format!(
            "{}{}\n\n{}\n",
            header("Raids", "https://vigie.example/b", "La Vigie"),
            MAARAT_COPY[0],
            MAARAT_COPY[1]
        ),
    );
    let other = s.write(
        "c.txt",
        &format!(
            "published: 2019-07-13\n\n{}\n\n{}\n",
            QAMICHLI[0], QAMICHLI[1]
        ),
    );
    let path = |p: &std::path::PathBuf| p.to_string_lossy().into_owned();
    let out = s.ingest(&[&path(&original)]);
    assert!(out.status.success());
    let events = count(&s.db(), "SELECT count(*) FROM events");
    let out = s.ingest(&[&path(&copy), &path(&other)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(
            "articles: 1 new, 0 unchanged, 1 near-duplicates folded into stored articles, 0 failed"
        ),
        "{stdout}"
    );
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 2);
    assert!(
        count(&s.db(), "SELECT count(*) FROM events") > events,
        "the other article adds events"
    );
    assert_eq!(
        count(
            &s.db(),
            "SELECT count(*) FROM articles WHERE url = 'https://vigie.example/b'"
        ),
        0,
        "the copy is no article of its own and adds no events"
    );
    // Ingesting the copy again changes nothing.
    let out = s.ingest(&[&path(&copy)]);
    assert!(
        text(&out)
            .0
            .contains("0 new, 0 unchanged, 1 near-duplicates folded"),
        "{:?}",
        text(&out)
    );
    assert_eq!(count(&s.db(), "SELECT count(*) FROM article_copies"), 1);

    // The API lists the copy with the article.
    let server = Server::start("serve", &s.db(), &[]);
    let a = server.get_json("/api/articles/1");
    assert_eq!(a["copies"][0]["url"], "https://vigie.example/b", "{a}");
    assert_eq!(a["copies"][0]["source"], "La Vigie");
}

#[test]
fn new_events_are_streamed_with_filters_and_resume_after_the_last_id() {
    let s = Scratch::new();
    let server = Server::start("serve", &s.db(), &[]);
    let post = |text: &str| {
        let body = serde_json::json!({"text": text, "published": "2019-08-27"}).to_string();
        let r = server.post("/api/articles", Some(TOKEN), &body);
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()
    };
    let url = server.url("/api/events/stream");
    let reader = std::thread::spawn(move || {
        read_sse(&url, &[], |ev| {
            ev.iter().filter(|e| e.0 == "event").count() >= 1
        })
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    let first = post(&format!("{} {}", QAMICHLI[0], QAMICHLI[1]));
    let events = reader.join().expect("reader");
    assert_eq!(events[0].0, "ready");
    let (_, id, data) = events
        .iter()
        .find(|e| e.0 == "event")
        .expect("an event")
        .clone();
    let feature: serde_json::Value = serde_json::from_str(&data).expect("a feature");
    assert_eq!(feature["type"], "Feature");
    assert_eq!(
        feature["id"], first["events"]["features"][0]["id"],
        "{data}"
    );

    // Two more articles while nobody listens; resuming after `id` gets
    // them, and a type filter keeps only its type.
    post(&format!("{} {}", DERAA[0], DERAA[1]));
    post(&format!("{} {}", HAMA[0], HAMA[1]));
    let missed = read_sse(
        &server.url("/api/events/stream"),
        &[("Last-Event-ID", &id)],
        |ev| ev.iter().filter(|e| e.0 == "event").count() >= 2,
    );
    let ids: Vec<i64> = missed
        .iter()
        .filter(|e| e.0 == "event")
        .map(|e| e.1.parse().expect("numeric id"))
        .collect();
    assert!(
        ids.len() >= 2 && ids.windows(2).all(|w| w[0] < w[1]),
        "{missed:?}"
    );
    let all = server.get_json("/api/events");
    let types: Vec<String> = all["features"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["properties"]["type"].as_str().map(String::from))
        .collect();
    let wanted = types.last().cloned().expect("a type");
    let only = read_sse(
        &server.url(&format!("/api/events/stream?type={wanted}&last_event_id=0")),
        &[],
        |ev| {
            ev.iter().filter(|e| e.0 == "event").count()
                >= types.iter().filter(|t| **t == wanted).count()
        },
    );
    for (_, _, data) in only.iter().filter(|e| e.0 == "event") {
        let f: serde_json::Value = serde_json::from_str(data).expect("feature");
        assert_eq!(f["properties"]["type"], wanted.as_str());
    }
    // Bad parameters are refused like /api/events'.
    assert_eq!(server.get("/api/events/stream?type=nope").status, 400);
    assert_eq!(server.get("/api/events/stream?limit=5").status, 400);
}

#[test]
fn pages_over_the_size_limit_are_refused_and_reported() {
    let site = news_site();
    let long = QAMICHLI[1].repeat(40);
    site.doc(
        "/actu/longue",
        HTML,
        &page("Longue", "", &[QAMICHLI[0], &long]),
    );
    site.doc(
        "/longue.xml",
        RSS,
        &rss(
            &site,
            &[
                ("Longue", "/actu/longue", None),
                ("Tirs", "/relais/tirs-deraa", None),
            ],
        ),
    );
    let s = Scratch::new();
    let out = frontline(
        &s,
        &[
            "watch",
            "--once",
            "--allow-private-addresses",
            "--fetch-max-bytes",
            "4000",
            "--feed",
            &site.url("/longue.xml"),
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "error: page {}: the answer is larger than the limit of 4000 bytes",
            site.url("/actu/longue")
        )),
        "{stderr}"
    );
    // The page under the limit is stored all the same.
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 1);
}

#[test]
fn the_watcher_refuses_an_article_yielding_more_events_than_allowed() {
    let site = news_site();
    site.doc(
        "/un.xml",
        RSS,
        &rss(&site, &[("Tirs", "/relais/tirs-deraa", None)]),
    );
    let s = Scratch::new();
    let out = frontline(
        &s,
        &[
            "watch",
            "--once",
            "--allow-private-addresses",
            "--max-events-per-article",
            "0",
            "--feed",
            &site.url("/un.xml"),
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success(), "{stdout}");
    assert!(stderr.contains("--max-events-per-article"), "{stderr}");
    assert_eq!(count(&s.db(), "SELECT count(*) FROM articles"), 0);
}
