//! The app: shared state, the shell (header with navigation by role, account and language, the
//! program date banner) and the one router with every page of the portal.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use planning_domain::{Localize, Role};

use crate::api;
use crate::format::long_date;
use crate::pages::account_page::AccountPage;
use crate::pages::business_profile_page::BusinessProfilePage;
use crate::pages::customer_page::CustomerPage;
use crate::pages::directory_page::{DirectoryPage, PartnerProfilePage};
use crate::pages::eligibility_page::EligibilityPage;
use crate::pages::enrollment_page::EnrollmentPage;
use crate::pages::home_page::HomePage;
use crate::pages::inbox_page::InboxPage;
use crate::pages::not_found_page::NotFoundPage;
use crate::pages::operations_page::OperationsPage;
use crate::pages::partner_dashboard_page::PartnerDashboardPage;
use crate::pages::partner_records_page::PartnerRecordsPage;
use crate::pages::payments_page::PaymentsPage;
use crate::pages::reserve_page::ReservePage;
use crate::pages::review_page::{ReviewDetailPage, ReviewQueuePage};
use crate::pages::sign_in_page::SignInPage;
use crate::pages::voucher_list_page::VoucherListPage;
use crate::pages::voucher_page::VoucherPage;
use crate::state::locale::{provide_locale, text, text_with, use_locale};
use crate::state::program::{provide_program, use_program};
use crate::state::route::{provide_route, use_route};
use crate::state::session::{is_partner, provide_session, use_session};

/// Mounts the app on the page's `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    provide_locale();
    provide_program();
    provide_session();
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

#[component]
fn Shell() -> impl IntoView {
    provide_route();
    follow_page_heading();
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
            <div class="page-host">
                <AppRoutes />
            </div>
        </main>
    }
}

/// Every page of the portal. A page is mounted when its path is entered and disposed when the
/// reader leaves it; pages taking a path parameter are built again when it changes.
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <FlatRoutes fallback=NotFoundPage>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/sign-in") view=SignInPage />
            <Route path=path!("/account") view=AccountPage />
            <Route path=path!("/inbox") view=InboxPage />
            <Route path=path!("/vouchers") view=VoucherListPage />
            <Route path=path!("/vouchers/reserve") view=ReservePage />
            <Route path=path!("/vouchers/:id") view=|| with_id(|id| view! { <VoucherPage id /> }.into_any()) />
            <Route path=path!("/partner") view=PartnerDashboardPage />
            <Route path=path!("/partner/enrollment") view=EnrollmentPage />
            <Route path=path!("/partner/profile") view=BusinessProfilePage />
            <Route path=path!("/partner/eligibility") view=EligibilityPage />
            <Route path=path!("/payments") view=PaymentsPage />
            <Route path=path!("/customer") view=CustomerPage />
            <Route path=path!("/directory") view=DirectoryPage />
            <Route path=path!("/directory/:id") view=|| with_id(|id| view! { <PartnerProfilePage id /> }.into_any()) />
            <Route path=path!("/review") view=ReviewQueuePage />
            <Route path=path!("/review/:id") view=|| with_id(|id| view! { <ReviewDetailPage id /> }.into_any()) />
            <Route path=path!("/operations") view=OperationsPage />
            <Route path=path!("/operations/partners") view=PartnerRecordsPage />
        </FlatRoutes>
    }
}

/// A page about the thing named by the path's `:id`, built again when the id changes (a link
/// from one voucher to another keeps the route but not the page).
fn with_id(build: impl Fn(String) -> AnyView + Send + Sync + 'static) -> AnyView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id")).unwrap_or_default());
    (move || {
        let id = id.get();
        untrack(|| build(id))
    })
    .into_any()
}

