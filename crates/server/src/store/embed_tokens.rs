//! Embed tokens of the widget: created by a signed-in user for one subject, listed and revoked by
//! that user, looked up by the hash of their secret on every widget read.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planning_domain::api::embed::EmbedTarget;
use planning_domain::embed::AllowedOrigin;

use super::StoreResult;

/// A token to store: only the SHA-256 of its secret.
#[derive(Debug, Clone)]
pub struct NewEmbedToken {
    pub token_hash: String,
    pub owner_user_id: i64,
    pub target: EmbedTarget,
    pub allowed_origins: Vec<AllowedOrigin>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A token as stored.
#[derive(Debug, Clone)]
pub struct EmbedTokenRecord {
    pub id: i64,
    pub owner_user_id: i64,
    pub target: EmbedTarget,
    pub allowed_origins: Vec<AllowedOrigin>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The creator was disabled: the token works no more (like a revoked one).
    pub owner_disabled: bool,
}

#[async_trait]
pub trait EmbedTokenStore {
    /// Stores a new token with its origins (one transaction); returns its id.
    async fn insert_embed_token(&self, token: NewEmbedToken) -> StoreResult<i64>;

    /// The tokens a user created, newest first.
    async fn embed_tokens_of(&self, owner_user_id: i64) -> StoreResult<Vec<EmbedTokenRecord>>;

    /// The token whose secret hashes to `token_hash`, revoked and expired ones included.
    async fn embed_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<EmbedTokenRecord>>;

    /// Revokes one of the user's tokens (kept as first revoked); `None` when the user has no
    /// such token, else the token after the call.
    async fn revoke_embed_token(
        &self,
        owner_user_id: i64,
        token_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<EmbedTokenRecord>>;

    /// Whether a token that is neither revoked nor expired at `now`, of an enabled creator,
    /// allows `origin`.
    async fn origin_has_live_embed_token(&self, origin: &str, now: DateTime<Utc>) -> StoreResult<bool>;
}
