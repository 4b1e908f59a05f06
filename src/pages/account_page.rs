//! `/account`: the reader's own account: change the password (the current one required; other
//! sessions end), and set up two-step sign-in: scan the QR code (or type the key), confirm with
//! the app's code, keep the recovery codes shown once. A session the server allows nothing but
//! the set-up is sent here (`RequireSignIn`).

use leptos::prelude::*;
use planning_domain::account::{Password, SecondFactorCode};
use planning_domain::api::account::{ChangePassword, RecoveryCodes, SecondFactor, TotpEnrolment};
use planning_domain::Localize;

use crate::api::{self, ApiError};
use crate::components::form_field::InputField;
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::session::{use_session, EVERY_ROLE};

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=EVERY_ROLE>
            <Account />
        </RequireSignIn>
    }
}

#[component]
fn Account() -> impl IntoView {
    let session = use_session();
    let must_enrol = Memo::new(move |_| session.must_enrol());
    view! {
        <h1>{tr!(account_title)}</h1>
        <div class="notice notice--info" role="status" hidden=move || !must_enrol.get()>
            <p>{tr!(two_factor_required_notice)}</p>
        </div>
        <TwoFactorSection />
        <PasswordSection />
    }
}

/// The server's message for `field`, else the shared crate's rule as the reader typed.
fn field_error(
    submitted: RwSignal<bool>,
    failure: RwSignal<Option<ApiError>>,
    field: &'static str,
    rule: impl Fn(planning_domain::Locale) -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    text_opt(move |locale| {
        if !submitted.get() {
            return None;
        }
        rule(locale).or_else(|| failure.with(|failure| failure.as_ref()?.field_message(field, locale)))
    })
}

/// Failures that name no field of the form go to its notice.
fn general_failure(failure: RwSignal<Option<ApiError>>, fields: &'static [&'static str]) -> Signal<Option<ApiError>> {
    Signal::derive(move || {
        failure.get().filter(|failure| {
            fields.iter().all(|field| failure.field_message(field, planning_domain::Locale::En).is_none())
        })
    })
}

#[component]
fn PasswordSection() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let locale = use_domain_locale();
    let current_error = field_error(submitted, failure, "current_password", move |locale| {
        current.with(String::is_empty).then(|| tr_in!(locale, password_required).to_owned())
    });
    let new_error = field_error(submitted, failure, "new_password", move |locale| {
        Password::parse_new(&new.get()).err().map(|error| error.message(locale))
    });
    let change = Action::new_local(move |body: &ChangePassword| {
        let body = body.clone();
        let locale = locale.get_untracked();
        async move {
            match api::change_password(&body).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    submitted.set(false);
                    done.set(Some(tr_in!(locale, password_changed).to_owned()));
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let pending = change.pending();
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        done.set(None);
        submitted.set(true);
        if pending.get_untracked() || current_error.get_untracked().is_some() || new_error.get_untracked().is_some() {
            return;
        }
        change.dispatch(ChangePassword { current_password: current.get_untracked(), new_password: new.get_untracked() });
    };
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{tr!(change_password_title)}</h2>
            <p>{tr!(change_password_intro)}</p>
            <form class="form" novalidate on:submit=on_submit>
                <ErrorNotice error=general_failure(failure, &["current_password", "new_password"]) />
                <SuccessNotice message=done />
                <InputField
                    id="current-password"
                    label=tr!(current_password_label)
                    value=current
                    error=current_error
                    kind="password"
                    autocomplete="current-password"
                />
                <InputField
                    id="new-password"
                    label=tr!(new_password_label)
                    value=new
                    error=new_error
                    kind="password"
                    hint=tr!(new_password_hint)
                    autocomplete="new-password"
                />
                <button type="submit" class="button button--primary" disabled=pending>
                    {tr!(change_password_button)}
                </button>
            </form>
        </section>
    }
}

#[component]
fn TwoFactorSection() -> impl IntoView {
    let session = use_session();
    let status = LocalResource::new(api::get_totp_status);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let recovery = RwSignal::new(None::<RecoveryCodes>);
    let code = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let code_error = field_error(submitted, failure, "code", move |locale| {
        SecondFactorCode::parse_totp(&code.get()).err().map(|error| error.message(locale))
    });
    let start = Action::new_local(move |_: &()| async move {
        match api::start_totp_enrolment().await {
            Ok(started) => {
                enrolment.set(Some(started));
                crate::pages::sign_in_page::focus_soon("totp-code");
            }
            Err(error) => failure.set(Some(error)),
        }
    });
    let confirm = Action::new_local(move |body: &SecondFactor| {
        let body = body.clone();
        async move {
            match api::confirm_totp(&body).await {
                Ok(codes) => {
                    recovery.set(Some(codes));
                    enrolment.set(None);
                    session.enrolled();
                    status.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let pending = Signal::derive(move || start.pending().get() || confirm.pending().get());
    let on_confirm = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        submitted.set(true);
        if pending.get_untracked() || code_error.get_untracked().is_some() {
            return;
        }
        confirm.dispatch(SecondFactor { code: code.get_untracked() });
    };
    let state = move || {
        let enabled = status.with(|status| status.as_ref().and_then(|status| status.as_ref().ok()).map(|s| (s.enabled, s.recovery_codes_left)));
        if let Some(codes) = recovery.get() {
            let items = codes.codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view();
            return view! {
                <div class="notice notice--success" role="status">
                    <p>{tr!(two_factor_on)}</p>
                </div>
                <h3>{tr!(recovery_codes_title)}</h3>
                <p>{tr!(recovery_codes_intro)}</p>
                <ul class="recovery-codes" data-testid="recovery-codes">{items}</ul>
            }
            .into_any();
        }
        if let Some(started) = enrolment.get() {
            return view! {
                <ol class="steps">
                    <li>
                        <p>{tr!(two_factor_scan)}</p>
                        <img class="qr-code" src=started.qr_code alt=tr!(two_factor_qr_alt) width="200" height="200" />
                        <p>
                            {tr!(two_factor_key_label)} " "
                            <code data-testid="totp-secret">{started.secret}</code>
                        </p>
                    </li>
                    <li>
                        <form class="form" novalidate on:submit=on_confirm>
                            <InputField
                                id="totp-code"
                                label=tr!(two_factor_code_label)
                                value=code
                                error=code_error
                                autocomplete="one-time-code"
                            />
                            <button type="submit" class="button button--primary" disabled=pending>
                                {tr!(two_factor_confirm_button)}
                            </button>
                        </form>
                    </li>
                </ol>
            }
            .into_any();
        }
        match enabled {
            Some((true, left)) => view! {
                <p data-testid="two-factor-state">{tr!(two_factor_on)}</p>
                <p>{text_with(move |locale| tr_in!(locale, recovery_codes_left, &left.to_string()))}</p>
            }
            .into_any(),
            Some((false, _)) => view! {
                <p data-testid="two-factor-state">{tr!(two_factor_off)}</p>
                <button type="button" class="button button--primary" disabled=pending on:click=move |_| {
                    failure.set(None);
                    start.dispatch(());
                }>
                    {tr!(two_factor_start_button)}
                </button>
            }
            .into_any(),
            None => view! { <p class="loading" role="status">{tr!(loading)}</p> }.into_any(),
        }
    };
    view! {
        <section class="card" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{tr!(two_factor_title)}</h2>
            <p>{tr!(two_factor_intro)}</p>
            <ErrorNotice error=general_failure(failure, &["code"]) />
            {state}
        </section>
    }
}
