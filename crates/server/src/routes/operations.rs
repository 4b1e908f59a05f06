//! `GET /api/v1/operations/dashboard`: the program operator's view of the whole program on the
//! program date: vouchers by state (as `Voucher::status_on` shows them), the days reserved and
//! redeemed, and payment requests by status.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::api::operations::{self as api, PaymentStatusCount, ProgramDashboard, VoucherStatusCount};
use planning_domain::payment::PaymentStatus;
use planning_domain::{Role, VoucherStatus};

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(api::OPERATIONS_DASHBOARD, get(dashboard))
}

async fn dashboard(State(state): State<AppState>, caller: Authenticated) -> Result<Json<ProgramDashboard>, ApiError> {
    caller.require_role(&[Role::ProgramOperator])?;
    // Counted by the database: the dashboard costs the same at a hundred vouchers or a million.
    let totals = state.store.program_totals(state.clock.today()).await?;
    let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
    let vouchers_by_status: Vec<VoucherStatusCount> = VoucherStatus::ALL
        .iter()
        .map(|&status| {
            let (vouchers, days) = totals
                .vouchers_by_status
                .iter()
                .filter(|(shown, ..)| *shown == status)
                .fold((0, 0), |(vouchers, days), (_, more, more_days)| (vouchers + more, days + more_days));
            VoucherStatusCount { status, vouchers: count(vouchers), days: count(days) }
        })
        .collect();
    let days_reserved =
        vouchers_by_status.iter().find(|total| total.status == VoucherStatus::Reserved).map_or(0, |total| total.days);
    let payments_by_status = PaymentStatus::SUBMITTED
        .iter()
        .map(|&status| {
            let requests: i64 =
                totals.payments_by_status.iter().filter(|(of, _)| *of == status).map(|(_, requests)| requests).sum();
            PaymentStatusCount { status, requests: count(requests) }
        })
        .collect();
    Ok(Json(ProgramDashboard {
        vouchers_by_status,
        days_reserved,
        days_redeemed: count(totals.days_redeemed),
        payments_by_status,
    }))
}
