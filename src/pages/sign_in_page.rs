//! `/sign-in`, in four steps on one page (one route and one view, for the app's size budget):
//! email and password; for an account with two-step sign-in, the code from the authenticator
//! app (or a recovery code); asking for a reset link by email (the answer is the same whether or
//! not the address is an account's); and the emailed link itself (`/sign-in#reset=…`: the token
//! in the fragment, which browsers never send to a server, taken off the address bar once read),
//! which sets a new password. Every step is on the page, the others hidden by `data-stage`, so
//! nothing typed in one is lost. After signing in: where the reader was going, or their role's
//! start, or the account page when the server requires two-step sign-in of the role.

use leptos::prelude::*;
use planning_domain::account::{sso_error_from_name, SecondFactorCode, RESET_LINK_MINUTES, SSO_ERROR_PARAMETER};
use planning_domain::api::account::{
    CompletePasswordReset, RequestPasswordReset, SecondFactor, RESET_FRAGMENT, RESET_PAGE, SESSION_OIDC_START,
    SIGN_IN_STEP_CODE, SIGN_IN_STEP_PARAMETER, SIGN_IN_STEP_SIGNED_IN,
};
use planning_domain::api::{Session, SignIn};
use planning_domain::{EmailAddress, ErrorCode, Locale, Localize};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::form_field::{checked_field, form_failure, InputField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::pages::account_page::{new_password_rule, password_given};
use crate::state::locale::{text_with, to_ui, use_domain_locale};
use crate::state::resource::submit;
use crate::state::route::use_route;
use crate::state::session::{home_path, use_session, ACCOUNT_PAGE};

/// The steps of the page (`data-stage`).
const SIGN_IN: u8 = 0;
const CODE: u8 = 1;
const FORGOT: u8 = 2;
const RESET: u8 = 3;

/// The fields whose errors show at the field, not in the page's notice.
const FIELDS: &[&str] = &["code", "new_password"];

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

fn email_rule(value: &str, locale: Locale) -> Option<String> {
    EmailAddress::parse(value).err().map(|error| error.message(locale))
}

pub fn code_rule(value: &str, locale: Locale) -> Option<String> {
    SecondFactorCode::parse(value).err().map(|error| error.message(locale))
}

/// The token of an emailed reset link (`#reset=…`), taken off the address bar once read.
fn reset_token() -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    let hash = window.location().hash().unwrap_or_default();
    let token = hash.strip_prefix('#').and_then(|hash| hash.strip_prefix(RESET_FRAGMENT)).unwrap_or_default();
    if !token.is_empty() {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(RESET_PAGE));
        }
    }
    token.to_owned()
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let route = use_route();
    let locale = use_domain_locale();
    let token = StoredValue::new(reset_token());
    // Where a single sign-on came back to: the second step (`?step=code`), or signed in.
    let step = route.query_param_untracked(SIGN_IN_STEP_PARAMETER);
    let first_stage = if !token.with_value(String::is_empty) {
        RESET
    } else if step.as_deref() == Some(SIGN_IN_STEP_CODE) {
        CODE
    } else {
        SIGN_IN
    };
    let stage = RwSignal::new(first_stage);
    // Why a single sign-on came back here: a name the domain turns into its message.
    let sso_error =
        StoredValue::new(route.query_param_untracked(SSO_ERROR_PARAMETER).map(|name| sso_error_from_name(&name)));
    let sso_message = move || sso_error.with_value(|error| error.as_ref().map(|error| error.message(locale.get())));
    // Whether the server offers single sign-on: one read, its answer in a plain signal (a
    // resource's machinery cost more wasm than the page can spend on one boolean).
    let sso_offered = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(offered) = api::get_sign_in_providers().await {
            sso_offered.set(offered.single_sign_on);
        }
    });
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    // The shared crate's rules, shown once the reader has tried to submit.
    let email_error = checked_field(email, submitted, failure, "email", email_rule);
    let password_error = checked_field(password, submitted, failure, "password", password_given);
    let code_error = checked_field(code, submitted, failure, "code", code_rule);
    let new_password_error = checked_field(new_password, submitted, failure, "new_password", new_password_rule);

    let go = move |next: u8| {
        stage.set(next);
        submitted.set(false);
        failure.set(None);
        done.set(None);
    };
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

    // A single sign-on that signed the reader in (the server set the session cookie): read the
    // session and go on as after a password sign-in.
    if step.as_deref() == Some(SIGN_IN_STEP_SIGNED_IN) {
        leptos::task::spawn_local(async move {
            if let Ok(new_session) = api::get_session().await {
                finish(new_session);
            }
        });
    }

    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        failure.set(None);
        done.set(None);
        let current = stage.get_untracked();
        let invalid = match current {
            SIGN_IN => email_error.get_untracked().is_some() || password_error.get_untracked().is_some(),
            CODE => code_error.get_untracked().is_some(),
            FORGOT => email_error.get_untracked().is_some(),
            _ => new_password_error.get_untracked().is_some(),
        };
        if invalid {
            return;
        }
        let locale = locale.get_untracked();
        let (email, password, typed_code, new_password) =
            (email.get_untracked(), password.get_untracked(), code.get_untracked(), new_password.get_untracked());
        let token = token.get_value();
        submit(
            pending,
            Box::pin(async move {
                let answer = match current {
                    SIGN_IN => api::sign_in(&SignIn { email, password }).await.map(Some),
                    CODE => api::second_factor(&SecondFactor { code: typed_code }).await.map(Some),
                    FORGOT => api::request_password_reset(&RequestPasswordReset { email }).await.map(|()| None),
                    _ => api::complete_password_reset(&CompletePasswordReset { token, new_password })
                        .await
                        .map(|()| None),
                };
                match answer {
                    Ok(Some(new_session)) => finish(new_session),
                    Ok(None) if current == FORGOT => {
                        done.set(Some(tr_in!(locale, reset_requested, &RESET_LINK_MINUTES.to_string())));
                    }
                    Ok(None) => {
                        go(SIGN_IN);
                        done.set(Some(tr_in!(locale, password_reset_done).to_owned()));
                    }
                    Err(error) if error.code() == Some(ErrorCode::SecondFactorRequired) => {
                        go(CODE);
                        focus_soon("code");
                    }
                    Err(error) => {
                        // A pending sign-in that expired starts again with the password.
                        if current == CODE && error.code() == Some(ErrorCode::Unauthenticated) {
                            code.set(String::new());
                            stage.set(SIGN_IN);
                        }
                        failure.set(Some(error));
                    }
                }
            }),
        );
    };
    let heading = text_with(move |locale| {
        let key = match stage.get() {
            FORGOT => crate::i18n::forgot_password_title,
            RESET => crate::i18n::reset_password_title,
            _ => crate::i18n::sign_in_title,
        };
        key(to_ui(locale)).to_owned()
    });

    // Only a page opened from a reset link has the new password's field (a second password
    // field otherwise, even hidden, would be one more "password" on the sign-in page).
    let reset_field = (!token.with_value(String::is_empty)).then(|| {
        view! {
            <div class="stage stage-3">
                <InputField
                    id="new-password"
                    label=tr!(new_password_label)
                    value=new_password
                    error=new_password_error
                    kind="password"
                    hint=tr!(new_password_hint)
                    autocomplete="new-password"
                />
            </div>
        }
    });

    view! {
        <section class="narrow" data-stage=move || stage.get().to_string()>
            <h1>{heading}</h1>
            <p class="lead stage stage-0">{tr!(sign_in_intro)}</p>
            <p class="lead stage stage-2">{tr!(forgot_password_intro)}</p>
            <ErrorNotice error=form_failure(failure, FIELDS) />
            <div class="notice notice--error" role="alert" hidden=move || sso_message().is_none()>
                <p>{sso_message}</p>
            </div>
            <SuccessNotice message=done />
            <form class="card form" novalidate on:submit=on_submit>
                <p class="stage stage-1">{tr!(second_factor_intro)}</p>
                <div class="stage stage-0 stage-2">
                    <InputField
                        id="email"
                        label=tr!(email_label)
                        value=email
                        error=email_error
                        kind="email"
                        autocomplete="username"
                    />
                </div>
                <div class="stage stage-0">
                    <InputField
                        id="password"
                        label=tr!(password_label)
                        value=password
                        error=password_error
                        kind="password"
                        autocomplete="current-password"
                    />
                </div>
                <div class="stage stage-1">
                    <InputField
                        id="code"
                        label=tr!(second_factor_code_label)
                        value=code
                        error=code_error
                        autocomplete="one-time-code"
                    />
                </div>
                {reset_field}
                <button type="submit" class="button button--primary stage stage-0" disabled=pending>
                    {tr!(sign_in_button)}
                </button>
                <button type="submit" class="button button--primary stage stage-1" disabled=pending>
                    {tr!(second_factor_button)}
                </button>
                <button type="submit" class="button button--primary stage stage-2" disabled=pending>
                    {tr!(forgot_password_button)}
                </button>
                <button type="submit" class="button button--primary stage stage-3" disabled=pending>
                    {tr!(reset_password_button)}
                </button>
                // A document load to the server (rel="external": not the router's navigation).
                <a class="button stage stage-0" href=SESSION_OIDC_START rel="external" hidden=move || !sso_offered.get()>
                    {tr!(sso_sign_in_link)}
                </a>
                <button type="button" class="button button--quiet stage stage-0" on:click=move |_| go(FORGOT)>
                    {tr!(forgot_password_link)}
                </button>
                <button type="button" class="button button--quiet stage stage-1 stage-2 stage-3" on:click=move |_| go(SIGN_IN)>
                    {tr!(back_to_sign_in)}
                </button>
            </form>
        </section>
    }
}
