//! `GET /api/v1/program`: the program timeline as seen on the server's program date.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::api::{self, Program};

use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(api::PROGRAM, get(program))
}

async fn program(State(state): State<AppState>) -> Json<Program> {
    let today = state.clock.today();
    Json(Program {
        date_pinned: state.clock.is_pinned(),
        status: state.timeline.status_on(today),
        eligibility: state.timeline.eligibility,
        daily_rates: state.timeline.daily_rates.clone(),
    })
}
