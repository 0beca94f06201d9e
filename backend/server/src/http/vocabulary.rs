//! `GET /api/vocabulary`: the event types, subtypes and canonical actors
//! with their labels (French and English, singular and plural), colours
//! and icon keys, as [`Vocabulary::builtin`] reads them from
//! `backend/extract/data/vocabulary/`. The pages take every such label and
//! colour from here, so the front end lists none of them.
//!
//! The document only changes with the binary: it is serialised once, may
//! be cached for an hour, and carries an ETag (a hash of the body) that
//! answers a matching `If-None-Match` with 304.

use crate::error::{Error, Result};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use frontline_extract::Vocabulary;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const CACHE_CONTROL: &str = "public, max-age=3600";

/// The serialised vocabulary and its entity tag.
struct Document {
    body: Bytes,
    etag: HeaderValue,
}

impl Document {
    fn new(vocabulary: &Vocabulary) -> std::result::Result<Document, String> {
        let body = serde_json::to_vec(vocabulary).map_err(|e| e.to_string())?;
        let digest = Sha256::digest(&body);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let etag = HeaderValue::from_str(&format!("\"{hex}\"")).map_err(|e| e.to_string())?;
        Ok(Document {
            body: Bytes::from(body),
            etag,
        })
    }
}

/// The built-in vocabulary's document, built on first use.
fn document() -> Result<&'static Document> {
    static DOCUMENT: OnceLock<std::result::Result<Document, String>> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| Document::new(Vocabulary::builtin()))
        .as_ref()
        .map_err(|e| Error::Internal(format!("serialising the vocabulary: {e}")))
}

/// Whether the `If-None-Match` headers name this entity tag (weak
/// comparison, as RFC 9110 asks for `If-None-Match`; `*` matches).
fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// `GET /api/vocabulary`.
pub async fn handler(headers: HeaderMap) -> Result<Response> {
    let doc = document()?;
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ),
        (header::ETAG, doc.etag.clone()),
    ];
    if not_modified(&headers, &doc.etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    Ok((cache, json, doc.body.clone()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_none_match(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_document_is_the_vocabulary_with_a_stable_tag() {
        let doc = document().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&doc.body).unwrap();
        assert_eq!(
            v["types"].as_array().unwrap().len(),
            Vocabulary::builtin().types.len()
        );
        let again = Document::new(Vocabulary::builtin()).unwrap();
        assert_eq!(again.etag, doc.etag);
        let tag = doc.etag.to_str().unwrap();
        assert!(tag.len() == 34 && tag.starts_with('"') && tag.ends_with('"'));
    }

    #[test]
    fn if_none_match_compares_tags_weakly() {
        let etag = HeaderValue::from_static("\"abc\"");
        assert!(not_modified(&if_none_match(&["\"abc\""]), &etag));
        assert!(not_modified(&if_none_match(&["W/\"abc\""]), &etag));
        assert!(not_modified(&if_none_match(&["\"x\", \"abc\""]), &etag));
        assert!(not_modified(&if_none_match(&["\"x\"", "\"abc\""]), &etag));
        assert!(not_modified(&if_none_match(&["*"]), &etag));
        assert!(!not_modified(&if_none_match(&[]), &etag));
        assert!(!not_modified(&if_none_match(&["\"abcd\""]), &etag));
        assert!(!not_modified(&if_none_match(&["abc"]), &etag));
    }
}
