//! `/sign-in`: email and password; back to where the reader was going, or their role's start.

use leptos::prelude::*;
use planning_domain::api::SignIn;
use planning_domain::{EmailAddress, Localize};

use crate::api::{self, ApiError};
use crate::components::form_field::InputField;
use crate::components::notice::ErrorNotice;
use crate::state::locale::text_opt;
use crate::state::route::use_route;
use crate::state::session::{home_path, use_session};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let route = use_route();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);

    // The shared crate's rule, shown once the reader has tried to submit.
    let email_error = text_opt(move |locale| {
        if !submitted.get() {
            return None;
        }
        EmailAddress::parse(&email.get()).err().map(|error| error.message(locale))
    });
    let password_error = text_opt(move |locale| {
        (submitted.get() && password.with(String::is_empty)).then(|| tr_in!(locale, password_required).to_owned())
    });

    let sign_in = Action::new_local(move |body: &SignIn| {
        let body = body.clone();
        async move {
            match api::sign_in(&body).await {
                Ok(new_session) => {
                    let start = home_path(new_session.user.role);
                    session.signed_in(new_session);
                    // Only a path of this site: never an address elsewhere ("//evil.example").
                    let next = route
                        .query_param_untracked("next")
                        .filter(|next| next.starts_with('/') && !next.starts_with("//"));
                    route.navigate(next.as_deref().unwrap_or(start));
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let pending = sign_in.pending();

    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        failure.set(None);
        if pending.get_untracked() || email_error.get_untracked().is_some() || password_error.get_untracked().is_some()
        {
            return;
        }
        sign_in.dispatch(SignIn { email: email.get_untracked(), password: password.get_untracked() });
    };

    view! {
        <section class="narrow">
            <h1>{tr!(sign_in_title)}</h1>
            <p class="lead">{tr!(sign_in_intro)}</p>
            <form class="card form" novalidate on:submit=on_submit>
                <ErrorNotice error=failure />
                <InputField
                    id="email"
                    label=tr!(email_label)
                    value=email
                    error=email_error
                    kind="email"
                    autocomplete="username"
                />
                <InputField
                    id="password"
                    label=tr!(password_label)
                    value=password
                    error=password_error
                    kind="password"
                    autocomplete="current-password"
                />
                <button type="submit" class="button button--primary" disabled=pending>
                    {tr!(sign_in_button)}
                </button>
            </form>
        </section>
    }
}
