// The list of the front end's files, read by `build.rs` (which embeds
// them) and by the crate (which maps URLs to files under `--assets DIR`):
// plain items only, so that both can `include!` it.

/// The front end's files served under `/assets/<version>/`: (path in the
/// URL, path under `frontend/`). A folder is taken whole (every file below
/// it but dotfiles); of the npm packages, only the distribution files the
/// pages load (no sources, no source maps, no other atlas resolutions).
pub const SOURCES: &[(&str, &str)] = &[
    ("js", "js"),
    ("css", "css"),
    (
        "vendor/leaflet/leaflet.js",
        "node_modules/leaflet/dist/leaflet.js",
    ),
    (
        "vendor/leaflet/leaflet.css",
        "node_modules/leaflet/dist/leaflet.css",
    ),
    // The images leaflet.css and Leaflet's default marker refer to (8 KB).
    ("vendor/leaflet/images", "node_modules/leaflet/dist/images"),
    (
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
        "node_modules/leaflet.markercluster/dist/leaflet.markercluster.js",
    ),
    (
        "vendor/leaflet.markercluster/MarkerCluster.css",
        "node_modules/leaflet.markercluster/dist/MarkerCluster.css",
    ),
    (
        "vendor/leaflet.markercluster/MarkerCluster.Default.css",
        "node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css",
    ),
    (
        "vendor/topojson-client/topojson-client.min.js",
        "node_modules/topojson-client/dist/topojson-client.min.js",
    ),
    // The country outlines: the offline basemap draws them, and the server
    // reads Syria's border from them at start-up.
    (
        "vendor/world-atlas/countries-50m.json",
        "node_modules/world-atlas/countries-50m.json",
    ),
];
