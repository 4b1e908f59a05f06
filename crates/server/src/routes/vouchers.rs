//! Vouchers: customers create and assign them; partners validate, reserve, reschedule, cancel,
//! report and redeem them; everyone lists and reads the ones they may see.
//!
//! Each transition runs the domain's pure function on the stored voucher and writes the result
//! guarded by the version it read. When another request got there first, the transition is
//! computed again on the fresh voucher, so the loser gets the domain's own reason (for example
//! "already reserved by another partner") as a 409, never a half-applied change.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use planning_domain::api::vouchers::{
    self as api, CreateVoucher, ItemError, RedeemVouchers, RedemptionOutcome, RedemptionResult, RescheduleEngagement,
    ReserveVoucher, SubmitCompletionReport, ValidateVoucher, VoucherPage, VoucherPreview, VoucherQuery, VoucherView,
};
use planning_domain::listing::{ListCursor, VoucherListing};
use planning_domain::voucher::{
    self, CompletionReportInput, DayPool, EngagementRecord, NewVoucher, ReservationContext, ReservationRequest,
    Transition, VoucherError,
};
use planning_domain::{
    parse_date, Action, Actor, CountryCode, EmailAddress, ErrorBody, ErrorCode, FieldErrors, LocalizedText, LocationId,
    Role, ServiceLevel, Voucher, VoucherEvent, VoucherId,
};

use crate::auth::Authenticated;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::vouchers::{
    AuditActor, NewNotification, PoolChangeWrite, StoredVoucher, TransitionWrite, VoucherScope, WriteOutcome,
};
use crate::store::StoreError;

/// How often a transition is recomputed after losing a race before giving up with 409.
const ATTEMPTS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(api::VOUCHERS, get(list_vouchers).post(create_voucher))
        .route(api::VOUCHER_ROUTE, get(voucher_detail))
        .route(api::VOUCHER_VALIDATION_ROUTE, post(validate_voucher))
        .route(api::RESERVATION_ROUTE, post(reserve).put(reschedule).delete(cancel))
        .route(api::COMPLETION_REPORT_ROUTE, post(submit_report))
        .route(api::REDEMPTION_ROUTE, post(redeem_one))
        .route(api::REDEMPTIONS, post(redeem_many))
        .route(api::VOUCHER_AUDIT_ROUTE, get(audit_trail))
}

/// The domain actor for the caller, acting for `enrollment_id` when a customer.
pub fn actor_of(caller: &Authenticated, enrollment_id: Option<&str>) -> Actor {
    let partner_id = caller.organization_id().to_string();
    let enrollment_id = enrollment_id.unwrap_or_default().to_owned();
    match caller.role() {
        Role::PartnerGlobalAdmin => Actor::PartnerGlobalAdmin { partner_id },
        Role::MpnPartnerAdmin => Actor::MpnPartnerAdmin { partner_id },
        // Consultants act under their user id until they are linked to consultant records.
        Role::Consultant => Actor::Consultant { partner_id, consultant_id: caller.user.id.to_string() },
        Role::CustomerBenefitAdministrator => Actor::CustomerBenefitAdministrator { enrollment_id },
        Role::CustomerProjectManager => Actor::CustomerProjectManager { enrollment_id },
        Role::ProgramOperator => Actor::ProgramOperator,
    }
}

/// Whether the caller may see this voucher at all.
fn may_see(caller: &Authenticated, stored: &StoredVoucher) -> bool {
    user_may_see(&caller.user, stored)
}

/// Whether `user` may see this voucher at all (also: whether an embed token they made still
/// shows it).
pub fn user_may_see(user: &planning_domain::api::CurrentUser, stored: &StoredVoucher) -> bool {
    let organization = user.organization.id;
    match user.role {
        Role::CustomerBenefitAdministrator => stored.customer_organization_id == organization,
        Role::CustomerProjectManager => {
            stored.customer_organization_id == organization
                && stored.voucher.assignee_email.as_str().eq_ignore_ascii_case(&user.email)
        }
        Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin | Role::Consultant => {
            stored.partner_organization_id == Some(organization)
        }
        Role::ProgramOperator => true,
    }
}

