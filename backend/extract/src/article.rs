//! Articles as they arrive: plain text (optionally with a `title:`/`url:`/
//! `published:` header block), HTML, JSON Lines, or one JSON object in the
//! corpus format.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One news article: its text and what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// A name for messages: the corpus id, or the file name.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub published: Option<NaiveDate>,
    pub text: String,
}

/// The publication dates an article may have: a date outside them is
/// refused by every reader (a typo such as `0001-01-01` or `+10000-01-01`
/// would otherwise stretch every timeline to millennia).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBounds {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl Default for DateBounds {
    /// From 2011-01-01 (the war's first year) to two days after today.
    fn default() -> Self {
        let today = chrono::Utc::now().date_naive();
        DateBounds {
            earliest: NaiveDate::from_ymd_opt(2011, 1, 1).unwrap_or(NaiveDate::MIN),
            latest: today + chrono::Days::new(2),
        }
    }
}

impl DateBounds {
    /// The date if it lies within the bounds, or why not.
    pub fn check(&self, d: NaiveDate) -> std::result::Result<NaiveDate, String> {
        if d < self.earliest || d > self.latest {
            return Err(format!(
                "{d} is outside the accepted dates ({} to {})",
                self.earliest, self.latest
            ));
        }
        Ok(d)
    }
}

/// Whether `u` is an absolute http(s) URL naming a host: the scheme, `//`,
/// a host of letters, digits, dots and hyphens (or an IPv6 address in
/// brackets), an optional port, then nothing or a path, query or fragment.
/// No credentials, backslashes, spaces or control characters: what a
/// browser would read as another host (`/\evil.example/`, `http:evil`)
/// never passes.
pub fn is_web_url(u: &str) -> bool {
    let scheme = |p: &str| u.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    let rest = if scheme("http://") {
        &u[7..]
    } else if scheme("https://") {
        &u[8..]
    } else {
        return false;
    };
    if u.chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return false;
    }
    let port_ok = |p: &str| {
        p.is_empty()
            || (p.len() <= 5
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= 65535))
    };
    if let Some(v6) = authority.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return false;
        };
        let port = match after.strip_prefix(':') {
            Some(p) if !p.is_empty() => p,
            Some(_) => return false,
            None if after.is_empty() => "",
            None => return false,
        };
        return !addr.is_empty()
            && addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            && port_ok(port);
    }
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) if !p.is_empty() => (h, p),
        Some(_) => return false,
        None => (authority, ""),
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && port_ok(port)
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Where an article came from, for error messages.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: PathBuf,
    pub line: Option<usize>,
}

/// Read every article in a file, choosing the format by extension:
/// `.html`/`.htm`, `.jsonl`, `.json`, anything else as text; publication
/// dates within the default [`DateBounds`].
pub fn read_file(path: &Path) -> Result<Vec<Article>> {
    read_file_within(path, &DateBounds::default())
}

/// [`read_file`], with publication dates within `bounds`.
pub fn read_file_within(path: &Path, bounds: &DateBounds) -> Result<Vec<Article>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    parse_bytes(path, &stem, &ext, bytes, bounds)
}

/// Parse bytes in the format named by `ext` (`txt`, `html`, `jsonl`,
/// `json`), with publication dates within `bounds`.
pub fn parse_bytes(
    path: &Path,
    id: &str,
    ext: &str,
    bytes: Vec<u8>,
    bounds: &DateBounds,
) -> Result<Vec<Article>> {
    let text = gazetteer::error::text_from_bytes(path, bytes)?;
    match ext {
        "html" | "htm" => non_empty(path, vec![from_html(path, id, &text, bounds)?]),
        "jsonl" | "ndjson" => from_json_lines(path, &text, bounds),
        "json" => {
            let article = from_json(path, None, &text, bounds)?;
            non_empty(
                path,
                vec![Article {
                    id: if article.id.is_empty() {
                        id.to_string()
                    } else {
                        article.id
                    },
                    ..article
                }],
            )
        }
        _ => non_empty(path, vec![from_text(path, id, &text, bounds)?]),
    }
}

