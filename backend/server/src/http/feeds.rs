//! `GET /api/feeds` (an admin): the followed feeds and what their last
//! poll found. Feed URLs may be private, and managing feeds is the
//! admins' work.

use super::auth::Admin;
use super::AppState;
use crate::error::Result;
use axum::extract::State;
use axum::Json;

pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> Result<Json<serde_json::Value>> {
    let rows = state.store.feeds().await?;
    let feeds: Vec<_> = rows.iter().map(crate::feeds::status).collect();
    Ok(Json(serde_json::json!({ "feeds": feeds })))
}
