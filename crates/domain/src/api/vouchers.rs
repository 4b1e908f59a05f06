//! Customer and voucher wire types and paths: benefit activation, pools, vouchers, reports,
//! redemption, the audit trail and the inbox.
//!
//! Request bodies carry what a person typed as text (emails, ids, dates), so that the server can
//! answer a bad value with a 422 naming the field in the rule's words rather than a 400.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{EngagementId, OfferingCode};
use crate::error::{ErrorCode, LocalizedText};
use crate::payment::PaymentEvent;
use crate::voucher::{RepeatException, Voucher, VoucherEvent, VoucherStatus};

/// `GET`: the caller's licensing enrollments and their day pools.
pub const ENROLLMENTS: &str = "/api/v1/customer/enrollments";
/// `POST`: the benefit administrator activates Planning Services on an enrollment.
pub const ENROLLMENT_ACTIVATION_ROUTE: &str = "/api/v1/customer/enrollments/{enrollment_id}/activation";
/// `GET`: every change of an enrollment's day pool.
pub const ENROLLMENT_HISTORY_ROUTE: &str = "/api/v1/customer/enrollments/{enrollment_id}/history";
/// `GET` lists the vouchers the caller may see; `POST` creates and assigns one (customer).
pub const VOUCHERS: &str = "/api/v1/vouchers";
/// `GET`: one voucher.
pub const VOUCHER_ROUTE: &str = "/api/v1/vouchers/{voucher_id}";
/// `POST`: a partner checks a voucher number against the voucher admin's email.
pub const VOUCHER_VALIDATION_ROUTE: &str = "/api/v1/vouchers/{voucher_id}/validation";
/// `POST` reserves, `PUT` reschedules, `DELETE` cancels.
pub const RESERVATION_ROUTE: &str = "/api/v1/vouchers/{voucher_id}/reservation";
/// `POST`: the completion report, with the id of the uploaded deliverable.
pub const COMPLETION_REPORT_ROUTE: &str = "/api/v1/vouchers/{voucher_id}/completion-report";
/// `POST`: redeem one voucher.
pub const REDEMPTION_ROUTE: &str = "/api/v1/vouchers/{voucher_id}/redemption";
/// `GET`: who did what to the voucher, oldest first.
pub const VOUCHER_AUDIT_ROUTE: &str = "/api/v1/vouchers/{voucher_id}/audit";
/// `POST`: redeem several vouchers, with a result per voucher.
pub const REDEMPTIONS: &str = "/api/v1/redemptions";
/// `POST` (multipart, field `file`): upload a customer deliverable.
pub const DOCUMENTS: &str = "/api/v1/documents";
/// `GET`: download an uploaded deliverable.
pub const DOCUMENT_ROUTE: &str = "/api/v1/documents/{document_id}";
/// `GET`: the caller's notifications, newest first.
pub const INBOX: &str = "/api/v1/inbox";
/// `POST`: mark one notification read.
pub const INBOX_READ_ROUTE: &str = "/api/v1/inbox/{notification_id}/read";

pub fn enrollment_activation_path(enrollment_id: &str) -> String {
    format!("/api/v1/customer/enrollments/{enrollment_id}/activation")
}
pub fn enrollment_history_path(enrollment_id: &str) -> String {
    format!("/api/v1/customer/enrollments/{enrollment_id}/history")
}
pub fn voucher_path(voucher_id: &str) -> String {
    format!("/api/v1/vouchers/{voucher_id}")
}
pub fn voucher_validation_path(voucher_id: &str) -> String {
    format!("/api/v1/vouchers/{voucher_id}/validation")
}
pub fn reservation_path(voucher_id: &str) -> String {
    format!("/api/v1/vouchers/{voucher_id}/reservation")
}
pub fn completion_report_path(voucher_id: &str) -> String {
    format!("/api/v1/vouchers/{voucher_id}/completion-report")
}
pub fn redemption_path(voucher_id: &str) -> String {
    format!("/api/v1/vouchers/{voucher_id}/redemption")
}
pub fn voucher_audit_path(voucher_id: &str) -> String {
    format!("/api/v1/vouchers/{voucher_id}/audit")
}
pub fn document_path(document_id: &str) -> String {
    format!("/api/v1/documents/{document_id}")
}
pub fn inbox_read_path(notification_id: i64) -> String {
    format!("/api/v1/inbox/{notification_id}/read")
}

/// A licensing enrollment and its Planning Services days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrollment {
    pub enrollment_id: String,
    pub ends_on: NaiveDate,
    pub benefit_activated_on: Option<NaiveDate>,
    /// Days available on the program date (none once unused days are removed).
    pub remaining_days: u32,
}

/// Why a pool's days changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PoolChange {
    Accrued,
    VoucherCreated,
    VoucherExpired,
    /// The days still in the pool on the day unused days are removed (never stored: see
    /// `DayPool::history_on`).
    UnusedDaysRemoved,
}

/// One change of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolEntry {
    pub on_date: NaiveDate,
    pub change_days: i32,
    pub reason: PoolChange,
    pub voucher_id: Option<String>,
}

/// The body of `POST /api/v1/vouchers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateVoucher {
    pub enrollment_id: String,
    pub offering: OfferingCode,
    pub service_level: u8,
    /// The customer project manager the voucher is assigned to.
    pub assignee_email: String,
}