fn non_empty(path: &Path, articles: Vec<Article>) -> Result<Vec<Article>> {
    for a in &articles {
        if a.text.trim().is_empty() {
            return Err(Error::File {
                path: path.into(),
                message: "the article has no text".into(),
            });
        }
    }
    Ok(articles)
}

/// Plain text, with an optional header block of `key: value` lines
/// (`title`, `url`, `source`, `published`) ended by a blank line; the url
/// is an absolute http(s) URL, the date within `bounds`.
pub fn from_text(path: &Path, id: &str, text: &str, bounds: &DateBounds) -> Result<Article> {
    let mut article = Article {
        id: id.to_string(),
        ..Article::default()
    };
    let mut lines = text.lines().enumerate().peekable();
    let mut header_end = 0;
    let mut saw_header = false;
    while let Some(&(n, line)) = lines.peek() {
        let Some((key, value)) = line.split_once(':') else {
            break;
        };
        let key = key.trim().to_ascii_lowercase();
        if !matches!(
            key.as_str(),
            "title" | "url" | "source" | "published" | "date"
        ) {
            break;
        }
        let value = value.trim();
        let err = |message: String| Error::Input {
            path: path.into(),
            line: n + 1,
            field: key.clone(),
            message,
        };
        match key.as_str() {
            "title" => article.title = Some(value.to_string()),
            "url" => article.url = Some(web_url(value).map_err(err)?),
            "source" => article.source = Some(value.to_string()),
            _ => article.published = Some(published(value, bounds).map_err(err)?),
        }
        saw_header = true;
        lines.next();
        header_end += line.len() + 1;
    }
    article.text = if saw_header {
        text.get(header_end..)
            .unwrap_or("")
            .trim_start_matches(['\r', '\n'])
            .to_string()
    } else {
        text.to_string()
    };
    Ok(article)
}

/// A publication date: `YYYY-MM-DD` (or a timestamp starting with one)
/// within `bounds`.
fn published(value: &str, bounds: &DateBounds) -> std::result::Result<NaiveDate, String> {
    let d = parse_date(value)
        .ok_or_else(|| format!("{value:?} is not a date (expected YYYY-MM-DD)"))?;
    bounds.check(d)
}

