//! Reusable parts of pages.

pub mod checklist;
pub mod confirm_dialog;
pub mod data_table;
pub mod embed_panel;
pub mod error_message;
pub mod form_field;
pub mod notice;
pub mod require_sign_in;
pub mod timeline_view;
pub mod voucher_status;
