//! Passwords, server-side sessions and the extractor that authenticates every API request.
//!
//! The session cookie holds 256 random bits; the database stores only their SHA-256. Sessions
//! end after 30 minutes without a request or 12 hours after sign-in, at sign-out, and when the
//! user is disabled. Every state-changing request must also carry the session's anti-forgery
//! token in `x-csrf-token` (on top of the cross-origin check of `CsrfLayer`).

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use base64::Engine;
use chrono::Duration;
use planning_domain::account::Password;
use planning_domain::api::{CurrentUser, CSRF_HEADER};
use planning_domain::{ErrorCode, Role};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::clock::wall_time;
use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::{Store, StoreResult};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often per session, to keep reads cheap.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// Runs Argon2 on a few threads of its own (one per core), never on tokio's blocking pool (up to
/// 512 threads, which also serves file I/O): each hash takes 19 MiB and a core for tens of
/// milliseconds, so a flood of sign-ins queues here instead of taking memory without bound and
/// starving other requests (ASVS 15.2.2). `None` if the threads are gone.
async fn on_hashing_thread<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    type Job = Box<dyn FnOnce() + Send>;
    static QUEUE: OnceLock<std::sync::mpsc::Sender<Job>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        for index in 0..threads {
            let receiver = std::sync::Arc::clone(&receiver);
            let spawned = std::thread::Builder::new().name(format!("argon2-{index}")).spawn(move || loop {
                let next = match receiver.lock() {
                    Ok(receiver) => receiver.recv(),
                    Err(_) => return,
                };
                match next {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start a password hashing thread");
            }
        }
        sender
    });
    let (reply, answer) = tokio::sync::oneshot::channel();
    queue
        .send(Box::new(move || {
            let _ = reply.send(job());
        }))
        .ok()?;
    answer.await.ok()
}

/// Hashes a new password with Argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane).
pub async fn hash_password(password: &Password) -> anyhow::Result<String> {
    let password = password.expose().to_owned();
    on_hashing_thread(move || new_hash(password.as_bytes()))
        .await
        .ok_or_else(|| anyhow::anyhow!("the password hashing threads stopped"))?
}

/// Verifies `candidate` against a stored hash; `None` (no such account) still spends the same
/// time on a dummy hash, so response times do not reveal which accounts exist.
pub async fn verify_password(stored: Option<String>, candidate: String) -> bool {
    on_hashing_thread(move || {
        let (hash, exists) = match stored {
            Some(hash) => (hash, true),
            None => (dummy_hash().to_owned(), false),
        };
        matches(&hash, candidate.as_bytes()) && exists
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| new_hash(b"a password no account has, for timing").unwrap_or_default())
}

thread_local! {
    /// A hashing thread's Argon2 memory, allocated at its first hash and reused by every later
    /// one. A fresh 19 MiB per hash (what the `argon2` crate's own `hash_password` does) was kept
    /// by glibc afterwards: once such a block is freed glibc raises its mmap threshold, later
    /// ones come from the thread's arena and stay there. Only the hashing threads run Argon2.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 with `params` over `password` and `salt` into `out`, in this thread's memory.
fn argon2_into(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> bool {
    let blocks = params.block_count();
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
            .is_ok()
    })
}

/// A new PHC string: Argon2id, version 0x13, the default parameters and a random 16-byte salt.
fn new_hash(password: &[u8]) -> anyhow::Result<String> {
    let params = Params::default();
    let salt = Salt::generate();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    if !argon2_into(Algorithm::Argon2id, Version::V0x13, params.clone(), password, &salt, &mut out) {
        anyhow::bail!("cannot hash a password");
    }
    let phc = |error: argon2::password_hash::phc::Error| anyhow::anyhow!("cannot encode a password hash: {error}");
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|error| anyhow::anyhow!("{error}"))?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(phc)?),
    };
    Ok(hash.to_string())
}

/// Whether `candidate` hashes to the stored PHC string, with its algorithm, version, parameters
/// and salt; the outputs are compared in constant time (`Output`'s equality).
fn matches(stored: &str, candidate: &[u8]) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else { return false };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else { return false };
    let Ok(version) = hash.version.map_or(Ok(Version::default()), Version::try_from) else { return false };
    let Ok(params) = Params::try_from(&hash) else { return false };
    let mut out = vec![0u8; expected.len()];
    argon2_into(algorithm, version, params, candidate, salt, &mut out)
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
}

