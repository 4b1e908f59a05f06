//! The server's one error type and its mapping to HTTP, in one place.
//!
//! Handlers return `Result<_, ApiError>`. `IntoResponse` attaches the shared
//! [`planning_domain::ErrorBody`] to the response as an extension; the `render_error_bodies`
//! middleware (in `startup`) adds the request id and writes the JSON, so every error, including
//! the router's own 404/405 and extractor rejections, leaves in the same shape.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use planning_domain::{DomainError, ErrorBody, ErrorCode, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A failure that is the client's: sent as its code's status with a body.
    #[error("{}", .0.message)]
    Client(Box<ErrorBody>),
    /// A failure that is ours: logged with details, sent as a bare 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// Too many attempts: 429 with `Retry-After` in whole seconds.
    #[error("rate limited")]
    RateLimited(std::time::Duration),
    /// The database is unreachable or failed: logged, sent as 503 or 500.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A store failure that reached a handler unhandled: logged, sent as 500 (409 for conflicts
    /// the handler did not expect).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl ApiError {
    pub fn code(code: ErrorCode) -> Self {
        ApiError::Client(Box::new(ErrorBody::new(code)))
    }

    pub fn not_found() -> Self {
        ApiError::code(ErrorCode::NotFound)
    }

    /// A request refused by one rule as a whole, with the given code (409 or 422).
    pub fn rule(code: ErrorCode, rule: impl Into<DomainError>) -> Self {
        ApiError::Client(Box::new(ErrorBody::rule(code, rule.into())))
    }

    /// A 422 listing the fields that failed their rules.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        ApiError::Client(Box::new(ErrorBody::fields(fields)))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match self {
            ApiError::Client(body) => *body,
            ApiError::RateLimited(wait) => {
                let mut response = error_response(ErrorBody::new(ErrorCode::RateLimited));
                let seconds = wait.as_secs().max(1).to_string();
                if let Ok(value) = HeaderValue::from_str(&seconds) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                return response;
            }
            ApiError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "internal error");
                ErrorBody::new(ErrorCode::Internal)
            }
            ApiError::Database(error) => {
                tracing::error!(error = %error, "database error");
                let code = match error {
                    sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => ErrorCode::Unavailable,
                    _ => ErrorCode::Internal,
                };
                ErrorBody::new(code)
            }
            ApiError::Store(crate::store::StoreError::Database(error)) => {
                return ApiError::Database(error).into_response();
            }
            ApiError::Store(crate::store::StoreError::Conflict(what)) => {
                tracing::warn!(what, "unexpected store conflict");
                ErrorBody::new(ErrorCode::Conflict)
            }
            ApiError::Store(error) => {
                tracing::error!(error = %error, "store error");
                ErrorBody::new(ErrorCode::Internal)
            }
        };
        error_response(body)
    }
}

/// A response carrying `body` for the rendering middleware, with the status of its code.
pub fn error_response(body: ErrorBody) -> Response {
    let status = StatusCode::from_u16(body.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))]).into_response();
    response.extensions_mut().insert(body);
    response
}
