//! The caller's own account: password change, password reset by emailed link, and two-step
//! sign-in (TOTP) enrolment.
//!
//! - `PUT /api/v1/account/password`: the current password is required (a wrong one counts as a
//!   failed sign-in of the account from this address); the new one meets the domain's policy;
//!   every other session of the user ends, this one stays.
//! - `POST /api/v1/password-resets`: always 202 for a well-formed address, whether or not it is
//!   an account's; an account's gets a reset request and a notification, which the mail job
//!   emails with a fresh single-use link (its token only in the email, its hash stored). Limited
//!   per address and per account from one address (`SignInLimiter::password_resets`).
//! - `POST /api/v1/password-resets/completion`: the link's token and a new password; the link
//!   works once, for 30 minutes, and using it ends every session of the account.
//! - `GET /api/v1/account/totp`, `POST /api/v1/account/totp/enrolment` (a new secret and its QR
//!   code), `POST /api/v1/account/totp` (confirm with a code; the recovery codes, shown once).
//! - `POST /api/v1/account/totp/removal` and `POST /api/v1/account/totp/recovery-codes`: with a
//!   current code from the app or an unused recovery code (checked as the sign-in's second step
//!   checks it, and rate limited alike), turn two-step sign-in off (not for a role the deployment
//!   requires it of) or replace the recovery codes; either is notified to the user.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::Duration;
use planning_domain::account::{
    self, format_recovery_code, AccountError, Password, SecondFactorCode, RESET_LINK_MINUTES,
};
use planning_domain::api::account::{
    ChangePassword, CompletePasswordReset, RecoveryCodes, RequestPasswordReset, SecondFactor, TotpEnrolment,
    TotpStatus, ACCOUNT_PASSWORD, ACCOUNT_RECOVERY_CODES, ACCOUNT_TOTP, ACCOUNT_TOTP_ENROLMENT, ACCOUNT_TOTP_REMOVAL,
    PASSWORD_RESETS, PASSWORD_RESET_COMPLETION,
};
use planning_domain::{EmailAddress, ErrorCode, FieldError, FieldErrors};

use crate::auth::{self, Authenticated, Enrolling};
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::totp;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(ACCOUNT_PASSWORD, put(change_password))
        .route(PASSWORD_RESETS, post(request_reset))
        .route(PASSWORD_RESET_COMPLETION, post(complete_reset))
        .route(ACCOUNT_TOTP, get(totp_status).post(confirm_totp))
        .route(ACCOUNT_TOTP_ENROLMENT, post(start_totp_enrolment))
        .route(ACCOUNT_TOTP_REMOVAL, post(remove_totp))
        .route(ACCOUNT_RECOVERY_CODES, post(renew_recovery_codes))
}

