//! SAVB registrations, payment requests, their vouchers, the payment outbox and idempotency
//! records.
//!
//! A request transition is one transaction whose first statement is a guarded write: the claim
//! of the idempotency key (`INSERT … ON CONFLICT DO NOTHING`) when there is one, else the request
//! update `… WHERE version = $n`. A racing writer of the same key or row waits (for SQLite's
//! write lock, or at that statement for PostgreSQL's row lock) until the first commits or rolls
//! back, then sees its result, so one applies. Every voucher the transition changes is
//! guarded by its own version in the same transaction; audit rows and notifications go with it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planning_domain::api::payments::PaymentAuditEntry;
use planning_domain::api::vouchers::NotificationEvent;
use planning_domain::payment::{PaymentState, SavbRegistration};
use planning_domain::{PaymentRequest, PaymentStatus, VoucherEvent};
use sqlx::{Any, Transaction};

use super::{
    insert_audit, insert_notifications, name_of, parse_date, parse_json, parse_name, read_audit, to_json, AuditRow,
    SqlStore,
};
use crate::store::payments::{
    IdempotentOutcome, IdempotentResponse, PaymentStore, PaymentWrite, SeedPaymentRequest, StoredPaymentRequest,
    StoredResponse,
};
use crate::store::vouchers::{AuditActor, WriteOutcome};
use crate::store::{StoreError, StoreResult};

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    body: String,
    version: i64,
    partner_organization_id: i64,
    partner_name: String,
}

impl RequestRow {
    fn into_stored(self) -> StoreResult<StoredPaymentRequest> {
        Ok(StoredPaymentRequest {
            request: parse_json(&self.body)?,
            sequence: self.id,
            version: self.version,
            partner_organization_id: self.partner_organization_id,
            partner_name: self.partner_name,
        })
    }
}

const REQUEST_SELECT: &str = "SELECT r.id, r.body, r.version, r.partner_organization_id, o.name AS partner_name \
     FROM payment_requests r JOIN organizations o ON o.id = r.partner_organization_id";

/// The columns copied from the request beside its body.
struct Columns {
    status: String,
    reference_number: Option<String>,
    currency: String,
    total_minor_units: i64,
    reject_reason: Option<String>,
    submitted_on: Option<String>,
}

fn columns(request: &PaymentRequest) -> Columns {
    Columns {
        status: name_of(&request.status()),
        reference_number: request.reference.map(|reference| reference.to_string()),
        currency: request.total.currency().code().to_owned(),
        total_minor_units: request.total.minor_units(),
        reject_reason: match &request.state {
            PaymentState::Rejected { reason, .. } => Some(reason.clone()),
            _ => None,
        },
        submitted_on: request.state.submitted_on().map(|date| date.to_string()),
    }
}

