//! The app shell: i18n, shared state, header with navigation by role, account and language,
//! and the routes.

use leptos::prelude::*;
use planning_domain::{Localize, Role};

use crate::api;
use crate::dom::{button, div, el, group, leptos_view, text_el, El};
use crate::format::long_date;
use crate::pages::home_page::HomePage;
use crate::pages::not_found_page::not_found_page;
use crate::pages::reserve_page::reserve_page;
use crate::pages::sign_in_page::sign_in_page;
use crate::pages::voucher_list_page::voucher_list_page;
use crate::pages::voucher_page::voucher_page;
use crate::state::locale::{provide_locale, text, text_with, use_locale};
use crate::state::program::{provide_program, use_program};
use crate::state::route::{provide_route, use_route};
use crate::state::session::{is_partner, provide_session, use_session};

/// Mounts the app for one bundle (see `planning_domain::api::APP_BUNDLES`): each `src/bin/*`
/// entry point names its bundle, and only that bundle's pages are compiled into it.
pub fn start(bundle: &'static str, pages: fn(&[&str]) -> Option<El>) {
    console_error_panic_hook::set_once();
    // Leptos' mount sets up the task executor and a reactive owner that lives as long as the
    // page; the shell is built inside it with the DOM builder.
    leptos::mount::mount_to_body(move || {
        provide_locale();
        provide_program();
        provide_session();
        provide_route(bundle);
        if let Some(body) = web_sys::window().and_then(|window| window.document()).and_then(|document| document.body())
        {
            let _ = body.append_child(shell(pages).element());
        }
    });
}

fn shell(pages: fn(&[&str]) -> Option<El>) -> El {
    let host = div("page-host");
    let element = host.element().clone();
    let route = use_route();
    let path = Memo::new(move |_| route.path());
    let main = el("main").id("main").class("page").attr("tabindex", "-1").child(host);
    follow_page_heading(main.element());
    Effect::new(move |_| {
        let path = path.get();
        // Pages read signals while they set up; only the path decides which page this is.
        let page = untrack(|| page_for(&path, pages));
        element.set_text_content(None);
        let _ = element.append_child(page.element());
    });
    group(vec![
        el("a").class("skip-link").attr("href", "#main").tr(tr!(skip_to_content)),
        el("header").class("site-header").child(
            div("site-header__inner")
                .child(
                    el("a")
                        .attr("href", "/")
                        .class("brand")
                        .child(el("span").class("brand__mark").attr("aria-hidden", "true"))
                        .child(el("span").tr(tr!(app_name))),
                )
                .child(navigation())
                .child(div("site-header__tools").child(language_switch()).child(account_menu())),
        ),
        program_date_banner(),
        main,
    ])
}

/// Keeps `document.title` as "the page's heading – the portal's name" (WCAG 2.4.2), so browser
/// tabs, history and screen readers announcing a new page tell the pages apart. A page's heading
/// can change after it shows (a voucher's number arrives with the voucher, the language changes),
/// so a `MutationObserver` on `<main>` follows its first `h1` that is not hidden.
fn follow_page_heading(main: &web_sys::Element) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let locale = use_locale();
    let heading = RwSignal::new(String::new());
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
        let _ = observer.observe_with_options(main, &options);
    }
    // The observer lives as long as the page.
    on_change.forget();
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

/// The page at `path`: the bundle's own pages first, then the pages every bundle has.
fn page_for(path: &str, pages: fn(&[&str]) -> Option<El>) -> El {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|segment| !segment.is_empty()).collect();
    pages(&segments).unwrap_or_else(not_found_page)
}

/// The portal bundle's pages: the program timeline, signing in, the inbox.
pub fn portal_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        [] => leptos_view(HomePage),
        ["sign-in"] => sign_in_page(),
        ["inbox"] => crate::pages::inbox_page::inbox_page(),
        _ => return None,
    })
}

/// The vouchers bundle's page: the list.
pub fn voucher_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["vouchers"] => voucher_list_page(),
        _ => return None,
    })
}

/// The reserve bundle's page: validate a voucher and reserve it.
pub fn reserve_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["vouchers", "reserve"] => reserve_page(),
        _ => return None,
    })
}

/// The voucher bundle's page: one voucher (steps, deadlines, report, redemption, history).
pub fn voucher_detail_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["vouchers", voucher_id] => voucher_page((*voucher_id).to_owned()),
        _ => return None,
    })
}

/// The partner bundle's pages: the deadline dashboard and enrollment.
pub fn partner_pages(segments: &[&str]) -> Option<El> {
    use crate::pages::{enrollment_page, partner_dashboard_page};
    Some(match segments {
        ["partner"] => partner_dashboard_page::partner_dashboard_page(),
        ["partner", "enrollment"] => enrollment_page::enrollment_page(),
        _ => return None,
    })
}