/// A new random token: 256 bits, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
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
    /// A cookie's name: with the `__Host-` prefix behind TLS.
    fn named(self, secure_name: &'static str, plain_name: &'static str) -> &'static str {
        if self.secure {
            secure_name
        } else {
            plain_name
        }
    }

    /// A `Set-Cookie` value of this deployment: host-only, every path, not for scripts, `Secure`
    /// behind TLS; `max_age` seconds (a session cookie without one; 0 removes the cookie).
    fn cookie(self, name: &str, value: &str, same_site: &str, max_age: Option<i64>) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let max_age = max_age.map(|seconds| format!("; Max-Age={seconds}")).unwrap_or_default();
        HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}{max_age}{secure}"))
            .expect("the values are URL-safe base64")
    }

    pub fn name(self) -> &'static str {
        self.named("__Host-portal_session", "portal_session")
    }

    /// The `Set-Cookie` value that installs a session token.
    pub fn set(self, token: &str) -> HeaderValue {
        self.cookie(self.name(), token, "Strict", None)
    }

    /// The `Set-Cookie` value that removes it.
    pub fn clear(self) -> HeaderValue {
        self.cookie(self.name(), "", "Strict", Some(0))
    }

    /// The name of the cookie that carries a sign-in waiting for its second step.
    pub fn challenge_name(self) -> &'static str {
        self.named("__Host-portal_sign_in", "portal_sign_in")
    }

    /// The `Set-Cookie` value of a sign-in waiting for its second step.
    pub fn set_challenge(self, token: &str) -> HeaderValue {
        self.cookie(self.challenge_name(), token, "Strict", Some(CHALLENGE_LIFETIME.num_seconds()))
    }

    /// The `Set-Cookie` value that removes the second-step cookie.
    pub fn clear_challenge(self) -> HeaderValue {
        self.cookie(self.challenge_name(), "", "Strict", Some(0))
    }

    /// The name of the cookie that ties a single sign-on's callback to the browser that started it.
    pub fn single_sign_on_name(self) -> &'static str {
        self.named("__Host-portal_sso", "portal_sso")
    }

    /// The `Set-Cookie` value of a single sign-on under way. `SameSite=Lax`, not `Strict`: the
    /// provider's redirect back is a navigation from its site, which must carry the cookie.
    pub fn set_single_sign_on(self, token: &str) -> HeaderValue {
        self.cookie(self.single_sign_on_name(), token, "Lax", Some(SINGLE_SIGN_ON_LIFETIME.num_seconds()))
    }

    /// The `Set-Cookie` value that removes the single sign-on cookie.
    pub fn clear_single_sign_on(self) -> HeaderValue {
        self.cookie(self.single_sign_on_name(), "", "Lax", Some(0))
    }
}

/// How long a single sign-on may take at the provider (login and consent pages).
pub const SINGLE_SIGN_ON_LIFETIME: Duration = Duration::minutes(10);

/// How long the second step of a sign-in may wait after the password.
pub const CHALLENGE_LIFETIME: Duration = Duration::minutes(5);

/// A new session for `user_id`; returns (cookie token, anti-forgery token). `must_enrol`: the
/// session may only enrol a second factor ([`Enrolling`]).
pub async fn create_session(store: &dyn Store, user_id: i64, must_enrol: bool) -> StoreResult<(String, String)> {
    let token = random_token();
    let csrf_token = random_token();
    let now = wall_time();
    store.insert_session(&token_hash(&token), user_id, &csrf_token, now, now + ABSOLUTE_TIMEOUT, must_enrol).await?;
    Ok((token, csrf_token))
}

/// The token of the request's single sign-on cookie, if any.
pub fn single_sign_on_from_headers(state: &AppState, headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, state.cookies.single_sign_on_name())
}

/// The token of the request's second-step cookie, if any.
pub fn challenge_from_headers(state: &AppState, headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, state.cookies.challenge_name())
}

/// Ends the session named by the request's cookie, if any (used at sign-in).
pub async fn end_session_from_headers(state: &AppState, headers: &HeaderMap) -> StoreResult<()> {
    if let Some(token) = cookie_value(headers, state.cookies.name()) {
        let hash = token_hash(&token);
        state.store.delete_session(&hash).await?;
        state.sessions.remove(&hash);
    }
    Ok(())
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: CurrentUser,
    pub csrf_token: String,
    token_hash: String,
    /// The session may only enrol a second factor; only [`Enrolling`] admits it.
    pub must_enrol: bool,
    /// The user has a confirmed authenticator.
    pub totp_enabled: bool,
}

