//! Enrollments with their day pools, vouchers and their transitions, deliverables, the audit
//! log and the notification outbox.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::api::vouchers::{AuditEntry, Document, Enrollment, Notification, PoolChange, PoolEntry};
use planning_domain::{ServiceLevel, Voucher, VoucherEvent, VoucherStatus};

use planning_domain::listing::VoucherListing;

use super::StoreResult;

/// An enrollment as stored.
#[derive(Debug, Clone)]
pub struct EnrollmentRecord {
    pub id: i64,
    pub organization_id: i64,
    pub enrollment: Enrollment,
}

/// A voucher with what the store keeps beside it.
#[derive(Debug, Clone)]
pub struct StoredVoucher {
    pub voucher: Voucher,
    pub version: i64,
    pub customer_organization_id: i64,
    pub customer_name: String,
    pub partner_organization_id: Option<i64>,
    pub partner_name: Option<String>,
}

/// Who did something, for the audit log.
#[derive(Debug, Clone)]
pub struct AuditActor {
    pub user_id: Option<i64>,
    pub name: String,
}

/// A notification to write to the outbox with a change.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub recipient_user_id: i64,
    pub recipient_email: String,
    pub event: VoucherEvent,
}

/// Everything written with one voucher transition, atomically.
#[derive(Debug, Clone)]
pub struct TransitionWrite {
    pub voucher: Voucher,
    /// The version the transition was computed from.
    pub expected_version: i64,
    pub from_status: Option<VoucherStatus>,
    /// The reserving partner, when the new state has one.
    pub partner_organization_id: Option<i64>,
    /// A change of the day pool that goes with the transition.
    pub pool_change: Option<PoolChangeWrite>,
    pub events: Vec<VoucherEvent>,
    pub actor: AuditActor,
    pub notifications: Vec<NewNotification>,
    pub program_date: NaiveDate,
    pub now: DateTime<Utc>,
}

/// A change of an enrollment's pool, applied only if the pool still holds `expected_remaining`.
#[derive(Debug, Clone)]
pub struct PoolChangeWrite {
    pub enrollment_row_id: i64,
    pub expected_remaining: u32,
    pub new_remaining: u32,
    pub reason: PoolChange,
}

/// Which vouchers a caller may list.
#[derive(Debug, Clone)]
pub enum VoucherScope {
    /// Every voucher of a customer organization (benefit administrator).
    Customer(i64),
    /// The vouchers assigned to one person (customer project manager).
    Assignee(String),
    /// The vouchers a partner organization reserved.
    Partner(i64),
    /// Every voucher (program operator).
    Everything,
}

/// Why a guarded write did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Applied,
    /// The voucher or the pool changed since it was read.
    Stale,
}

#[async_trait]
pub trait VoucherStore {
    async fn enrollments_of(&self, organization_id: i64) -> StoreResult<Vec<EnrollmentRecord>>;

    async fn enrollment(&self, enrollment_number: &str) -> StoreResult<Option<EnrollmentRecord>>;

    /// Activates the benefit unless already active; `false` when it was.
    async fn activate_benefit(&self, enrollment_row_id: i64, on: NaiveDate) -> StoreResult<bool>;

    async fn pool_history(&self, enrollment_row_id: i64) -> StoreResult<Vec<PoolEntry>>;

    /// Inserts a new voucher with its pool change; `Conflict` when the voucher id is taken,
    /// `Stale` when the pool changed since it was read.
    async fn insert_voucher(&self, write: TransitionWrite) -> StoreResult<WriteOutcome>;

    async fn voucher(&self, voucher_id: &str) -> StoreResult<Option<StoredVoucher>>;

    /// Applies a transition computed from `expected_version`; `Stale` when another one came first.
    async fn apply_transition(&self, write: TransitionWrite) -> StoreResult<WriteOutcome>;

    async fn vouchers(&self, scope: VoucherScope) -> StoreResult<Vec<StoredVoucher>>;

    /// The operator dashboard's totals, counted by the database (whatever the number of vouchers).
    async fn program_totals(&self, today: NaiveDate) -> StoreResult<ProgramTotals>;

