//! Email delivery state of the outbox (columns of migration 0006).
//!
//! `email_retry_at` holds RFC 3339 UTC timestamps with milliseconds and a `Z`, so comparing the
//! text compares the times.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{sortable_time as sortable, SqlStore};
use crate::store::outbox::{EmailFailure, OutboxStore, PendingEmail};
use crate::store::StoreResult;

/// The longest error text kept per row.
const MAX_ERROR_CHARS: usize = 500;

#[async_trait]
impl OutboxStore for SqlStore {
    async fn take_unsent_emails(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: u32,
    ) -> StoreResult<Vec<PendingEmail>> {
        // One statement: selecting and leasing cannot be split by another server's pass. On
        // PostgreSQL rows another server is leasing right now are skipped rather than waited
        // for, and the outer conditions are checked again on the row as locked.
        let mut rows: Vec<(i64, String, String, i64)> = sqlx::query_as(&format!(
            "UPDATE outbox SET email_retry_at = $1 WHERE id IN ( \
                 SELECT id FROM outbox \
                 WHERE emailed_at IS NULL AND email_attempts < $2 \
                   AND (email_retry_at IS NULL OR email_retry_at <= $3) \
                 ORDER BY id LIMIT $4{skip_locked}) \
               AND emailed_at IS NULL AND (email_retry_at IS NULL OR email_retry_at <= $3) \
             RETURNING id, recipient_email, event, email_attempts",
            skip_locked = self.dialect.skip_locked(),
        ))
        .bind(sortable(lease_until))
        .bind(i64::from(max_attempts))
        .bind(sortable(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.sort_unstable_by_key(|row| row.0);
        Ok(rows
            .into_iter()
            .map(|(id, recipient_email, event, attempts)| PendingEmail {
                id,
                recipient_email,
                event: serde_json::from_str(&event).ok(),
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            })
            .collect())
    }

    async fn mark_emailed(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET emailed_at = coalesce(emailed_at, $1), email_error = NULL, email_retry_at = NULL \
             WHERE id = $2",
        )
        .bind(now.to_rfc3339())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_email_failure(&self, failure: &EmailFailure) -> StoreResult<()> {
        let error: String = failure.error.chars().take(MAX_ERROR_CHARS).collect();
        sqlx::query(
            "UPDATE outbox SET email_attempts = email_attempts + $1, email_error = $2, email_retry_at = $3 \
             WHERE id = $4 AND emailed_at IS NULL",
        )
        .bind(i64::from(failure.counts_as_attempt))
        .bind(error)
        .bind(sortable(failure.retry_at))
        .bind(failure.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