fn scope_of(caller: &Authenticated) -> VoucherScope {
    match caller.role() {
        Role::CustomerBenefitAdministrator => VoucherScope::Customer(caller.organization_id()),
        Role::CustomerProjectManager => VoucherScope::Assignee(caller.user.email.clone()),
        Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin | Role::Consultant => {
            VoucherScope::Partner(caller.organization_id())
        }
        Role::ProgramOperator => VoucherScope::Everything,
    }
}

/// The HTTP meaning of a voucher rule refusal.
pub fn voucher_error(error: VoucherError) -> ApiError {
    let code = match &error {
        VoucherError::RoleNotAllowed { .. } => ErrorCode::Forbidden,
        // Another partner's voucher is not the caller's to know about.
        VoucherError::NotYourVoucher => return ApiError::not_found(),
        VoucherError::AlreadyReserved
        | VoucherError::WrongStatus { .. }
        | VoucherError::AlreadyClaimed { .. }
        | VoucherError::CompletionReportAlreadySubmitted => ErrorCode::Conflict,
        _ => ErrorCode::ValidationFailed,
    };
    ApiError::rule(code, error)
}

fn view(state: &AppState, stored: StoredVoucher) -> VoucherView {
    let today = state.clock.today();
    let status = stored.voucher.status_on(today);
    let payment_deadline = stored.voucher.redemption().map(|redemption| redemption.payment_deadline(&state.timeline));
    VoucherView {
        voucher: stored.voucher,
        status,
        customer_name: stored.customer_name,
        partner_name: stored.partner_name,
        payment_deadline,
    }
}

