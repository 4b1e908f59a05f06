//! The Planning Services portal backend: a thin REST API over SQLite or PostgreSQL that also
//! serves the app.
//!
//! `startup::Application` builds everything from `config::Settings`; `main.rs` only runs it, and
//! the integration tests start the same application on port 0.

pub mod auth;
pub mod backup;
pub mod cleanup;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod expiry;
pub mod extract;
pub mod mailer;
pub mod oidc;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod security;
pub mod seed;
pub mod seed_partners;
pub mod seed_payments;
pub mod seed_scale;
pub mod seed_vouchers;
pub mod sessions;
pub mod startup;
pub mod static_files;
pub mod store;
pub mod telemetry;
pub mod totp;
