//! `GET /api/v1/operations/dashboard`: the program operator's view of the whole program on the
//! program date: vouchers by state (as `Voucher::status_on` shows them), the days reserved and
//! redeemed, and payment requests by status.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::api::operations::{self as api, PaymentStatusCount, ProgramDashboard, VoucherStatusCount};
use planning_domain::payment::PaymentStatus;
use planning_domain::{Role, VoucherStatus};

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::vouchers::VoucherScope;

pub fn router() -> Router<AppState> {
    Router::new().route(api::OPERATIONS_DASHBOARD, get(dashboard))
}

async fn dashboard(State(state): State<AppState>, caller: Authenticated) -> Result<Json<ProgramDashboard>, ApiError> {
    caller.require_role(&[Role::ProgramOperator])?;
    let today = state.clock.today();
    let vouchers = state.store.vouchers(VoucherScope::Everything).await?;

    let mut vouchers_by_status: Vec<VoucherStatusCount> =
        VoucherStatus::ALL.iter().map(|&status| VoucherStatusCount { status, vouchers: 0, days: 0 }).collect();
    let (mut days_reserved, mut days_redeemed) = (0u32, 0u32);
    // Every payment request holds vouchers its partner redeemed, so the partners with requests
    // are among the partners of redeemed vouchers (a rejected request releases them to Redeemed).
    let mut partners = BTreeSet::new();
    for stored in &vouchers {
        let voucher = &stored.voucher;
        let status = voucher.status_on(today);
        let days = u32::from(voucher.service_level.days());
        if let Some(count) = vouchers_by_status.iter_mut().find(|count| count.status == status) {
            count.vouchers += 1;
            count.days += days;
        }
        if status == VoucherStatus::Reserved {
            days_reserved += days;
        }
        if let Some(redemption) = voucher.redemption() {
            days_redeemed += u32::from(redemption.completion_report.days_delivered);
            if let Ok(partner) = redemption.reservation.partner_id.parse::<i64>() {
                partners.insert(partner);
            }
        }
    }

    let mut payments_by_status: Vec<PaymentStatusCount> =
        PaymentStatus::SUBMITTED.iter().map(|&status| PaymentStatusCount { status, requests: 0 }).collect();
    for partner in partners {
        for stored in state.store.payment_requests_of(partner).await? {
            let status = stored.request.status();
            if let Some(count) = payments_by_status.iter_mut().find(|count| count.status == status) {
                count.requests += 1;
            }
        }
    }
    Ok(Json(ProgramDashboard { vouchers_by_status, days_reserved, days_redeemed, payments_by_status }))
}
