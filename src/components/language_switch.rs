//! The language picker: a labelled native select, so it works with keyboard and screen reader.

use leptos::prelude::*;

use crate::i18n::Locale;
use crate::state::locale::use_locale;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let on_change = move |event: leptos::ev::Event| {
        locale.set(if event_target_value(&event) == "ko" { Locale::Ko } else { Locale::En });
    };
    let current = move || if locale.get() == Locale::Ko { "ko" } else { "en" };
    view! {
        <label class="language-switch">
            <span class="language-switch__label">{tr!(language_label)}</span>
            <select on:change=on_change prop:value=current>
                <option value="en" lang="en">{tr!(language_name_en)}</option>
                <option value="ko" lang="ko">{tr!(language_name_ko)}</option>
            </select>
        </label>
    }
}
