//! Feeds read into items: RSS 2.0, RSS 1.0, Atom and JSON Feed, through
//! `feed-rs`.

use crate::error::{Error, Result};
use chrono::NaiveDate;

/// What a feed says about itself and its items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
}

/// One item of a feed: the page it points to and what the feed says of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// The article page (absolute), if the item links to one.
    pub link: Option<String>,
    pub title: Option<String>,
    /// The item's publication (else update) date.
    pub published: Option<NaiveDate>,
}

/// Read a feed's bytes; `url` resolves relative links and names the feed
/// in errors.
pub fn parse_feed(url: &str, bytes: &[u8]) -> Result<ParsedFeed> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .build()
        .parse(bytes)
        .map_err(|e| Error::fetch(url, format!("not a readable RSS, Atom or JSON feed: {e}")))?;
    let items = feed
        .entries
        .into_iter()
        .map(|entry| Item {
            link: article_link(&entry.links),
            title: entry
                .title
                .map(|t| t.content.trim().to_string())
                .filter(|t| !t.is_empty()),
            published: entry.published.or(entry.updated).map(|d| d.date_naive()),
        })
        .collect();
    Ok(ParsedFeed {
        title: feed
            .title
            .map(|t| t.content.trim().to_string())
            .filter(|t| !t.is_empty()),
        items,
    })
}

/// The link to the article: the first `alternate` (or unqualified) link,
/// else the first link at all.
fn article_link(links: &[feed_rs::model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Veilleur</title><link>https://veilleur.example/</link>
<item><title>Frappes sur Idleb</title><link>/2024/frappes-idleb</link>
<pubDate>Tue, 05 Mar 2024 08:00:00 +0100</pubDate></item>
<item><title>Sans date</title><link>https://veilleur.example/sans-date</link></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>La Vigie</title><id>urn:vigie</id>
<updated>2024-03-06T10:00:00Z</updated>
<entry><title>Combats près d'Alep</title><id>urn:vigie:1</id>
<link rel="self" href="https://vigie.example/api/1"/>
<link rel="alternate" href="https://vigie.example/combats-alep"/>
<updated>2024-03-06T10:00:00Z</updated></entry></feed>"#;

    const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Le Relais",
"items": [{"id": "1", "url": "https://relais.example/raid-deir", "title": "Raid à Deir ez-Zor",
"date_published": "2024-03-07T06:30:00Z", "content_text": "Un raid."}]}"#;

    #[test]
    fn rss_items_give_absolute_links_titles_and_dates() {
        let f = parse_feed("https://veilleur.example/rss.xml", RSS.as_bytes()).unwrap();
        assert_eq!(f.title.as_deref(), Some("Le Veilleur"));
        assert_eq!(f.items.len(), 2);
        assert_eq!(
            f.items[0].link.as_deref(),
            Some("https://veilleur.example/2024/frappes-idleb")
        );
        assert_eq!(f.items[0].title.as_deref(), Some("Frappes sur Idleb"));
        assert_eq!(f.items[0].published, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(f.items[1].published, None);
    }

    #[test]
    fn atom_items_link_to_their_alternate_page() {
        let f = parse_feed("https://vigie.example/atom", ATOM.as_bytes()).unwrap();
        assert_eq!(
            f.items[0].link.as_deref(),
            Some("https://vigie.example/combats-alep")
        );
        assert_eq!(f.items[0].published, NaiveDate::from_ymd_opt(2024, 3, 6));
    }

    #[test]
    fn json_feed_items_are_read() {
        let f = parse_feed("https://relais.example/feed.json", JSON_FEED.as_bytes()).unwrap();
        assert_eq!(f.title.as_deref(), Some("Le Relais"));
        assert_eq!(
            f.items[0].link.as_deref(),
            Some("https://relais.example/raid-deir")
        );
        assert_eq!(f.items[0].published, NaiveDate::from_ymd_opt(2024, 3, 7));
    }

    #[test]
    fn a_malformed_feed_is_an_error_naming_the_url() {
        let e = parse_feed(
            "https://x.example/feed",
            b"<html><body>Pas un flux</body></html>",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("https://x.example/feed: not a readable"),
            "{e}"
        );
    }
}
