//! SAVB payments, partner side (DOMAIN.md §11.1–11.3): the Global Admin registers a program; the
//! Global Admin or the MPN Partner Admin lists payable vouchers, saves and edits drafts and
//! submits them; both read their organization's requests, audit trails and notifications.
//!
//! Every transition runs the domain's pure function on the stored request and vouchers and
//! writes the result guarded by the versions it read, recomputing after a lost race (as
//! `vouchers::run_transition` does). Submission needs an `Idempotency-Key`: the key is claimed in
//! the transaction of the submission, so a retry with the same body gets the first response's
//! bytes again, and the same key with another body is a 422. Only successful submissions are
//! remembered; a refused one leaves the key free, and a retry is judged afresh.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Datelike;
use planning_domain::api::payments::{
    self as api, CreatePaymentRequest, PayableVoucher, PayableVoucherQuery, PaymentAuditEntry, PaymentRequestView,
    RegisterPaymentProgram, RevisePaymentRequest, SubmitPaymentRequest,
};
use planning_domain::payment::{
    self, IdempotencyError, IdempotencyKey, PaymentContext, PaymentEvent, PaymentState, PaymentTransition,
    SavbRegistration, VoucherFilter,
};
use planning_domain::{
    CountryCode, ErrorCode, FieldErrors, LocationId, PaymentError, ReferenceNumber, Role, Voucher, VoucherError,
    VoucherEvent, VoucherId,
};
use sha2::{Digest, Sha256};

use super::vouchers::actor_of;
use crate::auth::Authenticated;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::payments::{
    IdempotentOutcome, IdempotentResponse, NewPaymentNotification, PaymentWrite, StoredPaymentRequest, StoredResponse,
    VoucherChange,
};
use crate::store::vouchers::{AuditActor, StoredVoucher, VoucherScope, WriteOutcome};
use crate::store::StoreError;

/// How often a transition is recomputed after losing a race before giving up with 409.
pub(super) const ATTEMPTS: usize = 3;

/// The partner roles that work with payments (DOMAIN.md §2, `Role::may`).
const PARTNER_ROLES: &[Role] = &[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin];

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::PAYMENT_REGISTRATIONS, get(list_registrations).post(register))
        .route(api::PAYABLE_VOUCHERS, get(payable_vouchers))
        .route(api::PAYMENT_REQUESTS, get(list_requests).post(create_draft))
        .route(api::PAYMENT_REQUEST_ROUTE, get(request_detail).put(revise_draft))
        .route(api::PAYMENT_SUBMISSION_ROUTE, post(submit))
        .route(api::PAYMENT_AUDIT_ROUTE, get(audit_trail))
}

/// The HTTP meaning of a payment rule refusal.
pub(super) fn payment_error(error: PaymentError) -> ApiError {
    let code = match &error {
        PaymentError::RoleNotAllowed { .. } => ErrorCode::Forbidden,
        // Another organization's request or voucher is not the caller's to know about.
        PaymentError::NotYourRequest | PaymentError::Voucher { error: VoucherError::NotYourVoucher, .. } => {
            return ApiError::not_found()
        }
        PaymentError::WrongStatus { .. }
        | PaymentError::AlreadyRegistered { .. }
        | PaymentError::VoucherMissing { .. }
        | PaymentError::Voucher {
            error: VoucherError::AlreadyClaimed { .. } | VoucherError::WrongStatus { .. }, ..
        } => ErrorCode::Conflict,
        _ => ErrorCode::ValidationFailed,
    };
    ApiError::rule(code, error)
}

/// A request as its readers see it.
pub(super) fn view(stored: &StoredPaymentRequest) -> PaymentRequestView {
    view_of(stored.request.clone(), stored.version, &stored.partner_name)
}

fn view_of(request: payment::PaymentRequest, version: i64, partner_name: &str) -> PaymentRequestView {
    let (reject_reason, hold_reason) = match &request.state {
        PaymentState::Rejected { reason, .. } => (Some(reason.clone()), None),
        PaymentState::OnHold { reason, .. } => (None, Some(reason.clone())),
        _ => (None, None),
    };
    PaymentRequestView {
        status: request.status(),
        reference_number: request.reference,
        reject_reason,
        hold_reason,
        partner_name: partner_name.to_owned(),
        version,
        request,
    }
}

/// Whether a partner caller's organization owns the request.
pub(super) fn owns(caller: &Authenticated, stored: &StoredPaymentRequest) -> bool {
    stored.partner_organization_id == caller.organization_id()
}

