//! The front end's static files (see [`crate::frontend`]).
//!
//! By default they are the files embedded in the binary, served under
//! `/assets/<version>/…`, `<version>` being a hash of all of them: their
//! URLs change whenever one file changes, so they are cached for a year
//! (`immutable`), with an ETag each. The pages name them through
//! [`prefix`]; our ES modules import each other by relative paths, so they
//! resolve under the same prefix. A request for another version is not
//! found (that page is out of date).
//!
//! With `--assets DIR` they are read from that folder on each request,
//! under `/assets/dev/…`, and revalidated every time (`no-cache`, with
//! `Last-Modified`): edit a module, reload the page.

use super::cache::{self, IMMUTABLE};
use crate::config::Config;
use crate::error::Error;
use crate::frontend;
use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use std::sync::LazyLock;
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// The URL prefix of the files served from `--assets DIR`.
const DEV_PREFIX: &str = "/assets/dev";

static EMBEDDED_PREFIX: LazyLock<String> =
    LazyLock::new(|| format!("/assets/{}", frontend::VERSION));

/// Where the pages find the front end's files: `/assets/<version>`, or
/// `/assets/dev` with `--assets`. No trailing slash.
pub fn prefix(config: &Config) -> &'static str {
    if config.assets.is_some() {
        DEV_PREFIX
    } else {
        EMBEDDED_PREFIX.as_str()
    }
}

/// The asset routes (they read no state).
pub fn router<S: Clone + Send + Sync + 'static>(config: &Config) -> Router<S> {
    match config.assets.clone() {
        None => Router::new().route("/assets/{version}/{*path}", get(embedded)),
        Some(dir) => Router::new().route(
            "/assets/dev/{*path}",
            get(move |Path(path): Path<String>, req: Request| from_disk(dir.clone(), path, req)),
        ),
    }
}

/// `GET /assets/<version>/<path>`: an embedded file.
async fn embedded(Path((version, path)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let file = match frontend::embedded(&path) {
        Some(f) if version == frontend::VERSION => f,
        _ => return Error::NotFound(format!("/assets/{version}/{path}")).into_response(),
    };
    let etag = HeaderValue::from_static(file.etag);
    let policy = HeaderValue::from_static(IMMUTABLE);
    if cache::not_modified(&headers, file.etag) {
        return cache::not_modified_response(etag, policy);
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(frontend::content_type(file.path)),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, policy),
        ],
        Body::from(file.bytes),
    )
        .into_response()
}

/// `GET /assets/dev/<path>`: a file of the `--assets` folder, if
/// [`frontend::SOURCES`] lists it.
async fn from_disk(dir: PathBuf, path: String, req: Request) -> Response {
    let Some(file) = frontend::disk_path(&dir, &path) else {
        return Error::NotFound(format!("{DEV_PREFIX}/{path}")).into_response();
    };
    let mut res = match ServeFile::new(&file).oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    if res.status() == StatusCode::NOT_FOUND {
        return Error::NotFound(format!("{DEV_PREFIX}/{path} ({})", file.display()))
            .into_response();
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    async fn get(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = Request::builder().uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        app.clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn app(config: &Config) -> Router {
        router::<()>(config)
    }

    #[tokio::test]
    async fn embedded_files_are_immutable_under_their_version() {
        let config = Config::default();
        let app = app(&config);
        let base = prefix(&config);
        assert_eq!(base, format!("/assets/{}", frontend::VERSION));
        let res = get(&app, &format!("{base}/js/app.js"), &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers().clone();
        assert_eq!(h["cache-control"], IMMUTABLE);
        assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
        let etag = h["etag"].to_str().unwrap().to_string();
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&body[..], frontend::embedded("js/app.js").unwrap().bytes);
        assert_eq!(etag, cache::etag_of(&body));

        let res = get(
            &app,
            &format!("{base}/js/app.js"),
            &[("if-none-match", &etag)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(res.headers()["etag"], etag.as_str());

        let atlas = get(&app, &format!("{base}/{}", frontend::ATLAS), &[]).await;
        assert_eq!(atlas.headers()["content-type"], "application/json");
        for missing in [
            "/assets/0123456789abcdef/js/app.js".to_string(),
            format!("{base}/js/nothing.js"),
            format!("{base}/vendor/leaflet/leaflet.js.map"),
            "/assets/js/app.js".to_string(),
            "/assets/dev/js/app.js".to_string(),
        ] {
            assert_eq!(get(&app, &missing, &[]).await.status(), 404, "{missing}");
        }
    }

    #[tokio::test]
    async fn an_assets_folder_is_served_from_disk_and_revalidated() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("js")).unwrap();
        std::fs::write(dir.path().join("js/app.js"), "export const x = 1;\n").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let config = Config {
            assets: Some(dir.path().to_path_buf()),
            ..Config::default()
        };
        let app = app(&config);
        assert_eq!(prefix(&config), "/assets/dev");
        let res = get(&app, "/assets/dev/js/app.js", &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["cache-control"], "no-cache");
        assert!(res.headers().contains_key("last-modified"));
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&body[..], b"export const x = 1;\n");
        for missing in [
            "/assets/dev/secret.txt",
            "/assets/dev/js/../secret.txt",
            "/assets/dev/js/%2e%2e/secret.txt",
            "/assets/dev/js/other.js",
            "/assets/dev/vendor/leaflet/leaflet.js",
            &format!("/assets/{}/js/app.js", frontend::VERSION),
        ] {
            assert_eq!(get(&app, missing, &[]).await.status(), 404, "{missing}");
        }
    }
}
