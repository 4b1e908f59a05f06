//! `/`: the program timeline on the program date.

use leptos::prelude::*;

use crate::components::error_message::ErrorMessage;
use crate::components::timeline_view::TimelineView;
use crate::i18n::{t, t_string, use_i18n};
use crate::state::program::use_program;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let program = use_program();
    let content = move || {
        program.get().map(|result| match result {
            Ok(program) => view! { <TimelineView status=program.status /> }.into_any(),
            Err(error) => view! {
                <ErrorMessage
                    title=Signal::derive(move || t_string!(i18n, load_failed).to_string())
                    error=error
                    on_retry=Callback::new(move |()| program.refetch())
                />
            }
            .into_any(),
        })
    };
    view! {
        <h1>{t!(i18n, home_title)}</h1>
        <p class="lead">{t!(i18n, home_intro)}</p>
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }>
            {content}
        </Suspense>
    }
}
