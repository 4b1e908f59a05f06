//! Any path the router does not know.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div class="not-found">
            <h1>{tr!(not_found_title)}</h1>
            <p>{tr!(not_found_body)}</p>
            <p>
                <a href="/" class="button">
                    {tr!(not_found_home)}
                </a>
            </p>
        </div>
    }
}
