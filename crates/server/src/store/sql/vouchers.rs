//! Enrollments, vouchers, documents, audit log and outbox.
//!
//! Every write of a transition is one transaction whose first statement is the guarded write
//! (`… WHERE version = $n`, `… WHERE remaining_days = $n`): a second writer waits (for SQLite's
//! write lock, or at that statement for PostgreSQL's row lock) until the first commits, then
//! checks the guard against the new row, so of two racing requests exactly one applies. Audit rows
//! and notifications are written in the same transaction. On PostgreSQL a transition that leaves
//! the pool alone is one statement instead (`apply_transition_in_one_statement`): the guarded
//! update with the audit and outbox inserts hanging off its `RETURNING`.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::api::vouchers::{AuditEntry, Document, Enrollment, Notification, NotificationEvent, PoolEntry};
use planning_domain::listing::VoucherListing;
use planning_domain::{Role, ServiceLevel, Voucher};
use sqlx::{Any, Transaction};

use super::{
    insert_audit, insert_notifications, name_of, parse_date, parse_json, parse_name, read_audit, to_json, AuditRow,
    Dialect, SqlBuilder, SqlStore,
};
use crate::store::vouchers::{
    push_voucher_page, EnrollmentRecord, NewEnrollment, ProgramTotals, SeedVoucher, StoredVoucher, TransitionWrite,
    VoucherScope, VoucherStore, WriteOutcome, SHOWN_STATUS_SQL,
};
use crate::store::{StoreError, StoreResult};

#[derive(sqlx::FromRow)]
struct EnrollmentRow {
    id: i64,
    organization_id: i64,
    enrollment_number: String,
    ends_on: String,
    benefit_activated_on: Option<String>,
    remaining_days: i64,
}