/// Keeps `document.title` as "the page's heading – the portal's name" (WCAG 2.4.2), so browser
/// tabs, history and screen readers announcing a new page tell the pages apart. A page's heading
/// can change after it shows (a voucher's number arrives with the voucher, the language changes),
/// so a `MutationObserver` on `<main>` follows its first `h1` that is not hidden.
fn follow_page_heading() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let locale = use_locale();
    let heading = RwSignal::new(String::new());
    // Effects run once the shell is in the document, so `<main>` exists by then.
    Effect::new(move |_| {
        let Some(main) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id("main"))
        else {
            return;
        };
        let read_heading = {
            let main = main.clone();
            move || {
                // The first heading shown: a page may keep a hidden one for its error state.
                let headings = main.query_selector_all("h1").ok();
                let shown = (0..headings.as_ref().map_or(0, web_sys::NodeList::length))
                    .filter_map(|index| headings.as_ref()?.item(index)?.dyn_into::<web_sys::Element>().ok())
                    .find(|h1| h1.closest("[hidden]").ok().flatten().is_none());
                let text = shown.and_then(|h1| h1.text_content()).unwrap_or_default();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if heading.get_untracked() != text {
                    heading.set(text);
                }
            }
        };
        read_heading();
        let on_change = Closure::<dyn FnMut()>::new(read_heading);
        if let Ok(observer) = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()) {
            let options = web_sys::MutationObserverInit::new();
            options.set_child_list(true);
            options.set_subtree(true);
            options.set_character_data(true);
            // A heading shown or hidden (`El::visible`) changes which one names the page.
            options.set_attribute_filter(&js_sys::Array::of1(&"hidden".into()));
            let _ = observer.observe_with_options(&main, &options);
        }
        // The observer lives as long as the page.
        on_change.forget();
    });
    Effect::new(move |_| {
        let locale = locale.get();
        let heading = heading.get();
        let app = crate::i18n::app_name(locale);
        let title =
            if heading.is_empty() { app.to_owned() } else { crate::i18n::document_title(locale, &heading, app) };
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
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
    let role = Memo::new(move |_| session.role());
    let links = move || {
        links_for(role.get())
            .into_iter()
            .map(|link| {
                let href = link.href;
                let current = move || (route.path() == href).then_some("page");
                view! {
                    <li>
                        <a href=href aria-current=current>
                            {text(link.label)}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="site-nav" aria-label=tr!(main_navigation)>
            <ul class="site-nav__list">{links}</ul>
        </nav>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let chosen = move || if locale.get() == crate::i18n::Locale::Ko { "ko" } else { "en" };
    let on_change = move |event: web_sys::Event| {
        let value = event_target_value(&event);
        locale.set(if value == "ko" { crate::i18n::Locale::Ko } else { crate::i18n::Locale::En });
    };
    view! {
        <label class="language-switch">
            <span class="language-switch__label">{tr!(language_label)}</span>
            <select on:change=on_change prop:value=chosen>
                <option value="en" lang="en" selected=move || chosen() == "en">
                    {tr!(language_name_en)}
                </option>
                <option value="ko" lang="ko" selected=move || chosen() == "ko">
                    {tr!(language_name_ko)}
                </option>
            </select>
        </label>
    }
}

#[component]
fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let route = use_route();
    let user = Memo::new(move |_| session.user());
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // Whatever the server answered, this browser forgets the session.
            let _ = api::sign_out().await;
            session.signed_out();
            route.navigate("/sign-in");
        });
    };
    let account = move || match user.get() {
        Some(user) => {
            let role = user.role;
            let organization = format!(" · {}", user.organization.name);
            view! {
                <div class="account">
                    <span class="account__who">
                        <span class="account__name">{user.display_name}</span>
                        <span class="account__role">
                            {text_with(move |locale| role.message(locale))}
                            {organization}
                        </span>
                    </span>
                    <a href="/account" class="button button--quiet">
                        {tr!(account_link)}
                    </a>
                    <button type="button" class="button button--quiet" on:click=sign_out>
                        {tr!(sign_out)}
                    </button>
                </div>
            }
            .into_any()
        }
        None => view! {
            <a href="/sign-in" class="button button--quiet">
                {tr!(sign_in_button)}
            </a>
        }
        .into_any(),
    };
    view! { <div class="account-host">{account}</div> }
}

/// The banner under the header: the program date the server is working on.
#[component]
fn ProgramDateBanner() -> impl IntoView {
    let program = use_program();
    let banner = move || {
        let program = program.get()?.ok()?;
        let today = program.status.today;
        let note = if program.date_pinned { tr!(program_date_pinned) } else { tr!(program_date_live) };
        Some(view! {
            <p class="program-date" data-testid="program-date">
                <span class="program-date__label">{tr!(program_date_label)}</span>
                " "
                <time datetime=today.to_string() class="program-date__value">
                    {text_with(move |locale| long_date(today, locale))}
                </time>
                " "
                <span class="program-date__note">{note}</span>
            </p>
        })
    };
    view! { <div class="program-date-bar">{banner}</div> }
}