/// The request if it exists and `visible` lets the caller see it; 404 otherwise.
pub(super) async fn visible_request(
    state: &AppState,
    caller: &Authenticated,
    request_id: &str,
    visible: fn(&Authenticated, &StoredPaymentRequest) -> bool,
) -> Result<StoredPaymentRequest, ApiError> {
    match state.store.payment_request(request_id).await? {
        Some(stored) if visible(caller, &stored) => Ok(stored),
        _ => Err(ApiError::not_found()),
    }
}

/// The stored vouchers of a request's lines (a missing one is left out; the rule reports it).
pub(super) async fn request_vouchers(
    state: &AppState,
    request: &payment::PaymentRequest,
) -> Result<Vec<StoredVoucher>, ApiError> {
    let mut vouchers = Vec::with_capacity(request.lines.len());
    for line in &request.lines {
        if let Some(stored) = state.store.voucher(line.voucher_id.as_str()).await? {
            vouchers.push(stored);
        }
    }
    Ok(vouchers)
}

/// The partner's Global Admins and MPN Partner Admins hear of every status change.
async fn partner_recipients(
    state: &AppState,
    partner_organization_id: i64,
    events: &[PaymentEvent],
) -> Result<Vec<NewPaymentNotification>, ApiError> {
    let status_changes: Vec<&PaymentEvent> = events
        .iter()
        .filter(|event| !matches!(event, PaymentEvent::Drafted { .. } | PaymentEvent::Revised { .. }))
        .collect();
    if status_changes.is_empty() {
        return Ok(Vec::new());
    }
    let recipients = state.store.users_with_role(partner_organization_id, PARTNER_ROLES, None).await?;
    Ok(recipients
        .into_iter()
        .flat_map(|(recipient_user_id, recipient_email)| {
            status_changes.iter().map(move |event| NewPaymentNotification {
                recipient_user_id,
                recipient_email: recipient_email.clone(),
                event: (*event).clone(),
            })
        })
        .collect())
}

fn voucher_of_event(event: &VoucherEvent) -> Option<&VoucherId> {
    match event {
        VoucherEvent::Claimed { voucher_id, .. }
        | VoucherEvent::ClaimReleased { voucher_id, .. }
        | VoucherEvent::Paid { voucher_id, .. } => Some(voucher_id),
        _ => None,
    }
}

/// The write of a computed transition: the request guarded by the version it was read at, each
/// changed voucher by its own, with audit rows and notifications.
pub(super) async fn write_of(
    state: &AppState,
    caller: &Authenticated,
    stored: &StoredPaymentRequest,
    vouchers: &[StoredVoucher],
    transition: PaymentTransition,
) -> Result<PaymentWrite, ApiError> {
    let PaymentTransition { request, vouchers: changed, events, voucher_events } = transition;
    let mut changes = Vec::with_capacity(changed.len());
    for voucher in changed {
        let Some(before) = vouchers.iter().find(|stored| stored.voucher.id == voucher.id) else {
            return Err(ApiError::code(ErrorCode::Conflict));
        };
        let events =
            voucher_events.iter().filter(|event| voucher_of_event(event) == Some(&voucher.id)).cloned().collect();
        changes.push(VoucherChange {
            expected_version: before.version,
            from_status: before.voucher.status(),
            events,
            voucher,
        });
    }
    let notifications = partner_recipients(state, stored.partner_organization_id, &events).await?;
    Ok(PaymentWrite {
        from_status: Some(stored.request.status()),
        partner_organization_id: stored.partner_organization_id,
        expected_version: stored.version,
        vouchers: changes,
        events,
        actor: AuditActor { user_id: Some(caller.user.id), name: caller.user.display_name.clone() },
        notifications,
        program_date: state.clock.today(),
        now: wall_time(),
        request,
    })
}

