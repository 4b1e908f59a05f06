//! `/api/v1/customer/enrollments`: a customer's licensing enrollments, benefit activation and
//! the history of each day pool (with the removal of unused days on its date, by the domain's
//! `DayPool::history_on`).

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::api::vouchers::{self as api, Enrollment, PoolEntry};
use planning_domain::voucher::{self, DayPool};
use planning_domain::Role;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::routes::vouchers::voucher_error;
use crate::startup::AppState;
use crate::store::vouchers::EnrollmentRecord;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::ENROLLMENTS, get(list_enrollments))
        .route(api::ENROLLMENT_ACTIVATION_ROUTE, post(activate_benefit))
        .route(api::ENROLLMENT_HISTORY_ROUTE, get(pool_history))
}

const CUSTOMER_ROLES: &[Role] = &[Role::CustomerBenefitAdministrator, Role::CustomerProjectManager];

/// The enrollment as of the program date, its remaining days by the pool rule.
fn as_of_program_date(state: &AppState, mut enrollment: Enrollment) -> Enrollment {
    enrollment.remaining_days = day_pool(&enrollment).remaining_on(state.clock.today(), &state.timeline);
    enrollment
}

/// The stored pool of an enrollment, as the pool rules take it.
fn day_pool(enrollment: &Enrollment) -> DayPool {
    DayPool {
        enrollment_id: enrollment.enrollment_id.clone(),
        benefit_activated: enrollment.benefit_activated_on.is_some(),
        remaining_days: enrollment.remaining_days,
        enrollment_ends_on: enrollment.ends_on,
    }
}

async fn own_enrollment(
    state: &AppState,
    caller: &Authenticated,
    enrollment_id: &str,
) -> Result<EnrollmentRecord, ApiError> {
    match state.store.enrollment(enrollment_id).await? {
        Some(record) if record.organization_id == caller.organization_id() => Ok(record),
        _ => Err(ApiError::not_found()),
    }
}

async fn list_enrollments(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<Enrollment>>, ApiError> {
    caller.require_role(CUSTOMER_ROLES)?;
    let records = state.store.enrollments_of(caller.organization_id()).await?;
    Ok(Json(records.into_iter().map(|record| as_of_program_date(&state, record.enrollment)).collect()))
}

async fn activate_benefit(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(enrollment_id): Path<String>,
) -> Result<Json<Enrollment>, ApiError> {
    caller.require_role(&[Role::CustomerBenefitAdministrator])?;
    let record = own_enrollment(&state, &caller, &enrollment_id).await?;
    let today = state.clock.today();
    voucher::check_benefit_activation(record.enrollment.ends_on, today).map_err(voucher_error)?;
    // Activating twice is harmless: the first activation date stays.
    state.store.activate_benefit(record.id, today).await?;
    let record = own_enrollment(&state, &caller, &enrollment_id).await?;
    tracing::info!(enrollment_id, "benefit activated");
    Ok(Json(as_of_program_date(&state, record.enrollment)))
}

async fn pool_history(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(enrollment_id): Path<String>,
) -> Result<Json<Vec<PoolEntry>>, ApiError> {
    caller.require_role(CUSTOMER_ROLES)?;
    let record = own_enrollment(&state, &caller, &enrollment_id).await?;
    let stored = state.store.pool_history(record.id).await?;
    Ok(Json(day_pool(&record.enrollment).history_on(stored, state.clock.today(), &state.timeline)))
}
