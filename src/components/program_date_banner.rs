//! The banner under the header: the program date the server is working on.

use leptos::prelude::*;

use crate::format::long_date;
use crate::i18n::{t, use_i18n};
use crate::state::locale::use_domain_locale;
use crate::state::program::use_program;

#[component]
pub fn ProgramDateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let locale = use_domain_locale();
    let program = use_program();
    let banner = move || {
        program.get().and_then(Result::ok).map(|program| {
            let date = long_date(program.status.today, locale.get());
            let note = if program.date_pinned {
                t!(i18n, program_date_pinned).into_any()
            } else {
                t!(i18n, program_date_live).into_any()
            };
            view! {
                <p class="program-date" data-testid="program-date">
                    <span class="program-date__label">{t!(i18n, program_date_label)}</span>
                    " "
                    <time datetime=program.status.today.to_string() class="program-date__value">{date}</time>
                    " "
                    <span class="program-date__note">{note}</span>
                </p>
            }
        })
    };
    view! { <div class="program-date-bar">{banner}</div> }
}
