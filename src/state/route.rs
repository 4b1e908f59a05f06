//! The address bar as app state: a small client-side router.
//!
//! `leptos_router` cost ~60 KiB gzip of wasm, a quarter of the bundle budget, for what this app
//! needs: the current path and query as signals, `history.pushState` navigation, same-origin
//! link clicks intercepted once at the document, and the back button. Routes are matched in
//! one function in `app.rs`. Links to another bundle's pages are left to the browser.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, Copy)]
pub struct RouteContext {
    path: RwSignal<String>,
    query: RwSignal<String>,
    /// The bundle this page runs (see `planning_domain::api::APP_BUNDLES`).
    bundle: &'static str,
}

impl RouteContext {
    /// The current path, e.g. `/vouchers/V-123` (tracked).
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// The current path without subscribing.
    pub fn path_untracked(&self) -> String {
        self.path.get_untracked()
    }

    /// One query parameter, decoded (tracked).
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.get();
        let params = web_sys::UrlSearchParams::new_with_str(&query).ok()?;
        params.get(name)
    }

    /// One query parameter, decoded, without subscribing.
    pub fn query_param_untracked(&self, name: &str) -> Option<String> {
        untrack(|| self.query_param(name))
    }

    /// Goes to `to` (a same-origin path with optional query), adding a history entry.
    pub fn navigate(&self, to: &str) {
        self.go(to, false);
    }

    /// Goes to `to` in place of the current entry (redirects).
    pub fn replace(&self, to: &str) {
        self.go(to, true);
    }

    fn go(&self, to: &str, replace: bool) {
        let Some(window) = web_sys::window() else { return };
        // A page of another bundle is loaded by the browser.
        let target_path = to.split(['?', '#']).next().unwrap_or_default();
        if planning_domain::api::app_bundle_of(target_path) != self.bundle {
            let _ = if replace { window.location().replace(to) } else { window.location().assign(to) };
            return;
        }
        if let Ok(history) = window.history() {
            let _ = if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
            };
        }
        self.read_location();
        window.scroll_to_with_x_and_y(0.0, 0.0);
        // Move the reader (and their screen reader) to the new page's content.
        if let Some(main) = window.document().and_then(|document| document.get_element_by_id("main")) {
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    }

    fn read_location(&self) {
        let Some(location) = web_sys::window().map(|window| window.location()) else { return };
        let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
        let query = location.search().unwrap_or_default();
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.query.get_untracked() != query {
            self.query.set(query);
        }
    }
}

pub fn provide_route(bundle: &'static str) {
    let context = RouteContext { path: RwSignal::new(String::new()), query: RwSignal::new(String::new()), bundle };
    context.read_location();
    provide_context(context);
    let Some(window) = web_sys::window() else { return };
    let on_pop = Closure::<dyn Fn()>::new(move || context.read_location());
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
        if let Some(to) = internal_link_target(&event).filter(|to| {
            planning_domain::api::app_bundle_of(to.split('?').next().unwrap_or_default()) == context.bundle
        }) {
            event.prevent_default();
            context.navigate(&to);
        }
    });
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    }
    on_click.forget();
}

pub fn use_route() -> RouteContext {
    expect_context::<RouteContext>()
}

/// The path of a plain left click on a same-origin link that the app should handle itself.
fn internal_link_target(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let anchor = target.closest("a[href]").ok()??.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") || anchor.has_attribute("data-external") {
        return None;
    }
    let location = web_sys::window()?.location();
    if anchor.origin() != location.origin().ok()? {
        return None;
    }
    let path = anchor.pathname();
    // Server-side resources (API downloads) are not app pages.
    if path.starts_with("/api/") {
        return None;
    }
    Some(format!("{path}{}", anchor.search()))
}
