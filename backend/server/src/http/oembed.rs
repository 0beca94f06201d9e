//! `GET /oembed?url=…&format=json`: oEmbed (type `rich`) for a link to the
//! map or to `/embed`, so publishing tools can embed a pasted map link.

use super::params::{FromQuery, Params, Query};
use super::{AppState, BaseUrl};
use crate::error::{Error, Result};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

pub const DEFAULT_WIDTH: u32 = 800;
pub const DEFAULT_HEIGHT: u32 = 500;

/// An oEmbed response.
#[derive(Debug, Serialize, PartialEq)]
pub struct OEmbed {
    pub version: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub provider_name: &'static str,
    pub provider_url: String,
    pub title: String,
    pub html: String,
    pub width: u32,
    pub height: u32,
}

/// Escape text for an HTML attribute value.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `<iframe>` code for an embed URL.
pub fn iframe_code(src: &str, width: u32, height: u32, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" title=\"{}\" style=\"border:0\" \
         loading=\"lazy\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>",
        attr(src),
        attr(title)
    )
}

/// The oEmbed answer for `url` on the site at `base` (absolute, no
/// trailing slash), or not found when the URL is not one of its maps.
pub fn oembed_for(
    base: &str,
    url: &str,
    maxwidth: Option<u32>,
    maxheight: Option<u32>,
) -> Result<OEmbed> {
    let not_ours = || Error::NotFound(format!("a map at {url:?}"));
    let rest = url.trim().strip_prefix(base).ok_or_else(not_ours)?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let query = query.split('#').next().unwrap_or("");
    if !matches!(path, "" | "/" | "/embed") {
        return Err(not_ours());
    }
    if query
        .chars()
        .any(|c| c.is_whitespace() || "<>\"'`".contains(c))
    {
        return Err(Error::param(
            "url",
            "the link's query has characters a map link never has",
        ));
    }
    let title = super::pages::labels(super::pages::english(Some(query))).title;
    let width = maxwidth.map_or(DEFAULT_WIDTH, |m| m.min(DEFAULT_WIDTH));
    let height = maxheight.map_or(DEFAULT_HEIGHT, |m| m.min(DEFAULT_HEIGHT));
    let src = if query.is_empty() {
        format!("{base}/embed")
    } else {
        format!("{base}/embed?{query}")
    };
    Ok(OEmbed {
        version: "1.0",
        kind: "rich",
        provider_name: "Frontline",
        provider_url: format!("{base}/"),
        title: title.into(),
        html: iframe_code(&src, width, height, title),
        width,
        height,
    })
}

/// The parameters of `/oembed`, checked in this order: `url` is
/// required, `format` must be `json` (else 501), the sizes are whole
/// numbers from 50 to 10,000.
pub struct OEmbedQuery {
    url: String,
    maxwidth: Option<u32>,
    maxheight: Option<u32>,
}

impl FromQuery for OEmbedQuery {
    const ALLOWED: &'static [&'static str] = &["url", "format", "maxwidth", "maxheight"];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        let url = p
            .get("url")?
            .ok_or_else(|| Error::param("url", "is required"))?;
        if let Some(format) = p.get("format")? {
            if format != "json" {
                return Err(Error::NotImplemented(format!(
                    "format {format:?} is not offered; use format=json"
                )));
            }
        }
        let size = |name| -> Result<Option<u32>> {
            Ok(p.integer(name, 50, 10_000)?
                .and_then(|n| u32::try_from(n).ok()))
        };
        Ok(OEmbedQuery {
            url: url.to_string(),
            maxwidth: size("maxwidth")?,
            maxheight: size("maxheight")?,
        })
    }
}

/// `GET /oembed?url=…`: the oEmbed document for a link to one of our maps.
pub async fn handler(BaseUrl(base): BaseUrl, Query(q): Query<OEmbedQuery>) -> Result<Response> {
    let answer = oembed_for(&base, &q.url, q.maxwidth, q.maxheight)?;
    Ok(Json(answer).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_link_gets_rich_iframe_code() {
        let o = oembed_for(
            "https://maps.example.org",
            "https://maps.example.org/?lat=36.2&lng=37.1&z=9&from=2016-11-01",
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            (o.version, o.kind, o.width, o.height),
            ("1.0", "rich", 800, 500)
        );
        assert!(o
            .html
            .starts_with("<iframe src=\"https://maps.example.org/embed?lat=36.2&amp;lng=37.1&amp;z=9&amp;from=2016-11-01\""));
        for part in [
            "loading=\"lazy\"",
            "allowfullscreen",
            "title=\"Frontline",
            "width=\"800\"",
        ] {
            assert!(o.html.contains(part), "{part} in {}", o.html);
        }
        assert!(!o.html.contains("src=\"//"));
    }

    #[test]
    fn sizes_respect_the_maximum_and_english_links_get_an_english_title() {
        let o = oembed_for(
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/embed?lang=en",
            Some(400),
            Some(900),
        )
        .unwrap();
        assert_eq!((o.width, o.height), (400, 500));
        assert_eq!(o.title, "Frontline — map of events in Syria");
    }

    #[test]
    fn other_sites_and_pages_are_not_found() {
        for url in [
            "https://evil.example.org/?lat=1",
            "https://maps.example.org.evil.org/",
            "https://maps.example.org/api/events",
            "https://maps.example.org/places/x",
        ] {
            assert!(
                matches!(
                    oembed_for("https://maps.example.org", url, None, None),
                    Err(Error::NotFound(_))
                ),
                "{url}"
            );
        }
        assert!(oembed_for(
            "https://maps.example.org",
            "https://maps.example.org/?q=\"><script>",
            None,
            None
        )
        .is_err());
    }

    #[test]
    fn iframe_attributes_are_escaped() {
        let code = iframe_code("https://x.org/embed?a=1&b=\"2\"", 10, 20, "<t>");
        assert!(code.contains("src=\"https://x.org/embed?a=1&amp;b=&quot;2&quot;\""));
        assert!(code.contains("title=\"&lt;t&gt;\""));
    }
}
