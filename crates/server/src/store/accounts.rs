//! Organizations, users and sessions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planning_domain::account::OrganizationKind;
use planning_domain::api::{CurrentUser, User};
use planning_domain::Role;

use super::StoreResult;

/// A session as stored: the user it belongs to and its times.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: CurrentUser,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
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

    /// A fact about the database itself (`app_meta`).
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
}