/// Runs `transition` on the stored request and its current vouchers and writes it, recomputing
/// after a lost race.
pub(super) async fn run_payment_transition<F>(
    state: &AppState,
    caller: &Authenticated,
    request_id: &str,
    visible: fn(&Authenticated, &StoredPaymentRequest) -> bool,
    transition: F,
) -> Result<PaymentRequestView, ApiError>
where
    F: Fn(&StoredPaymentRequest, &[Voucher]) -> Result<PaymentTransition, PaymentError>,
{
    for _ in 0..ATTEMPTS {
        let stored = visible_request(state, caller, request_id, visible).await?;
        let vouchers = request_vouchers(state, &stored.request).await?;
        let plain: Vec<Voucher> = vouchers.iter().map(|stored| stored.voucher.clone()).collect();
        let computed = transition(&stored, &plain).map_err(payment_error)?;
        let write = write_of(state, caller, &stored, &vouchers, computed).await?;
        if state.store.apply_payment_transition(write).await? == WriteOutcome::Applied {
            let fresh = state.store.payment_request(request_id).await?.ok_or_else(ApiError::not_found)?;
            return Ok(view(&fresh));
        }
        // Another request changed the request or a voucher first: compute again on what it left.
    }
    Err(ApiError::code(ErrorCode::Conflict))
}

async fn list_registrations(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<SavbRegistration>>, ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    Ok(Json(state.store.payment_registrations(caller.organization_id()).await?))
}

