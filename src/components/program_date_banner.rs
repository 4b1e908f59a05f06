//! The banner under the header: the program date the server is working on.

use leptos::prelude::*;

use crate::format::long_date;
use crate::state::locale::text_with;
use crate::state::program::use_program;

#[component]
pub fn ProgramDateBanner() -> impl IntoView {
    let program = use_program();
    let banner = move || {
        program.get().and_then(Result::ok).map(|program| {
            let today = program.status.today;
            let note = if program.date_pinned { tr!(program_date_pinned) } else { tr!(program_date_live) };
            view! {
                <p class="program-date" data-testid="program-date">
                    <span class="program-date__label">{tr!(program_date_label)}</span>
                    " "
                    <time datetime=today.to_string() class="program-date__value">
                        {text_with(move |locale| long_date(today, locale))}
                    </time>
                    " "
                    <span class="program-date__note">{note}</span>
                </p>
            }
        })
    };
    view! { <div class="program-date-bar">{banner}</div> }
}
