//! Embed tokens (migration 0007). Times are RFC 3339 UTC truncated to milliseconds, with a `Z`
//! (`encode::sortable_time`), so `expires_at > $n` compares times as text (bytewise: SQLite's
//! binary collation, `COLLATE "C"` on PostgreSQL).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planning_domain::api::embed::EmbedTarget;

use super::{parse_json, parse_time, sortable_time as sortable, to_json, SqlStore};
use crate::store::embed_tokens::{EmbedTokenRecord, EmbedTokenStore, NewEmbedToken};
use crate::store::{StoreError, StoreResult};

const SELECT: &str = "SELECT t.id, t.owner_user_id, t.voucher_id, t.partner_organization_id, t.allowed_origins, \
                      t.created_at, t.expires_at, t.revoked_at, u.disabled_at AS owner_disabled_at \
                      FROM embed_tokens t JOIN users u ON u.id = t.owner_user_id";

#[derive(sqlx::FromRow)]
struct EmbedTokenRow {
    id: i64,
    owner_user_id: i64,
    voucher_id: Option<String>,
    partner_organization_id: Option<i64>,
    allowed_origins: String,
    created_at: String,
    expires_at: String,
    revoked_at: Option<String>,
    owner_disabled_at: Option<String>,
}

impl EmbedTokenRow {
    fn into_record(self) -> StoreResult<EmbedTokenRecord> {
        let target = match (self.voucher_id, self.partner_organization_id) {
            (Some(voucher_id), None) => EmbedTarget::Voucher(voucher_id),
            (None, Some(partner_id)) => EmbedTarget::Partner(partner_id),
            _ => return Err(StoreError::Corrupt(format!("embed token {} has no single target", self.id))),
        };
        Ok(EmbedTokenRecord {
            id: self.id,
            owner_user_id: self.owner_user_id,
            target,
            allowed_origins: parse_json(&self.allowed_origins)?,
            created_at: parse_time(&self.created_at)?,
            expires_at: parse_time(&self.expires_at)?,
            revoked_at: self.revoked_at.as_deref().map(parse_time).transpose()?,
            owner_disabled: self.owner_disabled_at.is_some(),
        })
    }
}

#[async_trait]
impl EmbedTokenStore for SqlStore {
    async fn insert_embed_token(&self, token: NewEmbedToken) -> StoreResult<i64> {
        let (voucher_id, partner_id) = match &token.target {
            EmbedTarget::Voucher(voucher_id) => (Some(voucher_id.as_str()), None),
            EmbedTarget::Partner(partner_id) => (None, Some(*partner_id)),
        };
        let mut transaction = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO embed_tokens (token_hash, owner_user_id, voucher_id, partner_organization_id, \
             allowed_origins, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&token.token_hash)
        .bind(token.owner_user_id)
        .bind(voucher_id)
        .bind(partner_id)
        .bind(to_json(&token.allowed_origins)?)
        .bind(sortable(token.created_at))
        .bind(sortable(token.expires_at))
        .fetch_one(&mut *transaction)
        .await?;
        for origin in &token.allowed_origins {
            sqlx::query("INSERT INTO embed_token_origins (token_id, origin) VALUES ($1, $2)")
                .bind(id)
                .bind(origin.as_str())
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(id)
    }

    async fn embed_tokens_of(&self, owner_user_id: i64) -> StoreResult<Vec<EmbedTokenRecord>> {
        let rows: Vec<EmbedTokenRow> =
            sqlx::query_as(&format!("{SELECT} WHERE t.owner_user_id = $1 ORDER BY t.id DESC"))
                .bind(owner_user_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(EmbedTokenRow::into_record).collect()
    }

    async fn embed_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<EmbedTokenRecord>> {
        let row: Option<EmbedTokenRow> = sqlx::query_as(&format!("{SELECT} WHERE t.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(EmbedTokenRow::into_record).transpose()
    }

    async fn revoke_embed_token(
        &self,
        owner_user_id: i64,
        token_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<EmbedTokenRecord>> {
        // One statement: the guard on the owner and the revocation cannot be split. Two racing
        // revocations serialize on the row lock; `coalesce` keeps the first time.
        let revoked: Option<i64> = sqlx::query_scalar(
            "UPDATE embed_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 AND owner_user_id = $3 \
             RETURNING id",
        )
        .bind(sortable(now))
        .bind(token_id)
        .bind(owner_user_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(id) = revoked else { return Ok(None) };
        let row: Option<EmbedTokenRow> =
            sqlx::query_as(&format!("{SELECT} WHERE t.id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.map(EmbedTokenRow::into_record).transpose()
    }

    async fn origin_has_live_embed_token(&self, origin: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let found: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM embed_token_origins o JOIN embed_tokens t ON t.id = o.token_id \
             JOIN users u ON u.id = t.owner_user_id \
             WHERE o.origin = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL LIMIT 1",
        )
        .bind(origin)
        .bind(sortable(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }
}
