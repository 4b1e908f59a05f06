//! The program status from the server, loaded once and shared by the banner and the pages.

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
