//! A failed load: the server's words (or ours for a network failure) and a retry button.

use leptos::prelude::*;

use crate::api::ApiError;

#[component]
pub fn ErrorMessage(
    /// What failed, in the reader's terms (a translated heading).
    title: Signal<String>,
    error: ApiError,
    /// Called when the reader asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let detail = crate::components::notice::error_text(error);
    view! {
        <div class="notice notice--error" role="alert">
            <p class="notice__title">{title}</p>
            <p>{detail}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {tr!(retry)}
            </button>
        </div>
    }
}
