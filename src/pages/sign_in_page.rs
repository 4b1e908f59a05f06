//! `/sign-in`: email and password, then, for an account with two-step sign-in, the code from
//! the authenticator app (or a recovery code); back to where the reader was going, or their
//! role's start, or to set up two-step sign-in when the server requires it of the role.

use leptos::prelude::*;
use planning_domain::account::SecondFactorCode;
use planning_domain::api::account::SecondFactor;
use planning_domain::api::{Session, SignIn};
use planning_domain::{EmailAddress, ErrorCode, Localize};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::form_field::InputField;
use crate::components::notice::ErrorNotice;
use crate::state::locale::text_opt;
use crate::state::resource::submit;
use crate::state::route::use_route;
use crate::state::session::{home_path, use_session, ACCOUNT_PAGE};

/// Moves focus to the element with this id once it is on the page.
pub fn focus_soon(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let route = use_route();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let code_submitted = RwSignal::new(false);
    // The password was right and the server asks for the second step.
    let code_step = RwSignal::new(false);
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
    let code_error = text_opt(move |locale| {
        if !code_submitted.get() {
            return None;
        }
        match SecondFactorCode::parse(&code.get()) {
            Err(error) => Some(error.message(locale)),
            Ok(_) => failure.with(|failure| failure.as_ref().and_then(|failure| failure.field_message("code", locale))),
        }
    });

    let finish = move |new_session: Session| {
        let start = if new_session.must_enrol_totp { ACCOUNT_PAGE } else { home_path(new_session.user.role) };
        let must_enrol = new_session.must_enrol_totp;
        session.signed_in(new_session);
        // Only a path of this site: never an address elsewhere ("//evil.example").
        let next = route
            .query_param_untracked("next")
            .filter(|next| !must_enrol && next.starts_with('/') && !next.starts_with("//"));
        route.navigate(next.as_deref().unwrap_or(start));
    };

    let sign_in = Action::new_local(move |body: &SignIn| {
        let body = body.clone();
        async move {
            match api::sign_in(&body).await {
                Ok(new_session) => finish(new_session),
                Err(error) if error.code() == Some(ErrorCode::SecondFactorRequired) => {
                    code_step.set(true);
                    focus_soon("code");
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let code_pending = RwSignal::new(false);
    let second_factor = move |body: SecondFactor| {
        submit(code_pending, Box::pin(async move {
            match api::second_factor(&body).await {
                Ok(new_session) => finish(new_session),
                Err(error) => {
                    // A pending sign-in that expired starts again with the password.
                    if error.code() == Some(ErrorCode::Unauthenticated) {
                        code_step.set(false);
                        code.set(String::new());
                        code_submitted.set(false);
                    }
                    failure.set(Some(error));
                }
            }
        }));
    };
    let pending = Signal::derive(move || sign_in.pending().get() || code_pending.get());

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
    let on_code = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        code_submitted.set(true);
        failure.set(None);
        if pending.get_untracked() || code_error.get_untracked().is_some() {
            return;
        }
        second_factor(SecondFactor { code: code.get_untracked() });
    };
    // A wrong code is told at its field; other failures in the notice.
    let notice = Signal::derive(move || {
        failure.get().filter(|failure| failure.field_message("code", planning_domain::Locale::En).is_none())
    });

    // Both steps stay on the page, one hidden: what was typed in either is never lost.
    view! {
        <section class="narrow">
            <h1>{tr!(sign_in_title)}</h1>
            <p class="lead">{tr!(sign_in_intro)}</p>
            <ErrorNotice error=notice />
            <form class="card form" novalidate on:submit=on_submit hidden=move || code_step.get()>
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
                <p>
                    <a href="/forgot-password">{tr!(forgot_password_link)}</a>
                </p>
            </form>
            <form class="card form" novalidate on:submit=on_code hidden=move || !code_step.get()>
                <p>{tr!(second_factor_intro)}</p>
                <InputField
                    id="code"
                    label=tr!(second_factor_code_label)
                    value=code
                    error=code_error
                    hint=tr!(second_factor_code_hint)
                    autocomplete="one-time-code"
                />
                <button type="submit" class="button button--primary" disabled=pending>
                    {tr!(second_factor_button)}
                </button>
            </form>
        </section>
    }
}
