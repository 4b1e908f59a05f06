//! Guards a page: signed-out readers go to the sign-in page (and come back after), readers of
//! another role see what the page is for and who may use it. The server refuses anyway.

use leptos::prelude::*;
use planning_domain::Role;

use crate::state::route::use_route;
use crate::state::session::use_session;

#[component]
pub fn RequireSignIn(
    /// The roles that may use the page.
    roles: &'static [Role],
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let route = use_route();
    Effect::new(move |_| {
        if session.ready() && session.role().is_none() {
            let next = js_sys::encode_uri_component(&route.path_untracked());
            route.replace(&format!("/sign-in?next={next}"));
        }
    });
    move || match session.role() {
        Some(role) if roles.contains(&role) => children().into_any(),
        Some(_) => view! {
            <div class="notice notice--error" role="alert">
                <p class="notice__title">{tr!(not_permitted_title)}</p>
                <p>{tr!(not_permitted_body)}</p>
            </div>
        }
        .into_any(),
        None => view! { <p class="loading" role="status">{tr!(loading)}</p> }.into_any(),
    }
}
