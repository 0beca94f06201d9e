//! Web pages: the map (`/`), place pages, `/embed`, `/oembed` and static
//! files. They are built on the API by the front-end work; `router()` is
//! merged into the app next to [`crate::api::router`], and the settings
//! they need (tile URL and attribution, public base URL, iframe origins)
//! are already in [`crate::config::Config`].

use crate::api::AppState;
use axum::Router;

/// The page routes (none yet).
pub fn router() -> Router<AppState> {
    Router::new()
}
