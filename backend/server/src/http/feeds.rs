//! `GET /api/feeds` (behind the bearer token): the followed feeds and what
//! their last poll found. Feed URLs may be private, hence the token.

use super::auth::Authorized;
use super::AppState;
use crate::error::Result;
use axum::extract::State;
use axum::Json;

pub async fn list(State(state): State<AppState>, _: Authorized) -> Result<Json<serde_json::Value>> {
    let rows = state.store.feeds().await?;
    let feeds: Vec<_> = rows.iter().map(crate::feeds::status).collect();
    Ok(Json(serde_json::json!({ "feeds": feeds })))
}