async fn list_vouchers(
    State(state): State<AppState>,
    caller: Authenticated,
    Query(query): Query<VoucherQuery>,
) -> Result<Response, ApiError> {
    let listing = VoucherListing::parse(&query).map_err(|fields| ApiError::fields(fields.into_vec()))?;
    // The page is read and encoded under a permit, so that only a few are in memory at once.
    let _permit = state.list_permits.acquire().await.map_err(|error| ApiError::Internal(error.into()))?;
    let mut stored = state.store.voucher_page(scope_of(&caller), &listing, state.clock.today()).await?;
    // The store answers one row more than asked when another page follows.
    let next = if stored.len() > listing.limit as usize {
        stored.truncate(listing.limit as usize);
        stored.last().map(|last| {
            ListCursor { expires_on: last.voucher.expires_on, voucher_id: last.voucher.id.as_str().to_owned() }.encode()
        })
    } else {
        None
    };
    let page = VoucherPage { vouchers: stored.into_iter().map(|stored| view(&state, stored)).collect(), next };
    let body = serde_json::to_vec(&page).map_err(|error| ApiError::Internal(error.into()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The voucher if it exists and the caller may see it; 404 otherwise (the same answer for both).
async fn visible_voucher(
    state: &AppState,
    caller: &Authenticated,
    voucher_id: &str,
) -> Result<StoredVoucher, ApiError> {
    match state.store.voucher(voucher_id).await? {
        Some(stored) if may_see(caller, &stored) => Ok(stored),
        _ => Err(ApiError::not_found()),
    }
}

async fn voucher_detail(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
) -> Result<Json<VoucherView>, ApiError> {
    let stored = visible_voucher(&state, &caller, &voucher_id).await?;
    Ok(Json(view(&state, stored)))
}

async fn audit_trail(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
) -> Result<Json<Vec<planning_domain::api::vouchers::AuditEntry>>, ApiError> {
    let stored = visible_voucher(&state, &caller, &voucher_id).await?;
    Ok(Json(state.store.audit_trail(stored.voucher.id.as_str()).await?))
}

/// Who hears about an event: the assignee and the customer's benefit administrators.
async fn customer_recipients(
    state: &AppState,
    stored_customer: i64,
    voucher: &Voucher,
    events: &[VoucherEvent],
) -> Result<Vec<NewNotification>, ApiError> {
    let recipients = state
        .store
        .users_with_role(stored_customer, &[Role::CustomerBenefitAdministrator], Some(voucher.assignee_email.as_str()))
        .await?;
    Ok(recipients
        .into_iter()
        .flat_map(|(recipient_user_id, recipient_email)| {
            events.iter().map(move |event| NewNotification {
                recipient_user_id,
                recipient_email: recipient_email.clone(),
                event: event.clone(),
            })
        })
        .collect())
}

/// Runs `transition` on the stored voucher and writes it, recomputing after a lost race.
/// `first_read` is the voucher as the caller already read it, if it did (saves reading it again
/// for the first attempt).
async fn run_transition<F>(
    state: &AppState,
    caller: &Authenticated,
    voucher_id: &str,
    mut first_read: Option<StoredVoucher>,
    visible_before: fn(&Authenticated, &StoredVoucher) -> bool,
    transition: F,
) -> Result<VoucherView, ApiError>
where
    F: Fn(&StoredVoucher) -> Result<Transition, VoucherError>,
{
    for _ in 0..ATTEMPTS {
        let read = match first_read.take() {
            Some(stored) => Some(stored),
            None => state.store.voucher(voucher_id).await?,
        };
        let stored = match read {
            Some(stored) if visible_before(caller, &stored) => stored,
            _ => return Err(ApiError::not_found()),
        };
        let Transition { voucher, events } = transition(&stored).map_err(voucher_error)?;
        let partner_organization_id =
            voucher.reservation().and_then(|reservation| reservation.partner_id.parse::<i64>().ok());
        let notifications = customer_recipients(state, stored.customer_organization_id, &voucher, &events).await?;
        let write = TransitionWrite {
            from_status: Some(stored.voucher.status()),
            expected_version: stored.version,
            partner_organization_id,
            pool_change: None,
            events,
            actor: AuditActor { user_id: Some(caller.user.id), name: caller.user.display_name.clone() },
            notifications,
            program_date: state.clock.today(),
            now: wall_time(),
            voucher,
        };
        let written = write.voucher.clone();
        if state.store.apply_transition(write).await? == WriteOutcome::Applied {
            // What was written, without reading it back, when the partner's name is known: the
            // voucher's partner is unchanged or is the caller's company (a reservation).
            let partner_name = match partner_organization_id {
                None => Some(None),
                id if id == stored.partner_organization_id => Some(stored.partner_name.clone()),
                Some(id) if id == caller.organization_id() => Some(Some(caller.user.organization.name.clone())),
                Some(_) => None,
            };
            let fresh = match partner_name {
                Some(partner_name) => StoredVoucher {
                    voucher: written,
                    version: stored.version + 1,
                    partner_organization_id,
                    partner_name,
                    ..stored
                },
                None => state.store.voucher(voucher_id).await?.ok_or_else(ApiError::not_found)?,
            };
            return Ok(view(state, fresh));
        }
        // Another request changed the voucher first: compute again on what it left.
    }
    Err(ApiError::code(ErrorCode::Conflict))
}

async fn create_voucher(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<CreateVoucher>,
) -> Result<(StatusCode, Json<VoucherView>), ApiError> {
    caller.require_role(&[Role::CustomerBenefitAdministrator])?;
    let mut fields = FieldErrors::default();
    let service_level = fields.check("service_level", ServiceLevel::try_from(body.service_level));
    let assignee_email = fields.check("assignee_email", EmailAddress::parse(&body.assignee_email));
    let (Some(service_level), Some(assignee_email), true) = (service_level, assignee_email, fields.is_empty()) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let enrollment = match state.store.enrollment(body.enrollment_id.trim()).await? {
        Some(enrollment) if enrollment.organization_id == caller.organization_id() => enrollment,
        _ => return Err(ApiError::not_found()),
    };
    // The voucher goes to a project manager of the same company, who gets its number.
    let assignee = state.store.member_by_email(caller.organization_id(), assignee_email.as_str()).await?;
    let Some((assignee_user_id, Role::CustomerProjectManager)) = assignee else {
        return Err(ApiError::fields(vec![planning_domain::FieldError::new(
            "assignee_email",
            VoucherError::AssigneeNotAProjectManager.into(),
        )]));
    };
    let today = state.clock.today();
    let actor = actor_of(&caller, Some(&enrollment.enrollment.enrollment_id));
    for _ in 0..ATTEMPTS {
        let pool = DayPool {
            enrollment_id: enrollment.enrollment.enrollment_id.clone(),
            benefit_activated: enrollment.enrollment.benefit_activated_on.is_some(),
            remaining_days: enrollment.enrollment.remaining_days,
            enrollment_ends_on: enrollment.enrollment.ends_on,
        };
        let current = state.store.enrollment(&pool.enrollment_id).await?.ok_or_else(ApiError::not_found)?;
        let pool = DayPool { remaining_days: current.enrollment.remaining_days, ..pool };
        let input = NewVoucher {
            voucher_id: new_voucher_id(),
            customer_id: caller.organization_id().to_string(),
            offering: body.offering,
            service_level,
            assignee_email: assignee_email.clone(),
        };
        let transition =
            voucher::create_voucher(&pool, &actor, today, &state.timeline, input).map_err(|error| match error {
                // A level no engagement can use is the chosen level's fault: said beside that field.
                VoucherError::ServiceLevelUnusable { .. } => {
                    ApiError::fields(vec![planning_domain::FieldError::new("service_level", error.into())])
                }
                error => voucher_error(error),
            })?;
        let notifications = transition
            .events
            .iter()
            .map(|event| NewNotification {
                recipient_user_id: assignee_user_id,
                recipient_email: assignee_email.as_str().to_lowercase(),
                event: event.clone(),
            })
            .collect();
        let write = TransitionWrite {
            voucher: transition.voucher.clone(),
            expected_version: 0,
            from_status: None,
            partner_organization_id: None,
            pool_change: Some(PoolChangeWrite {
                enrollment_row_id: current.id,
                expected_remaining: pool.remaining_days,
                new_remaining: transition.pool.remaining_days,
                reason: planning_domain::api::vouchers::PoolChange::VoucherCreated,
            }),
            events: transition.events,
            actor: AuditActor { user_id: Some(caller.user.id), name: caller.user.display_name.clone() },
            notifications,
            program_date: today,
            now: wall_time(),
        };
        match state.store.insert_voucher(write).await {
            Ok(WriteOutcome::Applied) => {
                let stored =
                    state.store.voucher(transition.voucher.id.as_str()).await?.ok_or_else(ApiError::not_found)?;
                tracing::info!(voucher_id = %transition.voucher.id, "voucher created");
                return Ok((StatusCode::CREATED, Json(view(&state, stored))));
            }
            // Another voucher took days from the pool meanwhile, or the random id was taken: again.
            Ok(WriteOutcome::Stale) | Err(StoreError::Conflict(_)) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::code(ErrorCode::Conflict))
}

/// A new voucher number: 12 random digits, as VLSC issues them.
fn new_voucher_id() -> VoucherId {
    use rand::Rng;
    let mut rng = rand::rng();
    let digits: String = (0..12)
        .map(|index| char::from(b'0' + if index == 0 { rng.random_range(1..10) } else { rng.random_range(0..10) }))
        .collect();
    VoucherId::parse(&digits).expect("12 digits form a voucher id")
}

async fn validate_voucher(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
    AppJson(body): AppJson<ValidateVoucher>,
) -> Result<Json<VoucherPreview>, ApiError> {
    caller.require_action(Action::ReserveVoucher)?;
    let mut fields = FieldErrors::default();
    let parsed_id = fields.check("voucher_id", VoucherId::parse(&voucher_id));
    let email = fields.check("voucher_admin_email", EmailAddress::parse(&body.voucher_admin_email));
    let (Some(parsed_id), Some(email), true) = (parsed_id, email, fields.is_empty()) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let stored = state.store.voucher(parsed_id.as_str()).await?.ok_or_else(ApiError::not_found)?;
    if !email.same_mailbox(&stored.voucher.assignee_email) {
        return Err(voucher_error(VoucherError::VoucherAdminEmailMismatch));
    }
    let today = state.clock.today();
    let status = stored.voucher.status_on(today);
    Ok(Json(VoucherPreview {
        voucher_id: stored.voucher.id.as_str().to_owned(),
        customer_name: stored.customer_name,
        offering: stored.voucher.offering,
        service_level_days: stored.voucher.service_level.days(),
        expires_on: stored.voucher.expires_on,
        status,
    }))
}

async fn reserve(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
    AppJson(body): AppJson<ReserveVoucher>,
) -> Result<Json<VoucherView>, ApiError> {
    caller.require_action(Action::ReserveVoucher)?;
    let mut fields = FieldErrors::default();
    let parsed_id = fields.check("voucher_id", VoucherId::parse(&voucher_id));
    let email = fields.check("voucher_admin_email", EmailAddress::parse(&body.voucher_admin_email));
    let location_id = fields.check("location_id", LocationId::parse(&body.location_id));
    let delivery_country = fields.check("delivery_country", CountryCode::parse(&body.delivery_country));
    let starts_on = fields.check("starts_on", parse_date(&body.starts_on));
    let ends_on = fields.check("ends_on", parse_date(&body.ends_on));
    let (Some(parsed_id), Some(email), Some(location_id), Some(delivery_country), Some(starts_on), Some(ends_on), true) =
        (parsed_id, email, location_id, delivery_country, starts_on, ends_on, fields.is_empty())
    else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let partner = state.store.partner_profile(caller.organization_id()).await?.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("partner organization {} has no program record", caller.organization_id()))
    })?;
    let request = ReservationRequest {
        voucher_admin_email: email,
        engagement: body.engagement,
        location_id,
        delivery_country,
        consultant_id: body.consultant_id.trim().to_owned(),
        starts_on,
        ends_on,
        repeat_exception: body.repeat_exception,
    };
    let policy = state.timeline.eligibility;
    let today = state.clock.today();
    let actor = actor_of(&caller, None);
    // Any partner may try to reserve an assigned voucher it knows the number and email of.
    let Some(stored) = state.store.voucher(parsed_id.as_str()).await? else {
        return Err(ApiError::not_found());
    };
    let stored_customer = stored.customer_organization_id;
    let history: Vec<EngagementRecord> = state
        .store
        .engagements_of_partner_for_customer(stored_customer, caller.organization_id(), voucher::REPEAT_LIMITED_LEVEL)
        .await?
        .iter()
        .filter_map(EngagementRecord::of)
        .collect();
    let context =
        ReservationContext { partner: &partner, policy: &policy, history: &history, timeline: &state.timeline };
    let view = run_transition(
        &state,
        &caller,
        parsed_id.as_str(),
        Some(stored),
        |_, _| true,
        |stored| voucher::reserve_voucher(&stored.voucher, &actor, today, &request, &context),
    )
    .await?;
    tracing::info!(voucher_id = %parsed_id, "voucher reserved");
    Ok(Json(view))
}

async fn reschedule(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
    AppJson(body): AppJson<RescheduleEngagement>,
) -> Result<Json<VoucherView>, ApiError> {
    let mut fields = FieldErrors::default();
    let starts_on = fields.check("starts_on", parse_date(&body.starts_on));
    let ends_on = fields.check("ends_on", parse_date(&body.ends_on));
    let (Some(starts_on), Some(ends_on), true) = (starts_on, ends_on, fields.is_empty()) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let today = state.clock.today();
    let actor = actor_of(&caller, None);
    let view = run_transition(&state, &caller, &voucher_id, None, may_see, |stored| {
        voucher::reschedule_engagement(&stored.voucher, &actor, today, starts_on, ends_on)
    })
    .await?;
    Ok(Json(view))
}

async fn cancel(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
) -> Result<Json<VoucherView>, ApiError> {
    let actor = actor_of(&caller, None);
    let view = run_transition(&state, &caller, &voucher_id, None, may_see, |stored| {
        voucher::cancel_reservation(&stored.voucher, &actor)
    })
    .await?;
    Ok(Json(view))
}

async fn submit_report(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
    AppJson(body): AppJson<SubmitCompletionReport>,
) -> Result<Json<VoucherView>, ApiError> {
    let mut fields = FieldErrors::default();
    let delivered_from = fields.check("delivered_from", parse_date(&body.delivered_from));
    let delivered_through = fields.check("delivered_through", parse_date(&body.delivered_through));
    let (Some(delivered_from), Some(delivered_through), true) = (delivered_from, delivered_through, fields.is_empty())
    else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    // Every deliverable must be one this partner uploaded (the domain checks how many).
    let mut deliverables = Vec::with_capacity(body.deliverable_document_ids.len());
    for document_id in body.deliverable_document_ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        match state.store.document(document_id).await? {
            Some((_, organization)) if organization == caller.organization_id() => {
                if !deliverables.iter().any(|kept| kept == document_id) {
                    deliverables.push(document_id.to_owned());
                }
            }
            _ => return Err(ApiError::not_found()),
        }
    }
    let input = CompletionReportInput {
        consultant_id: body.consultant_id.trim().to_owned(),
        delivered_from,
        delivered_through,
        days_delivered: body.days_delivered,
        offsite_days: body.offsite_days,
        deliverable_document_ids: deliverables,
    };
    let partner = state.store.partner_profile(caller.organization_id()).await?;
    let today = state.clock.today();
    let actor = actor_of(&caller, None);
    let view = run_transition(&state, &caller, &voucher_id, None, may_see, |stored| match &partner {
        Some(partner) => voucher::submit_completion_report(&stored.voucher, &actor, today, input.clone(), partner),
        // Not a partner organization: the transition refuses the role or the voucher first.
        None => Err(VoucherError::NotYourVoucher),
    })
    .await?;
    Ok(Json(view))
}

