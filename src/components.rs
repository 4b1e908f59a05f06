//! Reusable parts of pages.

pub mod error_message;
pub mod language_switch;
pub mod program_date_banner;
pub mod timeline_view;
