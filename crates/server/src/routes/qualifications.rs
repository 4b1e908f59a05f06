//! `/api/v1/operations/partners/…`: the program operator's records of partners' competencies
//! and passed exams (issue 17 item 5). The operator is their only writer; every change is in
//! force from the program date and written with its history version and audit row in one
//! transaction (`store::sql::partners`). Partners read the records in their program data.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use planning_domain::api::partners::{NewPassedExam, PartnerProgram, SetCompetency};
use planning_domain::api::qualifications::{self as api, PartnerSearch, PARTNER_SEARCH_LIMIT};
use planning_domain::api::vouchers::AuditLine;
use planning_domain::api::Organization;
use planning_domain::eligibility::{HeldCompetency, PassedExam};
use planning_domain::profile::{ExamCode, ProfileError};
use planning_domain::{parse_date, BoundedText, CompetencyId, ErrorCode, FieldErrors, Role};

use crate::auth::Authenticated;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::partners::RecordsChange;
use crate::store::StoreError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::OPERATOR_PARTNERS, get(find_partners))
        .route(api::OPERATOR_PARTNER_ROUTE, get(partner_records))
        .route(api::OPERATOR_PARTNER_AUDIT_ROUTE, get(partner_audit))
        .route(api::OPERATOR_COMPETENCY_ROUTE, put(set_competency).delete(remove_competency))
        .route(api::OPERATOR_EXAMS_ROUTE, post(add_passed_exam))
        .route(api::OPERATOR_EXAM_ROUTE, delete(remove_passed_exam))
}

/// Only the program operator reads other companies' records here and changes any.
fn operator_only(caller: &Authenticated) -> Result<(), ApiError> {
    caller.require_role(&[Role::ProgramOperator])
}

/// The change's author and program date.
fn change_by(state: &AppState, caller: &Authenticated) -> RecordsChange {
    RecordsChange {
        actor_user_id: Some(caller.user.id),
        actor_name: caller.user.display_name.clone(),
        program_date: state.clock.today(),
        now: wall_time(),
    }
}

/// The partner's program data with its records; 404 when `partner_id` is not a partner.
async fn load(state: &AppState, partner_id: i64) -> Result<PartnerProgram, ApiError> {
    state.store.partner_program(partner_id).await?.ok_or_else(ApiError::not_found)
}

/// Reads a competency path segment by its wire name; unknown names are "not found".
fn competency_of(segment: String) -> Result<CompetencyId, ApiError> {
    serde_json::from_value(serde_json::Value::String(segment)).map_err(|_| ApiError::not_found())
}

async fn find_partners(
    State(state): State<AppState>,
    caller: Authenticated,
    Query(search): Query<PartnerSearch>,
) -> Result<Json<Vec<Organization>>, ApiError> {
    operator_only(&caller)?;
    // The same text rule as every name: no control characters (PostgreSQL refuses NUL), bounded.
    let mut fields = FieldErrors::default();
    let Some(name) = fields.check("name", BoundedText::parse(search.name.as_deref().unwrap_or_default(), 0, 100))
    else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    Ok(Json(state.store.find_partners(name.as_str(), PARTNER_SEARCH_LIMIT).await?))
}

async fn partner_records(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(partner_id): Path<i64>,
) -> Result<Json<PartnerProgram>, ApiError> {
    operator_only(&caller)?;
    Ok(Json(load(&state, partner_id).await?))
}

async fn partner_audit(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(partner_id): Path<i64>,
) -> Result<Json<Vec<AuditLine>>, ApiError> {
    operator_only(&caller)?;
    load(&state, partner_id).await?;
    Ok(Json(state.store.qualification_audit(partner_id).await?))
}

async fn set_competency(
    State(state): State<AppState>,
    caller: Authenticated,
    Path((partner_id, competency)): Path<(i64, String)>,
    AppJson(body): AppJson<SetCompetency>,
) -> Result<Json<PartnerProgram>, ApiError> {
    operator_only(&caller)?;
    let competency = competency_of(competency)?;
    let mut fields = FieldErrors::default();
    let Some(expires_on) = fields.check("expires_on", parse_date(&body.expires_on)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    // Not a partner: 404 before anything is written.
    load(&state, partner_id).await?;
    let held = HeldCompetency { competency, level: body.level, expires_on };
    state.store.set_competency(partner_id, held, &change_by(&state, &caller)).await?;
    tracing::info!(partner_id, ?competency, by = caller.user.id, "competency recorded by the program");
    Ok(Json(load(&state, partner_id).await?))
}

async fn remove_competency(
    State(state): State<AppState>,
    caller: Authenticated,
    Path((partner_id, competency)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    operator_only(&caller)?;
    let competency = competency_of(competency)?;
    if state.store.remove_competency(partner_id, competency, &change_by(&state, &caller)).await?.is_none() {
        return Err(ApiError::not_found());
    }
    tracing::info!(partner_id, ?competency, by = caller.user.id, "competency removed by the program");
    Ok(StatusCode::NO_CONTENT)
}

async fn add_passed_exam(
    State(state): State<AppState>,
    caller: Authenticated,
    Path((partner_id, consultant_id)): Path<(i64, i64)>,
    AppJson(body): AppJson<NewPassedExam>,
) -> Result<(StatusCode, Json<PartnerProgram>), ApiError> {
    operator_only(&caller)?;
    let mut fields = FieldErrors::default();
    let Some(exam) = fields.check("exam", ExamCode::parse(&body.exam)) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let exam = PassedExam { exam: exam.into_string(), counts_toward: body.counts_toward };
    match state.store.add_passed_exam(partner_id, consultant_id, exam, &change_by(&state, &caller)).await {
        Ok(true) => {}
        // Not this partner's consultant.
        Ok(false) => return Err(ApiError::not_found()),
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::rule(ErrorCode::Conflict, ProfileError::ExamAlreadyRecorded))
        }
        Err(error) => return Err(error.into()),
    }
    tracing::info!(partner_id, consultant_id, by = caller.user.id, "exam recorded by the program");
    Ok((StatusCode::CREATED, Json(load(&state, partner_id).await?)))
}

async fn remove_passed_exam(
    State(state): State<AppState>,
    caller: Authenticated,
    Path((partner_id, consultant_id, exam)): Path<(i64, i64, String)>,
) -> Result<StatusCode, ApiError> {
    operator_only(&caller)?;
    // The stored codes are the parsed (upper-case) form; anything else is not on record.
    let exam = ExamCode::parse(&exam).map_err(|_| ApiError::not_found())?;
    if !state.store.remove_passed_exam(partner_id, consultant_id, exam.as_str(), &change_by(&state, &caller)).await? {
        return Err(ApiError::not_found());
    }
    tracing::info!(partner_id, consultant_id, by = caller.user.id, "exam removed by the program");
    Ok(StatusCode::NO_CONTENT)
}
