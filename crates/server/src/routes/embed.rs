//! Embed tokens and the widget's reads.
//!
//! Signed-in users create, list and revoke tokens under `/api/v1/embed-tokens` (their own
//! tokens only). The widget reads `/api/v1/embed/…` with `Authorization: Bearer <secret>`; cookies
//! are never looked at there, so a visitor's portal session cannot widen what a page sees.
//!
//! CORS on the widget's reads, checked per request against what is stored (ASVS 3.4.2):
//! - a response carries `Access-Control-Allow-Origin: <the page's origin>` only when that origin
//!   is one the request's token allows, or, when the request has no usable token (missing,
//!   malformed, unknown), when some live token allows it; never `*`, never credentials;
//! - a preflight (no token: browsers do not send `Authorization` with it) succeeds only for
//!   an origin some live token allows;
//! - a read whose `Origin` the token does not allow is refused with 403 and no CORS header, so
//!   the page cannot read even the refusal;
//! - every response says `Vary: Origin` and `Cache-Control: no-store`.
//!
//! A read without `Origin` is not a browser's cross-origin read; CORS cannot restrict it, and the
//! token alone decides (the badge's token is public in its page anyway: it shows only what a
//! partner publishes).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use chrono::{DateTime, SubsecRound, Utc};
use planning_domain::api::embed::{
    self as api, embed_snippet, CreateEmbedToken, CreatedEmbedToken, EmbedEligibilityBadge, EmbedTarget, EmbedToken,
    EmbedTokenState, EmbedVoucherCard, TOKEN_PREFIX,
};
use planning_domain::embed::{
    badge_offerings, check_allowed_origins, check_token_life, voucher_deadlines, voucher_steps, AllowedOrigin,
    EmbedError,
};
use planning_domain::{evaluate_eligibility, profile, ErrorCode, FieldErrors};

use crate::auth::{random_token, token_hash, Authenticated};
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::routes::vouchers::user_may_see;
use crate::startup::AppState;
use crate::store::embed_tokens::{EmbedTokenRecord, NewEmbedToken};

/// How long a browser may cache a successful preflight.
const PREFLIGHT_MAX_AGE_SECONDS: &str = "600";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::EMBED_TOKENS, get(list_tokens).post(create_token))
        .route(api::EMBED_TOKEN_ROUTE, delete(revoke_token))
        .route(api::EMBED_VOUCHER_ROUTE, get(read_voucher).options(preflight))
        .route(api::EMBED_PARTNER_ROUTE, get(read_partner).options(preflight))
}

fn view(record: &EmbedTokenRecord, now: DateTime<Utc>) -> EmbedToken {
    let state = if record.revoked_at.is_some() || record.owner_disabled {
        EmbedTokenState::Revoked
    } else if record.expires_at <= now {
        EmbedTokenState::Expired
    } else {
        EmbedTokenState::Active
    };
    EmbedToken {
        id: record.id,
        target: record.target.clone(),
        allowed_origins: record.allowed_origins.iter().map(|origin| origin.as_str().to_owned()).collect(),
        created_at: rfc3339(record.created_at),
        expires_at: rfc3339(record.expires_at),
        revoked_at: record.revoked_at.map(rfc3339),
        state,
    }
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn list_tokens(State(state): State<AppState>, caller: Authenticated) -> Result<Json<Vec<EmbedToken>>, ApiError> {
    let now = wall_time();
    let records = state.store.embed_tokens_of(caller.user.id).await?;
    Ok(Json(records.iter().map(|record| view(record, now)).collect()))
}

async fn create_token(
    State(state): State<AppState>,
    caller: Authenticated,
    headers: HeaderMap,
    AppJson(body): AppJson<CreateEmbedToken>,
) -> Result<(StatusCode, Json<CreatedEmbedToken>), ApiError> {
    let mut fields = FieldErrors::default();
    let origins = fields.check("allowed_origins", check_allowed_origins(&body.allowed_origins));
    let days = fields.check("expires_in_days", check_token_life(body.expires_in_days));
    let (Some(allowed_origins), Some(days)) = (origins, days) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    // The token may show only what its creator may see now (and is checked again on every read).
    let target = match body.target {
        EmbedTarget::Voucher(voucher_id) => match state.store.voucher(voucher_id.trim()).await? {
            Some(stored) if user_may_see(&caller.user, &stored) => {
                EmbedTarget::Voucher(stored.voucher.id.as_str().to_owned())
            }
            _ => return Err(ApiError::not_found()),
        },
        EmbedTarget::Partner(partner_id) => {
            if profile::check_partner_reader(caller.role()).is_err() || partner_id != caller.organization_id() {
                return Err(ApiError::rule(ErrorCode::Forbidden, EmbedError::NotYourPartnerProfile));
            }
            EmbedTarget::Partner(partner_id)
        }
    };
    let secret = format!("{TOKEN_PREFIX}{}", random_token());
    // Stored with milliseconds: the answer must equal what a later listing reads back.
    let now = wall_time().trunc_subsecs(3);
    let record = NewEmbedToken {
        token_hash: token_hash(&secret),
        owner_user_id: caller.user.id,
        target,
        allowed_origins,
        created_at: now,
        expires_at: now + chrono::Duration::days(i64::from(days)),
    };
    let id = state.store.insert_embed_token(record.clone()).await?;
    let stored = EmbedTokenRecord {
        id,
        owner_user_id: record.owner_user_id,
        target: record.target,
        allowed_origins: record.allowed_origins,
        created_at: record.created_at,
        expires_at: record.expires_at,
        revoked_at: None,
        owner_disabled: false,
    };
    let snippet = embed_snippet(&own_origin(&state, &headers), &stored.target, &secret);
    Ok((StatusCode::CREATED, Json(CreatedEmbedToken { token: view(&stored, now), secret, snippet })))
}

/// This server's origin as the client reached it: the `Host` header, with `https` behind TLS
/// (`--secure-cookies`).
fn own_origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.cookies.secure { "https" } else { "http" };
    format!("{scheme}://{host}")
}

