//! `/api/v1/session`: sign in (a new session every time), the second step of a two-step
//! sign-in, who am I, sign out.
//!
//! With a confirmed authenticator the password alone starts no session: the answer is 401
//! `second_factor_required` with a short-lived cookie (its token's hash stored, five minutes,
//! five wrong codes), and `POST /api/v1/session/second-factor` with a code from the app or an
//! unused recovery code turns it into a session. Wrong codes count as failed sign-ins of the
//! account in the sign-in rate limiter.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::account::{self, AccountError, SecondFactorCode};
use planning_domain::api::account::{SecondFactor, SESSION_SECOND_FACTOR};
use planning_domain::api::{self, Session, SignIn};
use planning_domain::{ErrorBody, ErrorCode, FieldErrors};

use crate::auth::{self, Enrolling};
use crate::error::{error_response, ApiError};
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::accounts::TotpFactor;
use crate::totp;

/// Wrong codes one pending sign-in may take before the password must be entered again.
pub const MAX_CODE_FAILURES: u32 = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::SESSION, get(current_session).post(sign_in).delete(sign_out))
        .route(SESSION_SECOND_FACTOR, post(second_factor))
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
    let user = state.store.current_user(user_id).await?;
    if !state.store.local_passwords_allowed(user.organization.id).await? {
        // Told only to whoever knows the password: the policy reveals nothing to a guesser.
        tracing::info!(user_id, "password sign-in refused: the organization signs in through its provider");
        return Err(ApiError::rule(ErrorCode::Forbidden, AccountError::LocalPasswordsTurnedOff));
    }
    match begin_session(&state, &headers, user).await? {
        SignedIn::SecondStep(token) => {
            // The rate limiter learns how the sign-in ends at the second step.
            let mut response = error_response(ErrorBody::new(ErrorCode::SecondFactorRequired));
            response.headers_mut().append(header::SET_COOKIE, state.cookies.set_challenge(&token));
            Ok(response)
        }
        SignedIn::Session(token, session) => {
            state.sign_in_limiter.record_success(&email, address.ip());
            Ok(([(header::SET_COOKIE, state.cookies.set(&token))], Json(session)).into_response())
        }
    }
}

/// Where a sign-in goes once the user is known (by password or single sign-on).
pub(super) enum SignedIn {
    /// The user has a confirmed authenticator: the token of the second step's cookie.
    SecondStep(String),
    /// A new session: its cookie token and the session.
    Session(String, Session),
}

/// Ends whatever session the browser had, then starts the second step (a confirmed
/// authenticator) or a new session, which may only enrol when the deployment requires a second
/// factor the user has not set up. The same for every way of signing in.
pub(super) async fn begin_session(
    state: &AppState,
    headers: &HeaderMap,
    user: planning_domain::api::CurrentUser,
) -> Result<SignedIn, ApiError> {
    let user_id = user.id;
    // Whatever session the browser had before is ended: a new id at every sign-in.
    auth::end_session_from_headers(state, headers).await?;
    let factor = state.store.totp_factor(user_id).await?;
    if factor.is_some_and(|factor| factor.confirmed) {
        let token = auth::random_token();
        let expires_at = state.wall_clock.now() + auth::CHALLENGE_LIFETIME;
        state.store.insert_sign_in_challenge(&auth::token_hash(&token), user_id, expires_at).await?;
        tracing::info!(user_id, "first step accepted; waiting for the second step");
        return Ok(SignedIn::SecondStep(token));
    }
    let must_enrol = account::second_factor_required(user.role, state.require_second_factor);
    let (token, csrf_token) = auth::create_session(state.store.as_ref(), user_id, must_enrol).await?;
    tracing::info!(user_id, must_enrol, "signed in");
    Ok(SignedIn::Session(token, Session { user, csrf_token, must_enrol_totp: must_enrol, totp_enabled: false }))
}

