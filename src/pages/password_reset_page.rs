//! `/forgot-password` asks for a reset link by email (the answer is the same whether or not the
//! address is an account's); `/reset-password#token=…`, the emailed link, sets a new password.
//! The token travels in the fragment, which browsers never send to a server, and is taken off
//! the address bar as soon as the page has read it.

use leptos::prelude::*;
use planning_domain::account::{Password, RESET_LINK_MINUTES};
use planning_domain::api::account::{CompletePasswordReset, RequestPasswordReset, RESET_PAGE};
use planning_domain::{EmailAddress, Localize};

use crate::api::{self, ApiError};
use crate::components::form_field::InputField;
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::state::locale::{text_opt, use_domain_locale};
use crate::state::resource::submit;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let locale = use_domain_locale();
    let email_error = text_opt(move |locale| {
        if !submitted.get() {
            return None;
        }
        EmailAddress::parse(&email.get()).err().map(|error| error.message(locale))
    });
    let pending = RwSignal::new(false);
    let request = move |body: RequestPasswordReset| {
        let locale = locale.get_untracked();
        submit(pending, Box::pin(async move {
            match api::request_password_reset(&body).await {
                Ok(()) => sent.set(Some(tr_in!(locale, reset_requested, &RESET_LINK_MINUTES.to_string()))),
                Err(error) => failure.set(Some(error)),
            }
        }));
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        failure.set(None);
        sent.set(None);
        if pending.get_untracked() || email_error.get_untracked().is_some() {
            return;
        }
        request(RequestPasswordReset { email: email.get_untracked() });
    };
    view! {
        <section class="narrow">
            <h1>{tr!(forgot_password_title)}</h1>
            <p class="lead">{tr!(forgot_password_intro)}</p>
            <form class="card form" novalidate on:submit=on_submit>
                <ErrorNotice error=failure />
                <SuccessNotice message=sent />
                <InputField
                    id="email"
                    label=tr!(email_label)
                    value=email
                    error=email_error
                    kind="email"
                    autocomplete="username"
                />
                <button type="submit" class="button button--primary" disabled=pending>
                    {tr!(forgot_password_button)}
                </button>
                <p>
                    <a href="/sign-in">{tr!(back_to_sign_in)}</a>
                </p>
            </form>
        </section>
    }
}

/// The token of the emailed link, read once from `#token=…`, which is then taken off the address.
fn token_from_fragment() -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    let hash = window.location().hash().unwrap_or_default();
    let token = hash.strip_prefix("#token=").unwrap_or_default().to_owned();
    if !token.is_empty() {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(RESET_PAGE));
        }
    }
    token
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = StoredValue::new(token_from_fragment());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let locale = use_domain_locale();
    let password_error = text_opt(move |locale| {
        if !submitted.get() {
            return None;
        }
        Password::parse_new(&password.get())
            .err()
            .map(|error| error.message(locale))
            .or_else(|| failure.with(|failure| failure.as_ref()?.field_message("new_password", locale)))
    });
    let pending = RwSignal::new(false);
    let complete = move |body: CompletePasswordReset| {
        let locale = locale.get_untracked();
        submit(pending, Box::pin(async move {
            match api::complete_password_reset(&body).await {
                Ok(()) => {
                    password.set(String::new());
                    submitted.set(false);
                    done.set(Some(tr_in!(locale, password_reset_done).to_owned()));
                }
                Err(error) => failure.set(Some(error)),
            }
        }));
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        failure.set(None);
        if pending.get_untracked() || password_error.get_untracked().is_some() {
            return;
        }
        complete(CompletePasswordReset { token: token.get_value(), new_password: password.get_untracked() });
    };
    let notice = Signal::derive(move || {
        failure.get().filter(|failure| failure.field_message("new_password", planning_domain::Locale::En).is_none())
    });
    let missing = token.with_value(String::is_empty);
    view! {
        <section class="narrow">
            <h1>{tr!(reset_password_title)}</h1>
            <div hidden=!missing>
                <div class="notice notice--error" role="alert">
                    <p>{tr!(reset_link_missing)}</p>
                </div>
                <p>
                    <a href="/forgot-password">{tr!(forgot_password_link)}</a>
                </p>
            </div>
            <SuccessNotice message=done />
            <p hidden=move || done.with(Option::is_none)>
                <a href="/sign-in" class="button button--primary">{tr!(sign_in_button)}</a>
            </p>
            <form class="card form" novalidate on:submit=on_submit hidden=move || missing || done.with(Option::is_some)>
                <ErrorNotice error=notice />
                <InputField
                    id="new-password"
                    label=tr!(new_password_label)
                    value=password
                    error=password_error
                    kind="password"
                    hint=tr!(new_password_hint)
                    autocomplete="new-password"
                />
                <button type="submit" class="button button--primary" disabled=pending>
                    {tr!(reset_password_button)}
                </button>
            </form>
        </section>
    }
}