async fn revoke_token(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(token_id): Path<i64>,
) -> Result<Json<EmbedToken>, ApiError> {
    let now = wall_time();
    let record =
        state.store.revoke_embed_token(caller.user.id, token_id, now).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(view(&record, now)))
}

/// The outcome of checking a widget read's token and origin.
struct Access {
    /// The origin to allow in the response (see the module's header).
    allow_origin: Option<HeaderValue>,
    token: Result<EmbedTokenRecord, ApiError>,
}

/// The page's origin, normalised; `Err` when the header is there but is no origin ("null").
fn page_origin(headers: &HeaderMap) -> Option<Result<AllowedOrigin, ()>> {
    let value = headers.get(header::ORIGIN)?;
    Some(value.to_str().map_err(drop).and_then(|text| AllowedOrigin::parse(text).map_err(drop)))
}

fn refused(code: ErrorCode, error: EmbedError) -> ApiError {
    ApiError::rule(code, error)
}

/// Checks the bearer token (missing, malformed, unknown, revoked, expired) and the origin.
async fn authorize(state: &AppState, headers: &HeaderMap) -> Result<Access, ApiError> {
    let now = wall_time();
    let origin = page_origin(headers);
    let origin_value = |origin: &AllowedOrigin| HeaderValue::from_str(origin.as_str()).ok();
    let secret = match bearer_secret(headers) {
        Ok(secret) => secret,
        Err(error) => {
            let allow_origin = match &origin {
                Some(Ok(origin)) if state.store.origin_has_live_embed_token(origin.as_str(), now).await? => {
                    origin_value(origin)
                }
                _ => None,
            };
            return Ok(Access { allow_origin, token: Err(refused(ErrorCode::Unauthenticated, error)) });
        }
    };
    let Some(record) = state.store.embed_token_by_hash(&token_hash(secret)).await? else {
        let allow_origin = match &origin {
            Some(Ok(origin)) if state.store.origin_has_live_embed_token(origin.as_str(), now).await? => {
                origin_value(origin)
            }
            _ => None,
        };
        return Ok(Access { allow_origin, token: Err(refused(ErrorCode::Unauthenticated, EmbedError::TokenUnknown)) });
    };
    let (allow_origin, origin_allowed) = match &origin {
        None => (None, true),
        Some(Ok(origin)) if record.allowed_origins.contains(origin) => (origin_value(origin), true),
        Some(_) => (None, false),
    };
    // A disabled creator's tokens end with their access.
    let token = if record.revoked_at.is_some() || record.owner_disabled {
        Err(refused(ErrorCode::Unauthenticated, EmbedError::TokenRevoked))
    } else if record.expires_at <= now {
        Err(refused(ErrorCode::Unauthenticated, EmbedError::TokenExpired))
    } else if !origin_allowed {
        Err(refused(ErrorCode::Forbidden, EmbedError::OriginNotAllowed))
    } else {
        Ok(record)
    };
    Ok(Access { allow_origin, token })
}

/// The secret of `Authorization: Bearer pwt_<43 base64url characters>`.
fn bearer_secret(headers: &HeaderMap) -> Result<&str, EmbedError> {
    let value = headers.get(header::AUTHORIZATION).ok_or(EmbedError::TokenMissing)?;
    let text = value.to_str().map_err(|_| EmbedError::TokenMalformed)?;
    let (scheme, secret) = text.trim().split_once(' ').ok_or(EmbedError::TokenMalformed)?;
    let secret = secret.trim();
    let well_formed = scheme.eq_ignore_ascii_case("bearer")
        && secret.strip_prefix(TOKEN_PREFIX).is_some_and(|random| {
            random.len() == 43
                && random.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        });
    if well_formed {
        Ok(secret)
    } else {
        Err(EmbedError::TokenMalformed)
    }
}

