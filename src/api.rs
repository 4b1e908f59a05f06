//! The only module that talks HTTP: one `async fn` per endpoint, domain types in and out.

use gloo_net::http::{Request, Response};
use planning_domain::api::{self, Program};
use planning_domain::{ErrorCode, ErrorView, Locale};
use serde::de::DeserializeOwned;

/// Why a call failed, as the app needs to tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server could not be reached (offline, DNS, connection refused).
    Network,
    /// The server answered with the shared error body (read as its words, see [`ErrorView`]).
    Server(ErrorView),
}

impl ApiError {
    /// The server's words in the reader's language; `None` for network failures, which the
    /// caller words from its own translations.
    pub fn server_message(&self, locale: Locale) -> Option<String> {
        match self {
            ApiError::Network => None,
            ApiError::Server(view) => Some(view.localized(locale).to_owned()),
        }
    }
}

/// `GET /api/v1/program`.
pub async fn get_program() -> Result<Program, ApiError> {
    get_json(api::PROGRAM).await
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response =
        Request::get(path).header("accept", "application/json").send().await.map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Server(unreadable_body(response.status())));
    }
    let status = response.status();
    match response.json::<ErrorView>().await {
        Ok(body) => Err(ApiError::Server(body)),
        Err(_) => Err(ApiError::Server(unreadable_body(status))),
    }
}

/// A response that is not in the shared shape (a proxy's error page, say) still gets a message.
fn unreadable_body(status: u16) -> ErrorView {
    let code = match status {
        502..=504 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    ErrorView::new(code)
}
