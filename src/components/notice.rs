//! A message box: a failed action (role `alert`) or a success (role `status`).

use leptos::prelude::*;

use crate::api::ApiError;
use crate::state::locale::text_with;

/// The words of a failed call in the reader's language: the server's, or ours for the network.
pub fn error_text(error: ApiError) -> Signal<String> {
    text_with(move |locale| error.server_message(locale).unwrap_or_else(|| tr_in!(locale, network_error).to_owned()))
}

/// Shows the error of the last attempt, if any.
#[component]
pub fn ErrorNotice(error: Signal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! { <div class="notice notice--error" role="alert"><p>{error_text(error)}</p></div> }
        })
    }
}

/// A confirmation of what just happened.
#[component]
pub fn SuccessNotice(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="notice notice--success" role="status" hidden=move || message.with(Option::is_none)>
            <p>{move || message.get().unwrap_or_default()}</p>
        </div>
    }
}
