//! SAVB registrations, payment requests and their transitions (with the vouchers they claim,
//! release or pay), the payment notification outbox and idempotency records.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::api::payments::PaymentAuditEntry;
use planning_domain::payment::{PaymentEvent, SavbRegistration};
use planning_domain::{PaymentRequest, PaymentStatus, Voucher, VoucherEvent, VoucherStatus};

use super::vouchers::{AuditActor, WriteOutcome};
use super::StoreResult;

/// A payment request with what the store keeps beside it.
#[derive(Debug, Clone)]
pub struct StoredPaymentRequest {
    pub request: PaymentRequest,
    /// The row id: the sequence of the reference number given on submission.
    pub sequence: i64,
    pub version: i64,
    pub partner_organization_id: i64,
    pub partner_name: String,
}

/// A voucher changed by a request transition, guarded by the version it was read at.
#[derive(Debug, Clone)]
pub struct VoucherChange {
    pub voucher: Voucher,
    pub expected_version: i64,
    pub from_status: VoucherStatus,
    pub events: Vec<VoucherEvent>,
}

/// A payment notification to write with a change.
#[derive(Debug, Clone)]
pub struct NewPaymentNotification {
    pub recipient_user_id: i64,
    pub recipient_email: String,
    pub event: PaymentEvent,
}

/// Everything written with one request transition, atomically.
#[derive(Debug, Clone)]
pub struct PaymentWrite {
    pub request: PaymentRequest,
    pub partner_organization_id: i64,
    /// The version the transition was computed from (ignored for a new draft).
    pub expected_version: i64,
    pub from_status: Option<PaymentStatus>,
    pub vouchers: Vec<VoucherChange>,
    pub events: Vec<PaymentEvent>,
    pub actor: AuditActor,
    pub notifications: Vec<NewPaymentNotification>,
    pub program_date: NaiveDate,
    pub now: DateTime<Utc>,
}

/// The response to remember under a caller's idempotency key, claimed with the change.
#[derive(Debug, Clone)]
pub struct IdempotentResponse {
    pub user_id: i64,
    pub key: String,
    /// A hash of what was asked (method, path, body), to tell a retry from a reuse.
    pub fingerprint: String,
    pub status_code: u16,
    pub body: Vec<u8>,
}

/// A response stored under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub fingerprint: String,
    pub status_code: u16,
    pub body: Vec<u8>,
}

/// What an idempotent transition did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotentOutcome {
    /// The change and the response were written.
    Applied,
    /// The request or a voucher changed since it was read; nothing was written.
    Stale,
    /// The key was already used: its stored response (compare the fingerprint).
    AlreadyUsed(StoredResponse),
}

#[async_trait]
pub trait PaymentStore {
    /// The programs an organization registered for payments.
    async fn payment_registrations(&self, partner_organization_id: i64) -> StoreResult<Vec<SavbRegistration>>;

    /// Records a registration; `false` when the organization was already registered for it.
    async fn insert_payment_registration(
        &self,
        partner_organization_id: i64,
        registration: &SavbRegistration,
        actor: &AuditActor,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    async fn payment_request(&self, request_id: &str) -> StoreResult<Option<StoredPaymentRequest>>;

    /// An organization's requests, newest first.
    async fn payment_requests_of(&self, partner_organization_id: i64) -> StoreResult<Vec<StoredPaymentRequest>>;

    /// The requests waiting for the operator (submitted or on hold), oldest submission first.
    async fn payment_requests_in_review(&self) -> StoreResult<Vec<StoredPaymentRequest>>;

    /// Inserts a new draft; `Conflict` when its id is taken.
    async fn insert_payment_request(&self, write: PaymentWrite) -> StoreResult<()>;

    /// Applies a request transition computed from `expected_version`, with its vouchers each
    /// guarded by their version; `Stale` when anything changed first.
    async fn apply_payment_transition(&self, write: PaymentWrite) -> StoreResult<WriteOutcome>;

    /// Like [`PaymentStore::apply_payment_transition`], claiming the idempotency key first in the
    /// same transaction; a key already used is reported with its stored response.
    async fn apply_idempotent_payment_transition(
        &self,
        write: PaymentWrite,
        response: IdempotentResponse,
    ) -> StoreResult<IdempotentOutcome>;

    /// The response stored under a caller's idempotency key.
    async fn idempotent_response(&self, user_id: i64, key: &str) -> StoreResult<Option<StoredResponse>>;

    async fn payment_audit_trail(&self, request_id: &str) -> StoreResult<Vec<PaymentAuditEntry>>;

    /// Creates the demo registrations and requests (with their vouchers' changes), in one
    /// transaction.
    async fn seed_payment_data(
        &self,
        partner_organization_id: i64,
        registrations: Vec<SavbRegistration>,
        requests: Vec<SeedPaymentRequest>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// A demo request in its final state, with the steps that brought it there.
#[derive(Debug, Clone)]
pub struct SeedPaymentRequest {
    pub request: PaymentRequest,
    /// The vouchers as the request left them (claimed or paid).
    pub vouchers: Vec<Voucher>,
    pub steps: Vec<SeedPaymentStep>,
    pub voucher_events: Vec<VoucherEvent>,
}

/// One step of a demo request, for its audit trail.
#[derive(Debug, Clone)]
pub struct SeedPaymentStep {
    pub event: PaymentEvent,
    pub from_status: Option<PaymentStatus>,
    pub to_status: PaymentStatus,
    pub program_date: NaiveDate,
}
