//! The outbox as the mail job sees it: notifications still to email, and what became of a send.
//!
//! The rows themselves are written with the change they report (`VoucherStore`,
//! `PaymentStore`); this trait only moves their delivery state.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planning_domain::api::vouchers::NotificationEvent;

use super::StoreResult;

/// An outbox row to email.
#[derive(Debug, Clone)]
pub struct PendingEmail {
    pub id: i64,
    pub recipient_email: String,
    /// `None` when the stored event cannot be read (a bug or a hand-edited row): a bad row that
    /// fails like an undeliverable message, without stopping the others.
    pub event: Option<NotificationEvent>,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// What became of one failed send.
#[derive(Debug, Clone)]
pub struct EmailFailure {
    pub id: i64,
    /// Why, for operators; never the message itself.
    pub error: String,
    /// Whether the failure counts toward giving the row up (the message was refused), or was the
    /// server's (unreachable, TLS, timeout) and says nothing about this row.
    pub counts_as_attempt: bool,
    /// Not tried again before this time.
    pub retry_at: DateTime<Utc>,
}

#[async_trait]
pub trait OutboxStore {
    /// Takes up to `limit` unsent rows, oldest first, that are due at `now` and have fewer than
    /// `max_attempts` failures, and leases them until `lease_until` (so a second server on the
    /// same data does not send them too). Rows given up are never returned again.
    async fn take_unsent_emails(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: u32,
    ) -> StoreResult<Vec<PendingEmail>>;

    /// Records that the row was emailed (kept as first recorded), which ends its delivery.
    async fn mark_emailed(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;

    /// Records a failed send; the row stays unsent.
    async fn record_email_failure(&self, failure: &EmailFailure) -> StoreResult<()>;
}