/// A voucher as the caller may see it, with its status on the program date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherView {
    pub voucher: Voucher,
    pub status: VoucherStatus,
    pub customer_name: String,
    pub partner_name: Option<String>,
    /// Redeemed vouchers: the last day a payment request may include it.
    pub payment_deadline: Option<NaiveDate>,
}

/// The query of `GET` [`VOUCHERS`]; every filter is optional and they combine. Pages are ordered
/// by expiry date, then voucher number (see [`crate::listing`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoucherQuery {
    /// "assigned", "reserved", "redeemed", "claimed", "paid" or "expired", as on the program date.
    #[serde(default)]
    pub status: Option<String>,
    /// An offering code ("DDPS").
    #[serde(default)]
    pub offering: Option<String>,
    /// Digits the voucher number starts with.
    #[serde(default)]
    pub q: Option<String>,
    /// The `next` of the previous page.
    #[serde(default)]
    pub after: Option<String>,
    /// Rows per page, 1 to 1000; 500 when absent.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One page of a voucher listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherPage {
    pub vouchers: Vec<VoucherView>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// The body of `POST …/validation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidateVoucher {
    pub voucher_admin_email: String,
}

/// What a partner learns by validating a voucher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherPreview {
    pub voucher_id: String,
    pub customer_name: String,
    pub offering: OfferingCode,
    pub service_level_days: u8,
    pub expires_on: NaiveDate,
    pub status: VoucherStatus,
}

/// The body of `POST …/reservation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReserveVoucher {
    pub voucher_admin_email: String,
    pub engagement: EngagementId,
    pub location_id: String,
    /// Where the engagement is delivered; must be the location's country.
    pub delivery_country: String,
    pub consultant_id: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub repeat_exception: Option<RepeatException>,
}

/// The body of `PUT …/reservation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RescheduleEngagement {
    pub starts_on: String,
    pub ends_on: String,
}

/// The body of `POST …/completion-report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitCompletionReport {
    pub consultant_id: String,
    pub delivered_from: String,
    pub delivered_through: String,
    pub days_delivered: u8,
    pub offsite_days: u8,
    /// The uploaded deliverables (`POST /api/v1/documents`), one to ten.
    pub deliverable_document_ids: Vec<String>,
}

/// The body of `POST /api/v1/redemptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RedeemVouchers {
    pub voucher_ids: Vec<String>,
}

/// The most vouchers one bulk redemption may name.
pub const MAX_BULK_REDEMPTION: usize = 200;

/// The outcome for one voucher of a bulk redemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionOutcome {
    pub voucher_id: String,
    pub result: RedemptionResult,
}

/// The redeemed voucher, or why it was not redeemed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedemptionResult {
    Redeemed(Box<VoucherView>),
    Refused(ItemError),
}

/// Why one item of a batch failed: the code and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemError {
    pub code: ErrorCode,
    pub messages: LocalizedText,
}

/// An uploaded deliverable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// The SHA-256 of the content, hex: the document is stored under it.
    pub document_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
}

/// One line of a voucher's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Wall-clock time, RFC 3339.
    pub at: String,
    pub program_date: NaiveDate,
    pub actor_name: String,
    pub event: VoucherEvent,
    /// The event in words, in both languages (what the browser shows).
    pub messages: LocalizedText,
    pub from_status: Option<VoucherStatus>,
    pub to_status: VoucherStatus,
}

impl AuditEntry {
    pub fn new(
        at: String,
        program_date: NaiveDate,
        actor_name: String,
        event: VoucherEvent,
        from_status: Option<VoucherStatus>,
        to_status: VoucherStatus,
    ) -> Self {
        let messages = LocalizedText::of(&event);
        AuditEntry { at, program_date, actor_name, event, messages, from_status, to_status }
    }
}

/// An audit line as the browser reads it: the event's words without the typed event, whose
/// decoder and messages would otherwise be compiled into the app (as with [`crate::ErrorView`]).
/// Also the wire form of the audit trail of a partner's competency and exam records
/// ([`super::qualifications::OPERATOR_PARTNER_AUDIT_ROUTE`]), which sends no typed event at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLine {
    pub at: String,
    pub program_date: NaiveDate,
    pub actor_name: String,
    pub messages: LocalizedText,
}

/// A notification in a user's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    /// Wall-clock time, RFC 3339.
    pub created_at: String,
    pub read: bool,
    pub event: NotificationEvent,
    /// The event in words, in both languages (what the browser shows).
    pub messages: LocalizedText,
}

impl Notification {
    pub fn new(id: i64, created_at: String, read: bool, event: NotificationEvent) -> Self {
        let messages = match &event {
            NotificationEvent::Voucher(event) => LocalizedText::of(event),
            NotificationEvent::Payment(event) => LocalizedText::of(event),
            NotificationEvent::Account(event) => LocalizedText::of(event),
        };
        Notification { id, created_at, read, event, messages }
    }
}

/// A notification as the browser reads it: its words, without the typed event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InboxLine {
    pub id: i64,
    pub created_at: String,
    pub read: bool,
    pub messages: LocalizedText,
}

/// What a notification is about: one outbox, one inbox, for every kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationEvent {
    Voucher(VoucherEvent),
    Payment(PaymentEvent),
    Account(crate::account::AccountEvent),
}