#[tracing::instrument(skip_all, fields(client = %address.ip()))]
async fn second_factor(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    AppJson(body): AppJson<SecondFactor>,
) -> Result<Response, ApiError> {
    let expired = || ApiError::rule(ErrorCode::Unauthenticated, AccountError::SignInExpired);
    let token = auth::challenge_from_headers(&state, &headers).ok_or_else(expired)?;
    let challenge = auth::token_hash(&token);
    let user_id = state
        .store
        .sign_in_challenge(&challenge, state.wall_clock.now(), MAX_CODE_FAILURES)
        .await?
        .ok_or_else(expired)?;
    let mut fields = FieldErrors::default();
    let Some(code) = fields.check("code", SecondFactorCode::parse(&body.code)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let user = state.store.current_user(user_id).await?;
    let now = Instant::now();
    if let Err(wait) = state.sign_in_limiter.check(&user.email, address.ip(), now) {
        tracing::warn!("second step refused by the rate limit");
        return Err(ApiError::RateLimited(wait));
    }
    let factor = state.store.totp_factor(user_id).await?;
    if !second_factor_accepted(&state, user_id, factor.as_ref(), &code).await? {
        state.store.record_challenge_failure(&challenge).await?;
        state.sign_in_limiter.record_failure(&user.email, address.ip(), now);
        tracing::info!(user_id, "second step failed");
        return Err(ApiError::fields(vec![planning_domain::FieldError::new(
            "code",
            AccountError::SecondFactorCodeIncorrect.into(),
        )]));
    }
    state.store.delete_sign_in_challenge(&challenge).await?;
    state.sign_in_limiter.record_success(&user.email, address.ip());
    auth::end_session_from_headers(&state, &headers).await?;
    let (token, csrf_token) = auth::create_session(state.store.as_ref(), user_id, false).await?;
    let recovery = matches!(code, SecondFactorCode::Recovery(_));
    tracing::info!(user_id, recovery, "signed in with a second factor");
    let mut response = Json(Session { user, csrf_token, must_enrol_totp: false, totp_enabled: true }).into_response();
    response.headers_mut().append(header::SET_COOKIE, state.cookies.set(&token));
    response.headers_mut().append(header::SET_COOKIE, state.cookies.clear_challenge());
    Ok(response)
}

async fn current_session(Enrolling(caller): Enrolling) -> Json<Session> {
    Json(Session {
        user: caller.user.clone(),
        csrf_token: caller.csrf_token.clone(),
        must_enrol_totp: caller.must_enrol,
        totp_enabled: caller.totp_enabled,
    })
}

async fn sign_out(State(state): State<AppState>, Enrolling(caller): Enrolling) -> Result<Response, ApiError> {
    caller.sign_out(&state).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, state.cookies.clear())]).into_response())
}

/// Whether `code` is the user's, whose authenticator is `factor` (as the caller read it): a
/// code of the confirmed authenticator's current step (or one either side), accepted once, or an
/// unused recovery code, used up; nothing without a confirmed authenticator. The second step of
/// a sign-in and the account's changes to its second factor (`routes/account.rs`) check it alike.
pub(crate) async fn second_factor_accepted(
    state: &AppState,
    user_id: i64,
    factor: Option<&TotpFactor>,
    code: &SecondFactorCode,
) -> Result<bool, ApiError> {
    let Some(factor) = factor.filter(|factor| factor.confirmed) else { return Ok(false) };
    Ok(match code {
        SecondFactorCode::Totp(code) => match totp::matching_step(&factor.secret, code, state.wall_clock.now()) {
            // Accepted once: the store refuses the step of the last code, or an earlier one.
            Some(step) => state.store.use_totp_step(user_id, step).await?,
            None => false,
        },
        SecondFactorCode::Recovery(code) => {
            state.store.use_recovery_code(user_id, &auth::token_hash(code), state.wall_clock.now()).await?
        }
    })
}
