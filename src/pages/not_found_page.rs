//! Any path the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, use_i18n};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="not-found">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p>
                <A href="/" attr:class="button">{t!(i18n, not_found_home)}</A>
            </p>
        </div>
    }
}
