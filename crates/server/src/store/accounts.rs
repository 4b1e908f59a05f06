//! Organizations, users and sessions.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::account::OrganizationKind;
use planning_domain::api::{CurrentUser, User};
use planning_domain::Role;

use super::vouchers::AuditActor;
use super::StoreResult;

/// A session as stored: the user it belongs to and its times.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: CurrentUser,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session may only enrol a second factor (the deployment requires one of the user).
    pub must_enrol: bool,
    /// The user has a confirmed authenticator.
    pub totp_enabled: bool,
}

/// A user's TOTP authenticator as stored.
#[derive(Debug, Clone)]
pub struct TotpFactor {
    /// Base32.
    pub secret: String,
    /// `false`: an enrolment waiting for its first code.
    pub confirmed: bool,
    /// The time step of the last code accepted.
    pub last_step: i64,
}

/// A single sign-on under way, as the start stored it for the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSingleSignOn {
    /// The `state` sent to the provider, which it sends back.
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier whose challenge went to the provider.
    pub pkce_verifier: String,
}

/// A new user to store (already validated).
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A new organization to store.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub kind: OrganizationKind,
    pub name: String,
    pub country: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait AccountStore {
    /// One round trip to the database.
    async fn ping(&self) -> StoreResult<()>;

    /// The id and password hash of an enabled user with this (lower-case) email.
    async fn credentials(&self, email: &str) -> StoreResult<Option<(i64, String)>>;

    async fn current_user(&self, user_id: i64) -> StoreResult<CurrentUser>;

    /// Stores a session under the hash of its token.
    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        must_enrol: bool,
    ) -> StoreResult<()>;

    /// The session with this token hash, if its user is enabled.
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;

    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()>;

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    async fn users_of(&self, organization_id: i64) -> StoreResult<Vec<User>>;

    /// Adds a user to an organization; `Conflict` when the email is taken.
    async fn insert_user(&self, organization_id: i64, member: NewMember) -> StoreResult<i64>;

    /// Disables a user of this organization and ends their sessions, atomically. `false` when
    /// no such user belongs to the organization.
    async fn disable_user(&self, organization_id: i64, user_id: i64, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Whether any organization exists (an empty database gets the demo data).
    async fn has_organizations(&self) -> StoreResult<bool>;

    /// Creates organizations with their users and records `marker` in the metadata, all in one
    /// transaction: either everything is there afterwards or nothing is.
    async fn seed_organizations(
        &self,
        organizations: Vec<(NewOrganization, Vec<NewMember>)>,
        marker: (&str, &str),
    ) -> StoreResult<()>;

    /// The id of the organization with this name (demo data refers to organizations by name).
    async fn organization_id(&self, name: &str) -> StoreResult<Option<i64>>;

    /// The password hash of an enabled user.
    async fn password_hash(&self, user_id: i64) -> StoreResult<Option<String>>;

    /// Sets a new password hash and ends every session of the user but `kept_session` (a token
    /// hash), with a notification, atomically.
    async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        kept_session: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// For an enabled user with this (lower-case) email: a reset request until `expires_at`
    /// with its notification (which the mail job emails with a fresh link). `false`: no such user.
    async fn request_password_reset(
        &self,
        email: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        minutes: i64,
    ) -> StoreResult<bool>;

    /// Gives a reset request the hash of a new link token (replacing an earlier one), if it is
    /// still unused and unexpired at `now`; `false` otherwise.
    async fn issue_reset_token(&self, reset_id: i64, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Uses the reset request with this token hash, if unused, unexpired and of an enabled user:
    /// sets the password, uses every other request of the user, ends all their sessions and
    /// pending sign-ins, with a notification, atomically. The user's id, or `None`.
    async fn complete_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>>;

    async fn totp_factor(&self, user_id: i64) -> StoreResult<Option<TotpFactor>>;

    /// Stores a new unconfirmed secret (replacing an unconfirmed one); `false` when the user's
    /// authenticator is already confirmed.
    async fn start_totp_enrolment(&self, user_id: i64, secret: &str, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Confirms the unconfirmed authenticator with the step of its first code, replaces the
    /// recovery codes with these hashes, lifts `must_enrol` from the user's sessions, with a
    /// notification, atomically; `false` when no enrolment was waiting.
    async fn confirm_totp(
        &self,
        user_id: i64,
        step: i64,
        recovery_code_hashes: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Turns the user's confirmed authenticator off: the factor and its recovery codes go,
    /// with a notification, atomically; `false` when none was on.
    async fn remove_totp(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Replaces the recovery codes of the user's confirmed authenticator with these hashes,
    /// with a notification, atomically; `false` when none is on.
    async fn renew_recovery_codes(
        &self,
        user_id: i64,
        recovery_code_hashes: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Records that a code of `step` was used, if no code of this step or a later one was
    /// (one conditional write: two instances cannot both accept a code).
    async fn use_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool>;

    /// Uses an unused recovery code of the user; `false` if it is not one.
    async fn use_recovery_code(&self, user_id: i64, code_hash: &str, now: DateTime<Utc>) -> StoreResult<bool>;

    async fn recovery_codes_left(&self, user_id: i64) -> StoreResult<u32>;

    /// A sign-in waiting for its second step.
    async fn insert_sign_in_challenge(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The user of an unexpired challenge of an enabled user with fewer than `max_failures`
    /// wrong codes.
    async fn sign_in_challenge(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        max_failures: u32,
    ) -> StoreResult<Option<i64>>;

    async fn record_challenge_failure(&self, token_hash: &str) -> StoreResult<()>;

    async fn delete_sign_in_challenge(&self, token_hash: &str) -> StoreResult<()>;

    /// Whether the users of the organization may sign in with a password.
    async fn local_passwords_allowed(&self, organization_id: i64) -> StoreResult<bool>;

    /// Sets whether the organization's users may sign in with a password, with its audit row,
    /// atomically.
    async fn set_local_passwords_allowed(
        &self,
        organization_id: i64,
        allowed: bool,
        actor: &AuditActor,
        program_date: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Deletes the sign-in rows past their use (`cleanup.rs`); returns how many went.
    async fn delete_expired_sign_in_rows(&self, cutoffs: &ExpiryCutoffs) -> StoreResult<u64>;

    /// Appends the audit row of a user's single sign-on (issuer named).
    async fn record_single_sign_on(
        &self,
        user: &CurrentUser,
        issuer: &str,
        program_date: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Stores a single sign-on under way under the hash of its browser cookie, until `expires_at`.
    async fn insert_single_sign_on(
        &self,
        browser_hash: &str,
        pending: &PendingSingleSignOn,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Takes (deletes and returns) the unexpired single sign-on of this browser hash: one
    /// statement, so a callback is accepted once, on any instance.
    async fn take_single_sign_on(
        &self,
        browser_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<PendingSingleSignOn>>;

    /// A fact about the database itself (`app_meta`).
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
}

/// What [`AccountStore::delete_expired_sign_in_rows`] deletes: sessions last seen before
/// `session_idle_before` or created before `session_created_before`, single sign-ons expired
/// before `single_sign_on_before`, second-step challenges and reset links expired before
/// `code_expired_before`.
#[derive(Debug, Clone, Copy)]
pub struct ExpiryCutoffs {
    pub session_idle_before: DateTime<Utc>,
    pub session_created_before: DateTime<Utc>,
    pub single_sign_on_before: DateTime<Utc>,
    pub code_expired_before: DateTime<Utc>,
}