/// An article's URL: absolute http(s) only ([`is_web_url`]).
fn web_url(value: &str) -> std::result::Result<String, String> {
    if is_web_url(value) {
        Ok(value.to_string())
    } else {
        Err(format!("{value:?} is not an absolute http(s) URL"))
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
}

/// The readable text of an HTML page: the `<article>` (or `<main>`, or the
/// body) without scripts, styles, navigation, headers, footers and forms.
/// Its metadata follow the same rules as the other formats: a publication
/// date within `bounds` (one that is not a date is ignored), an absolute
/// http(s) URL.
pub fn from_html(path: &Path, id: &str, html: &str, bounds: &DateBounds) -> Result<Article> {
    use scraper::{Html, Selector};
    let doc = Html::parse_document(html);
    let select = |css: &str| Selector::parse(css).ok();
    let first = |css: &str| select(css).and_then(|s| doc.select(&s).next());
    let meta = |css: &str| {
        first(css)
            .and_then(|e| e.value().attr("content"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let title = meta("meta[property='og:title']")
        .or_else(|| first("title").map(|t| t.text().collect::<String>().trim().to_string()));
    let err = |field: &str, message: String| Error::Input {
        path: path.into(),
        line: 1,
        field: field.into(),
        message,
    };
    let published = meta("meta[property='article:published_time']")
        .or_else(|| {
            select("script[type='application/ld+json']").and_then(|s| {
                doc.select(&s)
                    .find_map(|e| json_ld_date(&e.text().collect::<String>()))
            })
        })
        .or_else(|| {
            first("time[datetime]").and_then(|t| t.value().attr("datetime").map(String::from))
        })
        .and_then(|d| parse_date(&d))
        .map(|d| bounds.check(d).map_err(|m| err("published", m)))
        .transpose()?;
    let url = meta("meta[property='og:url']")
        .or_else(|| {
            first("link[rel='canonical']")
                .and_then(|l| l.value().attr("href").map(|h| h.trim().to_string()))
        })
        .map(|u| web_url(&u).map_err(|m| err("url", m)))
        .transpose()?;
    let root = first("article")
        .or_else(|| first("main"))
        .or_else(|| first("body"));
    let mut raw = String::new();
    if let Some(r) = root {
        html_text(r, &mut raw);
    }
    let text = paragraphs(&raw);
    Ok(Article {
        id: id.to_string(),
        url,
        source: None,
        title,
        published,
        text,
    })
}

/// Elements whose text is no part of the article.
const HTML_SKIP: [&str; 13] = [
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe",
    "svg", "template", "figure",
];

/// Elements that end a line of text.
const HTML_BLOCK: [&str; 12] = [
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "blockquote",
];

/// The text under `e`, skipped elements left out, a line break around
/// each block.
fn html_text(e: scraper::ElementRef, out: &mut String) {
    use scraper::{ElementRef, Node};
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) => {
                let name = el.name();
                if HTML_SKIP.contains(&name) {
                    continue;
                }
                if let Some(ce) = ElementRef::wrap(child) {
                    let block = HTML_BLOCK.contains(&name);
                    if block {
                        out.push('\n');
                    }
                    html_text(ce, out);
                    if block {
                        out.push('\n');
                    }
                }
            }
            _ => {}
        }
    }
}

/// The HTML's layout whitespace collapsed: one paragraph per non-empty
/// line, separated by blank lines.
fn paragraphs(raw: &str) -> String {
    let mut text = String::new();
    for para in raw.split('\n') {
        let line = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&line);
        }
    }
    text
}

/// The `datePublished` of a page's JSON-LD (in an object, an array or a
/// `@graph`), if it has one.
fn json_ld_date(json: &str) -> Option<String> {
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(o) => o
                .get("datePublished")
                .and_then(|d| d.as_str())
                .map(str::to_string)
                .or_else(|| o.values().find_map(find)),
            serde_json::Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    find(&serde_json::from_str(json.trim()).ok()?)
}

/// What [`from_json_object`] does with keys that are not article fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherKeys {
    /// Skip them: corpus files and JSON Lines carry annotations and
    /// metadata of their own.
    Ignore,
    /// Refuse the first one, naming it, so that a misspelt field is not
    /// dropped unnoticed.
    Refuse,
}

/// The fields of an article as a JSON object.
const JSON_FIELDS: [&str; 6] = ["text", "url", "title", "source", "published", "id"];

/// One article from one JSON object (a line of a `.jsonl` file, a `.json`
/// corpus file, the body of `POST /api/articles`), under one set of rules:
/// `text` is required, a string, not blank, and kept as it is; `id`,
/// `url`, `source`, `title` and `published` are strings or null, trimmed,
/// blank meaning absent; `published` is a date (`YYYY-MM-DD`, or a
/// timestamp starting with one) within `bounds`; `url` is an absolute
/// http(s) URL. A bad field is an [`Error::Input`] naming it, at `origin`.
pub fn from_json_object(
    obj: &serde_json::Map<String, serde_json::Value>,
    origin: &Origin,
    other_keys: OtherKeys,
    bounds: &DateBounds,
) -> Result<Article> {
    use serde_json::Value;
    let err = |field: &str, message: String| Error::Input {
        path: origin.path.clone(),
        line: origin.line.unwrap_or(1),
        field: field.into(),
        message,
    };
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    if other_keys == OtherKeys::Refuse {
        if let Some(k) = obj.keys().find(|k| !JSON_FIELDS.contains(&k.as_str())) {
            return Err(err(
                k,
                format!("unknown field (expected {})", JSON_FIELDS.join(", ")),
            ));
        }
    }
    let optional = |field: &str| match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(err(field, format!("must be a string, not {}", kind(other)))),
    };
    let text = match obj.get("text") {
        None | Some(Value::Null) => return Err(err("text", "is required".into())),
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(err("text", "is empty".into()))
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(err(
                "text",
                format!("must be a string, not {}", kind(other)),
            ))
        }
    };
    let published = match optional("published")? {
        None => None,
        Some(d) => Some(published(&d, bounds).map_err(|m| err("published", m))?),
    };
    let url = match optional("url")? {
        None => None,
        Some(u) => Some(web_url(&u).map_err(|m| err("url", m))?),
    };
    Ok(Article {
        id: optional("id")?.unwrap_or_default(),
        url,
        source: optional("source")?,
        title: optional("title")?,
        published,
        text,
    })
}

