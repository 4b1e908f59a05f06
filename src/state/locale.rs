//! The reader's language: remembered in `localStorage`, mirrored as the domain's `Locale`.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Locale as UiLocale};

const STORAGE_KEY: &str = "portal.locale";

/// Restores the remembered language and remembers every change. Call once, inside the i18n
/// provider.
///
/// The provider sets its initial locale in an effect of its own after mounting, so restoring
/// must happen in an effect too: this one is created after the provider's and runs after it.
pub fn provide_locale_persistence() {
    let i18n = use_i18n();
    let saved = storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    Effect::new(move |restored: Option<bool>| {
        let current = i18n.get_locale();
        if restored.is_none() {
            if let Some(saved) = saved.as_deref().map(planning_domain::Locale::from_tag).map(to_ui) {
                if saved != current {
                    // Setting the locale runs this effect again, which then remembers it.
                    i18n.set_locale(saved);
                    return true;
                }
            }
        }
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, to_domain(current).tag());
        }
        true
    });
}

/// The current language as the domain crate knows it, for rendering domain messages.
pub fn use_domain_locale() -> Signal<planning_domain::Locale> {
    let i18n = use_i18n();
    Signal::derive(move || to_domain(i18n.get_locale()))
}

pub fn to_domain(locale: UiLocale) -> planning_domain::Locale {
    match locale {
        UiLocale::en => planning_domain::Locale::En,
        UiLocale::ko => planning_domain::Locale::Ko,
    }
}

pub fn to_ui(locale: planning_domain::Locale) -> UiLocale {
    match locale {
        planning_domain::Locale::En => UiLocale::en,
        planning_domain::Locale::Ko => UiLocale::ko,
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}
