//! `/account`: the reader's own account: change the password (the current one required; other
//! sessions end), and set up two-step sign-in: scan the QR code (or type the key), confirm with
//! the app's code, keep the recovery codes shown once. A partner's Global Admin also decides here
//! whether the organization's users may sign in with passwords or only through its identity
//! provider. A session the server allows nothing but the set-up is sent here (`RequireSignIn`).
//! One component and one submission future for the page's four calls, every state on the page
//! and the others hidden (the app's size budget).

use leptos::prelude::*;
use planning_domain::account::{sets_sign_in_policy, Password, SecondFactorCode};
use planning_domain::api::account::{ChangePassword, OrganizationSignIn, SecondFactor, TotpEnrolment};
use planning_domain::{Locale, Localize};

use crate::api::{self, ApiError};
use crate::components::form_field::{checked_field, form_failure, InputField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::state::locale::use_domain_locale;
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

pub fn password_given(value: &str, locale: Locale) -> Option<String> {
    value.is_empty().then(|| tr_in!(locale, password_required).to_owned())
}

pub fn new_password_rule(value: &str, locale: Locale) -> Option<String> {
    Password::parse_new(value).err().map(|error| error.message(locale))
}

fn totp_rule(value: &str, locale: Locale) -> Option<String> {
    SecondFactorCode::parse_totp(value).err().map(|error| error.message(locale))
}

/// The fields of each form (whose errors show at the field, not in the form's notice).
const CODE_FIELDS: &[&str] = &["code"];
const PASSWORD_FIELDS: &[&str] = &["current_password", "new_password"];

/// The page's calls.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Call {
    ChangePassword,
    StartEnrolment,
    ConfirmEnrolment,
    RenewRecoveryCodes,
    TurnOffTwoFactor,
    LoadSignInPolicy,
    SetSignInPolicy,
}