/// Adds the CORS and caching headers of a widget read to `response`.
fn with_embed_headers(mut response: Response, allow_origin: Option<HeaderValue>) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(origin) = allow_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response
}

/// Runs `read` when the token and origin pass, and answers with the embed headers either way.
async fn embed_read<T, F>(state: &AppState, headers: &HeaderMap, read: F) -> Response
where
    T: serde::Serialize,
    F: AsyncFnOnce(EmbedTokenRecord) -> Result<T, ApiError>,
{
    let (allow_origin, result) = match authorize(state, headers).await {
        Ok(Access { allow_origin, token: Ok(record) }) => (allow_origin, read(record).await),
        Ok(Access { allow_origin, token: Err(error) }) => (allow_origin, Err(error)),
        Err(error) => (None, Err(error)),
    };
    let response = match result {
        Ok(body) => Json(body).into_response(),
        Err(error) => error.into_response(),
    };
    with_embed_headers(response, allow_origin)
}

fn not_this_tokens_subject() -> ApiError {
    refused(ErrorCode::NotFound, EmbedError::NotThisTokensSubject)
}

async fn read_voucher(State(state): State<AppState>, headers: HeaderMap, Path(voucher_id): Path<String>) -> Response {
    embed_read(&state, &headers, async |record: EmbedTokenRecord| -> Result<EmbedVoucherCard, ApiError> {
        // The same answer for another voucher and for none at all: a token reveals nothing else.
        if record.target != EmbedTarget::Voucher(voucher_id.clone()) {
            return Err(not_this_tokens_subject());
        }
        let owner = state.store.current_user(record.owner_user_id).await?;
        let stored = match state.store.voucher(&voucher_id).await? {
            Some(stored) if user_may_see(&owner, &stored) => stored,
            _ => return Err(not_this_tokens_subject()),
        };
        let today = state.clock.today();
        let voucher = &stored.voucher;
        Ok(EmbedVoucherCard {
            voucher_id: voucher.id.as_str().to_owned(),
            offering: voucher.offering,
            service_level_days: voucher.service_level.days(),
            status: voucher.status_on(today),
            customer_name: stored.customer_name.clone(),
            partner_name: stored.partner_name.clone(),
            engagement: voucher.reservation().map(|reservation| reservation.engagement),
            today,
            steps: voucher_steps(voucher, today),
            deadlines: voucher_deadlines(voucher, today, &state.timeline),
        })
    })
    .await
}

async fn read_partner(State(state): State<AppState>, headers: HeaderMap, Path(partner_id): Path<String>) -> Response {
    embed_read(&state, &headers, async |record: EmbedTokenRecord| -> Result<EmbedEligibilityBadge, ApiError> {
        let partner_id = partner_id.parse::<i64>().map_err(|_| not_this_tokens_subject())?;
        if record.target != EmbedTarget::Partner(partner_id) {
            return Err(not_this_tokens_subject());
        }
        // The creator must still be one of the partner's readers.
        let owner = state.store.current_user(record.owner_user_id).await?;
        if owner.organization.id != partner_id || profile::check_partner_reader(owner.role).is_err() {
            return Err(not_this_tokens_subject());
        }
        let program = state.store.partner_program(partner_id).await?.ok_or_else(not_this_tokens_subject)?;
        let report =
            evaluate_eligibility(&program.eligibility_profile(), &state.timeline.eligibility, state.clock.today());
        Ok(EmbedEligibilityBadge {
            partner_name: program.name,
            evaluated_on: report.evaluated_on,
            offerings: badge_offerings(&report),
        })
    })
    .await
}

/// The CORS preflight of a widget read: allowed for an origin some live token allows.
async fn preflight(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = match page_origin(&headers) {
        Some(Ok(origin)) => match state.store.origin_has_live_embed_token(origin.as_str(), wall_time()).await {
            Ok(true) => HeaderValue::from_str(origin.as_str()).ok(),
            Ok(false) => None,
            Err(error) => return with_embed_headers(ApiError::from(error).into_response(), None),
        },
        _ => None,
    };
    let Some(origin) = allowed else {
        return with_embed_headers(refused(ErrorCode::Forbidden, EmbedError::OriginNotAllowed).into_response(), None);
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, accept"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(PREFLIGHT_MAX_AGE_SECONDS));
    with_embed_headers(response, Some(origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_a_bearer_embed_secret_is_well_formed() {
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        assert_eq!(bearer_secret(&with_authorization(&format!("Bearer {secret}"))), Ok(secret.as_str()));
        assert_eq!(bearer_secret(&with_authorization(&format!("bearer  {secret} "))), Ok(secret.as_str()));
        assert_eq!(bearer_secret(&HeaderMap::new()), Err(EmbedError::TokenMissing));
        for bad in ["Bearer", "Bearer pwt_short", &format!("Basic {secret}"), &format!("Bearer {}", random_token())] {
            assert_eq!(bearer_secret(&with_authorization(bad)), Err(EmbedError::TokenMalformed), "{bad}");
        }
    }
}
