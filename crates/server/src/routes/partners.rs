//! `/api/v1/partner/…`: the caller's own partner organization (from the session, never from the
//! path): program data and eligibility report (every partner role), and the Global Admin's edits,
//! enrollment and business profile. Competencies and passed exams are not the partner's to
//! write: the program operator records them (`routes/qualifications.rs`); partners read them here.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use planning_domain::api::partners::{
    self, BusinessProfile, BusinessProfileUpdate, EnrollInOffering, NewConsultant, NewLocation, PartnerProgram,
    SignAgreement,
};
use planning_domain::eligibility::SignedAgreement;
use planning_domain::profile::{self, LinkedInPage, ProfileDescription, ProfileError, TagKind, WebAddress};
use planning_domain::{
    evaluate_eligibility, BoundedText, CountryCode, DomainError, EligibilityReport, EmailAddress, ErrorCode,
    FieldErrors, LocationId, OfferingCode, PartnerProfile, Role,
};

use crate::auth::Authenticated;
use crate::clock::wall_time;
use crate::error::ApiError;
use crate::extract::AppJson;
use crate::startup::AppState;
use crate::store::partners::{NewConsultantRecord, NewPartnerLocation, ProfileFields};
use crate::store::StoreError;

/// City names and consultant display names: 1 to 100 characters.
const NAME_LENGTH: (usize, usize) = (1, 100);

pub fn router() -> Router<AppState> {
    Router::new()
        .route(partners::PARTNER_PROGRAM, get(program))
        .route(partners::PARTNER_ELIGIBILITY, get(eligibility))
        .route(partners::PARTNER_AGREEMENT, post(sign_agreement))
        .route(partners::PARTNER_RENEWAL, post(renew_membership))
        .route(partners::PARTNER_COMPLIANCE_TRAINING, post(complete_compliance_training))
        .route(partners::PARTNER_ENROLLMENTS, post(enroll_in_offering))
        .route(partners::PARTNER_ENROLLMENT_ROUTE, delete(withdraw_from_offering))
        .route(partners::PARTNER_LOCATIONS, post(add_location))
        .route(partners::PARTNER_LOCATION_ROUTE, delete(remove_location))
        .route(partners::PARTNER_CONSULTANTS, post(add_consultant))
        .route(partners::PARTNER_BUSINESS_PROFILE, get(business_profile).put(save_business_profile))
}

/// The caller's partner organization, if the caller may read its data.
fn readable_partner(caller: &Authenticated) -> Result<i64, ApiError> {
    profile::check_partner_reader(caller.role()).map_err(|error| ApiError::rule(ErrorCode::Forbidden, error))?;
    Ok(caller.organization_id())
}

/// The caller's partner organization, if the caller may change its data.
fn editable_partner(caller: &Authenticated) -> Result<i64, ApiError> {
    profile::check_partner_editor(caller.role()).map_err(|error| ApiError::rule(ErrorCode::Forbidden, error))?;
    Ok(caller.organization_id())
}

async fn load_program(state: &AppState, partner_id: i64) -> Result<PartnerProgram, ApiError> {
    state.store.partner_program(partner_id).await?.ok_or_else(ApiError::not_found)
}

async fn load_profile(state: &AppState, partner_id: i64) -> Result<PartnerProfile, ApiError> {
    state.store.partner_profile(partner_id).await?.ok_or_else(ApiError::not_found)
}

/// A refusal by a program rule: 409 when the state already is what was asked, else 422.
fn refused(error: ProfileError) -> ApiError {
    let code = match error {
        ProfileError::AlreadyEnrolled { .. } => ErrorCode::Conflict,
        _ => ErrorCode::ValidationFailed,
    };
    ApiError::rule(code, error)
}

/// Reads a path segment by its wire name; unknown names are "not found".
fn path_name<T: serde::de::DeserializeOwned>(segment: String) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(segment)).map_err(|_| ApiError::not_found())
}

async fn program(State(state): State<AppState>, caller: Authenticated) -> Result<Json<PartnerProgram>, ApiError> {
    let partner_id = readable_partner(&caller)?;
    Ok(Json(load_program(&state, partner_id).await?))
}

