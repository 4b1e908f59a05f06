//! Passwords, server-side sessions and the extractor that authenticates every API request.
//!
//! The session cookie holds 256 random bits; the database stores only their SHA-256. Sessions
//! end after 30 minutes without a request or 12 hours after sign-in, at sign-out, and when the
//! user is disabled. Every state-changing request must also carry the session's anti-forgery
//! token in `x-csrf-token` (on top of the cross-origin check of `CsrfLayer`).

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use planning_domain::account::{OrganizationKind, Password};
use planning_domain::api::{CurrentUser, Organization, CSRF_HEADER};
use planning_domain::{ErrorCode, Role};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use crate::clock::wall_time;
use crate::error::ApiError;
use crate::startup::AppState;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often per session, to keep reads cheap.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// Hashes a new password with Argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane).
pub async fn hash_password(password: &Password) -> anyhow::Result<String> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("cannot hash a password: {error}"))
    })
    .await?
}

/// Verifies `candidate` against a stored hash; `None` (no such account) still spends the same
/// time on a dummy hash, so response times do not reveal which accounts exist.
pub async fn verify_password(stored: Option<String>, candidate: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let (hash, exists) = match stored {
            Some(hash) => (hash, true),
            None => (dummy_hash().to_owned(), false),
        };
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok() && exists
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"a password no account has, for timing")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// A new random token: 256 bits, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The cookie settings of this deployment.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    /// Behind TLS: the `__Host-` prefix and the `Secure` attribute.
    pub secure: bool,
}

impl CookiePolicy {
    pub fn name(self) -> &'static str {
        if self.secure {
            "__Host-portal_session"
        } else {
            "portal_session"
        }
    }

    /// The `Set-Cookie` value that installs a session token.
    pub fn set(self, token: &str) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!("{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}", self.name()))
            .expect("token is URL-safe base64")
    }

    /// The `Set-Cookie` value that removes it.
    pub fn clear(self) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}", self.name()))
            .expect("ASCII")
    }
}

/// A new session for `user_id`; returns (cookie token, anti-forgery token).
pub async fn create_session(pool: &SqlitePool, user_id: i64) -> Result<(String, String), sqlx::Error> {
    let token = random_token();
    let csrf_token = random_token();
    let now = wall_time();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(&csrf_token)
    .bind(now.to_rfc3339())
    .bind(now.to_rfc3339())
    .bind((now + ABSOLUTE_TIMEOUT).to_rfc3339())
    .execute(pool)
    .await?;
    Ok((token, csrf_token))
}

/// Ends the session named by the request's cookie, if any (used at sign-in).
pub async fn end_session_from_headers(state: &AppState, headers: &HeaderMap) -> Result<(), sqlx::Error> {
    if let Some(token) = cookie_value(headers, state.cookies.name()) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash(&token)).execute(&state.pool).await?;
    }
    Ok(())
}

/// The user with this id, as the session endpoint returns them.
pub async fn current_user(pool: &SqlitePool, user_id: i64) -> Result<CurrentUser, ApiError> {
    let row: (i64, String, String, String, i64, String, String) = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, o.id, o.name, o.kind \
         FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.id = ?",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok(CurrentUser {
        id: row.0,
        email: row.1,
        display_name: row.2,
        role: parse_role(&row.3)?,
        organization: Organization { id: row.4, name: row.5, kind: parse_kind(&row.6)? },
    })
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: CurrentUser,
    pub csrf_token: String,
    token_hash: String,
}

impl Authenticated {
    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn organization_id(&self) -> i64 {
        self.user.organization.id
    }

    /// Ends this session.
    pub async fn sign_out(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(&self.token_hash).execute(pool).await?;
        Ok(())
    }

    /// Refuses the request unless the caller's role is one of `roles` (403).
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(ApiError::code(ErrorCode::Forbidden))
        }
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    email: String,
    display_name: String,
    role: String,
    organization_id: i64,
    organization_name: String,
    organization_kind: String,
    csrf_token: String,
    created_at: String,
    last_seen_at: String,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_cookie(parts, state.cookies.name()).ok_or(ApiError::code(ErrorCode::Unauthenticated))?;
        let hash = token_hash(&token);
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.user_id, u.email, u.display_name, u.role, o.id AS organization_id, \
                    o.name AS organization_name, o.kind AS organization_kind, s.csrf_token, \
                    s.created_at, s.last_seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.organization_id \
             WHERE s.token_hash = ? AND u.disabled_at IS NULL",
        )
        .bind(&hash)
        .fetch_optional(&state.pool)
        .await?;
        let row = row.ok_or(ApiError::code(ErrorCode::Unauthenticated))?;
        let now = wall_time();
        let created_at = parse_time(&row.created_at)?;
        let last_seen_at = parse_time(&row.last_seen_at)?;
        if now - last_seen_at > IDLE_TIMEOUT || now - created_at > ABSOLUTE_TIMEOUT {
            sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(&hash).execute(&state.pool).await?;
            return Err(ApiError::code(ErrorCode::Unauthenticated));
        }
        if !is_safe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("");
            if !constant_time_equal(sent.as_bytes(), row.csrf_token.as_bytes()) {
                return Err(ApiError::code(ErrorCode::CrossSiteRequest));
            }
        }
        if now - last_seen_at > TOUCH_INTERVAL {
            sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
                .bind(now.to_rfc3339())
                .bind(&hash)
                .execute(&state.pool)
                .await?;
        }
        let user = CurrentUser {
            id: row.user_id,
            email: row.email,
            display_name: row.display_name,
            role: parse_role(&row.role)?,
            organization: Organization {
                id: row.organization_id,
                name: row.organization_name,
                kind: parse_kind(&row.organization_kind)?,
            },
        };
        Ok(Authenticated { user, csrf_token: row.csrf_token, token_hash: hash })
    }
}

fn session_cookie(parts: &Parts, name: &str) -> Option<String> {
    cookie_value(&parts.headers, name)
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn constant_time_equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("bad timestamp {text:?} in sessions: {error}")))
}

/// A role stored as its snake_case wire name.
pub fn parse_role(text: &str) -> Result<Role, ApiError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("unknown role {text:?} in the database")))
}

/// The snake_case wire name of a role, as stored.
pub fn role_name(role: Role) -> String {
    serde_json::to_value(role).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}

pub fn parse_kind(text: &str) -> Result<OrganizationKind, ApiError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("unknown organization kind {text:?} in the database")))
}

pub fn kind_name(kind: OrganizationKind) -> String {
    serde_json::to_value(kind).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_distinct() {
        let (first, second) = (random_token(), random_token());
        assert_eq!(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&first).unwrap().len(), 32);
        assert_ne!(first, second);
    }

    #[test]
    fn secure_cookies_use_the_host_prefix() {
        let cookie = CookiePolicy { secure: true }.set("abc");
        assert_eq!(cookie, "__Host-portal_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
        let plain = CookiePolicy { secure: false }.set("abc");
        assert_eq!(plain, "portal_session=abc; Path=/; HttpOnly; SameSite=Strict");
    }

    #[test]
    fn role_names_round_trip() {
        for role in [Role::PartnerGlobalAdmin, Role::CustomerProjectManager, Role::ProgramOperator] {
            assert_eq!(parse_role(&role_name(role)).unwrap(), role);
        }
    }
}
