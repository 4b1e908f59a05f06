//! `/api/v1/organization/sign-in`: how the users of the caller's own organization sign in.
//! Its Global Admin may turn local passwords off, so that they sign in only through the
//! organization's identity provider; each change is in the audit log.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::account::{self, AccountError};
use planning_domain::api::account::{OrganizationSignIn, ORGANIZATION_SIGN_IN};
use planning_domain::ErrorCode;

use crate::auth::Authenticated;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::vouchers::AuditActor;

pub fn router() -> Router<AppState> {
    Router::new().route(ORGANIZATION_SIGN_IN, get(sign_in_policy).put(set_sign_in_policy))
}

/// The caller's organization is the only one it may see or change: no id in the path.
fn require_global_admin(caller: &Authenticated) -> Result<(), ApiError> {
    if account::sets_sign_in_policy(caller.role()) {
        Ok(())
    } else {
        Err(ApiError::rule(ErrorCode::Forbidden, AccountError::NotTheGlobalAdmin))
    }
}

async fn sign_in_policy(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<OrganizationSignIn>, ApiError> {
    require_global_admin(&caller)?;
    let local_passwords_allowed = state.store.local_passwords_allowed(caller.organization_id()).await?;
    Ok(Json(OrganizationSignIn { local_passwords_allowed }))
}

async fn set_sign_in_policy(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<OrganizationSignIn>,
) -> Result<Json<OrganizationSignIn>, ApiError> {
    require_global_admin(&caller)?;
    account::check_sign_in_policy(body.local_passwords_allowed, state.single_sign_on.is_some())
        .map_err(|error| ApiError::rule(ErrorCode::ValidationFailed, error))?;
    let actor = AuditActor { user_id: Some(caller.user.id), name: caller.user.display_name.clone() };
    state
        .store
        .set_local_passwords_allowed(
            caller.organization_id(),
            body.local_passwords_allowed,
            &actor,
            state.clock.today(),
            wall_time(),
        )
        .await?;
    tracing::info!(
        organization_id = caller.organization_id(),
        by = caller.user.id,
        allowed = body.local_passwords_allowed,
        "local passwords set"
    );
    Ok(Json(body))
}