async fn redeem(state: &AppState, caller: &Authenticated, voucher_id: &str) -> Result<VoucherView, ApiError> {
    let today = state.clock.today();
    let actor = actor_of(caller, None);
    run_transition(state, caller, voucher_id, None, may_see, |stored| {
        voucher::redeem_voucher(&stored.voucher, &actor, today, &state.timeline)
    })
    .await
}

async fn redeem_one(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(voucher_id): Path<String>,
) -> Result<Json<VoucherView>, ApiError> {
    let view = redeem(&state, &caller, &voucher_id).await?;
    tracing::info!(voucher_id, "voucher redeemed");
    Ok(Json(view))
}

async fn redeem_many(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<RedeemVouchers>,
) -> Result<Json<Vec<RedemptionOutcome>>, ApiError> {
    caller.require_action(Action::RedeemVoucher)?;
    if body.voucher_ids.is_empty() || body.voucher_ids.len() > api::MAX_BULK_REDEMPTION {
        return Err(ApiError::code(ErrorCode::MalformedBody));
    }
    let mut outcomes = Vec::with_capacity(body.voucher_ids.len());
    for voucher_id in body.voucher_ids {
        let result = match redeem(&state, &caller, &voucher_id).await {
            Ok(view) => RedemptionResult::Redeemed(Box::new(view)),
            Err(ApiError::Client(body)) => RedemptionResult::Refused(item_error(&body)),
            Err(other) => return Err(other),
        };
        outcomes.push(RedemptionOutcome { voucher_id, result });
    }
    Ok(Json(outcomes))
}

fn item_error(body: &ErrorBody) -> ItemError {
    ItemError {
        code: body.code,
        messages: LocalizedText { en: body.messages.en.clone(), ko: body.messages.ko.clone() },
    }
}
