//! Static files: our own `js/` and `css/`, and only the distribution files
//! of the npm packages the pages load (installed by `npm ci` in the assets
//! folder; nothing third-party is kept in the repository).

use super::AppState;
use axum::http::{header, HeaderValue};
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// (URL prefix, folder under the assets folder).
const DIRS: [(&str, &str); 5] = [
    ("/assets/js", "js"),
    ("/assets/css", "css"),
    ("/assets/vendor/leaflet", "node_modules/leaflet/dist"),
    (
        "/assets/vendor/leaflet.markercluster",
        "node_modules/leaflet.markercluster/dist",
    ),
    (
        "/assets/vendor/topojson-client",
        "node_modules/topojson-client/dist",
    ),
];

/// Single files: world-atlas has no dist folder, so only its outlines.
const FILES: [(&str, &str); 2] = [
    (
        "/assets/vendor/world-atlas/countries-50m.json",
        "node_modules/world-atlas/countries-50m.json",
    ),
    (
        "/assets/vendor/world-atlas/countries-110m.json",
        "node_modules/world-atlas/countries-110m.json",
    ),
];

pub fn router(dir: &Path) -> Router<AppState> {
    let mut r = Router::new();
    for (prefix, sub) in DIRS {
        r = r.nest_service(prefix, ServeDir::new(dir.join(sub)));
    }
    for (path, file) in FILES {
        r = r.route_service(path, ServeFile::new(dir.join(file)));
    }
    r.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    ))
}