fn from_json(path: &Path, line: Option<usize>, json: &str, bounds: &DateBounds) -> Result<Article> {
    let origin = Origin {
        path: path.into(),
        line,
    };
    let not_an_article = |message: String| Error::Input {
        path: path.into(),
        line: line.unwrap_or(1),
        field: "json".into(),
        message,
    };
    match serde_json::from_str(json).map_err(|e| not_an_article(e.to_string()))? {
        serde_json::Value::Object(obj) => {
            from_json_object(&obj, &origin, OtherKeys::Ignore, bounds)
        }
        _ => Err(not_an_article("an article must be a JSON object".into())),
    }
}

/// One article per non-empty line.
pub fn from_json_lines(path: &Path, text: &str, bounds: &DateBounds) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut a = from_json(path, Some(n + 1), line, bounds)?;
        if a.id.is_empty() {
            a.id = format!(
                "{}:{}",
                path.file_stem()
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_default(),
                n + 1
            );
        }
        out.push(a);
    }
    if out.is_empty() {
        return Err(Error::File {
            path: path.into(),
            message: "no article in the JSON Lines file".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.txt")
    }

    fn b() -> DateBounds {
        DateBounds::default()
    }

    #[test]
    fn text_with_a_header_block() {
        let a = from_text(
            p(),
            "a",
            "title: Alep\nurl: https://x.org/1\npublished: 2016-12-22\n\nLe régime a repris Alep.",
            &b(),
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Alep"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2016, 12, 22));
        assert_eq!(a.text, "Le régime a repris Alep.");
    }

    #[test]
    fn text_without_a_header_is_all_text() {
        let a = from_text(p(), "a", "Selon l'OSDH: des raids.", &b()).unwrap();
        assert_eq!(a.text, "Selon l'OSDH: des raids.");
        assert_eq!(a.published, None);
    }

    #[test]
    fn a_bad_date_in_the_header_names_the_line() {
        let e = from_text(p(), "a", "title: x\npublished: hier\n\ntexte", &b()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.txt:2: field `published`: \"hier\" is not a date (expected YYYY-MM-DD)"
        );
    }

    #[test]
    fn html_keeps_the_article_and_drops_scripts_and_menus() {
        let html = r#"<html><head><title>T</title><script>alert(1)</script></head><body>
            <nav>Accueil Monde</nav><article><h1>Raids sur Idleb</h1><p>Des raids ont visé <b>Idleb</b> jeudi.</p>
            <script>track()</script><p>Selon l'OSDH.</p></article><footer>© journal</footer></body></html>"#;
        let a = from_html(p(), "x", html, &b()).unwrap();
        assert_eq!(
            a.text,
            "Raids sur Idleb\n\nDes raids ont visé Idleb jeudi.\n\nSelon l'OSDH."
        );
        assert_eq!(a.title.as_deref(), Some("T"));
    }

    #[test]
    fn html_is_dated_by_its_meta_else_its_json_ld_else_its_time_element() {
        let body = "<body><article><p>Des tirs ont visé Alep.</p></article></body>";
        let with = |head: &str, extra: &str| {
            from_html(
                p(),
                "x",
                &format!("<html><head>{head}</head>{body}{extra}</html>"),
                &b(),
            )
            .unwrap()
            .published
        };
        let meta = r#"<meta property="article:published_time" content="2021-04-02T08:00:00Z">"#;
        let ld = r#"<script type="application/ld+json">{"@context": "https://schema.org",
            "@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2021-04-03T10:00:00+02:00"}]}</script>"#;
        let time = r#"<time datetime="2021-04-04">4 avril</time>"#;
        assert_eq!(with(meta, time), NaiveDate::from_ymd_opt(2021, 4, 2));
        assert_eq!(with(ld, time), NaiveDate::from_ymd_opt(2021, 4, 3));
        assert_eq!(with("", time), NaiveDate::from_ymd_opt(2021, 4, 4));
        let broken = r#"<script type="application/ld+json">{"datePublished": </script>"#;
        assert_eq!(with(broken, ""), None);
    }

    #[test]
    fn json_lines_errors_name_the_line_and_field() {
        let e = from_json_lines(
            Path::new("a.jsonl"),
            "{\"text\":\"ok\"}\n{\"title\":\"x\"}\n",
            &b(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("a.jsonl:2: field `text`"), "{e}");
        let e = from_json_lines(
            Path::new("a.jsonl"),
            "{\"text\":\"ok\",\"published\":\"demain\"}",
            &b(),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("a.jsonl:1: field `published`"),
            "{e}"
        );
    }

    fn field_of(json: &str, other_keys: OtherKeys) -> String {
        let origin = Origin {
            path: "body".into(),
            line: None,
        };
        let obj = match serde_json::from_str(json) {
            Ok(serde_json::Value::Object(obj)) => obj,
            other => panic!("{json}: {other:?}"),
        };
        match from_json_object(&obj, &origin, other_keys, &DateBounds::default()) {
            Err(Error::Input { field, .. }) => field,
            other => panic!("{json}: {other:?}"),
        }
    }

    #[test]
    fn json_objects_name_their_bad_fields() {
        use OtherKeys::{Ignore, Refuse};
        assert_eq!(field_of(r#"{"title": "x"}"#, Ignore), "text");
        assert_eq!(field_of(r#"{"text": "  "}"#, Ignore), "text");
        assert_eq!(field_of(r#"{"text": 12}"#, Ignore), "text");
        assert_eq!(
            field_of(r#"{"text": "a", "published": "hier"}"#, Ignore),
            "published"
        );
        assert_eq!(
            field_of(r#"{"text": "a", "url": "javascript:alert(1)"}"#, Ignore),
            "url"
        );
        assert_eq!(
            field_of(r#"{"text": "a", "title": ["x"]}"#, Ignore),
            "title"
        );
        assert_eq!(field_of(r#"{"text": "a", "txt": "b"}"#, Refuse), "txt");
    }

    #[test]
    fn json_objects_follow_one_set_of_rules() {
        let origin = Origin {
            path: "a.jsonl".into(),
            line: Some(3),
        };
        let obj = |json: &str| match serde_json::from_str(json) {
            Ok(serde_json::Value::Object(obj)) => obj,
            other => panic!("{json}: {other:?}"),
        };
        let a = from_json_object(
            &obj(r#"{"text": " Raids. ", "url": " https://x.org/1 ", "published": "2019-05-06T08:00:00Z", "title": "", "lang": "fr"}"#),
            &origin,
            OtherKeys::Ignore,
            &b(),
        )
        .unwrap();
        assert_eq!(a.text, " Raids. ");
        assert_eq!(a.url.as_deref(), Some("https://x.org/1"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2019, 5, 6));
        assert_eq!(a.title, None);
        let e = from_json_lines(
            Path::new("a.jsonl"),
            "{\"text\":\"ok\",\"url\":\"ftp://x\"}",
            &b(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("a.jsonl:1: field `url`"), "{e}");
        let e = from_json_lines(Path::new("a.jsonl"), "[1]", &b()).unwrap_err();
        assert!(e.to_string().starts_with("a.jsonl:1: field `json`"), "{e}");
    }

    #[test]
    fn empty_and_non_utf8_input_are_errors() {
        let e = parse_bytes(p(), "a", "txt", b"  \n".to_vec(), &b()).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        let e = parse_bytes(p(), "a", "txt", vec![b'A', 0xff, 0xfe], &b()).unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
    }

    #[test]
    fn urls_must_be_absolute_http_naming_a_host() {
        for good in [
            "https://x.org/1",
            "HTTP://www.example.fr:8080/a?b=c#d",
            "https://[2001:db8::1]/x",
            "https://exemple.fr",
            "http://localhost:3000",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "/\\evil.example/x",
            "//evil.example/x",
            "/relative",
            "javascript:alert(1)",
            "http:evil.example",
            "https:/evil.example",
            "https:///evil.example",
            "https://user:pw@evil.example/",
            "https://x.org\\@evil.example/",
            "https://x.org /a",
            "https://x..org/",
            "https://x.org:99999/",
            "https://x.org:/",
            "ftp://x.org/",
            "data:text/html,x",
            "https://[::1/x",
            "",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn every_reader_refuses_absurd_dates_and_urls_that_leave_for_another_host() {
        let bounds = DateBounds {
            earliest: NaiveDate::from_ymd_opt(2011, 1, 1).unwrap(),
            latest: NaiveDate::from_ymd_opt(2025, 1, 3).unwrap(),
        };
        let field = |r: Result<Vec<Article>>| match r {
            Err(Error::Input { field, message, .. }) => format!("{field}: {message}"),
            other => panic!("{other:?}"),
        };
        let read = |ext: &str, body: String| parse_bytes(p(), "a", ext, body.into_bytes(), &bounds);
        for date in ["0001-01-01", "+10000-01-01", "2010-12-31", "2025-01-04"] {
            let txt = field(read("txt", format!("published: {date}\n\nRaids.")));
            let json = field(read(
                "json",
                format!(r#"{{"text": "Raids.", "published": "{date}"}}"#),
            ));
            let jsonl = field(read(
                "jsonl",
                format!(r#"{{"text": "Raids.", "published": "{date}"}}"#),
            ));
            let html = field(read(
                "html",
                format!(
                    r#"<html><head><meta property="article:published_time" content="{date}"></head><body><p>Raids.</p></body></html>"#
                ),
            ));
            for f in [&txt, &json, &jsonl] {
                assert!(f.starts_with("published: "), "{date}: {f}");
            }
            // HTML's `<meta>` dates: a date outside the bounds is refused
            // too (only what is not a date at all is skipped).
            if date != "+10000-01-01" {
                assert!(html.starts_with("published: "), "{date}: {html}");
            }
        }
        for ok in ["2011-01-01", "2025-01-03"] {
            let a = read("txt", format!("published: {ok}\n\nRaids.")).unwrap();
            assert_eq!(a[0].published.map(|d| d.to_string()).as_deref(), Some(ok));
        }
        let url = "/\\evil.example/x";
        let quoted = serde_json::to_string(url).unwrap();
        for (ext, body) in [
            ("txt", format!("url: {url}\n\nRaids.")),
            ("json", format!(r#"{{"text": "Raids.", "url": {quoted}}}"#)),
            ("jsonl", format!(r#"{{"text": "Raids.", "url": {quoted}}}"#)),
            (
                "html",
                r#"<html><head><link rel="canonical" href="/\evil.example/x"></head><body><p>Raids.</p></body></html>"#.to_string(),
            ),
        ] {
            let f = field(read(ext, body));
            assert!(f.starts_with("url: "), "{ext}: {f}");
        }
    }
}