async fn register(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<RegisterPaymentProgram>,
) -> Result<(StatusCode, Json<SavbRegistration>), ApiError> {
    let actor = actor_of(&caller, None);
    let organization = caller.organization_id();
    // The rule names the refused role itself; nobody outside a partner gets further.
    let (vouchers, registrations) = if actor.partner_id().is_some() {
        let vouchers = state.store.vouchers(VoucherScope::Partner(organization)).await?;
        (
            vouchers.into_iter().map(|stored| stored.voucher).collect(),
            state.store.payment_registrations(organization).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let today = state.clock.today();
    let registration = payment::register_payment_program(&actor, body.program, &vouchers, &registrations, today)
        .map_err(payment_error)?;
    let actor = AuditActor { user_id: Some(caller.user.id), name: caller.user.display_name.clone() };
    if !state.store.insert_payment_registration(organization, &registration, &actor, wall_time()).await? {
        return Err(payment_error(PaymentError::AlreadyRegistered { program: body.program }));
    }
    tracing::info!(program = ?body.program, organization, "registered for payments");
    Ok((StatusCode::CREATED, Json(registration)))
}

/// The caller's redeemed vouchers of the program a request may include today, priced.
async fn payable_vouchers(
    State(state): State<AppState>,
    caller: Authenticated,
    Query(query): Query<PayableVoucherQuery>,
) -> Result<Json<Vec<PayableVoucher>>, ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    let mut fields = FieldErrors::default();
    let country = query.country.as_deref().map(|text| fields.check("country", CountryCode::parse(text)));
    let location = query.location_id.as_deref().map(|text| fields.check("location_id", LocationId::parse(text)));
    if !fields.is_empty() {
        return Err(ApiError::fields(fields.into_vec()));
    }
    let filter = match (country.flatten(), location.flatten()) {
        (None, None) => VoucherFilter::All,
        (Some(country), None) => VoucherFilter::Country { country },
        (None, Some(location_id)) => VoucherFilter::Location { location_id },
        (Some(_), Some(_)) => return Err(ApiError::code(ErrorCode::MalformedBody)),
    };
    let organization = caller.organization_id();
    let stored = state.store.vouchers(VoucherScope::Partner(organization)).await?;
    let plain: Vec<Voucher> = stored.iter().map(|stored| stored.voucher.clone()).collect();
    let today = state.clock.today();
    let partner_id = organization.to_string();
    let payable = payment::payable_vouchers(&plain, &partner_id, query.program, &filter, today, &state.timeline);
    let list = payable
        .into_iter()
        .filter_map(|voucher| {
            let redemption = voucher.redemption()?;
            let reservation = &redemption.reservation;
            let (days, rate) = payment::paid_days_and_rate(redemption, &state.timeline.daily_rates);
            let customer_name = stored
                .iter()
                .find(|stored| stored.voucher.id == voucher.id)
                .map(|stored| stored.customer_name.clone())
                .unwrap_or_default();
            Some(PayableVoucher {
                voucher_id: voucher.id.as_str().to_owned(),
                customer_name,
                offering: voucher.offering,
                location_id: reservation.location_id.clone(),
                delivery_country: reservation.delivery_country,
                days,
                daily_rate: rate,
                amount: rate.and_then(|rate| rate.checked_mul(i64::from(days))),
                redeemed_on: redemption.redeemed_on,
                payment_deadline: redemption.payment_deadline(&state.timeline),
            })
        })
        .collect();
    Ok(Json(list))
}

async fn list_requests(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<PaymentRequestView>>, ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    let stored = state.store.payment_requests_of(caller.organization_id()).await?;
    Ok(Json(stored.iter().map(view).collect()))
}

async fn request_detail(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    let stored = visible_request(&state, &caller, &request_id, owns).await?;
    Ok(Json(view(&stored)))
}

async fn audit_trail(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<Vec<PaymentAuditEntry>>, ApiError> {
    let visible: fn(&Authenticated, &StoredPaymentRequest) -> bool = match caller.role() {
        Role::ProgramOperator => |_, _| true,
        Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin => owns,
        _ => return Err(ApiError::code(ErrorCode::Forbidden)),
    };
    let stored = visible_request(&state, &caller, &request_id, visible).await?;
    Ok(Json(state.store.payment_audit_trail(&stored.request.id).await?))
}

/// The selected vouchers, each the caller's organization's; 404 for any other.
async fn selected_vouchers(
    state: &AppState,
    caller: &Authenticated,
    voucher_ids: &[String],
) -> Result<Vec<Voucher>, ApiError> {
    if voucher_ids.len() > api::MAX_REQUEST_VOUCHERS {
        return Err(ApiError::code(ErrorCode::MalformedBody));
    }
    let mut fields = FieldErrors::default();
    let parsed: Vec<Option<VoucherId>> =
        voucher_ids.iter().map(|text| fields.check("voucher_ids", VoucherId::parse(text))).collect();
    if !fields.is_empty() {
        return Err(ApiError::fields(fields.into_vec()));
    }
    let mut vouchers = Vec::with_capacity(parsed.len());
    for voucher_id in parsed.into_iter().flatten() {
        match state.store.voucher(voucher_id.as_str()).await? {
            Some(stored) if stored.partner_organization_id == Some(caller.organization_id()) => {
                vouchers.push(stored.voucher);
            }
            _ => return Err(ApiError::not_found()),
        }
    }
    Ok(vouchers)
}

/// A new request id: `PR-` and 10 random digits.
fn new_request_id() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let digits: String = (0..10).map(|_| char::from(b'0' + rng.random_range(0..10))).collect();
    format!("PR-{digits}")
}

async fn create_draft(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<CreatePaymentRequest>,
) -> Result<(StatusCode, Json<PaymentRequestView>), ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    let vouchers = selected_vouchers(&state, &caller, &body.voucher_ids).await?;
    let organization = caller.organization_id();
    let registrations = state.store.payment_registrations(organization).await?;
    let context = PaymentContext { registrations: &registrations, timeline: &state.timeline };
    let actor = actor_of(&caller, None);
    let today = state.clock.today();
    for _ in 0..ATTEMPTS {
        let request_id = new_request_id();
        let transition =
            payment::draft_payment_request(request_id.clone(), &actor, body.program, &vouchers, today, &context)
                .map_err(payment_error)?;
        let write = PaymentWrite {
            request: transition.request,
            partner_organization_id: organization,
            expected_version: 0,
            from_status: None,
            vouchers: Vec::new(),
            events: transition.events,
            actor: AuditActor { user_id: Some(caller.user.id), name: caller.user.display_name.clone() },
            notifications: Vec::new(),
            program_date: today,
            now: wall_time(),
        };
        match state.store.insert_payment_request(write).await {
            Ok(()) => {
                let stored = state.store.payment_request(&request_id).await?.ok_or_else(ApiError::not_found)?;
                tracing::info!(request_id, "payment request drafted");
                return Ok((StatusCode::CREATED, Json(view(&stored))));
            }
            // The random id was taken: draw another.
            Err(StoreError::Conflict(_)) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::code(ErrorCode::Conflict))
}

async fn revise_draft(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
    AppJson(body): AppJson<RevisePaymentRequest>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    // The request first: another organization's is a 404 whatever the body names.
    visible_request(&state, &caller, &request_id, owns).await?;
    let selection = selected_vouchers(&state, &caller, &body.voucher_ids).await?;
    let registrations = state.store.payment_registrations(caller.organization_id()).await?;
    let context = PaymentContext { registrations: &registrations, timeline: &state.timeline };
    let actor = actor_of(&caller, None);
    let today = state.clock.today();
    let view = run_payment_transition(&state, &caller, &request_id, owns, |stored, _| {
        payment::revise_payment_request(&stored.request, &actor, &selection, today, &context)
    })
    .await?;
    Ok(Json(view))
}

/// What identifies a submission for its idempotency key: the method, the address and the body.
fn fingerprint(path: &str, body: &SubmitPaymentRequest) -> String {
    let canonical = serde_json::to_string(body).unwrap_or_default();
    let digest = Sha256::digest(format!("POST\n{path}\n{canonical}").as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn json_response(status_code: u16, body: Vec<u8>, replayed: bool) -> Response {
    let status = StatusCode::from_u16(status_code).unwrap_or(StatusCode::OK);
    let mut response =
        (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], Body::from(body))
            .into_response();
    if replayed {
        response.headers_mut().insert(api::IDEMPOTENT_REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    response
}

/// The stored first response again, or a 422 when the key was used for another request.
fn replay(stored: StoredResponse, fingerprint: &str) -> Result<Response, ApiError> {
    if stored.fingerprint != fingerprint {
        return Err(ApiError::rule(ErrorCode::ValidationFailed, IdempotencyError::ReusedWithOtherRequest));
    }
    Ok(json_response(stored.status_code, stored.body, true))
}

async fn submit(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
    headers: HeaderMap,
    AppJson(body): AppJson<SubmitPaymentRequest>,
) -> Result<Response, ApiError> {
    caller.require_role(PARTNER_ROLES)?;
    let header = headers.get(api::IDEMPOTENCY_KEY_HEADER).map(|value| value.to_str().unwrap_or_default());
    let key = IdempotencyKey::parse(header).map_err(|error| ApiError::rule(ErrorCode::MalformedBody, error))?;
    let fingerprint = fingerprint(&api::payment_submission_path(&request_id), &body);
    if let Some(stored) = state.store.idempotent_response(caller.user.id, key.as_str()).await? {
        return replay(stored, &fingerprint);
    }
    match submit_once(&state, &caller, &request_id, &body, &key, &fingerprint).await {
        Ok(response) => Ok(response),
        // A concurrent retry with this key may have submitted it meanwhile: answer as it did.
        Err(error) => match state.store.idempotent_response(caller.user.id, key.as_str()).await? {
            Some(stored) => replay(stored, &fingerprint),
            None => Err(error),
        },
    }
}

async fn submit_once(
    state: &AppState,
    caller: &Authenticated,
    request_id: &str,
    body: &SubmitPaymentRequest,
    key: &IdempotencyKey,
    fingerprint: &str,
) -> Result<Response, ApiError> {
    let registrations = state.store.payment_registrations(caller.organization_id()).await?;
    let context = PaymentContext { registrations: &registrations, timeline: &state.timeline };
    let actor = actor_of(caller, None);
    let today = state.clock.today();
    for _ in 0..ATTEMPTS {
        let stored = visible_request(state, caller, request_id, owns).await?;
        let vouchers = request_vouchers(state, &stored.request).await?;
        let plain: Vec<Voucher> = vouchers.iter().map(|stored| stored.voucher.clone()).collect();
        // The reference number's sequence is the request's row id, unique by construction.
        let reference = u16::try_from(today.year())
            .ok()
            .zip(u32::try_from(stored.sequence).ok())
            .and_then(|(year, sequence)| ReferenceNumber::new(year, sequence).ok())
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no reference number for row {}", stored.sequence)))?;
        let transition = payment::submit_payment_request(&stored.request, &actor, &plain, reference, today, &context)
            .map_err(payment_error)?;
        // The draft changed since the partner reviewed it.
        if stored.version != body.version {
            return Err(ApiError::code(ErrorCode::Conflict));
        }
        let write = write_of(state, caller, &stored, &vouchers, transition).await?;
        let submitted = view_of(write.request.clone(), stored.version + 1, &stored.partner_name);
        let response_body = serde_json::to_vec(&submitted).map_err(|error| ApiError::Internal(error.into()))?;
        let response = IdempotentResponse {
            user_id: caller.user.id,
            key: key.as_str().to_owned(),
            fingerprint: fingerprint.to_owned(),
            status_code: 200,
            body: response_body.clone(),
        };
        match state.store.apply_idempotent_payment_transition(write, response).await? {
            IdempotentOutcome::Applied => {
                tracing::info!(request_id, reference = %reference, "payment request submitted");
                return Ok(json_response(200, response_body, false));
            }
            IdempotentOutcome::AlreadyUsed(stored) => return replay(stored, fingerprint),
            // The request or one of its vouchers changed first: compute again.
            IdempotentOutcome::Stale => continue,
        }
    }
    Err(ApiError::code(ErrorCode::Conflict))
}
