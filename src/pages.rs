//! One module per route.

pub mod home_page;
pub mod not_found_page;
pub mod sign_in_page;
