//! Extractors whose rejections use the shared error body instead of axum's plain text.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use planning_domain::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `Json<T>` whose failures are 400/413/415 in the shared shape, never axum's text bodies.
pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(ApiError::code(json_rejection_code(&rejection))),
        }
    }
}

fn json_rejection_code(rejection: &JsonRejection) -> ErrorCode {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType,
        JsonRejection::BytesRejection(_) if rejection.status().as_u16() == 413 => ErrorCode::PayloadTooLarge,
        _ => ErrorCode::MalformedBody,
    }
}
