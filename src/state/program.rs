//! The program status from the server, loaded once and shared by the banner and the pages.

use chrono::NaiveDate;
use leptos::prelude::*;
use planning_domain::api::Program;

use crate::api::{self, ApiError};

pub type ProgramResource = LocalResource<Result<Program, ApiError>>;

pub fn provide_program() {
    provide_context(LocalResource::new(api::get_program));
}

pub fn use_program() -> ProgramResource {
    expect_context::<ProgramResource>()
}

/// The program date every rule is judged on, once loaded.
pub fn use_program_date() -> Signal<Option<NaiveDate>> {
    let program = use_program();
    Signal::derive(move || program.get().and_then(Result::ok).map(|program| program.status.today))
}

/// The whole program status (timeline), once loaded.
pub fn use_program_status() -> Signal<Option<planning_domain::ProgramStatus>> {
    let program = use_program();
    Signal::derive(move || program.get().and_then(Result::ok).map(|program| program.status))
}

/// Which requirements of the older documents the server's program applies, once loaded.
pub fn use_eligibility_policy() -> Signal<Option<planning_domain::EligibilityPolicy>> {
    let program = use_program();
    Signal::derive(move || program.with(|loaded| loaded.as_ref()?.as_ref().ok().map(|program| program.eligibility)))
}

/// The program's daily rates by delivery country (empty until loaded).
pub fn use_daily_rates() -> Signal<Vec<planning_domain::catalog::DailyRate>> {
    let program = use_program();
    Signal::derive(move || {
        program.with(|loaded| match loaded {
            Some(Ok(program)) => program.daily_rates.0.clone(),
            _ => Vec::new(),
        })
    })
}
