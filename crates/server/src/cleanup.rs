//! Deletes the sign-in rows nobody can use any more: sessions past their absolute or idle
//! timeout that were abandoned rather than signed out, second-step challenges, reset links and
//! single sign-ons past their expiry. Each of them is already refused when it is presented (the
//! checks are in `auth.rs`, `routes/session.rs`, `routes/account.rs` and `routes/oidc.rs`); this
//! job only keeps the tables to what is still alive, so they do not grow with every sign-in.

use std::time::Duration;

use crate::auth::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT};
use crate::clock::wall_time;
use crate::startup::AppState;
use crate::store::accounts::ExpiryCutoffs;

/// How often the job runs unless the settings say otherwise (tests shorten it).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// A row is deleted a minute after it stopped being usable, so that the job never races a
/// check made at the boundary (and the stored times' text formats never matter at the second).
const GRACE: chrono::Duration = chrono::Duration::minutes(1);

/// One pass; returns how many rows went.
pub async fn delete_expired_sign_in_rows(state: &AppState) -> anyhow::Result<u64> {
    // Each table by the clock its times are written with: sessions and single sign-ons by the
    // system's, second steps and reset links by the one their codes are checked against.
    let (system, codes) = (wall_time(), state.wall_clock.now());
    let cutoffs = ExpiryCutoffs {
        session_idle_before: system - IDLE_TIMEOUT - GRACE,
        session_created_before: system - ABSOLUTE_TIMEOUT - GRACE,
        single_sign_on_before: system - GRACE,
        code_expired_before: codes - GRACE,
    };
    Ok(state.store.delete_expired_sign_in_rows(&cutoffs).await?)
}

/// Runs the job at start and then every `interval`, for the life of the process.
pub fn spawn(state: AppState, interval: Duration) {
    tokio::spawn(async move {
        loop {
            match delete_expired_sign_in_rows(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "expired sign-in rows deleted"),
                Err(error) => tracing::error!(error = format!("{error:#}"), "sign-in cleanup failed"),
            }
            tokio::time::sleep(interval).await;
        }
    });
}
