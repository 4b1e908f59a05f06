//! `/api/v1/session/providers`, `/api/v1/session/oidc/start` and `/oidc/callback`: single
//! sign-on with the organizations' OpenID provider (authorization code with PKCE; `crate::oidc`).
//!
//! The start stores the state, nonce and PKCE verifier in the database under the hash of a
//! random cookie (ten minutes, `SameSite=Lax`, used once) and sends the browser to the provider.
//! The callback takes that row (so a callback is accepted once, on any instance, and only in the
//! browser that started it), compares `state`, lets the provider vouch for the email, and signs
//! in the enabled user with that email, lower-cased, exactly as the password sign-in does (the
//! second step too, for a user with an authenticator). Every failure goes back to the sign-in
//! page with the failure's name in `?sso_error=`, which the page shows as the domain's message;
//! details are logged, never shown.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::account::{sso_error_name, AccountError, SSO_ERROR_PARAMETER};
use planning_domain::api::account::{
    SignInProviders, SESSION_OIDC_CALLBACK, SESSION_OIDC_START, SESSION_PROVIDERS, SIGN_IN_PAGE, SIGN_IN_STEP_CODE,
    SIGN_IN_STEP_PARAMETER, SIGN_IN_STEP_SIGNED_IN,
};

use crate::auth;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::oidc::CallbackError;
use crate::routes::session::{begin_session, SignedIn};
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SESSION_PROVIDERS, get(providers))
        .route(SESSION_OIDC_START, get(start))
        .route(SESSION_OIDC_CALLBACK, get(callback))
}

async fn providers(State(state): State<AppState>) -> Json<SignInProviders> {
    Json(SignInProviders { single_sign_on: state.single_sign_on.is_some() })
}

/// A 303 to `location` with these cookies.
fn see_other(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    response
}

/// Back to the sign-in page, which shows why.
fn to_sign_in(state: &AppState, error: &AccountError) -> Response {
    let location = format!("{}?{SSO_ERROR_PARAMETER}={}", SIGN_IN_PAGE, sso_error_name(error));
    see_other(&location, &[state.cookies.clear_single_sign_on()])
}

#[tracing::instrument(skip_all)]
async fn start(State(state): State<AppState>) -> Result<Response, ApiError> {
    let Some(provider) = state.single_sign_on.as_deref() else {
        return Ok(to_sign_in(&state, &AccountError::SsoUnavailable));
    };
    let (url, pending) = match provider.start().await {
        Ok(started) => started,
        Err(error) => {
            tracing::warn!(error = format!("{error:#}"), "single sign-on cannot start");
            return Ok(to_sign_in(&state, &AccountError::SsoUnavailable));
        }
    };
    let browser = auth::random_token();
    let expires_at = wall_time() + auth::SINGLE_SIGN_ON_LIFETIME;
    state.store.insert_single_sign_on(&auth::token_hash(&browser), &pending, expires_at).await?;
    tracing::info!("single sign-on started");
    Ok(see_other(url.as_str(), &[state.cookies.set_single_sign_on(&browser)]))
}

/// What the provider sends back: a code and the state, or an error.
#[derive(Debug, serde::Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, ApiError> {
    let failed = |why: &str| {
        tracing::info!(why, "single sign-on failed");
        AccountError::SsoFailed
    };
    let Some(provider) = state.single_sign_on.as_deref() else {
        return Ok(to_sign_in(&state, &AccountError::SsoUnavailable));
    };
    let pending = match auth::single_sign_on_from_headers(&state, &headers) {
        Some(browser) => state.store.take_single_sign_on(&auth::token_hash(&browser), wall_time()).await?,
        None => None,
    };
    let Some(pending) = pending else {
        return Ok(to_sign_in(&state, &failed("no single sign-on under way in this browser, or it expired")));
    };
    if let Some(error) = &query.error {
        tracing::info!(provider_error = %error, "the provider refused the sign-in");
        return Ok(to_sign_in(&state, &AccountError::SsoFailed));
    }
    let state_matches =
        query.state.as_deref().is_some_and(|sent| auth::constant_time_equal(sent.as_bytes(), pending.state.as_bytes()));
    let (true, Some(code)) = (state_matches, query.code.as_deref()) else {
        return Ok(to_sign_in(&state, &failed("the state does not match, or no code")));
    };
    let identity = match provider.finish(code, &pending).await {
        Ok(identity) => identity,
        Err(error) => {
            tracing::warn!(error = %error, "single sign-on refused");
            let shown = match error {
                CallbackError::Unavailable(_) => AccountError::SsoUnavailable,
                CallbackError::Refused(_) => AccountError::SsoFailed,
            };
            return Ok(to_sign_in(&state, &shown));
        }
    };
    if !identity.email_verified {
        tracing::info!("single sign-on refused: the provider has not verified the email");
        return Ok(to_sign_in(&state, &AccountError::SsoEmailNotVerified));
    }
    // Enabled users only: a disabled account cannot sign in this way either.
    let Some((user_id, _)) = state.store.credentials(&identity.email).await? else {
        tracing::info!("single sign-on refused: no enabled user has the email");
        return Ok(to_sign_in(&state, &AccountError::SsoNoAccount));
    };
    let user = state.store.current_user(user_id).await?;
    state.store.record_single_sign_on(&user, provider.issuer(), state.clock.today(), wall_time()).await?;
    let clear = state.cookies.clear_single_sign_on();
    match begin_session(&state, &headers, user).await? {
        SignedIn::SecondStep(token) => {
            let location = format!("{SIGN_IN_PAGE}?{SIGN_IN_STEP_PARAMETER}={SIGN_IN_STEP_CODE}");
            Ok(see_other(&location, &[clear, state.cookies.set_challenge(&token)]))
        }
        SignedIn::Session(token, _) => {
            tracing::info!(user_id, "signed in with single sign-on");
            // The sign-in page reads the new session (the app asks for one only after a sign-in
            // it saw) and sends the role to its start.
            let location = format!("{SIGN_IN_PAGE}?{SIGN_IN_STEP_PARAMETER}={SIGN_IN_STEP_SIGNED_IN}");
            Ok(see_other(&location, &[clear, state.cookies.set(&token)]))
        }
    }
}
