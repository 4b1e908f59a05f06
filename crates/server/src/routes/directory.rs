//! `/api/v1/directory/partners`: the public partner directory (no sign-in). Customers find
//! partners by country, enrolled offering, competency held on the program date, and words in the
//! company name or expertise tags; only published business profiles are shown.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use planning_domain::api::partners::{
    self, DirectoryPage, DirectoryQuery, PublicPartnerProfile, DIRECTORY_DEFAULT_PAGE_SIZE, DIRECTORY_MAX_PAGE_SIZE,
};
use planning_domain::profile::{self, ProfileError};
use planning_domain::{BoundedText, CountryCode, FieldErrors};

use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::partners::DirectoryFilter;

/// The longest search text, in characters.
const SEARCH_TEXT_MAX_LENGTH: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(partners::DIRECTORY_PARTNERS, get(search_directory))
        .route(partners::DIRECTORY_PARTNER_ROUTE, get(public_profile))
}

/// A blank parameter (an empty form field) means "no filter".
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|text| !text.trim().is_empty())
}

async fn search_directory(
    State(state): State<AppState>,
    Query(query): Query<DirectoryQuery>,
) -> Result<Json<DirectoryPage>, ApiError> {
    let mut fields = FieldErrors::default();
    let country = present(&query.country).and_then(|text| fields.check("country", CountryCode::parse(text)));
    let offering =
        present(&query.offering).and_then(|text| fields.check("offering", profile::parse_offering_filter(text)));
    let competency =
        present(&query.competency).and_then(|text| fields.check("competency", profile::parse_competency_filter(text)));
    let text = present(&query.q)
        .and_then(|text| fields.check("q", BoundedText::parse(text, 0, SEARCH_TEXT_MAX_LENGTH)))
        .map(BoundedText::into_string);
    let page = query.page.unwrap_or(1);
    if page == 0 {
        fields.check::<(), _>("page", Err(ProfileError::PageOutOfRange));
    }
    let page_size = query.page_size.unwrap_or(DIRECTORY_DEFAULT_PAGE_SIZE);
    if !(1..=DIRECTORY_MAX_PAGE_SIZE).contains(&page_size) {
        fields.check::<(), _>("page_size", Err(ProfileError::PageSizeOutOfRange { max: DIRECTORY_MAX_PAGE_SIZE }));
    }
    if !fields.is_empty() {
        return Err(ApiError::fields(fields.into_vec()));
    }
    let filter = DirectoryFilter { country, offering, competency, text };
    let offset = u64::from(page - 1) * u64::from(page_size);
    let (partners, total) = state.store.search_directory(&filter, state.clock.today(), page_size, offset).await?;
    Ok(Json(DirectoryPage { partners, page, page_size, total }))
}

async fn public_profile(
    State(state): State<AppState>,
    Path(partner_id): Path<i64>,
) -> Result<Json<PublicPartnerProfile>, ApiError> {
    // Unpublished and unknown profiles alike are "not found".
    let profile = state.store.public_profile(partner_id, state.clock.today()).await?;
    Ok(Json(profile.ok_or_else(ApiError::not_found)?))
}
