//! Reusable parts of pages.

pub mod error_message;
pub mod form_field;
pub mod language_switch;
pub mod notice;
pub mod program_date_banner;
pub mod require_sign_in;
pub mod timeline_view;
