//! The address bar as app state, on `leptos_router`: the current path and query through its
//! `use_location` hook, navigation through its `use_navigate`, and what the router leaves to
//! the app: after each navigation the reader (and their screen reader) is moved to the new
//! page's content (`<main>` takes focus), as the browser would after a document load.
//!
//! The router itself intercepts same-origin link clicks (not `download` links, `target`s or
//! `rel="external"`) and the back and forward buttons, and scrolls to the top or to the hash.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

type Navigate = Rc<dyn Fn(&str, NavigateOptions)>;

#[derive(Clone, Copy)]
pub struct RouteContext {
    pathname: Memo<String>,
    search: Memo<String>,
    hash: Memo<String>,
    query: Memo<ParamsMap>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl RouteContext {
    /// The current path, e.g. `/vouchers/V-123` (tracked).
    pub fn path(&self) -> String {
        self.pathname.get()
    }

    /// The current path without subscribing.
    pub fn path_untracked(&self) -> String {
        self.pathname.get_untracked()
    }

    /// One query parameter, decoded (tracked).
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.with(|query| query.get(name))
    }

    /// One query parameter, decoded, without subscribing.
    pub fn query_param_untracked(&self, name: &str) -> Option<String> {
        self.query.with_untracked(|query| query.get(name))
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
        let options = NavigateOptions { replace, ..NavigateOptions::default() };
        self.navigate.with_value(|navigate| navigate(to, options));
    }
}

/// Provides the route context; call inside `<Router>`.
pub fn provide_route() {
    let navigate = use_navigate();
    let location = use_location();
    let context = RouteContext {
        pathname: location.pathname,
        search: location.search,
        hash: location.hash,
        query: location.query,
        navigate: StoredValue::new_local(Rc::new(navigate) as Navigate),
    };
    provide_context(context);
    // Focus follows navigation: a new path, query or `#main` (the skip link) moves the reader
    // to the page's content. Not on the first load, where the browser starts at the top.
    Effect::new(move |previous: Option<(String, String, String)>| {
        let now = (context.pathname.get(), context.search.get(), context.hash.get());
        if previous.as_ref().is_some_and(|previous| *previous != now) {
            focus_main();
        }
        now
    });
}

pub fn use_route() -> RouteContext {
    expect_context::<RouteContext>()
}

fn focus_main() {
    if let Some(main) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("main"))
        .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
