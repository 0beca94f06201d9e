//! Web pages and the map's data: the map (`/`), `/embed`, place pages,
//! `/oembed`, the front-end's static files, and the API endpoints the map
//! needs beyond [`crate::api`] (compact event points, areas of control,
//! governorate capitals, admin boundaries). Security headers for every
//! response are set by [`secure`].
//!
//! Handlers are thin: areas come from [`crate::areas`], data from
//! [`crate::store`], pages are askama templates under `frontend/templates`.

mod assets;
mod data;
mod headers;
mod oembed;
mod pages;

pub use data::Boundaries;
pub use headers::secure;

use crate::api::AppState;
use crate::config::Config;
use axum::routing::get;
use axum::{Extension, Router};
use geo::MultiPolygon;
use std::sync::Arc;

/// What the web routes load once at start-up.
pub struct WebState {
    /// Syria's outline (Natural Earth, from world-atlas), to clip areas.
    pub border: Option<MultiPolygon<f64>>,
    pub boundaries: Option<Boundaries>,
}

impl WebState {
    pub fn load(config: &Config) -> WebState {
        let border = data::load_border(&config.assets);
        if let Err(e) = &border {
            tracing::warn!("areas of control are unavailable: {e}");
        }
        WebState {
            border: border.ok(),
            boundaries: config.boundaries.clone(),
        }
    }
}

/// The page routes, the map's data routes and the static files.
pub fn router(config: &Config) -> Router<AppState> {
    let web = Arc::new(WebState::load(config));
    Router::new()
        .route("/", get(pages::map))
        .route("/embed", get(pages::embed))
        .route("/places/{id}", get(pages::place))
        .route("/oembed", get(oembed::handler))
        .route("/api/events/points", get(data::points))
        .route("/api/control/areas", get(data::areas))
        .route("/api/capitals", get(data::capitals_handler))
        .route("/api/boundaries", get(data::boundaries))
        .merge(assets::router(&config.assets))
        .layer(Extension(web))
}