/// The profile bundle's page: the business profile, its directory preview and widget snippet.
pub fn profile_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["partner", "profile"] => crate::pages::business_profile_page::business_profile_page(),
        _ => return None,
    })
}

/// The eligibility bundle's page: the checklists and their editors.
pub fn eligibility_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["partner", "eligibility"] => crate::pages::eligibility_page::eligibility_page(),
        _ => return None,
    })
}

/// The payments bundle's page: registration, building and submitting requests, their status.
pub fn payment_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["payments"] => crate::pages::payments_page::payments_page(),
        _ => return None,
    })
}

/// The customer bundle's pages: the benefit (pools, history, voucher creation), the directory.
pub fn customer_pages(segments: &[&str]) -> Option<El> {
    use crate::pages::{customer_page, directory_page};
    Some(match segments {
        ["customer"] => customer_page::customer_page(),
        ["directory"] => directory_page::directory_page(),
        ["directory", partner_id] => directory_page::partner_profile_page((*partner_id).to_owned()),
        _ => return None,
    })
}

/// The review bundle's pages: the operator's review queue, one request, the program dashboard.
pub fn review_pages(segments: &[&str]) -> Option<El> {
    use crate::pages::review_page;
    Some(match segments {
        ["review"] => review_page::review_queue_page(),
        ["review", request_id] => review_page::review_detail_page((*request_id).to_owned()),
        _ => return None,
    })
}

/// The operations bundle's page: the program dashboard.
pub fn operations_pages(segments: &[&str]) -> Option<El> {
    Some(match segments {
        ["operations"] => crate::pages::operations_page::operations_page(),
        _ => return None,
    })
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

fn navigation() -> El {
    let session = use_session();
    let route = use_route();
    let role = Memo::new(move |_| session.role());
    el("nav").class("site-nav").attr_tr("aria-label", tr!(main_navigation)).child(
        el("ul").class("site-nav__list").dynamic_children(move || {
            links_for(role.get())
                .into_iter()
                .map(|link| {
                    let href = link.href;
                    let current = Signal::derive(move || (route.path() == href).then(|| "page".to_owned()));
                    el("li").child(el("a").attr("href", href).attr_signal("aria-current", current).tr(text(link.label)))
                })
                .collect()
        }),
    )
}

fn language_switch() -> El {
    let locale = use_locale();
    let value = RwSignal::new(if locale.current() == crate::i18n::Locale::Ko { "ko" } else { "en" }.to_owned());
    Effect::new(move |_| {
        let chosen = if value.get() == "ko" { crate::i18n::Locale::Ko } else { crate::i18n::Locale::En };
        if chosen != locale.current() {
            locale.set(chosen);
        }
    });
    el("label")
        .class("language-switch")
        .child(el("span").class("language-switch__label").tr(tr!(language_label)))
        .child(
            el("select")
                .child(el("option").attr("value", "en").attr("lang", "en").tr(tr!(language_name_en)))
                .child(el("option").attr("value", "ko").attr("lang", "ko").tr(tr!(language_name_ko)))
                .value(value),
        )
}

fn account_menu() -> El {
    let session = use_session();
    let route = use_route();
    let user = Memo::new(move |_| session.user());
    let sign_out = move || {
        leptos::task::spawn_local(async move {
            // Whatever the server answered, this browser forgets the session.
            let _ = api::sign_out().await;
            session.signed_out();
            route.navigate("/sign-in");
        });
    };
    div("account-host").dynamic(move || {
        Some(match user.get() {
            Some(user) => {
                let role = user.role;
                div("account")
                    .child(
                        el("span")
                            .class("account__who")
                            .child(text_el("span", &user.display_name).class("account__name"))
                            .child(
                                el("span")
                                    .class("account__role")
                                    .text_signal(text_with(move |locale| role.message(locale)))
                                    .text(&format!(" · {}", user.organization.name)),
                            ),
                    )
                    .child(button("button button--quiet", tr!(sign_out)).on_click(sign_out))
            }
            None => el("a").attr("href", "/sign-in").class("button button--quiet").tr(tr!(sign_in_button)),
        })
    })
}

/// The banner under the header: the program date the server is working on.
fn program_date_banner() -> El {
    let program = use_program();
    div("program-date-bar").dynamic(move || {
        let program = program.get()?.ok()?;
        let today = program.status.today;
        Some(
            el("p")
                .class("program-date")
                .attr("data-testid", "program-date")
                .child(el("span").class("program-date__label").tr(tr!(program_date_label)))
                .text(" ")
                .child(
                    el("time")
                        .attr("datetime", &today.to_string())
                        .class("program-date__value")
                        .text_signal(text_with(move |locale| long_date(today, locale))),
                )
                .text(" ")
                .child(el("span").class("program-date__note").tr(if program.date_pinned {
                    tr!(program_date_pinned)
                } else {
                    tr!(program_date_live)
                })),
        )
    })
}