#[tracing::instrument(skip_all, fields(client = %address.ip(), user_id = caller.user.id))]
async fn change_password(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    caller: Authenticated,
    AppJson(body): AppJson<ChangePassword>,
) -> Result<StatusCode, ApiError> {
    let now = Instant::now();
    let email = caller.user.email.clone();
    if let Err(wait) = state.sign_in_limiter.check(&email, address.ip(), now) {
        return Err(ApiError::RateLimited(wait));
    }
    let mut fields = FieldErrors::default();
    let new_password = fields.check("new_password", Password::parse_new(&body.new_password));
    let stored = state.store.password_hash(caller.user.id).await?;
    if !auth::verify_password(stored, body.current_password).await {
        state.sign_in_limiter.record_failure(&email, address.ip(), now);
        fields.check("current_password", Err::<(), _>(AccountError::CurrentPasswordIncorrect));
    }
    let (Some(new_password), true) = (new_password, fields.is_empty()) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let hash = auth::hash_password(&new_password).await?;
    state.store.change_password(caller.user.id, &hash, caller.token_hash(), wall_time()).await?;
    state.sessions.remove_user(caller.user.id);
    tracing::info!("password changed; other sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

#[tracing::instrument(skip_all, fields(client = %address.ip()))]
async fn request_reset(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    AppJson(body): AppJson<RequestPasswordReset>,
) -> Result<StatusCode, ApiError> {
    let email = body.email.trim().to_lowercase();
    let now = Instant::now();
    if let Err(wait) = state.reset_limiter.check(&email, address.ip(), now) {
        tracing::warn!("password reset refused by the rate limit");
        return Err(ApiError::RateLimited(wait));
    }
    let mut fields = FieldErrors::default();
    let Some(email) = fields.check("email", EmailAddress::parse(&email)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    // Every well-formed request counts, whether or not the address is an account's.
    state.reset_limiter.record_failure(email.as_str(), address.ip(), now);
    let at = state.wall_clock.now();
    let expires_at = at + Duration::minutes(RESET_LINK_MINUTES);
    let created = state.store.request_password_reset(email.as_str(), at, expires_at, RESET_LINK_MINUTES).await?;
    // Logged for operators; the answer is the same either way.
    tracing::info!(account = created, "password reset requested");
    Ok(StatusCode::ACCEPTED)
}

#[tracing::instrument(skip_all, fields(client = %address.ip()))]
async fn complete_reset(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    AppJson(body): AppJson<CompletePasswordReset>,
) -> Result<StatusCode, ApiError> {
    let now = Instant::now();
    // Tokens are 256 random bits; the limit keeps a client from trying them at hashing speed.
    if let Err(wait) = state.reset_limiter.check("", address.ip(), now) {
        return Err(ApiError::RateLimited(wait));
    }
    let mut fields = FieldErrors::default();
    let Some(password) = fields.check("new_password", Password::parse_new(&body.new_password)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let invalid =
        || ApiError::rule(ErrorCode::ValidationFailed, AccountError::ResetLinkInvalid { minutes: RESET_LINK_MINUTES });
    if body.token.is_empty() || body.token.len() > 100 {
        state.reset_limiter.record_failure("", address.ip(), now);
        return Err(invalid());
    }
    let hash = auth::hash_password(&password).await?;
    let Some(user_id) =
        state.store.complete_password_reset(&auth::token_hash(&body.token), &hash, state.wall_clock.now()).await?
    else {
        state.reset_limiter.record_failure("", address.ip(), now);
        tracing::info!("password reset with an unusable link");
        return Err(invalid());
    };
    state.sessions.remove_user(user_id);
    tracing::info!(user_id, "password reset; every session ended");
    Ok(StatusCode::NO_CONTENT)
}

async fn totp_status(
    State(state): State<AppState>,
    Enrolling(caller): Enrolling,
) -> Result<Json<TotpStatus>, ApiError> {
    let enabled = state.store.totp_factor(caller.user.id).await?.is_some_and(|factor| factor.confirmed);
    let recovery_codes_left = if enabled { state.store.recovery_codes_left(caller.user.id).await? } else { 0 };
    Ok(Json(TotpStatus {
        enabled,
        required: account::second_factor_required(caller.role(), state.require_second_factor),
        recovery_codes_left,
    }))
}

async fn start_totp_enrolment(
    State(state): State<AppState>,
    Enrolling(caller): Enrolling,
) -> Result<Json<TotpEnrolment>, ApiError> {
    let secret = totp::new_secret();
    if !state.store.start_totp_enrolment(caller.user.id, &secret, wall_time()).await? {
        return Err(ApiError::rule(ErrorCode::Conflict, AccountError::TwoFactorAlreadyOn));
    }
    let otpauth_uri = totp::otpauth_uri(&secret, &caller.user.email);
    let qr_code = totp::qr_code_data_url(&otpauth_uri).ok_or_else(|| anyhow::anyhow!("the QR code cannot be drawn"))?;
    tracing::info!(user_id = caller.user.id, "two-step sign-in enrolment started");
    Ok(Json(TotpEnrolment { secret, otpauth_uri, qr_code }))
}

#[tracing::instrument(skip_all, fields(client = %address.ip(), user_id = caller.user.id))]
async fn confirm_totp(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    Enrolling(caller): Enrolling,
    AppJson(body): AppJson<SecondFactor>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let now = Instant::now();
    if let Err(wait) = state.sign_in_limiter.check(&caller.user.email, address.ip(), now) {
        return Err(ApiError::RateLimited(wait));
    }
    let mut fields = FieldErrors::default();
    let Some(code) = fields.check("code", SecondFactorCode::parse_totp(&body.code)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let factor = match state.store.totp_factor(caller.user.id).await? {
        Some(factor) if factor.confirmed => {
            return Err(ApiError::rule(ErrorCode::Conflict, AccountError::TwoFactorAlreadyOn))
        }
        Some(factor) => factor,
        None => return Err(ApiError::rule(ErrorCode::Conflict, AccountError::NoEnrolmentStarted)),
    };
    let Some(step) = totp::matching_step(&factor.secret, &code, state.wall_clock.now()) else {
        state.sign_in_limiter.record_failure(&caller.user.email, address.ip(), now);
        return Err(ApiError::fields(vec![FieldError::new("code", AccountError::SecondFactorCodeIncorrect.into())]));
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|code| auth::token_hash(code)).collect();
    if !state.store.confirm_totp(caller.user.id, step, &hashes, wall_time()).await? {
        return Err(ApiError::rule(ErrorCode::Conflict, AccountError::NoEnrolmentStarted));
    }
    state.sessions.remove_user(caller.user.id);
    tracing::info!("two-step sign-in turned on");
    Ok(Json(RecoveryCodes { codes: codes.iter().map(|code| format_recovery_code(code)).collect() }))
}

/// The caller's second factor, proven again before it changes: a code from the app or an unused
/// recovery code, under the sign-in's rate limits (a wrong code counts as a failed sign-in).
async fn prove_second_factor(
    state: &AppState,
    address: SocketAddr,
    caller: &Authenticated,
    body: &SecondFactor,
) -> Result<(), ApiError> {
    let now = Instant::now();
    if let Err(wait) = state.sign_in_limiter.check(&caller.user.email, address.ip(), now) {
        return Err(ApiError::RateLimited(wait));
    }
    let mut fields = FieldErrors::default();
    let Some(code) = fields.check("code", SecondFactorCode::parse(&body.code)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let factor = state.store.totp_factor(caller.user.id).await?.filter(|factor| factor.confirmed);
    let Some(factor) = factor else {
        return Err(ApiError::rule(ErrorCode::Conflict, AccountError::TwoFactorOff));
    };
    if !crate::routes::session::second_factor_accepted(state, caller.user.id, Some(&factor), &code).await? {
        state.sign_in_limiter.record_failure(&caller.user.email, address.ip(), now);
        return Err(ApiError::fields(vec![FieldError::new("code", AccountError::SecondFactorCodeIncorrect.into())]));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(client = %address.ip(), user_id = caller.user.id))]
async fn remove_totp(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    caller: Authenticated,
    AppJson(body): AppJson<SecondFactor>,
) -> Result<StatusCode, ApiError> {
    account::check_second_factor_removal(caller.role(), state.require_second_factor)
        .map_err(|error| ApiError::rule(ErrorCode::Forbidden, error))?;
    prove_second_factor(&state, address, &caller, &body).await?;
    if !state.store.remove_totp(caller.user.id, wall_time()).await? {
        return Err(ApiError::rule(ErrorCode::Conflict, AccountError::TwoFactorOff));
    }
    state.sessions.remove_user(caller.user.id);
    tracing::info!("two-step sign-in turned off");
    Ok(StatusCode::NO_CONTENT)
}

#[tracing::instrument(skip_all, fields(client = %address.ip(), user_id = caller.user.id))]
async fn renew_recovery_codes(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    caller: Authenticated,
    AppJson(body): AppJson<SecondFactor>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    prove_second_factor(&state, address, &caller, &body).await?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|code| auth::token_hash(code)).collect();
    if !state.store.renew_recovery_codes(caller.user.id, &hashes, wall_time()).await? {
        return Err(ApiError::rule(ErrorCode::Conflict, AccountError::TwoFactorOff));
    }
    tracing::info!("recovery codes renewed");
    Ok(Json(RecoveryCodes { codes: codes.iter().map(|code| format_recovery_code(code)).collect() }))
}
