//! SAVB payments, Microsoft side (DOMAIN.md §11.3–11.4): the program operator's queue of
//! submitted and held requests with the review checklist of each, and the decisions: approve
//! (only with every item met), reject with a reason (the vouchers are released), hold, resume,
//! and record the payment (the vouchers become paid).
//!
//! The checklist is computed by the domain's `review_payment_request` from the stored vouchers,
//! the partner's program record, the history of its competency and exam records (judged as on
//! each delivery day, not today) and the customers' engagement history; approval computes it
//! again on the vouchers it writes, so it never approves on a stale list.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::api::payments::{self as api, PaymentRequestView, ReviewDecisionReason, ReviewedPaymentRequest};
use planning_domain::payment::{self, ReviewChecklist};
use planning_domain::qualification::QualificationHistory;
use planning_domain::voucher::{EngagementRecord, REPEAT_LIMITED_LEVEL};
use planning_domain::{PartnerProfile, Role, Voucher};

use super::payments::{request_vouchers, run_payment_transition, view, visible_request};
use super::vouchers::actor_of;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::payments::StoredPaymentRequest;
use crate::store::vouchers::StoredVoucher;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::REVIEW_QUEUE, get(queue))
        .route(api::REVIEW_ROUTE, get(detail))
        .route(api::APPROVAL_ROUTE, post(approve))
        .route(api::REJECTION_ROUTE, post(reject))
        .route(api::HOLD_ROUTE, post(hold))
        .route(api::RESUMPTION_ROUTE, post(resume))
        .route(api::PAYMENT_ROUTE, post(mark_paid))
}

/// The operator sees every request.
fn anyone(_: &Authenticated, _: &StoredPaymentRequest) -> bool {
    true
}

fn operator_only(caller: &Authenticated) -> Result<(), ApiError> {
    caller.require_role(&[Role::ProgramOperator])
}

/// What the checklist is judged against besides the vouchers: the partner's program record, its
/// competency and exam records over time, and the engagements of the request's customers (for
/// the repeat limit).
struct ReviewInputs {
    partner: PartnerProfile,
    records: QualificationHistory,
    history: Vec<EngagementRecord>,
    rates: planning_domain::catalog::DailyRates,
}

async fn review_inputs(
    state: &AppState,
    stored: &StoredPaymentRequest,
    vouchers: &[StoredVoucher],
) -> Result<ReviewInputs, ApiError> {
    let partner = state.store.partner_profile(stored.partner_organization_id).await?.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "partner organization {} has no program record",
            stored.partner_organization_id
        ))
    })?;
    let customers: BTreeSet<i64> = vouchers.iter().map(|voucher| voucher.customer_organization_id).collect();
    let mut history = Vec::new();
    for customer in customers {
        let reserved = state
            .store
            .engagements_of_partner_for_customer(customer, stored.partner_organization_id, REPEAT_LIMITED_LEVEL)
            .await?;
        history.extend(reserved.iter().filter_map(EngagementRecord::of));
    }
    let records = state.store.qualification_history(stored.partner_organization_id).await?;
    Ok(ReviewInputs { partner, records, history, rates: state.timeline.daily_rates.clone() })
}

impl ReviewInputs {
    fn checklist(&self, request: &payment::PaymentRequest, vouchers: &[Voucher]) -> ReviewChecklist {
        payment::review_payment_request(request, vouchers, &self.partner, &self.history, &self.records, &self.rates)
    }
}

async fn reviewed(state: &AppState, stored: &StoredPaymentRequest) -> Result<ReviewedPaymentRequest, ApiError> {
    let vouchers = request_vouchers(state, &stored.request).await?;
    let inputs = review_inputs(state, stored, &vouchers).await?;
    let plain: Vec<Voucher> = vouchers.into_iter().map(|stored| stored.voucher).collect();
    let checklist = inputs.checklist(&stored.request, &plain);
    Ok(ReviewedPaymentRequest { request: view(stored), approvable: checklist.all_met(), checklist })
}

async fn queue(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<ReviewedPaymentRequest>>, ApiError> {
    operator_only(&caller)?;
    let waiting = state.store.payment_requests_in_review().await?;
    let mut list = Vec::with_capacity(waiting.len());
    for stored in &waiting {
        list.push(reviewed(&state, stored).await?);
    }
    Ok(Json(list))
}

async fn detail(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<ReviewedPaymentRequest>, ApiError> {
    operator_only(&caller)?;
    let stored = visible_request(&state, &caller, &request_id, anyone).await?;
    Ok(Json(reviewed(&state, &stored).await?))
}

async fn approve(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    operator_only(&caller)?;
    let stored = visible_request(&state, &caller, &request_id, anyone).await?;
    let vouchers = request_vouchers(&state, &stored.request).await?;
    let inputs = review_inputs(&state, &stored, &vouchers).await?;
    let actor = actor_of(&caller, None);
    let today = state.clock.today();
    let view = run_payment_transition(&state, &caller, &request_id, anyone, |stored, vouchers| {
        let checklist = inputs.checklist(&stored.request, vouchers);
        payment::approve_payment_request(&stored.request, &actor, today, &checklist)
    })
    .await?;
    tracing::info!(request_id, "payment request approved");
    Ok(Json(view))
}

async fn reject(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
    AppJson(body): AppJson<ReviewDecisionReason>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    operator_only(&caller)?;
    let actor = actor_of(&caller, None);
    let today = state.clock.today();
    let view = run_payment_transition(&state, &caller, &request_id, anyone, |stored, vouchers| {
        payment::reject_payment_request(&stored.request, &actor, today, &body.reason, vouchers, &state.timeline)
    })
    .await?;
    tracing::info!(request_id, "payment request rejected");
    Ok(Json(view))
}

async fn hold(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
    AppJson(body): AppJson<ReviewDecisionReason>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    operator_only(&caller)?;
    let actor = actor_of(&caller, None);
    let today = state.clock.today();
    let view = run_payment_transition(&state, &caller, &request_id, anyone, |stored, _| {
        payment::hold_payment_request(&stored.request, &actor, today, &body.reason)
    })
    .await?;
    Ok(Json(view))
}

async fn resume(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    operator_only(&caller)?;
    let actor = actor_of(&caller, None);
    let view = run_payment_transition(&state, &caller, &request_id, anyone, |stored, _| {
        payment::resume_payment_request(&stored.request, &actor)
    })
    .await?;
    Ok(Json(view))
}

async fn mark_paid(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    operator_only(&caller)?;
    let actor = actor_of(&caller, None);
    let today = state.clock.today();
    let view = run_payment_transition(&state, &caller, &request_id, anyone, |stored, vouchers| {
        payment::mark_payment_request_paid(&stored.request, &actor, today, vouchers)
    })
    .await?;
    tracing::info!(request_id, "payment request paid");
    Ok(Json(view))
}