async fn eligibility(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<EligibilityReport>, ApiError> {
    let partner_id = readable_partner(&caller)?;
    let profile = load_profile(&state, partner_id).await?;
    Ok(Json(evaluate_eligibility(&profile, &state.timeline.eligibility, state.clock.today())))
}

async fn sign_agreement(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<SignAgreement>,
) -> Result<Json<PartnerProgram>, ApiError> {
    let partner_id = editable_partner(&caller)?;
    let mut fields = FieldErrors::default();
    let Some(version) =
        fields.check("version", profile::check_agreement_version(&state.timeline.eligibility, body.version))
    else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let today = state.clock.today();
    let agreement = SignedAgreement { version, signed_on: today };
    state.store.sign_agreement(partner_id, agreement, profile::next_renewal_due_on(today), wall_time()).await?;
    tracing::info!(partner_id, version, by = caller.user.id, "program agreement signed");
    Ok(Json(load_program(&state, partner_id).await?))
}

async fn renew_membership(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<PartnerProgram>, ApiError> {
    let partner_id = editable_partner(&caller)?;
    let profile = load_profile(&state, partner_id).await?;
    let renewal_due_on = profile::check_renewal(&profile, state.clock.today()).map_err(refused)?;
    // The write is guarded too: it renews only while an agreement is on record.
    if !state.store.renew_membership(partner_id, renewal_due_on, wall_time()).await? {
        return Err(refused(ProfileError::AgreementNotSigned));
    }
    tracing::info!(partner_id, %renewal_due_on, by = caller.user.id, "membership renewed");
    Ok(Json(load_program(&state, partner_id).await?))
}

async fn complete_compliance_training(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<PartnerProgram>, ApiError> {
    let partner_id = editable_partner(&caller)?;
    state.store.complete_compliance_training(partner_id, wall_time()).await?;
    Ok(Json(load_program(&state, partner_id).await?))
}

async fn enroll_in_offering(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<EnrollInOffering>,
) -> Result<(StatusCode, Json<PartnerProgram>), ApiError> {
    let partner_id = editable_partner(&caller)?;
    let (offering, today, policy) = (body.offering, state.clock.today(), state.timeline.eligibility);
    let rule = move |partner: &PartnerProfile| profile::check_enrollment(partner, &policy, offering, today);
    match state.store.enroll_in_offering(partner_id, offering, today, wall_time(), &rule).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => return Err(refused(refusal)),
        Err(StoreError::Conflict(_)) => return Err(refused(ProfileError::AlreadyEnrolled { offering })),
        Err(error) => return Err(error.into()),
    }
    tracing::info!(partner_id, ?offering, by = caller.user.id, "enrolled in offering");
    Ok((StatusCode::CREATED, Json(load_program(&state, partner_id).await?)))
}

async fn withdraw_from_offering(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(offering): Path<String>,
) -> Result<StatusCode, ApiError> {
    let partner_id = editable_partner(&caller)?;
    let offering: OfferingCode = path_name(offering)?;
    if !state.store.withdraw_from_offering(partner_id, offering).await? {
        return Err(ApiError::rule(ErrorCode::NotFound, ProfileError::NotEnrolled { offering }));
    }
    tracing::info!(partner_id, ?offering, by = caller.user.id, "withdrawn from offering");
    Ok(StatusCode::NO_CONTENT)
}

async fn add_location(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<NewLocation>,
) -> Result<(StatusCode, Json<PartnerProgram>), ApiError> {
    let partner_id = editable_partner(&caller)?;
    let mut fields = FieldErrors::default();
    let location_id = fields.check("location_id", LocationId::parse(&body.location_id));
    let country = fields.check("country", CountryCode::parse(&body.country));
    let city = fields.check("city", BoundedText::parse(&body.city, NAME_LENGTH.0, NAME_LENGTH.1));
    let (Some(location_id), Some(country), Some(city)) = (location_id, country, city) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let location = NewPartnerLocation { location_id, country, city: city.into_string() };
    match state.store.add_location(partner_id, location, wall_time()).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(ApiError::rule(ErrorCode::Conflict, ProfileError::LocationIdTaken)),
        Err(error) => return Err(error.into()),
    }
    Ok((StatusCode::CREATED, Json(load_program(&state, partner_id).await?)))
}

async fn remove_location(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(location_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let partner_id = editable_partner(&caller)?;
    let location_id = LocationId::parse(&location_id).map_err(|_| ApiError::not_found())?;
    match state.store.remove_location(partner_id, &location_id).await {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        // Another company's location is "not found": its existence is not ours to reveal.
        Ok(false) => Err(ApiError::not_found()),
        Err(StoreError::Conflict(_)) => Err(ApiError::rule(ErrorCode::Conflict, ProfileError::LocationInUse)),
        Err(error) => Err(error.into()),
    }
}

async fn add_consultant(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<NewConsultant>,
) -> Result<(StatusCode, Json<PartnerProgram>), ApiError> {
    let partner_id = editable_partner(&caller)?;
    let mut fields = FieldErrors::default();
    let display_name =
        fields.check("display_name", BoundedText::parse(&body.display_name, NAME_LENGTH.0, NAME_LENGTH.1));
    let email = fields.check("email", EmailAddress::parse(&body.email));
    if let Some(user_id) = body.user_id {
        let users = state.store.users_of(partner_id).await?;
        let is_consultant =
            users.iter().any(|user| user.id == user_id && user.role == Role::Consultant && !user.disabled);
        if !is_consultant {
            fields.check::<(), _>("user_id", Err(ProfileError::NotAConsultantOfYourCompany));
        }
    }
    let (Some(display_name), Some(email), true) = (display_name, email, fields.is_empty()) else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let consultant = NewConsultantRecord {
        display_name: display_name.into_string(),
        email: email.as_str().to_lowercase(),
        user_id: body.user_id,
    };
    match state.store.add_consultant(partner_id, consultant, wall_time()).await {
        Ok(consultant_id) => tracing::info!(partner_id, consultant_id, by = caller.user.id, "consultant added"),
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::rule(ErrorCode::Conflict, ProfileError::ConsultantAlreadyRecorded))
        }
        Err(error) => return Err(error.into()),
    }
    Ok((StatusCode::CREATED, Json(load_program(&state, partner_id).await?)))
}

