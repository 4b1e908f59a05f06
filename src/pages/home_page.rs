//! `/`: the program timeline on the program date.

use leptos::prelude::*;

use crate::components::error_message::ErrorMessage;
use crate::components::timeline_view::TimelineView;
use crate::state::program::use_program;

#[component]
pub fn HomePage() -> impl IntoView {
    let program = use_program();
    let load_failed = tr!(load_failed);
    let content = move || {
        program.get().map(|result| match result {
            Ok(program) => view! { <TimelineView status=program.status /> }.into_any(),
            Err(error) => view! {
                <ErrorMessage
                    title=Signal::derive(move || load_failed.get().to_owned())
                    error=error
                    on_retry=Callback::new(move |()| program.refetch())
                />
            }
            .into_any(),
        })
    };
    view! {
        <h1>{tr!(home_title)}</h1>
        <p class="lead">{tr!(home_intro)}</p>
        <Suspense fallback=move || view! { <p class="loading" role="status">{tr!(loading)}</p> }>
            {content}
        </Suspense>
    }
}
