//! Server tests over HTTP against a real database (SQLite, or PostgreSQL when
//! `PORTAL_TEST_DATABASE_URL` is set; see `helpers.rs`): one binary, one module per concern.

mod helpers;

mod account;

mod authorization;
mod backup;
mod directory;
mod embed;
mod errors;
mod health;
mod listing;
mod mail;
mod migrate;
mod multi_instance;
mod openapi;
mod operations;
mod partners;
mod payments;
mod program;
mod qualifications;
mod security;
mod session;
mod single_sign_on;
mod startup;
mod static_files;
mod users;
mod vouchers;
