//! HTTP caching: ETags and `If-None-Match` (304 Not Modified), and the
//! `Cache-Control` policies of the answers that may be cached.
//!
//! - Embedded static files: `immutable` for a year (their URLs change with
//!   their contents), with the ETag computed at build time.
//! - Answers fixed while the server runs (the capitals, the boundaries,
//!   the OGC landing page, conformance and API definition): an hour, then
//!   revalidated by ETag.
//! - Answers that change with ingest but are small (the OGC collections,
//!   whose temporal extent follows the events): `no-cache`, always
//!   revalidated by ETag.
//!
//! The ETag of an API answer is a hash of its body, so it is right
//! whoever wrote to the database; it saves the transfer, not the work.
//! Event lists (`/api/events`, `/api/events/points`, the CSV, OGC items,
//! control and areas) carry no validator: a cheap one needs a data version
//! from the store.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use sha2::{Digest, Sha256};

/// Embedded static files under versioned URLs.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Answers that only change when the server restarts.
pub const FIXED: &str = "public, max-age=3600";
/// Answers that may change at any time: revalidate every time.
pub const REVALIDATE: &str = "no-cache";

/// Largest body hashed for an ETag; larger ones go out without one.
const MAX_HASHED: usize = 64 << 20;

/// A strong ETag for `bytes`: the first 128 bits of their SHA-256, quoted.
pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(34);
    s.push('"');
    for b in &digest[..16] {
        s.push_str(&format!("{b:02x}"));
    }
    s.push('"');
    s
}

/// Whether the request's `If-None-Match` names `etag` (or is `*`); weak
/// and strong forms compare equal, as RFC 9110 asks for this header.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let want = bare(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == want)
}

/// The 304 answer: no body, the validator and the caching policy.
pub fn not_modified_response(etag: HeaderValue, cache_control: HeaderValue) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    let h = res.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, cache_control);
    res
}

/// Middleware: a successful answer gets `Cache-Control: policy` and the
/// ETag of its body, and becomes a 304 when the client holds that body.
async fn revalidate(State(policy): State<HeaderValue>, req: Request, next: Next) -> Response {
    let conditions = req.headers().clone();
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_HASHED).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!("reading an answer to hash it: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let etag = HeaderValue::from_str(&etag_of(&bytes)).expect("hex is a valid header value");
    if not_modified(&conditions, etag.to_str().unwrap_or_default()) {
        return not_modified_response(etag, policy);
    }
    parts.headers.insert(header::ETAG, etag);
    parts.headers.insert(header::CACHE_CONTROL, policy);
    Response::from_parts(parts, Body::from(bytes))
}

/// Give every route of `router` (added before this call) the ETag and
/// `Cache-Control: policy` of [`revalidate`].
pub fn revalidated<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    policy: &'static str,
) -> Router<S> {
    router.route_layer(middleware::from_fn_with_state(
        HeaderValue::from_static(policy),
        revalidate,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tower::ServiceExt;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let tag = "\"abc\"";
        assert!(not_modified(&headers(&[("if-none-match", "\"abc\"")]), tag));
        assert!(not_modified(
            &headers(&[("if-none-match", "\"x\", W/\"abc\"")]),
            tag
        ));
        assert!(not_modified(&headers(&[("if-none-match", "*")]), tag));
        assert!(!not_modified(
            &headers(&[("if-none-match", "\"abd\"")]),
            tag
        ));
        assert!(!not_modified(&headers(&[]), tag));
        assert_eq!(etag_of(b"x").len(), 34);
        assert_ne!(etag_of(b"x"), etag_of(b"y"));
    }

    #[tokio::test]
    async fn answers_get_an_etag_and_304_when_unchanged() {
        let app = revalidated(
            Router::new()
                .route("/doc", get(|| async { "the document" }))
                .route("/gone", get(|| async { StatusCode::NOT_FOUND })),
            FIXED,
        );
        let get = |path: &str, inm: Option<&str>| {
            let mut req = Request::builder().uri(path);
            if let Some(v) = inm {
                req = req.header("if-none-match", v);
            }
            app.clone().oneshot(req.body(Body::empty()).unwrap())
        };
        let first = get("/doc", None).await.unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()["cache-control"], FIXED);
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(etag, etag_of(b"the document"));
        let again = get("/doc", Some(&etag)).await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert_eq!(again.headers()["cache-control"], FIXED);
        let body = axum::body::to_bytes(again.into_body(), 10).await.unwrap();
        assert!(body.is_empty());
        let other = get("/doc", Some("\"stale\"")).await.unwrap();
        assert_eq!(other.status(), StatusCode::OK);
        // Errors are never cached.
        let gone = get("/gone", None).await.unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
        assert!(gone.headers().get("etag").is_none());
        assert!(gone.headers().get("cache-control").is_none());
    }
}