/// The guarded update of the request row; `false` when its version moved on.
async fn update_request(transaction: &mut Transaction<'_, Any>, write: &PaymentWrite) -> StoreResult<bool> {
    let request = &write.request;
    let columns = columns(request);
    let updated = sqlx::query(
        "UPDATE payment_requests SET status = $1, reference_number = $2, currency = $3, total_minor_units = $4, \
         reject_reason = $5, submitted_on = $6, body = $7, version = version + 1, updated_at = $8 \
         WHERE request_id = $9 AND version = $10",
    )
    .bind(columns.status)
    .bind(columns.reference_number)
    .bind(columns.currency)
    .bind(columns.total_minor_units)
    .bind(columns.reject_reason)
    .bind(columns.submitted_on)
    .bind(to_json(request)?)
    .bind(write.now.to_rfc3339())
    .bind(&request.id)
    .bind(write.expected_version)
    .execute(&mut **transaction)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// The guarded updates of the vouchers, in voucher id order (so that two requests naming the
/// same vouchers lock them in the same order and never deadlock); `false` when one moved on.
async fn update_vouchers(transaction: &mut Transaction<'_, Any>, write: &PaymentWrite) -> StoreResult<bool> {
    let mut changes: Vec<_> = write.vouchers.iter().collect();
    changes.sort_by(|left, right| left.voucher.id.as_str().cmp(right.voucher.id.as_str()));
    for change in changes {
        let voucher = &change.voucher;
        let updated = sqlx::query(
            "UPDATE vouchers SET body = $1, status = $2, version = version + 1, updated_at = $3 \
             WHERE voucher_id = $4 AND version = $5",
        )
        .bind(to_json(voucher)?)
        .bind(name_of(&voucher.status()))
        .bind(write.now.to_rfc3339())
        .bind(voucher.id.as_str())
        .bind(change.expected_version)
        .execute(&mut **transaction)
        .await?;
        if updated.rows_affected() != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Replaces the rows listing the request's vouchers with its current lines.
async fn write_lines(transaction: &mut Transaction<'_, Any>, request: &PaymentRequest) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM payment_request_vouchers WHERE payment_request_id = \
         (SELECT id FROM payment_requests WHERE request_id = $1)",
    )
    .bind(&request.id)
    .execute(&mut **transaction)
    .await?;
    for line in &request.lines {
        sqlx::query(
            "INSERT INTO payment_request_vouchers (payment_request_id, voucher_id, amount_minor_units) \
             SELECT id, $1, $2 FROM payment_requests WHERE request_id = $3",
        )
        .bind(line.voucher_id.as_str())
        .bind(line.amount.minor_units())
        .bind(&request.id)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// Writes the audit rows of the request and its vouchers, and the notifications.
async fn write_side_effects(transaction: &mut Transaction<'_, Any>, write: &PaymentWrite) -> StoreResult<()> {
    let (actor, program_date) = (&write.actor, write.program_date);
    let now = write.now.to_rfc3339();
    let to_status = name_of(&write.request.status());
    for event in &write.events {
        let row = AuditRow {
            subject_kind: "payment_request",
            subject_id: &write.request.id,
            actor_user_id: actor.user_id,
            actor_name: &actor.name,
            event_json: to_json(event)?,
            from_status: write.from_status.map(|status| name_of(&status)),
            to_status: to_status.clone(),
            program_date,
            at: &now,
        };
        insert_audit(transaction, row).await?;
    }
    for change in &write.vouchers {
        for event in &change.events {
            let row = AuditRow {
                subject_kind: "voucher",
                subject_id: change.voucher.id.as_str(),
                actor_user_id: actor.user_id,
                actor_name: &actor.name,
                event_json: to_json(event)?,
                from_status: Some(name_of(&change.from_status)),
                to_status: name_of(&change.voucher.status()),
                program_date,
                at: &now,
            };
            insert_audit(transaction, row).await?;
        }
    }
    let notifications: Vec<_> = write
        .notifications
        .iter()
        .map(|notification| {
            let event = NotificationEvent::Payment(notification.event.clone());
            (notification.recipient_user_id, notification.recipient_email.as_str(), event)
        })
        .collect();
    insert_notifications(transaction, &notifications, &now).await?;
    Ok(())
}

/// The request update, the voucher updates and what goes with them, after the first statement.
async fn write_transition(transaction: &mut Transaction<'_, Any>, write: &PaymentWrite) -> StoreResult<bool> {
    if !update_request(transaction, write).await? || !update_vouchers(transaction, write).await? {
        return Ok(false);
    }
    if write.request.status() == PaymentStatus::Draft {
        write_lines(transaction, &write.request).await?;
    }
    write_side_effects(transaction, write).await?;
    Ok(true)
}

#[async_trait]
impl PaymentStore for SqlStore {
    async fn payment_registrations(&self, partner_organization_id: i64) -> StoreResult<Vec<SavbRegistration>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT program, registered_on FROM savb_registrations WHERE partner_organization_id = $1 ORDER BY program",
        )
        .bind(partner_organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(program, registered_on)| {
                Ok(SavbRegistration {
                    partner_id: partner_organization_id.to_string(),
                    program: parse_name(&program)?,
                    registered_on: parse_date(&registered_on)?,
                })
            })
            .collect()
    }

    async fn insert_payment_registration(
        &self,
        partner_organization_id: i64,
        registration: &SavbRegistration,
        actor: &AuditActor,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let inserted = sqlx::query(
            "INSERT INTO savb_registrations (partner_organization_id, program, registered_on, registered_by_user_id, \
             created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partner_organization_id, program) DO NOTHING",
        )
        .bind(partner_organization_id)
        .bind(name_of(&registration.program))
        .bind(registration.registered_on.to_string())
        .bind(actor.user_id)
        .bind(now.to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn payment_request(&self, request_id: &str) -> StoreResult<Option<StoredPaymentRequest>> {
        let row: Option<RequestRow> = sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.request_id = $1"))
            .bind(request_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(RequestRow::into_stored).transpose()
    }

    async fn payment_requests_of(&self, partner_organization_id: i64) -> StoreResult<Vec<StoredPaymentRequest>> {
        let rows: Vec<RequestRow> =
            sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.partner_organization_id = $1 ORDER BY r.id DESC"))
                .bind(partner_organization_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(RequestRow::into_stored).collect()
    }

    async fn payment_requests_in_review(&self) -> StoreResult<Vec<StoredPaymentRequest>> {
        let rows: Vec<RequestRow> = sqlx::query_as(&format!(
            "{REQUEST_SELECT} WHERE r.status IN ('submitted', 'on_hold') ORDER BY r.submitted_on, r.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(RequestRow::into_stored).collect()
    }

    async fn insert_payment_request(&self, write: PaymentWrite) -> StoreResult<()> {
        let request = &write.request;
        let columns = columns(request);
        let mut transaction = self.begin_write().await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO payment_requests (request_id, partner_organization_id, program, status, reference_number, \
             currency, total_minor_units, reject_reason, created_on, submitted_on, body, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12) ON CONFLICT (request_id) DO NOTHING RETURNING id",
        )
        .bind(&request.id)
        .bind(write.partner_organization_id)
        .bind(name_of(&request.program))
        .bind(columns.status)
        .bind(columns.reference_number)
        .bind(columns.currency)
        .bind(columns.total_minor_units)
        .bind(columns.reject_reason)
        .bind(request.created_on.to_string())
        .bind(columns.submitted_on)
        .bind(to_json(request)?)
        .bind(write.now.to_rfc3339())
        .fetch_optional(&mut *transaction)
        .await?;
        if inserted.is_none() {
            return Err(StoreError::Conflict("payment request id"));
        }
        write_lines(&mut transaction, request).await?;
        write_side_effects(&mut transaction, &write).await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn apply_payment_transition(&self, write: PaymentWrite) -> StoreResult<WriteOutcome> {
        let mut transaction = self.begin_write().await?;
        if !write_transition(&mut transaction, &write).await? {
            return Ok(WriteOutcome::Stale);
        }
        transaction.commit().await?;
        Ok(WriteOutcome::Applied)
    }

    async fn apply_idempotent_payment_transition(
        &self,
        write: PaymentWrite,
        response: IdempotentResponse,
    ) -> StoreResult<IdempotentOutcome> {
        let mut transaction = self.begin_write().await?;
        let claimed: Option<i64> = sqlx::query_scalar(
            "INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, status_code, response_body, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING user_id",
        )
        .bind(response.user_id)
        .bind(&response.key)
        .bind(&response.fingerprint)
        .bind(i64::from(response.status_code))
        .bind(&response.body)
        .bind(write.now.to_rfc3339())
        .fetch_optional(&mut *transaction)
        .await?;
        if claimed.is_none() {
            // The insert waited for the transaction that claimed the key to commit, so the row
            // read (a new snapshot at READ COMMITTED) is the committed first use.
            let stored = stored_response(&mut transaction, response.user_id, &response.key).await?;
            return stored.map(IdempotentOutcome::AlreadyUsed).ok_or(StoreError::Conflict("idempotency key"));
        }
        if !write_transition(&mut transaction, &write).await? {
            return Ok(IdempotentOutcome::Stale);
        }
        transaction.commit().await?;
        Ok(IdempotentOutcome::Applied)
    }

    async fn idempotent_response(&self, user_id: i64, key: &str) -> StoreResult<Option<StoredResponse>> {
        let row: Option<(String, i64, Vec<u8>)> = sqlx::query_as(
            "SELECT fingerprint, status_code, response_body FROM idempotency_keys \
             WHERE user_id = $1 AND idempotency_key = $2",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(stored).transpose()
    }

    async fn payment_audit_trail(&self, request_id: &str) -> StoreResult<Vec<PaymentAuditEntry>> {
        let records = read_audit(&self.pool, "payment_request", request_id).await?;
        Ok(records
            .into_iter()
            .map(|record| PaymentAuditEntry {
                at: record.at,
                program_date: record.program_date,
                actor_name: record.actor_name,
                event: record.event,
                from_status: record.from_status,
                to_status: record.to_status,
            })
            .collect())
    }

    async fn seed_payment_data(
        &self,
        partner_organization_id: i64,
        registrations: Vec<SavbRegistration>,
        requests: Vec<SeedPaymentRequest>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let at = now.to_rfc3339();
        let mut transaction = self.begin_write().await?;
        for registration in &registrations {
            sqlx::query(
                "INSERT INTO savb_registrations (partner_organization_id, program, registered_on, \
                 registered_by_user_id, created_at) VALUES ($1, $2, $3, NULL, $4)",
            )
            .bind(partner_organization_id)
            .bind(name_of(&registration.program))
            .bind(registration.registered_on.to_string())
            .bind(&at)
            .execute(&mut *transaction)
            .await?;
        }
        for seed in requests {
            let request = &seed.request;
            let columns = columns(request);
            // The row id is the reference number's sequence; a draft takes the next one, as an
            // insert without an id would on SQLite, and PostgreSQL's identity sequence is moved
            // past them all below.
            let sequence = request.reference.map(|reference| i64::from(reference.sequence()));
            sqlx::query(
                "INSERT INTO payment_requests (id, request_id, partner_organization_id, program, status, \
                 reference_number, currency, total_minor_units, reject_reason, created_on, submitted_on, body, \
                 version, updated_at) VALUES (coalesce($1, (SELECT coalesce(max(id), 0) + 1 FROM payment_requests)), \
                 $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13)",
            )
            .bind(sequence)
            .bind(&request.id)
            .bind(partner_organization_id)
            .bind(name_of(&request.program))
            .bind(columns.status)
            .bind(columns.reference_number)
            .bind(columns.currency)
            .bind(columns.total_minor_units)
            .bind(columns.reject_reason)
            .bind(request.created_on.to_string())
            .bind(columns.submitted_on)
            .bind(to_json(request)?)
            .bind(&at)
            .execute(&mut *transaction)
            .await?;
            write_lines(&mut transaction, request).await?;
            for voucher in &seed.vouchers {
                let updated = sqlx::query(
                    "UPDATE vouchers SET body = $1, status = $2, version = version + 1, updated_at = $3 \
                     WHERE voucher_id = $4 AND status = 'redeemed'",
                )
                .bind(to_json(voucher)?)
                .bind(name_of(&voucher.status()))
                .bind(&at)
                .bind(voucher.id.as_str())
                .execute(&mut *transaction)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Corrupt(format!("demo voucher {} is not redeemed", voucher.id)));
                }
            }
            for step in &seed.steps {
                let row = AuditRow {
                    subject_kind: "payment_request",
                    subject_id: &request.id,
                    actor_user_id: None,
                    actor_name: "Demo data",
                    event_json: to_json(&step.event)?,
                    from_status: step.from_status.map(|status| name_of(&status)),
                    to_status: name_of(&step.to_status),
                    program_date: step.program_date,
                    at: &at,
                };
                insert_audit(&mut transaction, row).await?;
            }
            let program_date = seed.steps.last().map_or_else(|| request.created_on, |step| step.program_date);
            for event in &seed.voucher_events {
                let (voucher_id, from_status, to_status) = match event {
                    VoucherEvent::Claimed { voucher_id, .. } => (voucher_id, "redeemed", "claimed"),
                    VoucherEvent::Paid { voucher_id, .. } => (voucher_id, "claimed", "paid"),
                    VoucherEvent::ClaimReleased { voucher_id, .. } => (voucher_id, "claimed", "redeemed"),
                    _ => continue,
                };
                let row = AuditRow {
                    subject_kind: "voucher",
                    subject_id: voucher_id.as_str(),
                    actor_user_id: None,
                    actor_name: "Demo data",
                    event_json: to_json(event)?,
                    from_status: Some(from_status.to_owned()),
                    to_status: to_status.to_owned(),
                    program_date,
                    at: &at,
                };
                insert_audit(&mut transaction, row).await?;
            }
        }
        super::move_identity_past_rows(&mut transaction, self.dialect, "payment_requests").await?;
        transaction.commit().await?;
        Ok(())
    }
}

fn stored((fingerprint, status_code, body): (String, i64, Vec<u8>)) -> StoreResult<StoredResponse> {
    let status_code = u16::try_from(status_code).map_err(|_| StoreError::Corrupt("status code".to_owned()))?;
    Ok(StoredResponse { fingerprint, status_code, body })
}

async fn stored_response(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    key: &str,
) -> StoreResult<Option<StoredResponse>> {
    let row: Option<(String, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT fingerprint, status_code, response_body FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(&mut **transaction)
    .await?;
    row.map(stored).transpose()
}