    /// One page of a listing in (expiry, voucher number) order: up to `listing.limit + 1` rows,
    /// the extra one telling the caller that another page follows.
    async fn voucher_page(
        &self,
        scope: VoucherScope,
        listing: &VoucherListing,
        today: NaiveDate,
    ) -> StoreResult<Vec<StoredVoucher>>;

    /// The vouchers of `service_level` of a customer that a partner holds a reservation of (or
    /// redeemed): the history the repeat limit compares (`voucher::REPEAT_LIMITED_LEVEL`), a few
    /// rows however many vouchers the customer has.
    async fn engagements_of_partner_for_customer(
        &self,
        customer_organization_id: i64,
        partner_organization_id: i64,
        service_level: ServiceLevel,
    ) -> StoreResult<Vec<Voucher>>;

    /// Assigned or reserved vouchers whose expiry date is before `today`.
    async fn vouchers_due_to_expire(&self, today: NaiveDate, limit: u32) -> StoreResult<Vec<StoredVoucher>>;

    /// Records an uploaded document (its content is already on disk under its id).
    async fn insert_document(&self, document: &Document, organization_id: i64, now: DateTime<Utc>) -> StoreResult<()>;

    /// A document and the organization that uploaded it.
    async fn document(&self, document_id: &str) -> StoreResult<Option<(Document, i64)>>;

    async fn audit_trail(&self, voucher_id: &str) -> StoreResult<Vec<AuditEntry>>;

    /// A user's notifications, newest first.
    async fn inbox(&self, user_id: i64, limit: u32) -> StoreResult<Vec<Notification>>;

    /// Marks one of the user's notifications read; `false` if it is not theirs.
    async fn mark_read(&self, user_id: i64, notification_id: i64, now: DateTime<Utc>) -> StoreResult<bool>;

    /// The enabled users of an organization with one of these roles, and the one whose email is
    /// `also` whatever their role (a voucher's assignee), once each, in id order: the recipients
    /// of a notification, in one query.
    async fn users_with_role(
        &self,
        organization_id: i64,
        roles: &[planning_domain::Role],
        also: Option<&str>,
    ) -> StoreResult<Vec<(i64, String)>>;

    /// The enabled user with this email in this organization, with their role.
    /// Creates the demo enrollments (pools less the demo vouchers' days), the vouchers with their
    /// audit trail and assignment notifications, and the demo deliverable, in one transaction.
    async fn seed_customer_data(
        &self,
        enrollments: Vec<NewEnrollment>,
        vouchers: Vec<SeedVoucher>,
        document_id: &str,
        uploader_organization_id: i64,
        program_date: NaiveDate,
    ) -> StoreResult<()>;

    async fn member_by_email(
        &self,
        organization_id: i64,
        email: &str,
    ) -> StoreResult<Option<(i64, planning_domain::Role)>>;
}

/// A demo enrollment: its pool starts with `accrued_days`.
#[derive(Debug, Clone)]
pub struct NewEnrollment {
    pub organization_id: i64,
    pub enrollment_number: String,
    pub ends_on: NaiveDate,
    pub activated_on: Option<NaiveDate>,
    pub accrued_days: u32,
    pub accrued_on: NaiveDate,
}

/// A demo voucher with the events that brought it to its state.
#[derive(Debug, Clone)]
pub struct SeedVoucher {
    pub voucher: Voucher,
    pub partner_organization_id: Option<i64>,
    pub events: Vec<VoucherEvent>,
}

/// Totals over the whole program on a date.
#[derive(Debug, Clone, Default)]
pub struct ProgramTotals {
    /// (status as shown on the date, vouchers, days of their service levels).
    pub vouchers_by_status: Vec<(VoucherStatus, i64, i64)>,
    /// Days delivered, by the completion reports of redeemed (and claimed, paid) vouchers.
    pub days_redeemed: i64,
    /// Payment requests by status (drafts included; the caller keeps what it shows).
    pub payments_by_status: Vec<(planning_domain::payment::PaymentStatus, i64)>,
}

