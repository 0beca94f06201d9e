//! Article pages read into articles: decoded by their declared charset,
//! their main text taken by the same reader as `.html` input
//! ([`article::from_html`]), dated by the feed's item else the page, and
//! kept only when they are in French.

use super::parse::Item;
use frontline_extract::article::{self, Article};

/// Why a page was not kept as an article (counted and reported, never
/// silently dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Written in another language than French.
    Language(String),
    /// The page has no readable text.
    NoText,
    /// The page's metadata is out of bounds (a publication date before
    /// 2011 or in the future, a URL that is not http(s)).
    Invalid(String),
}

impl Skip {
    pub fn reason(&self) -> String {
        match self {
            Skip::Language(name) => format!("not French ({name})"),
            Skip::NoText => "no readable text".into(),
            Skip::Invalid(why) => format!("unreadable page: {why}"),
        }
    }
}

/// The article a page holds: `url` is where it was listed (the item's
/// link, normalised), `source` names the outlet.
pub fn read_page(
    url: &str,
    source: Option<&str>,
    item: &Item,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<Article, Skip> {
    let html = decode(content_type, bytes);
    let page = article::from_html(
        std::path::Path::new(url),
        url,
        &html,
        &article::DateBounds::default(),
    )
    .map_err(|e| Skip::Invalid(e.to_string()))?;
    if page.text.trim().is_empty() {
        return Err(Skip::NoText);
    }
    check_french(&page.text)?;
    Ok(Article {
        id: url.to_string(),
        url: Some(url.to_string()),
        source: source.map(str::to_string),
        title: item.title.clone().or(page.title),
        // The feed's date first; the page's (`article:published_time`,
        // JSON-LD `datePublished`, `<time>`) when the item has none.
        published: item.published.or(page.published),
        text: page.text,
    })
}

/// Keep French; name any other language.
pub fn check_french(text: &str) -> Result<(), Skip> {
    // A few thousand characters decide as well as the whole text.
    let sample: String = text.chars().take(4000).collect();
    match whatlang::detect(&sample) {
        Some(info) if info.lang() == whatlang::Lang::Fra => Ok(()),
        Some(info) => Err(Skip::Language(info.lang().eng_name().to_string())),
        None => Err(Skip::Language("unrecognised language".into())),
    }
}

/// Bytes to text by the charset the answer declares (header, else the
/// page's `<meta>`), UTF-8 when none is declared.
pub fn decode(content_type: Option<&str>, bytes: &[u8]) -> String {
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(bytes));
    let encoding = declared
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// `<meta charset=…>` or `<meta http-equiv… content="…; charset=…">` in
/// the head (the first 2 KB, as browsers look).
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const FRENCH: &str = "Des avions ont bombardé jeudi plusieurs quartiers de la ville, \
        selon des habitants joints par téléphone. Les secours ont dégagé des blessés \
        des décombres pendant toute la nuit, et les écoles sont restées fermées.";
    const ENGLISH: &str = "Aircraft bombed several districts of the city on Thursday, \
        according to residents reached by phone. Rescuers pulled wounded people from \
        the rubble all night long, and schools stayed closed.";

    fn page(body: &str, head: &str) -> String {
        format!("<html><head>{head}</head><body><nav>Accueil Monde</nav><article><p>{body}</p></article></body></html>")
    }

    #[test]
    fn a_french_page_becomes_an_article_dated_by_its_item() {
        let item = Item {
            link: None,
            title: Some("Bombardements".into()),
            published: NaiveDate::from_ymd_opt(2024, 3, 5),
        };
        let html = page(
            FRENCH,
            "<meta property=\"article:published_time\" content=\"2024-03-01\">",
        );
        let a = read_page(
            "https://x.example/a",
            Some("X"),
            &item,
            None,
            html.as_bytes(),
        )
        .unwrap();
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(a.title.as_deref(), Some("Bombardements"));
        assert!(
            a.text.starts_with("Des avions") && !a.text.contains("Accueil"),
            "{}",
            a.text
        );
        assert_eq!(a.source.as_deref(), Some("X"));
    }

    #[test]
    fn without_an_item_date_the_page_dates_the_article() {
        let item = Item::default();
        let html = page(
            FRENCH,
            r#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-02-28T09:00:00+01:00"}</script>"#,
        );
        let a = read_page("https://x.example/a", None, &item, None, html.as_bytes()).unwrap();
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2024, 2, 28));
    }

    #[test]
    fn other_languages_are_skipped_with_their_name() {
        let html = page(ENGLISH, "");
        let skip = read_page(
            "https://x.example/en",
            None,
            &Item::default(),
            None,
            html.as_bytes(),
        )
        .unwrap_err();
        assert_eq!(skip.reason(), "not French (English)");
        let empty = read_page(
            "https://x.example/e",
            None,
            &Item::default(),
            None,
            b"<html></html>",
        )
        .unwrap_err();
        assert_eq!(empty, Skip::NoText);
    }

    #[test]
    fn pages_are_decoded_by_their_declared_charset() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>D\xe9j\xe0 l\xe0</p></body></html>";
        assert!(decode(None, latin1).contains("Déjà là"));
        assert!(decode(Some("text/html; charset=ISO-8859-1"), b"<p>\xe9t\xe9</p>").contains("été"));
        assert!(decode(Some("text/html"), "<p>été</p>".as_bytes()).contains("été"));
    }
}
