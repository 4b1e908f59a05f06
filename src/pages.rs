//! One module per route.

pub mod home_page;
pub mod not_found_page;
pub mod reserve_page;
pub mod sign_in_page;
pub mod voucher_list_page;
pub mod voucher_page;
