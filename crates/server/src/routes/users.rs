//! `/api/v1/users`: administrators list, add and disable the users of their own organization.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::account::{self, AccountError, Password};
use planning_domain::api::{self, NewUser, User};
use planning_domain::{EmailAddress, ErrorCode, FieldErrors};

use crate::auth::{self, Authenticated};
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::accounts::NewMember;
use crate::store::StoreError;

pub fn router() -> Router<AppState> {
    Router::new().route(api::USERS, get(list_users).post(add_user)).route(api::USER_DISABLE_ROUTE, post(disable_user))
}

fn require_administrator(caller: &Authenticated) -> Result<(), ApiError> {
    if account::administers_users(caller.role()) {
        Ok(())
    } else {
        Err(ApiError::rule(ErrorCode::Forbidden, AccountError::NotAnAdministrator))
    }
}

async fn list_users(State(state): State<AppState>, caller: Authenticated) -> Result<Json<Vec<User>>, ApiError> {
    require_administrator(&caller)?;
    Ok(Json(state.store.users_of(caller.organization_id()).await?))
}

async fn add_user(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    require_administrator(&caller)?;
    let mut fields = FieldErrors::default();
    let email = fields.check("email", EmailAddress::parse(&body.email));
    let display_name = fields.check("display_name", account::parse_display_name(&body.display_name));
    fields.check("role", account::check_role_assignment(caller.role(), body.role));
    let password = fields.check("password", Password::parse_new(&body.password));
    let (Some(email), Some(display_name), Some(password), true) = (email, display_name, password, fields.is_empty())
    else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let member = NewMember {
        email: email.as_str().to_lowercase(),
        display_name: display_name.into_string(),
        role: body.role,
        password_hash: auth::hash_password(&password).await?,
        created_at: wall_time(),
    };
    let id = match state.store.insert_user(caller.organization_id(), member.clone()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => return Err(ApiError::rule(ErrorCode::Conflict, AccountError::EmailTaken)),
        Err(error) => return Err(error.into()),
    };
    tracing::info!(user_id = id, by = caller.user.id, "user added");
    let user = User { id, email: member.email, display_name: member.display_name, role: member.role, disabled: false };
    Ok((StatusCode::CREATED, Json(user)))
}

async fn disable_user(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(user_id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require_administrator(&caller)?;
    if user_id == caller.user.id {
        return Err(ApiError::rule(ErrorCode::Conflict, AccountError::CannotDisableYourself));
    }
    // Users of other organizations are "not found": their existence is not ours to reveal.
    if !state.store.disable_user(caller.organization_id(), user_id, wall_time()).await? {
        return Err(ApiError::not_found());
    }
    state.sessions.remove_user(user_id);
    tracing::info!(user_id, by = caller.user.id, "user disabled");
    Ok(StatusCode::NO_CONTENT)
}
