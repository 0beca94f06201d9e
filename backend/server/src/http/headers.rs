//! Security headers on every response: a Content-Security-Policy
//! everywhere; `/embed` may be framed by the configured origins (default
//! any), every other response says `frame-ancestors 'none'`.

use crate::config::Config;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::sync::Arc;

/// The policies, built once from the configuration.
#[derive(Debug, Clone)]
pub struct Policies {
    page: HeaderValue,
    embed: HeaderValue,
    other: HeaderValue,
}

/// The scheme and host a tile URL template loads from, as a CSP source
/// (`https://*.tile.example.org` for a `{s}` subdomain); `None` for a
/// same-site path.
pub fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.replace("{s}.", "*.").replace("{s}", "*");
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:*[]".contains(c));
    ok.then(|| format!("{scheme}://{host}"))
}

/// The `frame-ancestors` sources for `/embed`: `*` when any origin may
/// frame it, else the listed origins (invalid entries dropped).
pub fn frame_ancestors(origins: &[String]) -> String {
    let listed: Vec<&str> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .collect();
    if listed.is_empty() || listed.contains(&"*") {
        return "*".into();
    }
    let valid: Vec<&str> = listed
        .into_iter()
        .filter(|o| {
            (o.starts_with("https://") || o.starts_with("http://"))
                && o.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:/*[]".contains(c))
        })
        .collect();
    if valid.is_empty() {
        "'none'".into()
    } else {
        valid.join(" ")
    }
}

impl Policies {
    pub fn new(config: &Config) -> Policies {
        let tiles = tile_origin(&config.tile_url)
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        let page = |ancestors: &str| {
            format!(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; \
                 connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors {ancestors}"
            )
        };
        let value = |s: String| {
            HeaderValue::from_str(&s)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
        };
        Policies {
            page: value(page("'none'")),
            embed: value(page(&frame_ancestors(&config.frame_origins))),
            other: HeaderValue::from_static(
                "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
            ),
        }
    }

    /// The policy for a response: pages (HTML) may load our scripts.
    pub fn for_response(&self, path: &str, html: bool) -> &HeaderValue {
        if path == "/embed" {
            &self.embed
        } else if html {
            &self.page
        } else {
            &self.other
        }
    }
}

async fn set_headers(State(p): State<Arc<Policies>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        p.for_response(&path, html).clone(),
    );
    if path != "/embed" {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    res
}

/// Wrap a router so that every response carries the security headers.
pub fn secure<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &Config) -> Router<S> {
    router.layer(middleware::from_fn_with_state(
        Arc::new(Policies::new(config)),
        set_headers,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_origins_become_csp_sources() {
        assert_eq!(
            tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.org")
        );
        assert_eq!(
            tile_origin("http://127.0.0.1:9/{z}/{x}/{y}.png").as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(tile_origin("/tiles/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_origin("javascript://x"), None);
        assert_eq!(tile_origin("https://evil.org; script-src *"), None);
    }

    #[test]
    fn embed_ancestors_follow_the_configuration() {
        assert_eq!(frame_ancestors(&["*".into()]), "*");
        assert_eq!(frame_ancestors(&[]), "*");
        assert_eq!(
            frame_ancestors(&[
                "https://news.example.org/".into(),
                "http://localhost:8081".into()
            ]),
            "https://news.example.org http://localhost:8081"
        );
        assert_eq!(
            frame_ancestors(&["https://a.org; script-src *".into()]),
            "'none'"
        );
    }

    #[test]
    fn only_embed_may_be_framed() {
        let config = Config {
            frame_origins: vec!["https://news.example.org".into()],
            ..Config::default()
        };
        let p = Policies::new(&config);
        let page = p.for_response("/", true).to_str().unwrap();
        assert!(page.contains("frame-ancestors 'none'"), "{page}");
        assert!(
            page.contains("img-src 'self' data: https://tile.openstreetmap.org"),
            "{page}"
        );
        assert!(!page.contains("unsafe"), "{page}");
        let embed = p.for_response("/embed", true).to_str().unwrap();
        assert!(
            embed.ends_with("frame-ancestors https://news.example.org"),
            "{embed}"
        );
        let api = p.for_response("/api/events", false).to_str().unwrap();
        assert!(api.starts_with("default-src 'none'") && api.contains("frame-ancestors 'none'"));
        assert!(p
            .for_response("/places/x", true)
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
    }
}
