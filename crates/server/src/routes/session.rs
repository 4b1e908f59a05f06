//! `/api/v1/session`: sign in (a new session every time), who am I, sign out.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::account::AccountError;
use planning_domain::api::{self, Session, SignIn};
use planning_domain::ErrorCode;

use crate::auth::{self, Authenticated};
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(api::SESSION, get(current_session).post(sign_in).delete(sign_out))
}

#[tracing::instrument(skip_all, fields(client = %address.ip()))]
async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    AppJson(body): AppJson<SignIn>,
) -> Result<Response, ApiError> {
    let now = Instant::now();
    let email = body.email.trim().to_lowercase();
    let delay = match state.sign_in_limiter.check(&email, address.ip(), now) {
        Ok(delay) => delay,
        Err(wait) => {
            tracing::warn!("sign-in refused by the rate limit");
            return Err(ApiError::RateLimited(wait));
        }
    };
    if !delay.is_zero() {
        // The account has many recent failures (from any address): slowed, never refused.
        tracing::info!(?delay, "sign-in slowed down for the account");
        tokio::time::sleep(delay).await;
    }
    let account = state.store.credentials(&email).await?;
    let user_id = account.as_ref().map(|(id, _)| *id);
    let verified = auth::verify_password(account.map(|(_, hash)| hash), body.password).await;
    let Some(user_id) = user_id.filter(|_| verified) else {
        state.sign_in_limiter.record_failure(&email, address.ip(), now);
        tracing::info!("sign-in failed");
        return Err(ApiError::rule(ErrorCode::Unauthenticated, AccountError::InvalidCredentials));
    };
    state.sign_in_limiter.record_success(&email, address.ip());
    // Whatever session the browser had before is ended: a new id at every sign-in.
    auth::end_session_from_headers(&state, &headers).await?;
    let (token, csrf_token) = auth::create_session(state.store.as_ref(), user_id).await?;
    let user = state.store.current_user(user_id).await?;
    tracing::info!(user_id, "signed in");
    let session = Session { user, csrf_token };
    Ok(([(header::SET_COOKIE, state.cookies.set(&token))], Json(session)).into_response())
}

async fn current_session(caller: Authenticated) -> Json<Session> {
    Json(Session { user: caller.user.clone(), csrf_token: caller.csrf_token.clone() })
}

async fn sign_out(State(state): State<AppState>, caller: Authenticated) -> Result<Response, ApiError> {
    caller.sign_out(&state).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, state.cookies.clear())]).into_response())
}
