//! One module per route.

pub mod account_page;
pub mod business_profile_page;
pub mod customer_page;
pub mod directory_page;
pub mod eligibility_page;
pub mod enrollment_page;
pub mod home_page;
pub mod inbox_page;
pub mod not_found_page;
pub mod operations_page;
pub mod partner_dashboard_page;
pub mod partner_records_page;
pub mod payments_page;
pub mod reserve_page;
pub mod review_page;
pub mod sign_in_page;
pub mod voucher_list_page;
pub mod voucher_page;