impl ProgramTotals {
    /// The totals from the rows both databases' queries answer: (shown status, vouchers, days),
    /// the days delivered, and (payment status, requests).
    pub(crate) fn from_rows(
        vouchers: Vec<(String, i64, i64)>,
        days_redeemed: i64,
        payments: Vec<(String, i64)>,
    ) -> StoreResult<ProgramTotals> {
        use super::encode::parse_name;
        Ok(ProgramTotals {
            vouchers_by_status: vouchers
                .into_iter()
                .map(|(status, vouchers, days)| Ok((parse_name(&status)?, vouchers, days)))
                .collect::<StoreResult<_>>()?,
            days_redeemed,
            payments_by_status: payments
                .into_iter()
                .map(|(status, requests)| Ok((parse_name(&status)?, requests)))
                .collect::<StoreResult<_>>()?,
        })
    }
}

/// The status a voucher shows on the date bound as the query's one parameter, in SQL: an
/// unredeemed voucher past its expiry date is expired (`Voucher::status_on`).
pub(crate) const SHOWN_STATUS_SQL: &str =
    "CASE WHEN status IN ('assigned', 'reserved') AND expires_on < {today} THEN 'expired' ELSE status END";

/// Appends the conditions, order and limit of a listing page to a `SELECT … FROM vouchers v …`,
/// in `$n` placeholders (both databases'). Every condition is a range on an index that starts with the
/// scope column or the status and ends with (expires_on, voucher_id), so a deep page costs what
/// the first one does.
pub(crate) fn push_voucher_page(
    builder: &mut super::sql::SqlBuilder<'_>,
    scope: &VoucherScope,
    listing: &VoucherListing,
    today: NaiveDate,
) {
    builder.push(" WHERE ");
    match scope {
        VoucherScope::Customer(id) => builder.push("v.customer_organization_id = ").push_bind(*id),
        VoucherScope::Assignee(email) => builder.push("v.assignee_email = ").push_bind(email.to_lowercase()),
        VoucherScope::Partner(id) => builder.push("v.partner_organization_id = ").push_bind(*id),
        VoucherScope::Everything => builder.push("1 = 1"),
    };
    let today = today.to_string();
    match listing.status {
        // What people see as expired: expired by the job, or past the date and not yet swept.
        // `status || ''` keeps the planners off the status index here: its three ranges would
        // have to be merged and sorted (seconds at a million vouchers), while walking an index
        // in (expires_on, voucher_id) order stops at the page's last row.
        Some(VoucherStatus::Expired) => builder
            .push(
                " AND v.status || '' IN ('expired', 'assigned', 'reserved') \
                 AND (v.status || '' = 'expired' OR v.expires_on < ",
            )
            .push_bind(today)
            .push(")"),
        Some(status @ (VoucherStatus::Assigned | VoucherStatus::Reserved)) => builder
            .push(" AND v.status = ")
            .push_bind(super::encode::name_of(&status))
            .push(" AND v.expires_on >= ")
            .push_bind(today),
        Some(status) => builder.push(" AND v.status = ").push_bind(super::encode::name_of(&status)),
        None => builder,
    };
    if let Some(offering) = &listing.offering {
        builder.push(" AND v.offering = ").push_bind(super::encode::name_of(offering));
    }
    if let Some(prefix) = &listing.number_prefix {
        // Digits only: every number starting with them sorts before the prefix followed by ':'.
        builder.push(" AND v.voucher_id >= ").push_bind(prefix.clone());
        builder.push(" AND v.voucher_id < ").push_bind(format!("{prefix}:"));
    }
    if let Some(cursor) = &listing.after {
        builder
            .push(" AND (v.expires_on, v.voucher_id) > (")
            .push_bind(cursor.expires_on.to_string())
            .push(", ")
            .push_bind(cursor.voucher_id.clone())
            .push(")");
    }
    builder.push(" ORDER BY v.expires_on, v.voucher_id LIMIT ").push_bind(i64::from(listing.limit) + 1);
}
