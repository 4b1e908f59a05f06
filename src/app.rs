//! The app shell: i18n, shared state, header with navigation and language, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::language_switch::LanguageSwitch;
use crate::components::program_date_banner::ProgramDateBanner;
use crate::i18n::{t, t_string, use_i18n, I18nContextProvider};
use crate::pages::home_page::HomePage;
use crate::pages::not_found_page::NotFoundPage;
use crate::state::locale::provide_locale_persistence;
use crate::state::program::provide_program;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    provide_locale_persistence();
    provide_program();
    let i18n = use_i18n();
    view! {
        <Router>
            <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
            <header class="site-header">
                <div class="site-header__inner">
                    <A href="/" attr:class="brand">
                        <span class="brand__mark" aria-hidden="true"></span>
                        <span>{t!(i18n, app_name)}</span>
                    </A>
                    <nav class="site-nav" aria-label=move || t_string!(i18n, main_navigation).to_string()>
                        <A href="/">{t!(i18n, nav_program)}</A>
                    </nav>
                    <LanguageSwitch />
                </div>
            </header>
            <ProgramDateBanner />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                </Routes>
            </main>
        </Router>
    }
}
