//! SAVB payment wire types and paths (DOMAIN.md §11): the partner's registration per program,
//! payable vouchers, payment requests from draft to submission, the program operator's review
//! queue and decisions, and the payment notifications.
//!
//! Request bodies carry typed text as raw strings (voucher numbers, countries, reasons), so the
//! server answers a bad value with a 422 naming the field in the rule's words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::OfferingCode;
use crate::parse::{CountryCode, LocationId, Money};
use crate::payment::{PaymentEvent, PaymentRequest, PaymentStatus, ReferenceNumber, ReviewChecklist};

/// `GET` lists the caller's SAVB registrations; `POST` registers a program (Global Admin).
pub const PAYMENT_REGISTRATIONS: &str = "/api/v1/payment-registrations";
/// `GET`: the caller's redeemed vouchers a request may include today
/// (`?program=DDPS&country=KR` or `&location_id=1000001`).
pub const PAYABLE_VOUCHERS: &str = "/api/v1/payable-vouchers";
/// `GET` lists the caller's payment requests; `POST` saves a draft.
pub const PAYMENT_REQUESTS: &str = "/api/v1/payment-requests";
/// `GET` one request; `PUT` replaces the vouchers of a draft.
pub const PAYMENT_REQUEST_ROUTE: &str = "/api/v1/payment-requests/{request_id}";
/// `POST` with an [`IDEMPOTENCY_KEY_HEADER`]: submits a draft.
pub const PAYMENT_SUBMISSION_ROUTE: &str = "/api/v1/payment-requests/{request_id}/submission";
/// `GET`: who did what to a request, oldest first.
pub const PAYMENT_AUDIT_ROUTE: &str = "/api/v1/payment-requests/{request_id}/audit";
/// `GET`: the program operator's queue (submitted and on-hold requests) with their checklists.
pub const REVIEW_QUEUE: &str = "/api/v1/review/payment-requests";
/// `GET`: one request with its checklist (program operator).
pub const REVIEW_ROUTE: &str = "/api/v1/review/payment-requests/{request_id}";
/// `POST`: approve (every checklist item met).
pub const APPROVAL_ROUTE: &str = "/api/v1/review/payment-requests/{request_id}/approval";
/// `POST`: reject with a reason; the vouchers are released.
pub const REJECTION_ROUTE: &str = "/api/v1/review/payment-requests/{request_id}/rejection";
/// `POST`: put on hold with a reason.
pub const HOLD_ROUTE: &str = "/api/v1/review/payment-requests/{request_id}/hold";
/// `POST`: take off hold.
pub const RESUMPTION_ROUTE: &str = "/api/v1/review/payment-requests/{request_id}/resumption";
/// `POST`: record the payment; the vouchers become paid.
pub const PAYMENT_ROUTE: &str = "/api/v1/review/payment-requests/{request_id}/payment";

/// The header that makes a submission safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// Sent with a response that repeats the stored first response of an idempotency key.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "idempotent-replayed";

/// The most vouchers one request may hold.
pub const MAX_REQUEST_VOUCHERS: usize = 200;

pub fn payment_request_path(request_id: &str) -> String {
    format!("/api/v1/payment-requests/{request_id}")
}
pub fn payment_submission_path(request_id: &str) -> String {
    format!("/api/v1/payment-requests/{request_id}/submission")
}
pub fn payment_audit_path(request_id: &str) -> String {
    format!("/api/v1/payment-requests/{request_id}/audit")
}
pub fn review_path(request_id: &str) -> String {
    format!("/api/v1/review/payment-requests/{request_id}")
}
pub fn approval_path(request_id: &str) -> String {
    format!("/api/v1/review/payment-requests/{request_id}/approval")
}
pub fn rejection_path(request_id: &str) -> String {
    format!("/api/v1/review/payment-requests/{request_id}/rejection")
}
pub fn hold_path(request_id: &str) -> String {
    format!("/api/v1/review/payment-requests/{request_id}/hold")
}
pub fn resumption_path(request_id: &str) -> String {
    format!("/api/v1/review/payment-requests/{request_id}/resumption")
}
pub fn payment_path(request_id: &str) -> String {
    format!("/api/v1/review/payment-requests/{request_id}/payment")
}

/// The body of `POST /api/v1/payment-registrations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterPaymentProgram {
    pub program: OfferingCode,
}

/// The query of `GET /api/v1/payable-vouchers`: a program, and at most one of country and
/// location (neither: all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayableVoucherQuery {
    pub program: OfferingCode,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub location_id: Option<String>,
}

/// A redeemed voucher a request may include, priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayableVoucher {
    pub voucher_id: String,
    pub customer_name: String,
    pub offering: OfferingCode,
    pub location_id: LocationId,
    pub delivery_country: CountryCode,
    pub days: u8,
    /// `None` when the delivery country has no rate (the request would be refused).
    pub daily_rate: Option<Money>,
    pub amount: Option<Money>,
    pub redeemed_on: NaiveDate,
    pub payment_deadline: NaiveDate,
}

/// The body of `POST /api/v1/payment-requests`: a draft for these vouchers of `program`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentRequest {
    pub program: OfferingCode,
    pub voucher_ids: Vec<String>,
}

/// The body of `PUT /api/v1/payment-requests/{request_id}`: the draft's new selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevisePaymentRequest {
    pub voucher_ids: Vec<String>,
}

/// The body of `POST …/submission`: the version of the draft the partner reviewed; a draft
/// changed since then is refused with 409.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitPaymentRequest {
    pub version: i64,
}

/// A payment request as the partner and the operator see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequestView {
    pub request: PaymentRequest,
    pub status: PaymentStatus,
    pub reference_number: Option<ReferenceNumber>,
    /// Why the operator rejected it, when rejected.
    pub reject_reason: Option<String>,
    /// Why the operator put it on hold, while on hold.
    pub hold_reason: Option<String>,
    pub partner_name: String,
    /// Grows with every change; a submission names the version it reviewed.
    pub version: i64,
}

/// A request in the operator's queue, with the §11.4 checklist computed on the program date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedPaymentRequest {
    pub request: PaymentRequestView,
    pub checklist: ReviewChecklist,
    /// Whether every checklist item is met (approval is allowed only then).
    pub approvable: bool,
}

/// What the browser reads of a [`ReviewedPaymentRequest`]: each finding as its words, not the
/// typed [`crate::payment::ReviewFinding`] (decoding it, with the eligibility findings inside,
/// would add their deserializers to the wasm bundle; unknown fields are ignored, so `finding` is
/// skipped unread). API clients get the typed finding beside the words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewedPaymentRequestView {
    pub request: PaymentRequestView,
    pub checklist: ReviewChecklistView,
    pub approvable: bool,
}

/// The checklist as the browser reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewChecklistView {
    pub items: Vec<ReviewItemView>,
}

impl ReviewChecklistView {
    pub fn unmet_count(&self) -> usize {
        self.items.iter().filter(|item| !item.met).count()
    }
}

/// One checklist line as the browser reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewItemView {
    pub voucher_id: crate::parse::VoucherId,
    pub check: crate::payment::ReviewCheck,
    pub met: bool,
    pub finding_text: crate::error::LocalizedText,
}

/// The body of `POST …/rejection` and `POST …/hold`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewDecisionReason {
    pub reason: String,
}

/// One line of a request's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentAuditEntry {
    /// Wall-clock time, RFC 3339.
    pub at: String,
    pub program_date: NaiveDate,
    pub actor_name: String,
    pub event: PaymentEvent,
    pub from_status: Option<PaymentStatus>,
    pub to_status: PaymentStatus,
}
