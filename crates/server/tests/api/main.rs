//! Server tests over HTTP against a real SQLite database: one binary, one module per concern.

mod helpers;

mod authorization;

mod directory;
mod embed;
mod errors;
mod health;
mod mail;
mod openapi;
mod operations;
mod partners;
mod payments;
mod program;
mod session;
mod startup;
mod static_files;
mod users;
mod vouchers;
