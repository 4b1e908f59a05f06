//! Guards a page: signed-out readers go to the sign-in page (and come back after), readers of
//! another role see what the page is for and who may use it. The server refuses anyway.

use leptos::prelude::*;
use planning_domain::Role;

use crate::state::route::use_route;
use crate::state::session::{use_session, ACCOUNT_PAGE};

/// `<RequireSignIn roles=EVERY_ROLE><Page /></RequireSignIn>`: the page is built only for a
/// reader whose role may use it.
#[component]
pub fn RequireSignIn(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let route = use_route();
    Effect::new(move |_| {
        if session.ready() && session.role().is_none() {
            let next = js_sys::encode_uri_component(&route.path_untracked());
            route.replace(&format!("/sign-in?next={next}"));
        } else if session.must_enrol() && route.path_untracked() != ACCOUNT_PAGE {
            // The server allows this session nothing but setting up two-step sign-in.
            route.replace(ACCOUNT_PAGE);
        }
    });
    let role = Memo::new(move |_| session.role());
    let content = move || match role.get() {
        Some(role) if roles.contains(&role) => untrack(|| children()).into_any(),
        Some(_) => view! {
            <div class="group">
                <h1>{tr!(not_permitted_title)}</h1>
                <div class="notice notice--error" role="alert">
                    <p>{tr!(not_permitted_body)}</p>
                </div>
            </div>
        }
        .into_any(),
        None => view! { <p class="loading" role="status">{tr!(loading)}</p> }.into_any(),
    };
    view! {
        <div class="group">
            <div class="dynamic">{content}</div>
        </div>
    }
}