/// The caller of an endpoint that a session waiting to enrol a second factor may also use (the
/// session itself, sign-out, the enrolment): [`Authenticated`] refuses such sessions with 403
/// `second_factor_enrolment_required`.
#[derive(Debug, Clone)]
pub struct Enrolling(pub Authenticated);

impl Authenticated {
    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn organization_id(&self) -> i64 {
        self.user.organization.id
    }

    /// The hash of this session's token (the session a password change keeps).
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// Ends this session, on every instance (`sessions`).
    pub async fn sign_out(&self, state: &AppState) -> StoreResult<()> {
        state.store.delete_session(&self.token_hash).await?;
        state.sessions.remove(&self.token_hash);
        Ok(())
    }

    /// Refuses the request unless the caller's role may take `action` at all (the domain's one
    /// permission table, `Role::may`; 403). Whether it may on this voucher is the transition's.
    pub fn require_action(&self, action: planning_domain::Action) -> Result<(), ApiError> {
        if self.user.role.may(action) {
            Ok(())
        } else {
            Err(ApiError::code(ErrorCode::Forbidden))
        }
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

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = authenticate(parts, state).await?;
        if caller.must_enrol {
            return Err(ApiError::code(ErrorCode::SecondFactorEnrolmentRequired));
        }
        Ok(caller)
    }
}

impl FromRequestParts<AppState> for Enrolling {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).await.map(Enrolling)
    }
}

/// The session of the request, checked (expiry, anti-forgery token) and touched.
async fn authenticate(parts: &mut Parts, state: &AppState) -> Result<Authenticated, ApiError> {
    {
        let token = session_cookie(parts, state.cookies.name()).ok_or(ApiError::code(ErrorCode::Unauthenticated))?;
        let hash = token_hash(&token);
        // A state change always reads the session: one ended elsewhere a moment ago changes
        // nothing. Reads may use a session verified within `sessions::FRESH_FOR` (PostgreSQL).
        let cached = if is_safe(&parts.method) { state.sessions.get(&hash) } else { None };
        let session = match cached {
            Some(session) => session,
            None => {
                let generation = state.sessions.generation();
                let session = state.store.session(&hash).await?.ok_or(ApiError::code(ErrorCode::Unauthenticated))?;
                state.sessions.insert(&hash, &session, generation);
                session
            }
        };
        let now = wall_time();
        if now - session.last_seen_at > IDLE_TIMEOUT || now - session.created_at > ABSOLUTE_TIMEOUT {
            state.store.delete_session(&hash).await?;
            state.sessions.remove(&hash);
            return Err(ApiError::code(ErrorCode::Unauthenticated));
        }
        if !is_safe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("");
            if !constant_time_equal(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::code(ErrorCode::CrossSiteRequest));
            }
        }
        if now - session.last_seen_at > TOUCH_INTERVAL {
            state.store.touch_session(&hash, now).await?;
            state.sessions.touched(&hash, now);
        }
        Ok(Authenticated {
            user: session.user,
            csrf_token: session.csrf_token,
            token_hash: hash,
            must_enrol: session.must_enrol,
            totp_enabled: session.totp_enabled,
        })
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

pub fn constant_time_equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_are_argon2id_phc_strings_the_argon2_crate_agrees_with() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};

        let ours = new_hash(b"correct horse").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        assert!(matches(&ours, b"correct horse"));
        assert!(!matches(&ours, b"correct horsf"));
        assert_ne!(new_hash(b"correct horse").unwrap(), ours, "a new salt each time");
        // The crate's own verifier accepts our hash, and we accept the crate's.
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse", &parsed).is_ok());
        let theirs = Argon2::default().hash_password(b"battery staple").unwrap().to_string();
        assert!(matches(&theirs, b"battery staple"));
        assert!(!matches(&theirs, b"battery stapler"));
        // Other parameters are read from the string (here less memory and one more pass).
        let small = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(1024, 3, 1, None).unwrap())
            .hash_password(b"staple")
            .unwrap()
            .to_string();
        assert!(matches(&small, b"staple"));
        for malformed in ["", "plain", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA", "$md5$abc$def"] {
            assert!(!matches(malformed, b"staple"), "{malformed}");
        }
    }

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
}