#[component]
fn Account() -> impl IntoView {
    let session = use_session();
    let locale = use_domain_locale();
    let must_enrol = Memo::new(move |_| session.must_enrol());
    let enabled = Memo::new(move |_| session.totp_enabled());
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Each form's own submitted flag and failure, so one form's errors never show in the other.
    let password_submitted = RwSignal::new(false);
    let code_submitted = RwSignal::new(false);
    let password_failure = RwSignal::new(None::<ApiError>);
    let code_failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let recovery = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let current_error =
        checked_field(current, password_submitted, password_failure, "current_password", password_given);
    let new_error = checked_field(new, password_submitted, password_failure, "new_password", new_password_rule);
    let code_error = checked_field(code, code_submitted, code_failure, "code", totp_rule);
    // Changing a second factor that is on takes a code from the app or a recovery code.
    let current_code_error =
        checked_field(code, code_submitted, code_failure, "code", crate::pages::sign_in_page::code_rule);
    let factor_done = RwSignal::new(None::<String>);
    // How the organization signs in: asked for only by its Global Admin (anyone else is refused).
    let sets_policy = session.role().is_some_and(sets_sign_in_policy);
    let passwords_allowed = RwSignal::new(true);
    let policy_failure = RwSignal::new(None::<ApiError>);
    let policy_done = RwSignal::new(None::<String>);

    let call = move |what: Call| {
        let locale = locale.get_untracked();
        let failure = match what {
            Call::ChangePassword => password_failure,
            Call::LoadSignInPolicy | Call::SetSignInPolicy => policy_failure,
            _ => code_failure,
        };
        failure.set(None);
        done.set(None);
        policy_done.set(None);
        factor_done.set(None);
        let local_passwords_allowed = passwords_allowed.get_untracked();
        let (current_password, new_password, typed_code) =
            (current.get_untracked(), new.get_untracked(), code.get_untracked());
        submit(
            pending,
            Box::pin(async move {
                let outcome = match what {
                    Call::ChangePassword => {
                        api::change_password(&ChangePassword { current_password, new_password }).await.map(|()| {
                            current.set(String::new());
                            new.set(String::new());
                            password_submitted.set(false);
                            done.set(Some(tr_in!(locale, password_changed).to_owned()));
                        })
                    }
                    Call::StartEnrolment => api::start_totp_enrolment().await.map(|started| {
                        enrolment.set(Some(started));
                        crate::pages::sign_in_page::focus_soon("totp-code");
                    }),
                    Call::ConfirmEnrolment => {
                        api::confirm_totp(&SecondFactor { code: typed_code }).await.map(|codes| {
                            recovery.set(Some(codes.codes.join("\n")));
                            enrolment.set(None);
                            session.second_factor_set(true);
                        })
                    }
                    // New recovery codes (shown), or none and the factor off.
                    Call::RenewRecoveryCodes | Call::TurnOffTwoFactor => {
                        let renew = what == Call::RenewRecoveryCodes;
                        api::second_factor_change(renew, &SecondFactor { code: typed_code }).await.map(|codes| {
                            recovery.set(codes.map(|codes| codes.codes.join("\n")));
                            code.set(String::new());
                            code_submitted.set(false);
                            if !renew {
                                session.second_factor_set(false);
                                factor_done.set(Some(tr_in!(locale, two_factor_turned_off).to_owned()));
                            }
                        })
                    }
                    // One decoder for both: the stored switch, or what was saved.
                    Call::LoadSignInPolicy | Call::SetSignInPolicy => {
                        let saving = what == Call::SetSignInPolicy;
                        api::sign_in_policy(saving.then_some(&OrganizationSignIn { local_passwords_allowed }))
                            .await
                            .map(|stored| {
                                passwords_allowed.set(stored.local_passwords_allowed);
                                if saving {
                                    policy_done.set(Some(if stored.local_passwords_allowed {
                                        tr_in!(locale, sign_in_policy_saved_on).to_owned()
                                    } else {
                                        tr_in!(locale, sign_in_policy_saved_off).to_owned()
                                    }));
                                }
                            })
                    }
                };
                if let Err(error) = outcome {
                    failure.set(Some(error));
                }
            }),
        );
    };
    let on_password = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        password_submitted.set(true);
        // The server's words of the last attempt go; the rules are checked on what is typed now.
        password_failure.set(None);
        if current_error.get_untracked().is_none() && new_error.get_untracked().is_none() {
            call(Call::ChangePassword);
        }
    };
    let on_code = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        code_submitted.set(true);
        code_failure.set(None);
        if code_error.get_untracked().is_none() {
            call(Call::ConfirmEnrolment);
        }
    };
    // The stored switch, asked for only by the Global Admin (anyone else is refused).
    if sets_policy {
        call(Call::LoadSignInPolicy);
    }
    // Either change of a second factor that is on: the code is checked first, as typed.
    let change_factor = move |what: Call| {
        code_submitted.set(true);
        code_failure.set(None);
        if current_code_error.get_untracked().is_none() {
            call(what);
        }
    };
    let on_policy = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        call(Call::SetSignInPolicy);
    };
    let enrolling = move || enrolment.with(Option::is_some);
    let started =
        move |pick: fn(&TotpEnrolment) -> String| move || enrolment.with(|started| started.as_ref().map(pick));

    view! {
        <h1>{tr!(account_title)}</h1>
        <div class="notice notice--info" role="status" hidden=move || !must_enrol.get()>
            <p>{tr!(two_factor_required_notice)}</p>
        </div>
        <div class="stack">
            <section class="card" aria-labelledby="two-factor-title">
                <h2 id="two-factor-title">{tr!(two_factor_title)}</h2>
                <p>{tr!(two_factor_intro)}</p>
                <ErrorNotice error=form_failure(code_failure, CODE_FIELDS) />
                <SuccessNotice message=factor_done />
                <div hidden=move || !enabled.get()>
                    <p data-testid="two-factor-on">{tr!(two_factor_on)}</p>
                    <div hidden=move || recovery.with(Option::is_none)>
                        <p>{tr!(recovery_codes_intro)}</p>
                        <pre class="recovery-codes" data-testid="recovery-codes">{move || recovery.get()}</pre>
                    </div>
                    <form
                        class="form"
                        novalidate
                        on:submit=move |event: web_sys::SubmitEvent| {
                            event.prevent_default();
                            change_factor(Call::RenewRecoveryCodes);
                        }
                    >
                        <p>{tr!(two_factor_manage_intro)}</p>
                        <InputField
                            id="current-code"
                            label=tr!(second_factor_code_label)
                            value=code
                            error=current_code_error
                            autocomplete="one-time-code"
                        />
                        <div class="actions-row">
                            <button type="submit" class="button button--primary" disabled=pending>
                                {tr!(renew_recovery_codes_button)}
                            </button>
                            <button
                                type="button"
                                class="button"
                                disabled=pending
                                on:click=move |_| change_factor(Call::TurnOffTwoFactor)
                            >
                                {tr!(two_factor_off_button)}
                            </button>
                        </div>
                    </form>
                </div>
                <div hidden=move || enabled.get() || enrolling()>
                    <p data-testid="two-factor-off">{tr!(two_factor_off)}</p>
                    <button
                        type="button"
                        class="button button--primary"
                        disabled=pending
                        on:click=move |_| call(Call::StartEnrolment)
                    >
                        {tr!(two_factor_start_button)}
                    </button>
                </div>
                <form class="form" novalidate on:submit=on_code hidden=move || !enrolling()>
                    <p>{tr!(two_factor_scan)}</p>
                    <img
                        class="qr-code"
                        src=started(|started| started.qr_code.clone())
                        alt=tr!(two_factor_qr_alt)
                        width="200"
                        height="200"
                    />
                    <p>
                        {tr!(two_factor_key_label)}
                        " "
                        <code data-testid="totp-secret">{started(|started| started.secret.clone())}</code>
                    </p>
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
            </section>
            <section class="card" aria-labelledby="sign-in-policy-title" hidden=!sets_policy>
                <h2 id="sign-in-policy-title">{tr!(sign_in_policy_title)}</h2>
                <p>{tr!(sign_in_policy_intro)}</p>
                <form class="form" novalidate on:submit=on_policy>
                    <ErrorNotice error=form_failure(policy_failure, &[]) />
                    <SuccessNotice message=policy_done />
                    <label class="checkbox">
                        <input type="checkbox" bind:checked=passwords_allowed />
                        <span>{tr!(allow_passwords_label)}</span>
                    </label>
                    <button type="submit" class="button button--primary" disabled=pending>
                        {tr!(save_sign_in_policy)}
                    </button>
                </form>
            </section>
            <section class="card" aria-labelledby="password-title">
                <h2 id="password-title">{tr!(change_password_title)}</h2>
                <form class="form" novalidate on:submit=on_password>
                    <ErrorNotice error=form_failure(password_failure, PASSWORD_FIELDS) />
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
        </div>
    }
}