impl EnrollmentRow {
    fn into_record(self) -> StoreResult<EnrollmentRecord> {
        Ok(EnrollmentRecord {
            id: self.id,
            organization_id: self.organization_id,
            enrollment: Enrollment {
                enrollment_id: self.enrollment_number,
                ends_on: parse_date(&self.ends_on)?,
                benefit_activated_on: self.benefit_activated_on.as_deref().map(parse_date).transpose()?,
                remaining_days: u32::try_from(self.remaining_days).unwrap_or(0),
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct VoucherRow {
    body: String,
    version: i64,
    customer_organization_id: i64,
    customer_name: String,
    partner_organization_id: Option<i64>,
    partner_name: Option<String>,
}

impl VoucherRow {
    fn into_stored(self) -> StoreResult<StoredVoucher> {
        Ok(StoredVoucher {
            voucher: parse_json(&self.body)?,
            version: self.version,
            customer_organization_id: self.customer_organization_id,
            customer_name: self.customer_name,
            partner_organization_id: self.partner_organization_id,
            partner_name: self.partner_name,
        })
    }
}

const VOUCHER_SELECT: &str = "SELECT v.body, v.version, v.customer_organization_id, c.name AS customer_name, \
     v.partner_organization_id, p.name AS partner_name \
     FROM vouchers v JOIN organizations c ON c.id = v.customer_organization_id \
     LEFT JOIN organizations p ON p.id = v.partner_organization_id";

/// The stored copy of the columns derived from the voucher.
fn redeemed_on(voucher: &Voucher) -> Option<String> {
    voucher.redemption().map(|redemption| redemption.redeemed_on.to_string())
}

/// Writes what accompanies every transition: pool change, audit rows, notifications.
async fn write_side_effects(transaction: &mut Transaction<'_, Any>, write: &TransitionWrite) -> StoreResult<()> {
    let now = write.now.to_rfc3339();
    if let Some(change) = &write.pool_change {
        let days = i64::from(change.new_remaining) - i64::from(change.expected_remaining);
        sqlx::query(
            "INSERT INTO pool_changes (enrollment_id, change_days, reason, voucher_id, on_date, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(change.enrollment_row_id)
        .bind(days)
        .bind(name_of(&change.reason))
        .bind(write.voucher.id.as_str())
        .bind(write.program_date.to_string())
        .bind(&now)
        .execute(&mut **transaction)
        .await?;
    }
    let to_status = name_of(&write.voucher.status());
    for event in &write.events {
        let row = AuditRow {
            subject_kind: "voucher",
            subject_id: write.voucher.id.as_str(),
            actor_user_id: write.actor.user_id,
            actor_name: &write.actor.name,
            event_json: to_json(event)?,
            from_status: write.from_status.map(|status| name_of(&status)),
            to_status: to_status.clone(),
            program_date: write.program_date,
            at: &now,
        };
        insert_audit(transaction, row).await?;
    }
    let notifications: Vec<_> = write
        .notifications
        .iter()
        .map(|notification| {
            let event = NotificationEvent::Voucher(notification.event.clone());
            (notification.recipient_user_id, notification.recipient_email.as_str(), event)
        })
        .collect();
    insert_notifications(transaction, &notifications, &now).await?;
    Ok(())
}

/// The guarded pool update; `false` when the pool no longer holds what was read.
async fn change_pool(transaction: &mut Transaction<'_, Any>, write: &TransitionWrite) -> StoreResult<bool> {
    let Some(change) = &write.pool_change else { return Ok(true) };
    let updated = sqlx::query("UPDATE enrollments SET remaining_days = $1 WHERE id = $2 AND remaining_days = $3")
        .bind(i64::from(change.new_remaining))
        .bind(change.enrollment_row_id)
        .bind(i64::from(change.expected_remaining))
        .execute(&mut **transaction)
        .await?;
    Ok(updated.rows_affected() == 1)
}

impl SqlStore {
    /// A transition without a pool change as one PostgreSQL statement (one round trip, no
    /// transaction to begin and commit): the guarded update, and the audit rows and
    /// notifications inserted from its `RETURNING`, so they are written only when the guard
    /// held. The statement is atomic on its own; a racing writer waits at the row lock and then
    /// finds the version moved, exactly as in the transaction of [`write_side_effects`].
    async fn apply_transition_in_one_statement(&self, write: &TransitionWrite) -> StoreResult<WriteOutcome> {
        let voucher = &write.voucher;
        let now = write.now.to_rfc3339();
        let mut statement = SqlBuilder::new("WITH updated AS (UPDATE vouchers SET body = ");
        statement.push_bind(to_json(voucher)?).push(", status = ").push_bind(name_of(&voucher.status()));
        statement.push(", partner_organization_id = ").push_bind(write.partner_organization_id);
        statement.push(", redeemed_on = ").push_bind(redeemed_on(voucher));
        statement.push(", version = version + 1, updated_at = ").push_bind(now.clone());
        statement.push(" WHERE voucher_id = ").push_bind(voucher.id.as_str().to_owned());
        statement.push(" AND version = ").push_bind(write.expected_version).push(" RETURNING voucher_id)");
        if !write.events.is_empty() {
            statement.push(
                ", audit AS (INSERT INTO audit_log (subject_kind, subject_id, actor_user_id, actor_name, event, \
                 from_status, to_status, program_date, at) SELECT 'voucher', updated.voucher_id, ",
            );
            statement.push_bind(write.actor.user_id).push(", ").push_bind(write.actor.name.clone()).push(", e.event, ");
            statement.push_bind(write.from_status.map(|status| name_of(&status))).push(", ");
            statement.push_bind(name_of(&voucher.status())).push(", ");
            statement.push_bind(write.program_date.to_string()).push(", ").push_bind(now.clone());
            statement.push(" FROM updated CROSS JOIN (VALUES ");
            for (ordinal, event) in write.events.iter().enumerate() {
                statement.push(if ordinal == 0 { "(" } else { ", (" }).push_bind(to_json(event)?);
                statement.push(format_args!(", {ordinal})"));
            }
            statement.push(") AS e (event, ordinal) ORDER BY e.ordinal)");
        }
        if !write.notifications.is_empty() {
            statement.push(
                ", notified AS (INSERT INTO outbox (recipient_user_id, recipient_email, event, created_at) \
                 SELECT n.user_id, n.email, n.event, ",
            );
            statement.push_bind(now.clone()).push(" FROM updated CROSS JOIN (VALUES ");
            for (ordinal, notification) in write.notifications.iter().enumerate() {
                let event = NotificationEvent::Voucher(notification.event.clone());
                statement.push(if ordinal == 0 { "(" } else { ", (" }).push_bind(notification.recipient_user_id);
                statement.push(", ").push_bind(notification.recipient_email.clone()).push(", ");
                statement.push_bind(to_json(&event)?).push(format_args!(", {ordinal})"));
            }
            statement.push(") AS n (user_id, email, event, ordinal) ORDER BY n.ordinal)");
        }
        statement.push(" SELECT COUNT(*) FROM updated");
        let (sql, arguments) = statement.build();
        let updated: i64 = sqlx::query_scalar_with(&sql, arguments).fetch_one(&self.pool).await?;
        Ok(if updated == 1 { WriteOutcome::Applied } else { WriteOutcome::Stale })
    }
}

#[async_trait]
impl VoucherStore for SqlStore {
    async fn enrollments_of(&self, organization_id: i64) -> StoreResult<Vec<EnrollmentRecord>> {
        let rows: Vec<EnrollmentRow> = sqlx::query_as(
            "SELECT id, organization_id, enrollment_number, ends_on, benefit_activated_on, remaining_days \
             FROM enrollments WHERE organization_id = $1 ORDER BY enrollment_number",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(EnrollmentRow::into_record).collect()
    }

    async fn enrollment(&self, enrollment_number: &str) -> StoreResult<Option<EnrollmentRecord>> {
        let row: Option<EnrollmentRow> = sqlx::query_as(
            "SELECT id, organization_id, enrollment_number, ends_on, benefit_activated_on, remaining_days \
             FROM enrollments WHERE enrollment_number = $1",
        )
        .bind(enrollment_number)
        .fetch_optional(&self.pool)
        .await?;
        row.map(EnrollmentRow::into_record).transpose()
    }

    async fn activate_benefit(&self, enrollment_row_id: i64, on: NaiveDate) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE enrollments SET benefit_activated_on = $1 WHERE id = $2 AND benefit_activated_on IS NULL",
        )
        .bind(on.to_string())
        .bind(enrollment_row_id)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn pool_history(&self, enrollment_row_id: i64) -> StoreResult<Vec<PoolEntry>> {
        let rows: Vec<(String, i64, String, Option<String>)> = sqlx::query_as(
            "SELECT on_date, change_days, reason, voucher_id FROM pool_changes WHERE enrollment_id = $1 ORDER BY on_date, id",
        )
        .bind(enrollment_row_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(on_date, change_days, reason, voucher_id)| {
                Ok(PoolEntry {
                    on_date: parse_date(&on_date)?,
                    change_days: i32::try_from(change_days).unwrap_or_default(),
                    reason: parse_name(&reason)?,
                    voucher_id,
                })
            })
            .collect()
    }

    async fn insert_voucher(&self, write: TransitionWrite) -> StoreResult<WriteOutcome> {
        let enrollment_row_id = write
            .pool_change
            .as_ref()
            .map(|change| change.enrollment_row_id)
            .ok_or(StoreError::Corrupt("a new voucher needs its pool change".to_owned()))?;
        let mut transaction = self.begin_write().await?;
        if !change_pool(&mut transaction, &write).await? {
            return Ok(WriteOutcome::Stale);
        }
        let voucher = &write.voucher;
        let inserted: Option<String> = sqlx::query_scalar(
            "INSERT INTO vouchers (voucher_id, enrollment_id, customer_organization_id, offering, \
             service_level_days, assignee_email, status, assigned_on, expires_on, body, version, updated_at) \
             SELECT $1, id, organization_id, $2, $3, $4, $5, $6, $7, $8, 1, $9 FROM enrollments WHERE id = $10 \
             ON CONFLICT (voucher_id) DO NOTHING RETURNING voucher_id",
        )
        .bind(voucher.id.as_str())
        .bind(name_of(&voucher.offering))
        .bind(i64::from(voucher.service_level.days()))
        .bind(voucher.assignee_email.as_str().to_lowercase())
        .bind(name_of(&voucher.status()))
        .bind(voucher.assigned_on.to_string())
        .bind(voucher.expires_on.to_string())
        .bind(to_json(voucher)?)
        .bind(write.now.to_rfc3339())
        .bind(enrollment_row_id)
        .fetch_optional(&mut *transaction)
        .await?;
        if inserted.is_none() {
            return Err(StoreError::Conflict("voucher_id"));
        }
        write_side_effects(&mut transaction, &write).await?;
        transaction.commit().await?;
        Ok(WriteOutcome::Applied)
    }

    async fn voucher(&self, voucher_id: &str) -> StoreResult<Option<StoredVoucher>> {
        let row: Option<VoucherRow> = sqlx::query_as(&format!("{VOUCHER_SELECT} WHERE v.voucher_id = $1"))
            .bind(voucher_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(VoucherRow::into_stored).transpose()
    }

    async fn apply_transition(&self, write: TransitionWrite) -> StoreResult<WriteOutcome> {
        if self.dialect == Dialect::Postgres && write.pool_change.is_none() {
            return self.apply_transition_in_one_statement(&write).await;
        }
        let voucher = &write.voucher;
        let mut transaction = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE vouchers SET body = $1, status = $2, partner_organization_id = $3, redeemed_on = $4, \
             version = version + 1, updated_at = $5 WHERE voucher_id = $6 AND version = $7",
        )
        .bind(to_json(voucher)?)
        .bind(name_of(&voucher.status()))
        .bind(write.partner_organization_id)
        .bind(redeemed_on(voucher))
        .bind(write.now.to_rfc3339())
        .bind(voucher.id.as_str())
        .bind(write.expected_version)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() != 1 || !change_pool(&mut transaction, &write).await? {
            return Ok(WriteOutcome::Stale);
        }
        write_side_effects(&mut transaction, &write).await?;
        transaction.commit().await?;
        Ok(WriteOutcome::Applied)
    }

    async fn vouchers(&self, scope: VoucherScope) -> StoreResult<Vec<StoredVoucher>> {
        let order = "ORDER BY v.expires_on, v.voucher_id";
        let query = match &scope {
            VoucherScope::Customer(_) => format!("{VOUCHER_SELECT} WHERE v.customer_organization_id = $1 {order}"),
            VoucherScope::Assignee(_) => format!("{VOUCHER_SELECT} WHERE v.assignee_email = $1 {order}"),
            VoucherScope::Partner(_) => format!("{VOUCHER_SELECT} WHERE v.partner_organization_id = $1 {order}"),
            VoucherScope::Everything => format!("{VOUCHER_SELECT} {order}"),
        };
        let query = sqlx::query_as::<_, VoucherRow>(&query);
        let query = match scope {
            VoucherScope::Customer(id) | VoucherScope::Partner(id) => query.bind(id),
            VoucherScope::Assignee(email) => query.bind(email.to_lowercase()),
            VoucherScope::Everything => query,
        };
        let rows = query.fetch_all(&self.pool).await?;
        rows.into_iter().map(VoucherRow::into_stored).collect()
    }

    async fn program_totals(&self, today: NaiveDate) -> StoreResult<ProgramTotals> {
        let shown = SHOWN_STATUS_SQL.replace("{today}", "$1");
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT {shown} AS shown, COUNT(*), CAST(COALESCE(SUM(service_level_days), 0) AS BIGINT) \
             FROM vouchers GROUP BY shown"
        ))
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        let days_delivered = ["redeemed", "claimed", "paid"]
            .map(|state| {
                self.dialect.json_text("body", &["state", state, "redemption", "completion_report", "days_delivered"])
            })
            .join(", ");
        let days_redeemed: i64 = sqlx::query_scalar(&format!(
            "SELECT CAST(COALESCE(SUM(CAST(COALESCE({days_delivered}) AS BIGINT)), 0) AS BIGINT) \
             FROM vouchers WHERE status IN ('redeemed', 'claimed', 'paid')",
        ))
        .fetch_one(&self.pool)
        .await?;
        let payments: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM payment_requests GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
        ProgramTotals::from_rows(rows, days_redeemed, payments)
    }

    async fn voucher_page(
        &self,
        scope: VoucherScope,
        listing: &VoucherListing,
        today: NaiveDate,
    ) -> StoreResult<Vec<StoredVoucher>> {
        let mut builder = SqlBuilder::new(VOUCHER_SELECT);
        push_voucher_page(&mut builder, &scope, listing, today);
        let (sql, arguments) = builder.build();
        let rows: Vec<VoucherRow> = sqlx::query_as_with(&sql, arguments).fetch_all(&self.pool).await?;
        rows.into_iter().map(VoucherRow::into_stored).collect()
    }

    async fn engagements_of_partner_for_customer(
        &self,
        customer_organization_id: i64,
        partner_organization_id: i64,
        service_level: ServiceLevel,
    ) -> StoreResult<Vec<Voucher>> {
        let bodies: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM vouchers \
             WHERE partner_organization_id = $1 AND customer_organization_id = $2 AND service_level_days = $3",
        )
        .bind(partner_organization_id)
        .bind(customer_organization_id)
        .bind(i64::from(service_level.days()))
        .fetch_all(&self.pool)
        .await?;
        bodies.iter().map(|body| parse_json(body)).collect()
    }

    async fn vouchers_due_to_expire(&self, today: NaiveDate, limit: u32) -> StoreResult<Vec<StoredVoucher>> {
        let rows: Vec<VoucherRow> = sqlx::query_as(&format!(
            "{VOUCHER_SELECT} WHERE v.status IN ('assigned', 'reserved') AND v.expires_on < $1 \
             ORDER BY v.expires_on LIMIT $2"
        ))
        .bind(today.to_string())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(VoucherRow::into_stored).collect()
    }

    async fn insert_document(&self, document: &Document, organization_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        // The same content uploaded twice is one document: its id is its hash.
        sqlx::query(
            "INSERT INTO documents (document_id, file_name, content_type, size, uploaded_by_organization_id, \
             uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (document_id) DO NOTHING",
        )
        .bind(&document.document_id)
        .bind(&document.file_name)
        .bind(&document.content_type)
        .bind(i64::try_from(document.size).unwrap_or(i64::MAX))
        .bind(organization_id)
        .bind(now.to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn document(&self, document_id: &str) -> StoreResult<Option<(Document, i64)>> {
        let row: Option<(String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT document_id, file_name, content_type, size, uploaded_by_organization_id FROM documents \
             WHERE document_id = $1",
        )
        .bind(document_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(document_id, file_name, content_type, size, organization_id)| {
            (Document { document_id, file_name, content_type, size: u64::try_from(size).unwrap_or(0) }, organization_id)
        }))
    }

    async fn audit_trail(&self, voucher_id: &str) -> StoreResult<Vec<AuditEntry>> {
        let records = read_audit(&self.pool, "voucher", voucher_id).await?;
        Ok(records
            .into_iter()
            .map(|record| {
                AuditEntry::new(
                    record.at,
                    record.program_date,
                    record.actor_name,
                    record.event,
                    record.from_status,
                    record.to_status,
                )
            })
            .collect())
    }

    async fn inbox(&self, user_id: i64, limit: u32) -> StoreResult<Vec<Notification>> {
        let rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, created_at, read_at, event FROM outbox WHERE recipient_user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, created_at, read_at, event)| {
                Ok(Notification::new(id, created_at, read_at.is_some(), parse_json(&event)?))
            })
            .collect()
    }

    async fn mark_read(&self, user_id: i64, notification_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let updated =
            sqlx::query("UPDATE outbox SET read_at = coalesce(read_at, $1) WHERE id = $2 AND recipient_user_id = $3")
                .bind(now.to_rfc3339())
                .bind(notification_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn users_with_role(
        &self,
        organization_id: i64,
        roles: &[Role],
        also: Option<&str>,
    ) -> StoreResult<Vec<(i64, String)>> {
        let also = also.map(str::to_lowercase);
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, email, role FROM users WHERE organization_id = $1 AND disabled_at IS NULL ORDER BY id",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        let mut recipients = Vec::new();
        for (id, email, role) in rows {
            if roles.contains(&parse_name::<Role>(&role)?) || also.as_deref() == Some(email.as_str()) {
                recipients.push((id, email));
            }
        }
        Ok(recipients)
    }

    async fn seed_customer_data(
        &self,
        enrollments: Vec<NewEnrollment>,
        vouchers: Vec<SeedVoucher>,
        document_id: &str,
        uploader_organization_id: i64,
        program_date: NaiveDate,
    ) -> StoreResult<()> {
        let now = chrono::Utc::now().to_rfc3339();
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO documents (document_id, file_name, content_type, size, uploaded_by_organization_id, \
             uploaded_at) VALUES ($1, 'Planning deliverable.pdf', 'application/pdf', $2, $3, $4) \
             ON CONFLICT (document_id) DO NOTHING",
        )
        .bind(document_id)
        .bind(crate::seed_vouchers::DEMO_DELIVERABLE.len() as i64)
        .bind(uploader_organization_id)
        .bind(&now)
        .execute(&mut *transaction)
        .await?;
        for enrollment in &enrollments {
            let spent: u32 = vouchers
                .iter()
                .filter(|seed| seed.voucher.enrollment_id == enrollment.enrollment_number)
                .map(|seed| u32::from(seed.voucher.service_level.days()))
                .sum();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO enrollments (organization_id, enrollment_number, ends_on, benefit_activated_on, \
                 remaining_days, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(enrollment.organization_id)
            .bind(&enrollment.enrollment_number)
            .bind(enrollment.ends_on.to_string())
            .bind(enrollment.activated_on.map(|date| date.to_string()))
            .bind(i64::from(enrollment.accrued_days.saturating_sub(spent)))
            .bind(&now)
            .fetch_one(&mut *transaction)
            .await?;
            sqlx::query(
                "INSERT INTO pool_changes (enrollment_id, change_days, reason, voucher_id, on_date, at) \
                 VALUES ($1, $2, 'accrued', NULL, $3, $4)",
            )
            .bind(id)
            .bind(i64::from(enrollment.accrued_days))
            .bind(enrollment.accrued_on.to_string())
            .bind(&now)
            .execute(&mut *transaction)
            .await?;
            for seed in vouchers.iter().filter(|seed| seed.voucher.enrollment_id == enrollment.enrollment_number) {
                let voucher = &seed.voucher;
                sqlx::query(
                    "INSERT INTO pool_changes (enrollment_id, change_days, reason, voucher_id, on_date, at) \
                     VALUES ($1, $2, 'voucher_created', $3, $4, $5)",
                )
                .bind(id)
                .bind(-i64::from(voucher.service_level.days()))
                .bind(voucher.id.as_str())
                .bind(voucher.assigned_on.to_string())
                .bind(&now)
                .execute(&mut *transaction)
                .await?;
                sqlx::query(
                    "INSERT INTO vouchers (voucher_id, enrollment_id, customer_organization_id, partner_organization_id, \
                     offering, service_level_days, assignee_email, status, assigned_on, expires_on, redeemed_on, body, \
                     version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13)",
                )
                .bind(voucher.id.as_str())
                .bind(id)
                .bind(enrollment.organization_id)
                .bind(seed.partner_organization_id)
                .bind(name_of(&voucher.offering))
                .bind(i64::from(voucher.service_level.days()))
                .bind(voucher.assignee_email.as_str().to_lowercase())
                .bind(name_of(&voucher.status()))
                .bind(voucher.assigned_on.to_string())
                .bind(voucher.expires_on.to_string())
                .bind(redeemed_on(voucher))
                .bind(to_json(voucher)?)
                .bind(&now)
                .execute(&mut *transaction)
                .await?;
                for event in &seed.events {
                    let row = AuditRow {
                        subject_kind: "voucher",
                        subject_id: voucher.id.as_str(),
                        actor_user_id: None,
                        actor_name: "Demo data",
                        event_json: to_json(event)?,
                        from_status: None,
                        to_status: name_of(&voucher.status()),
                        program_date,
                        at: &now,
                    };
                    insert_audit(&mut transaction, row).await?;
                }
                // The assignee's inbox starts with the assignment notice and its voucher number.
                if let Some(created) = seed.events.first() {
                    sqlx::query(
                        "INSERT INTO outbox (recipient_user_id, recipient_email, event, created_at) \
                         SELECT id, email, $1, $2 FROM users WHERE email = $3 AND organization_id = $4",
                    )
                    .bind(to_json(&NotificationEvent::Voucher(created.clone()))?)
                    .bind(&now)
                    .bind(voucher.assignee_email.as_str().to_lowercase())
                    .bind(enrollment.organization_id)
                    .execute(&mut *transaction)
                    .await?;
                }
            }
        }
        transaction.commit().await?;
        Ok(())
    }

    async fn member_by_email(&self, organization_id: i64, email: &str) -> StoreResult<Option<(i64, Role)>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, role FROM users WHERE organization_id = $1 AND email = $2 AND disabled_at IS NULL",
        )
        .bind(organization_id)
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, role)| Ok((id, parse_name(&role)?))).transpose()
    }
}
