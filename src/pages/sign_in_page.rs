//! `/sign-in`: email and password; back to where the reader was going, or their role's start.

use leptos::prelude::*;
use planning_domain::api::SignIn;
use planning_domain::{EmailAddress, Localize};

use crate::api::{self, ApiError};
use crate::components::form_field::Field;
use crate::components::notice::error_notice;
use crate::dom::{el, tr_el, El};
use crate::state::locale::text_opt;
use crate::state::route::use_route;
use crate::state::session::{home_path, use_session};

pub fn sign_in_page() -> El {
    let session = use_session();
    let route = use_route();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let pending = RwSignal::new(false);
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

    let submit = move || {
        submitted.set(true);
        failure.set(None);
        if pending.get_untracked() || email_error.get_untracked().is_some() || password_error.get_untracked().is_some()
        {
            return;
        }
        pending.set(true);
        let body = SignIn { email: email.get_untracked(), password: password.get_untracked() };
        leptos::task::spawn_local(async move {
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
            pending.set(false);
        });
    };

    el("section")
        .class("narrow")
        .child(tr_el("h1", tr!(sign_in_title)))
        .child(tr_el("p", tr!(sign_in_intro)).class("lead"))
        .child(
            el("form")
                .class("card form")
                .on_submit(submit)
                .child(error_notice(failure.into()))
                .child(
                    Field::new("email", tr!(email_label))
                        .kind("email")
                        .autocomplete("username")
                        .input(email, email_error),
                )
                .child(
                    Field::new("password", tr!(password_label))
                        .kind("password")
                        .autocomplete("current-password")
                        .input(password, password_error),
                )
                .child(
                    el("button")
                        .attr("type", "submit")
                        .class("button button--primary")
                        .flag_signal("disabled", pending.into())
                        .tr(tr!(sign_in_button)),
                ),
        )
}
