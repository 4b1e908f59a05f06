//! `/partner/enrollment`: the program policies, signing the Planning Services agreement, the
//! offerings (enrolling is offered only where the shared crate says the company may; otherwise
//! the button is disabled with the reason), and the yearly renewal date with a reminder.

use leptos::prelude::*;
use planning_domain::api::partners::{self as partner_api, EnrollInOffering, SignAgreement};
use planning_domain::profile::{check_enrollment, check_reenrollment};
use planning_domain::{Localize, OfferingCode, Role};

use crate::api::{self, to_body, ApiError, Method};
use crate::components::confirm_dialog::{ConfirmActions, ConfirmDialog};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::format::{countdown, days_until, long_date};
use crate::state::locale::use_domain_locale;
use crate::state::program::{use_eligibility_policy, use_program_date};
use crate::state::resource::submit;
use crate::state::resource::{failure_of, last_answer};

/// A reminder shows from this many days before the renewal date.
const RENEWAL_REMINDER_DAYS: i64 = 30;

/// One change to the partner program: the verb, the path and the body.
type Change = (Method, String, Option<String>);

#[component]
pub fn EnrollmentPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=&[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin]>
            <Enrollment />
        </RequireSignIn>
    }
}

#[component]
fn Enrollment() -> impl IntoView {
    let locale = use_domain_locale();
    let today = use_program_date();
    let resource = LocalResource::new(api::get_partner_program);
    // The last answer stays on screen while it is asked again, and after a failure.
    let program = last_answer(resource);
    let load_error = failure_of(resource);
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let saved_text = tr!(saved_done);
    let read_policies = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let change = move |(method, path, body): Change| {
        let done = saved_text.get_untracked();
        submit(
            pending,
            Box::pin(async move {
                match api::partner_change(method, &path, body).await {
                    Ok(()) => saved.set(Some(done.to_owned())),
                    Err(error) => failure.set(Some(error)),
                }
                resource.refetch();
            }),
        );
    };
    let send = move |method: Method, path: String, body: Option<String>| {
        if pending.get_untracked() {
            return;
        }
        failure.set(None);
        saved.set(None);
        change((method, path, body));
    };
    let policy = use_eligibility_policy();
    // The offering the reader asked to withdraw from, while the confirmation is open.
    let withdrawing = RwSignal::new(None::<OfferingCode>);

    let agreement = move || {
        let locale = locale.get();
        let policy = policy.get()?;
        let signed = program.with(|data| Some(data.as_ref()?.agreement))?;
        Some(match signed {
            Some(signed) if signed.version >= policy.required_agreement_version => view! {
                <p class="check check--met">
                    {tr_in!(
                        locale, agreement_signed, &signed.version.to_string(), &long_date(signed.signed_on, locale)
                    )}
                </p>
            }
            .into_any(),
            _ => view! {
                <div class="form">
                    <label class="checkbox">
                        <input type="checkbox" bind:checked=read_policies />
                        <span>{tr!(policies_read)}</span>
                    </label>
                    <button
                        type="button"
                        class="button button--primary"
                        disabled=move || !read_policies.get() || pending.get()
                        on:click=move |_| {
                            let body = to_body(&SignAgreement { version: policy.required_agreement_version });
                            send(Method::Post, partner_api::PARTNER_AGREEMENT.to_owned(), Some(body));
                        }
                    >
                        {tr!(sign_agreement)}
                    </button>
                </div>
            }
            .into_any(),
        })
    };

    let renewal = move || {
        let locale = locale.get();
        let today = today.get()?;
        // Shown only where the older document's yearly renewal is switched on.
        if !policy.get()?.annual_renewal_required {
            return None;
        }
        let due = program.with(|data| Some(data.as_ref()?.renewal_due_on))?;
        Some(match due {
            Some(due) => {
                let left = days_until(today, due);
                let reminder = (left <= RENEWAL_REMINDER_DAYS).then(|| {
                    let words =
                        if left < 0 { tr_in!(locale, renewal_overdue) } else { tr_in!(locale, renewal_reminder) };
                    view! {
                        <div class="notice notice--error" role="status">
                            <p>{words}</p>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| send(Method::Post, partner_api::PARTNER_RENEWAL.to_owned(), None)
                            >
                                {tr!(renew_membership)}
                            </button>
                        </div>
                    }
                });
                view! {
                    <div class="group">
                        <p>{tr_in!(locale, renewal_due, &long_date(due, locale), &countdown(today, due, locale))}</p>
                        {reminder}
                    </div>
                }
                .into_any()
            }
            None => view! { <p>{tr_in!(locale, renewal_missing)}</p> }.into_any(),
        })
    };

    let offerings = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let policy = policy.get()?;
        program.with(|data| {
            let data = data.as_ref()?;
            let profile = data.eligibility_profile();
            let rows = OfferingCode::ACTIVE
                .iter()
                .map(|&offering| {
                    let enrolled = data.enrolled_offerings.contains(&offering);
                    let blocker =
                        if enrolled { None } else { check_enrollment(&profile, &policy, offering, today).err() };
                    let action = if enrolled {
                        view! {
                            <button type="button" class="button" on:click=move |_| withdrawing.set(Some(offering))>
                                {tr!(withdraw)}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="button button--primary"
                                disabled=blocker.is_some()
                                on:click=move |_| {
                                    send(
                                        Method::Post,
                                        partner_api::PARTNER_ENROLLMENTS.to_owned(),
                                        Some(to_body(&EnrollInOffering { offering })),
                                    )
                                }
                            >
                                {tr!(enroll)}
                            </button>
                        }
                        .into_any()
                    };
                    let (state, class) = if enrolled {
                        (tr_in!(locale, enrolled), "status status--paid")
                    } else {
                        (tr_in!(locale, not_enrolled), "status")
                    };
                    let reason = blocker.map(|reason| view! { <p class="field__hint">{reason.message(locale)}</p> });
                    view! {
                        <li class="offering-row">
                            <div class="offering-row__text">
                                <strong>{offering.message(locale)}</strong>
                                <span class=class>{state}</span>
                                {reason}
                            </div>
                            {action}
                        </li>
                    }
                })
                .collect_view();
            Some(rows)
        })
    };

    // What withdrawing costs, and whether enrolling again would be refused today.
    let withdraw_details = move || {
        let locale = locale.get();
        let offering = withdrawing.get()?;
        let name = offering.message(locale);
        let again = program.with(|data| {
            let data = data.as_ref()?;
            check_reenrollment(&data.eligibility_profile(), &policy.get()?, offering, today.get()?).err()
        });
        let again = again.map(|reason| {
            view! { <p class="field__error">{tr_in!(locale, withdraw_final, &reason.message(locale))}</p> }
        });
        Some(view! {
            <div class="group">
                <p id="withdraw-question">{tr_in!(locale, withdraw_question, &name)}</p>
                <p>{tr_in!(locale, withdraw_explained, &name)}</p>
                {again}
            </div>
        })
    };
    let close = Callback::new(move |()| withdrawing.set(None));
    let confirm = Callback::new(move |()| {
        if let Some(offering) = withdrawing.get_untracked() {
            withdrawing.set(None);
            send(Method::Delete, partner_api::partner_enrollment_path(offering), None);
        }
    });

    view! {
        <div class="group">
            <h1>{tr!(enrollment_title)}</h1>
            <ErrorNotice error=load_error />
            <ErrorNotice error=failure />
            <SuccessNotice message=saved />
            <section class="card" aria-labelledby="policies-title">
                <h2 id="policies-title">{tr!(policies_title)}</h2>
                <ul class="policies">
                    <li>{tr!(policy_vouchers)}</li>
                    <li>{tr!(policy_delivery)}</li>
                    <li>{tr!(policy_report)}</li>
                    <li>{tr!(policy_payment)}</li>
                </ul>
                {agreement}
            </section>
            <section
                class="card"
                aria-labelledby="renewal-title"
                hidden=move || !policy.get().is_some_and(|policy| policy.annual_renewal_required)
            >
                <h2 id="renewal-title">{tr!(renewal_title)}</h2>
                {renewal}
            </section>
            <section class="card" aria-labelledby="offerings-title">
                <h2 id="offerings-title">{tr!(offerings_title)}</h2>
                <ul class="plain-list">{offerings}</ul>
            </section>
            <ConfirmDialog
                open=Signal::derive(move || withdrawing.get().is_some())
                labelled_by="withdraw-question"
                on_close=close
            >
                <div class="group">
                    {withdraw_details}
                    <ConfirmActions
                        confirm=tr!(withdraw_confirm)
                        back_out=tr!(keep_enrollment)
                        pending=pending
                        on_confirm=confirm
                        on_back_out=close
                    />
                </div>
            </ConfirmDialog>
        </div>
    }
}
