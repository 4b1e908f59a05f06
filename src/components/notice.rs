//! Message boxes: a failed action (role `alert`) or a success (role `status`).

use leptos::prelude::*;

use crate::api::ApiError;
use crate::state::locale::text_with;

/// The words of a failed call in the reader's language: the server's, or ours for the network.
pub fn error_text(error: ApiError) -> Signal<String> {
    text_with(move |locale| error.server_message(locale).unwrap_or_else(|| tr_in!(locale, network_error).to_owned()))
}

/// The words of the last failure, if any, following the reader's language.
pub fn error_message(error: Signal<Option<ApiError>>) -> Signal<String> {
    text_with(move |locale| {
        error.with(|error| match error {
            Some(error) => error.server_message(locale).unwrap_or_else(|| tr_in!(locale, network_error).to_owned()),
            None => String::new(),
        })
    })
}

/// Shows the error of the last attempt, if any (`role="alert"`, hidden while there is none).
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let text = error_message(error);
    view! {
        <div class="notice notice--error" role="alert" hidden=move || error.with(Option::is_none)>
            <p>{text}</p>
        </div>
    }
}

/// A confirmation of what just happened (`role="status"`, hidden while there is none).
#[component]
pub fn SuccessNotice(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="notice notice--success" role="status" hidden=move || message.with(Option::is_none)>
            <p class="pre-line">{move || message.get().unwrap_or_default()}</p>
        </div>
    }
}
