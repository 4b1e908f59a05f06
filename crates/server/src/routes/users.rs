//! `/api/v1/users`: administrators list, add and disable the users of their own organization.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::account::{self, AccountError, OrganizationKind, Password};
use planning_domain::api::{self, NewUser, User};
use planning_domain::{BoundedText, EmailAddress, ErrorCode, FieldErrors};

use crate::auth::{self, Authenticated};
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;

/// Display names: 1 to 100 characters.
const DISPLAY_NAME_LENGTH: (usize, usize) = (1, 100);

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
    let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, email, display_name, role, disabled_at FROM users WHERE organization_id = ? ORDER BY display_name, id",
    )
    .bind(caller.organization_id())
    .fetch_all(&state.pool)
    .await?;
    let users = rows
        .into_iter()
        .map(|(id, email, display_name, role, disabled_at)| {
            Ok(User { id, email, display_name, role: auth::parse_role(&role)?, disabled: disabled_at.is_some() })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(users))
}

async fn add_user(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    require_administrator(&caller)?;
    let mut fields = FieldErrors::default();
    let email = fields.check("email", EmailAddress::parse(&body.email));
    let display_name = fields
        .check("display_name", BoundedText::parse(&body.display_name, DISPLAY_NAME_LENGTH.0, DISPLAY_NAME_LENGTH.1));
    fields.check("role", account::check_role_assignment(caller.role(), body.role));
    let password = fields.check("password", Password::parse_new(&body.password));
    let (Some(email), Some(display_name), Some(password)) = (email, display_name, password) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    if !fields.is_empty() {
        return Err(ApiError::fields(fields.into_vec()));
    }
    debug_assert_eq!(OrganizationKind::of(body.role), caller.user.organization.kind);
    let email = email.as_str().to_lowercase();
    let password_hash = auth::hash_password(&password).await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (organization_id, email, display_name, role, password_hash, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(caller.organization_id())
    .bind(&email)
    .bind(display_name.as_str())
    .bind(auth::role_name(body.role))
    .bind(password_hash)
    .bind(wall_time().to_rfc3339())
    .fetch_optional(&state.pool)
    .await?;
    let id = inserted.ok_or_else(|| ApiError::rule(ErrorCode::Conflict, AccountError::EmailTaken))?;
    tracing::info!(user_id = id, by = caller.user.id, "user added");
    let user = User { id, email, display_name: display_name.into_string(), role: body.role, disabled: false };
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
    let mut transaction = state.pool.begin().await?;
    // Users of other organizations are "not found": their existence is not ours to reveal.
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT disabled_at FROM users WHERE id = ? AND organization_id = ?")
            .bind(user_id)
            .bind(caller.organization_id())
            .fetch_optional(&mut *transaction)
            .await?;
    if found.is_none() {
        return Err(ApiError::not_found());
    }
    sqlx::query("UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?")
        .bind(wall_time().to_rfc3339())
        .bind(user_id)
        .execute(&mut *transaction)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(user_id).execute(&mut *transaction).await?;
    transaction.commit().await?;
    tracing::info!(user_id, by = caller.user.id, "user disabled");
    Ok(StatusCode::NO_CONTENT)
}
