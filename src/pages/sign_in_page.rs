//! `/sign-in`: email and password; back to where the reader was going, or their role's start.

use leptos::prelude::*;
use planning_domain::api::SignIn;
use planning_domain::{EmailAddress, Localize};

use crate::api::{self, ApiError};
use crate::components::form_field::FormField;
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
        async move { api::sign_in(&body).await }
    });
    Effect::new(move |_| {
        if let Some(result) = sign_in.value().get() {
            match result {
                Ok(new_session) => {
                    let start = home_path(new_session.user.role);
                    session.signed_in(new_session);
                    // Only a path of this site: never an address elsewhere ("//evil.example").
                    let next = untrack(|| route.query_param("next"))
                        .filter(|next| next.starts_with('/') && !next.starts_with("//"));
                    route.navigate(next.as_deref().unwrap_or(start));
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        failure.set(None);
        if email_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
            return;
        }
        sign_in.dispatch(SignIn { email: email.get_untracked(), password: password.get_untracked() });
    };
    let pending = sign_in.pending();

    view! {
        <section class="narrow">
            <h1>{tr!(sign_in_title)}</h1>
            <p class="lead">{tr!(sign_in_intro)}</p>
            <form class="card form" on:submit=on_submit novalidate>
                <ErrorNotice error=failure.into() />
                <FormField id="email" label=tr!(email_label) value=email error=email_error kind="email" autocomplete="username" required=true />
                <FormField id="password" label=tr!(password_label) value=password error=password_error kind="password" autocomplete="current-password" required=true />
                <button type="submit" class="button button--primary" disabled=pending aria-busy=move || pending.get().to_string()>
                    {tr!(sign_in_button)}
                </button>
            </form>
        </section>
    }
    .into_any()
}
