//! `/api/v1/inbox`: each user's notifications (the outbox rows addressed to them).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::api::vouchers::{self as api, Notification};

use crate::auth::Authenticated;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::startup::AppState;

/// The most notifications one page shows.
const INBOX_PAGE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new().route(api::INBOX, get(inbox)).route(api::INBOX_READ_ROUTE, post(mark_read))
}

async fn inbox(State(state): State<AppState>, caller: Authenticated) -> Result<Json<Vec<Notification>>, ApiError> {
    Ok(Json(state.store.inbox(caller.user.id, INBOX_PAGE).await?))
}

async fn mark_read(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(notification_id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    if state.store.mark_read(caller.user.id, notification_id, wall_time()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}
