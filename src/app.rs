//! The app shell: i18n, shared state, header with navigation by role, account and language,
//! and the routes.

use leptos::prelude::*;
use planning_domain::{Localize, Role};

use crate::api;
use crate::components::language_switch::LanguageSwitch;
use crate::components::program_date_banner::ProgramDateBanner;
use crate::pages::home_page::HomePage;
use crate::pages::not_found_page::NotFoundPage;
use crate::pages::sign_in_page::SignInPage;
use crate::state::locale::{provide_locale, text, text_with};
use crate::state::program::provide_program;
use crate::state::route::{provide_route, use_route};
use crate::state::session::{is_partner, provide_session, use_session};

#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    view! { <Shell /> }
}

#[component]
fn Shell() -> impl IntoView {
    provide_program();
    provide_session();
    provide_route();
    view! {
            <a class="skip-link" href="#main">{tr!(skip_to_content)}</a>
            <header class="site-header">
                <div class="site-header__inner">
                    <a href="/" class="brand">
                        <span class="brand__mark" aria-hidden="true"></span>
                        <span>{tr!(app_name)}</span>
                    </a>
                    <Navigation />
                    <div class="site-header__tools">
                        <LanguageSwitch />
                        <AccountMenu />
                    </div>
                </div>
            </header>
            <ProgramDateBanner />
            <main id="main" class="page" tabindex="-1">
                <Pages />
            </main>
    }
}

/// The page for the current path: the app's one route table.
#[component]
fn Pages() -> impl IntoView {
    let route = use_route();
    let path = Memo::new(move |_| route.path());
    move || {
        let path = path.get();
        // Pages read signals while they set up; only the path decides which page this is.
        untrack(|| page_for(&path))
    }
}

fn page_for(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|segment| !segment.is_empty()).collect();
    match segments.as_slice() {
        [] => view! { <HomePage /> }.into_any(),
        ["sign-in"] => view! { <SignInPage /> }.into_any(),
        _ => view! { <NotFoundPage /> }.into_any(),
    }
}

/// One link of the main navigation.
struct NavLink {
    href: &'static str,
    label: fn(crate::i18n::Locale) -> &'static str,
}

/// What each role finds in the main navigation: only what it may use.
fn links_for(role: Option<Role>) -> Vec<NavLink> {
    macro_rules! link {
        ($href:expr, $key:ident) => {
            NavLink { href: $href, label: crate::i18n::$key }
        };
    }
    let mut links = vec![link!("/", nav_program)];
    match role {
        Some(role) if is_partner(role) => {
            links.push(link!("/partner", nav_dashboard));
            links.push(link!("/partner/eligibility", nav_eligibility));
            if role != Role::Consultant {
                links.push(link!("/partner/enrollment", nav_enrollment));
                links.push(link!("/partner/profile", nav_profile));
            }
            links.push(link!("/vouchers", nav_vouchers));
            if role != Role::Consultant {
                links.push(link!("/payments", nav_payments));
            }
            links.push(link!("/inbox", nav_inbox));
        }
        Some(Role::CustomerBenefitAdministrator) => {
            links.push(link!("/customer", nav_benefits));
            links.push(link!("/vouchers", nav_vouchers));
            links.push(link!("/directory", nav_directory));
            links.push(link!("/inbox", nav_inbox));
        }
        Some(Role::CustomerProjectManager) => {
            links.push(link!("/vouchers", nav_my_vouchers));
            links.push(link!("/directory", nav_directory));
            links.push(link!("/inbox", nav_inbox));
        }
        Some(Role::ProgramOperator) => {
            links.push(link!("/review", nav_review));
            links.push(link!("/operations", nav_operations));
        }
        _ => {}
    }
    links
}

#[component]
fn Navigation() -> impl IntoView {
    let session = use_session();
    let route = use_route();
    let items = move || {
        links_for(session.role())
            .into_iter()
            .map(|link| {
                let href = link.href;
                let current = move || (route.path() == href).then_some("page");
                view! { <li><a href=href aria-current=current>{text(link.label)}</a></li> }
            })
            .collect_view()
    };
    view! {
        <nav class="site-nav" aria-label=tr!(main_navigation)>
            <ul class="site-nav__list">{items}</ul>
        </nav>
    }
}

#[component]
fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let route = use_route();
    let sign_out = Action::new_local(move |()| async move { api::sign_out().await });
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            // Whatever the server answered, this browser forgets the session.
            session.signed_out();
            route.navigate("/sign-in");
        }
    });
    move || match session.user() {
        Some(user) => {
            let role = user.role;
            view! {
                <div class="account">
                    <span class="account__who">
                        <span class="account__name">{user.display_name}</span>
                        <span class="account__role">{text_with(move |locale| role.message(locale))}" · "{user.organization.name}</span>
                    </span>
                    <button type="button" class="button button--quiet" on:click=move |_| { sign_out.dispatch(()); }>
                        {tr!(sign_out)}
                    </button>
                </div>
            }
            .into_any()
        }
        None => view! { <a href="/sign-in" class="button button--quiet">{tr!(sign_in_button)}</a> }.into_any(),
    }
}
