//! `/account`: the reader's own account: change the password (the current one required; other
//! sessions end), and set up two-step sign-in: scan the QR code (or type the key), confirm with
//! the app's code, keep the recovery codes shown once. A session the server allows nothing but
//! the set-up is sent here (`RequireSignIn`).

use leptos::prelude::*;
use planning_domain::account::{Password, SecondFactorCode};
use planning_domain::api::account::{ChangePassword, SecondFactor, TotpEnrolment};
use planning_domain::Localize;

use crate::api::{self, ApiError};
use crate::components::form_field::InputField;
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::resource::submit;
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
    let pending = RwSignal::new(false);
    let change = move |body: ChangePassword| {
        let locale = locale.get_untracked();
        submit(pending, Box::pin(async move {
            match api::change_password(&body).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    submitted.set(false);
                    done.set(Some(tr_in!(locale, password_changed).to_owned()));
                }
                Err(error) => failure.set(Some(error)),
            }
        }));
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        done.set(None);
        submitted.set(true);
        if pending.get_untracked() || current_error.get_untracked().is_some() || new_error.get_untracked().is_some() {
            return;
        }
        change(ChangePassword { current_password: current.get_untracked(), new_password: new.get_untracked() });
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
    // (enabled, unused recovery codes), once read.
    let status = RwSignal::new(None::<(bool, u32)>);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let recovery = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let code_error = field_error(submitted, failure, "code", move |locale| {
        SecondFactorCode::parse_totp(&code.get()).err().map(|error| error.message(locale))
    });
    submit(
        pending,
        Box::pin(async move {
            match api::get_totp_status().await {
                Ok(read) => status.set(Some((read.enabled, read.recovery_codes_left))),
                Err(error) => failure.set(Some(error)),
            }
        }),
    );
    let start = move |_| {
        failure.set(None);
        submit(
            pending,
            Box::pin(async move {
                match api::start_totp_enrolment().await {
                    Ok(started) => {
                        enrolment.set(Some(started));
                        crate::pages::sign_in_page::focus_soon("totp-code");
                    }
                    Err(error) => failure.set(Some(error)),
                }
            }),
        );
    };
    let on_confirm = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        submitted.set(true);
        if code_error.get_untracked().is_some() {
            return;
        }
        let body = SecondFactor { code: code.get_untracked() };
        submit(
            pending,
            Box::pin(async move {
                match api::confirm_totp(&body).await {
                    Ok(codes) => {
                        let left = u32::try_from(codes.codes.len()).unwrap_or(0);
                        recovery.set(Some(codes.codes.join("\n")));
                        enrolment.set(None);
                        status.set(Some((true, left)));
                        session.enrolled();
                    }
                    Err(error) => failure.set(Some(error)),
                }
            }),
        );
    };
    // Every state is on the page, the ones that do not apply hidden: one view, no rebuilding.
    let enrolling = move || enrolment.with(Option::is_some);
    let state = move |wanted: Option<bool>| move || enrolling() || status.get().map(|(on, _)| on) != wanted;
    view! {
        <section class="card" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{tr!(two_factor_title)}</h2>
            <p>{tr!(two_factor_intro)}</p>
            <ErrorNotice error=general_failure(failure, &["code"]) />
            <p class="loading" role="status" hidden=state(None)>{tr!(loading)}</p>
            <div hidden=state(Some(true))>
                <p data-testid="two-factor-on">{tr!(two_factor_on)}</p>
                <div hidden=move || recovery.with(Option::is_none)>
                    <h3>{tr!(recovery_codes_title)}</h3>
                    <p>{tr!(recovery_codes_intro)}</p>
                    <pre class="recovery-codes" data-testid="recovery-codes">{move || recovery.get()}</pre>
                </div>
                <p>
                    {text_with(move |locale| {
                        let left = status.get().map_or(0, |(_, left)| left);
                        tr_in!(locale, recovery_codes_left, &left.to_string())
                    })}
                </p>
            </div>
            <div hidden=state(Some(false))>
                <p data-testid="two-factor-off">{tr!(two_factor_off)}</p>
                <button type="button" class="button button--primary" disabled=pending on:click=start>
                    {tr!(two_factor_start_button)}
                </button>
            </div>
            <ol class="steps" hidden=move || !enrolling()>
                <li>
                    <p>{tr!(two_factor_scan)}</p>
                    <img
                        class="qr-code"
                        src=move || enrolment.with(|started| started.as_ref().map(|started| started.qr_code.clone()))
                        alt=tr!(two_factor_qr_alt)
                        width="200"
                        height="200"
                    />
                    <p>
                        {tr!(two_factor_key_label)}
                        " "
                        <code data-testid="totp-secret">
                            {move || enrolment.with(|started| started.as_ref().map(|started| started.secret.clone()))}
                        </code>
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
        </section>
    }
}
