//! The language picker: a labelled native select, so it works with keyboard and screen reader.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n, I18nLocaleTrait, Locale};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |event: leptos::ev::Event| {
        let locale = match event_target_value(&event).as_str() {
            "ko" => Locale::ko,
            _ => Locale::en,
        };
        i18n.set_locale(locale);
    };
    view! {
        <label class="language-switch">
            <span class="language-switch__label">{t!(i18n, language_label)}</span>
            <select on:change=on_change prop:value=move || i18n.get_locale().as_str().to_owned()>
                <option value="en" lang="en">{t!(i18n, language_name_en)}</option>
                <option value="ko" lang="ko">{t!(i18n, language_name_ko)}</option>
            </select>
        </label>
    }
}
