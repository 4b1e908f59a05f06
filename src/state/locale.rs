//! The reader's language: remembered in `localStorage`, set on `<html lang>`, mirrored as the
//! domain's `Locale` for domain messages.

use leptos::prelude::*;

use crate::i18n::Locale as UiLocale;

const STORAGE_KEY: &str = "portal.locale";

#[derive(Debug, Clone, Copy)]
pub struct LocaleContext(RwSignal<UiLocale>);

impl LocaleContext {
    /// The interface language (tracked).
    pub fn get(&self) -> UiLocale {
        self.0.get()
    }

    /// The interface language without subscribing.
    pub fn current(&self) -> UiLocale {
        self.0.get_untracked()
    }

    pub fn set(&self, locale: UiLocale) {
        self.0.set(locale);
    }
}

/// Restores the remembered language (or the browser's), and remembers every change.
pub fn provide_locale() {
    let saved = storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten()).or_else(|| {
        web_sys::window().and_then(|window| window.navigator().language()).filter(|tag| tag.starts_with("ko"))
    });
    let initial = saved.as_deref().map(planning_domain::Locale::from_tag).map(to_ui).unwrap_or_default();
    let locale = RwSignal::new(initial);
    provide_context(LocaleContext(locale));
    Effect::new(move |_| {
        let tag = to_domain(locale.get()).tag();
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, tag);
        }
        if let Some(root) = web_sys::window().and_then(|window| window.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", tag);
        }
    });
}

pub fn use_locale() -> LocaleContext {
    expect_context::<LocaleContext>()
}

/// The current language as the domain crate knows it, for rendering domain messages.
pub fn use_domain_locale() -> Signal<planning_domain::Locale> {
    let locale = use_locale();
    Signal::derive(move || to_domain(locale.get()))
}

pub fn to_domain(locale: UiLocale) -> planning_domain::Locale {
    match locale {
        UiLocale::En => planning_domain::Locale::En,
        UiLocale::Ko => planning_domain::Locale::Ko,
    }
}

pub fn to_ui(locale: planning_domain::Locale) -> UiLocale {
    match locale {
        planning_domain::Locale::En => UiLocale::En,
        planning_domain::Locale::Ko => UiLocale::Ko,
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

/// A translated string as a signal: see the `tr!` macro, which is the way to call this.
pub fn text(pick: fn(UiLocale) -> &'static str) -> Signal<&'static str> {
    let locale = use_locale();
    Signal::derive(move || pick(locale.get()))
}

/// A string built per language (interpolations, domain messages), following the reader's language.
pub fn text_with(render: impl Fn(planning_domain::Locale) -> String + Send + Sync + 'static) -> Signal<String> {
    let locale = use_locale();
    Signal::derive(move || render(to_domain(locale.get())))
}

/// An optional message per language (a field's error, say), following the reader's language.
pub fn text_opt(
    render: impl Fn(planning_domain::Locale) -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let locale = use_locale();
    Signal::derive(move || render(to_domain(locale.get())))
}

/// A translation key's function in the generated `i18n` module.
pub type Translation = fn(UiLocale) -> &'static str;

/// (value, translated label) pairs for a `<select>`, following the reader's language.
pub fn text_vec(items: Vec<(&'static str, Translation)>) -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        let locale = locale.get();
        items.iter().map(|(value, label)| ((*value).to_owned(), label(locale).to_owned())).collect()
    })
}
