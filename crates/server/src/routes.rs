//! The `/api/v1` router: one module per resource, each exposing its own `router()`.

mod account;
mod customers;
mod directory;
mod documents;
mod embed;
mod health;
mod inbox;
mod oidc;
mod operations;
mod organization;
mod partners;
mod payments;
mod program;
mod qualifications;
mod review;
pub(crate) mod session;
mod users;
pub mod vouchers;

use axum::routing::any;
use axum::Router;

use crate::error::ApiError;
use crate::startup::AppState;

/// Every API route, with a JSON 404 for unknown paths under the API prefix (so they never fall
/// through to the app's `index.html`).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(program::router())
        .merge(crate::openapi::router())
        .merge(session::router())
        .merge(oidc::router())
        .merge(organization::router())
        .merge(account::router())
        .merge(users::router())
        .merge(partners::router())
        .merge(directory::router())
        .merge(customers::router())
        .merge(vouchers::router())
        .merge(documents::router())
        .merge(inbox::router())
        .merge(payments::router())
        .merge(review::router())
        .merge(qualifications::router())
        .merge(embed::router())
        .merge(operations::router())
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
}

async fn api_not_found() -> ApiError {
    ApiError::not_found()
}