async fn business_profile(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<BusinessProfile>, ApiError> {
    let partner_id = readable_partner(&caller)?;
    Ok(Json(state.store.business_profile(partner_id).await?.ok_or_else(ApiError::not_found)?))
}

async fn save_business_profile(
    State(state): State<AppState>,
    caller: Authenticated,
    AppJson(body): AppJson<BusinessProfileUpdate>,
) -> Result<Json<BusinessProfile>, ApiError> {
    let partner_id = editable_partner(&caller)?;
    let partner = load_profile(&state, partner_id).await?;
    let mut fields = FieldErrors::default();
    let country = fields.check(
        "country",
        CountryCode::parse(&body.country)
            .map_err(DomainError::from)
            .and_then(|country| profile::check_profile_country(&partner, country).map_err(DomainError::from)),
    );
    let description = fields.check("description", ProfileDescription::parse(&body.description));
    let website = fields.check("website", WebAddress::parse(&body.website));
    let linkedin_page = fields.check("linkedin_page", LinkedInPage::parse_optional(body.linkedin_page.as_deref()));
    let industries = fields.check("industries", profile::parse_tags(TagKind::Industry, &body.industries));
    let products = fields.check("products", profile::parse_tags(TagKind::Product, &body.products));
    let service_types = fields.check("service_types", profile::parse_tags(TagKind::ServiceType, &body.service_types));
    let (
        Some(country),
        Some(description),
        Some(website),
        Some(linkedin_page),
        Some(industries),
        Some(products),
        Some(service_types),
    ) = (country, description, website, linkedin_page, industries, products, service_types)
    else {
        return Err(ApiError::fields(fields.into_vec()));
    };
    let fields = ProfileFields {
        country,
        description: description.into_string(),
        website: website.into_string(),
        linkedin_page: linkedin_page.map(LinkedInPage::into_string),
        industries,
        products,
        service_types,
        target_customer_size: body.target_customer_size,
        allow_endorsement: body.allow_endorsement,
        published: body.published,
    };
    let saved = state.store.save_business_profile(partner_id, fields, wall_time()).await?;
    tracing::info!(partner_id, published = saved.published, by = caller.user.id, "business profile saved");
    Ok(Json(saved))
}
