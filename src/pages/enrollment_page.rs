//! `/partner/enrollment`: the program policies, signing the Planning Services agreement, the
//! offerings (enrolling is offered only where the shared crate says the company may; otherwise
//! the button is disabled with the reason), and the yearly renewal date with a reminder.

use leptos::prelude::*;
use planning_domain::api::partners::{self as partner_api, EnrollInOffering, SignAgreement};
use planning_domain::eligibility::EligibilityPolicy;
use planning_domain::profile::{check_enrollment, check_reenrollment};
use planning_domain::{Localize, OfferingCode, Role};

use crate::api::{self, to_body, ApiError, Method};
use crate::components::confirm_dialog::{confirm_actions, confirm_dialog};
use crate::components::notice::{error_notice, success_notice};
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, text_el, tr_el, El};
use crate::format::{countdown, days_until, long_date};
use crate::loader::load;
use crate::state::locale::use_domain_locale;
use crate::state::program::use_program_date;

/// A reminder shows from this many days before the renewal date.
const RENEWAL_REMINDER_DAYS: i64 = 30;

pub fn enrollment_page() -> El {
    require_sign_in(&[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin], enrollment)
}

fn enrollment() -> El {
    let locale = use_domain_locale();
    let today = use_program_date();
    let program = load(api::get_partner_program);
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let saved_text = tr!(saved_done);
    let read_policies = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let send = move |method: Method, path: String, body: Option<String>| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        saved.set(None);
        leptos::task::spawn_local(async move {
            match api::partner_change(method, &path, body).await {
                Ok(()) => saved.set(Some(saved_text.get_untracked().to_owned())),
                Err(error) => failure.set(Some(error)),
            }
            pending.set(false);
            program.reload();
        });
    };
    let policy = EligibilityPolicy::published();
    // The offering the reader asked to withdraw from, while the confirmation is open.
    let withdrawing = RwSignal::new(None::<OfferingCode>);

    let agreement = move || {
        let locale = locale.get();
        let data = program.data.get()?;
        Some(match data.agreement {
            Some(signed) if signed.version >= policy.required_agreement_version => {
                el("p").class("check check--met").text(&tr_in!(
                    locale,
                    agreement_signed,
                    &signed.version.to_string(),
                    &long_date(signed.signed_on, locale)
                ))
            }
            _ => div("form")
                .child(
                    el("label")
                        .class("checkbox")
                        .child(el("input").attr("type", "checkbox").checked(read_policies))
                        .child(el("span").tr(tr!(policies_read))),
                )
                .child(
                    button("button button--primary", tr!(sign_agreement))
                        .flag_signal("disabled", Signal::derive(move || !read_policies.get() || pending.get()))
                        .on_click(move || {
                            let body = to_body(&SignAgreement { version: policy.required_agreement_version });
                            send(Method::Post, partner_api::PARTNER_AGREEMENT.to_owned(), Some(body))
                        }),
                ),
        })
    };

    let renewal = move || {
        let locale = locale.get();
        let today = today.get()?;
        let data = program.data.get()?;
        Some(match data.renewal_due_on {
            Some(due) => {
                let left = days_until(today, due);
                let line =
                    text_el("p", &tr_in!(locale, renewal_due, &long_date(due, locale), &countdown(today, due, locale)));
                let reminder = (left <= RENEWAL_REMINDER_DAYS).then(|| {
                    div("notice notice--error")
                        .attr("role", "status")
                        .child(text_el(
                            "p",
                            if left < 0 { tr_in!(locale, renewal_overdue) } else { tr_in!(locale, renewal_reminder) },
                        ))
                        .child(
                            button("button", tr!(renew_membership))
                                .on_click(move || send(Method::Post, partner_api::PARTNER_RENEWAL.to_owned(), None)),
                        )
                });
                group(vec![line]).maybe(reminder)
            }
            None => text_el("p", tr_in!(locale, renewal_missing)),
        })
    };

    let offerings = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let Some(data) = program.data.get() else { return Vec::new() };
        let profile = data.eligibility_profile();
        OfferingCode::ACTIVE
            .iter()
            .map(|&offering| {
                let enrolled = data.enrolled_offerings.contains(&offering);
                let blocker = if enrolled { None } else { check_enrollment(&profile, &policy, offering, today).err() };
                let action = if enrolled {
                    button("button", tr!(withdraw)).on_click(move || withdrawing.set(Some(offering)))
                } else {
                    button("button button--primary", tr!(enroll)).flag("disabled", blocker.is_some()).on_click(
                        move || {
                            send(
                                Method::Post,
                                partner_api::PARTNER_ENROLLMENTS.to_owned(),
                                Some(to_body(&EnrollInOffering { offering })),
                            )
                        },
                    )
                };
                let state = if enrolled { tr_in!(locale, enrolled) } else { tr_in!(locale, not_enrolled) };
                el("li")
                    .class("offering-row")
                    .child(
                        div("offering-row__text")
                            .child(text_el("strong", &offering.message(locale)))
                            .child(text_el("span", state).class(if enrolled {
                                "status status--paid"
                            } else {
                                "status"
                            }))
                            .maybe(blocker.map(|reason| text_el("p", &reason.message(locale)).class("field__hint"))),
                    )
                    .child(action)
            })
            .collect()
    };

    // What withdrawing costs, and whether enrolling again would be refused today.
    let withdraw_details = move || {
        let locale = locale.get();
        let offering = withdrawing.get()?;
        let name = offering.message(locale);
        let again = program.data.with(|data| {
            let data = data.as_ref()?;
            check_reenrollment(&data.eligibility_profile(), &policy, offering, today.get()?).err()
        });
        Some(
            group(vec![
                el("p").id("withdraw-question").text(&tr_in!(locale, withdraw_question, &name)),
                text_el("p", &tr_in!(locale, withdraw_explained, &name)),
            ])
            .maybe(again.map(|reason| {
                text_el("p", &tr_in!(locale, withdraw_final, &reason.message(locale))).class("field__error")
            })),
        )
    };
    let withdraw_dialog = confirm_dialog(
        Signal::derive(move || withdrawing.get().is_some()),
        "withdraw-question",
        move || withdrawing.set(None),
        div("group").dynamic(withdraw_details).child(confirm_actions(
            tr!(withdraw_confirm),
            tr!(keep_enrollment),
            pending.into(),
            move || {
                if let Some(offering) = withdrawing.get_untracked() {
                    withdrawing.set(None);
                    send(Method::Delete, partner_api::partner_enrollment_path(offering), None);
                }
            },
            move || withdrawing.set(None),
        )),
    );

    group(vec![
        tr_el("h1", tr!(enrollment_title)),
        error_notice(program.error.into()),
        error_notice(failure.into()),
        success_notice(saved.into()),
        el("section")
            .class("card")
            .attr("aria-labelledby", "policies-title")
            .child(tr_el("h2", tr!(policies_title)).id("policies-title"))
            .child(
                el("ul")
                    .class("policies")
                    .child(tr_el("li", tr!(policy_vouchers)))
                    .child(tr_el("li", tr!(policy_delivery)))
                    .child(tr_el("li", tr!(policy_report)))
                    .child(tr_el("li", tr!(policy_payment))),
            )
            .dynamic(agreement),
        el("section")
            .class("card")
            .attr("aria-labelledby", "renewal-title")
            .child(tr_el("h2", tr!(renewal_title)).id("renewal-title"))
            .dynamic(renewal),
        el("section")
            .class("card")
            .attr("aria-labelledby", "offerings-title")
            .child(tr_el("h2", tr!(offerings_title)).id("offerings-title"))
            .child(el("ul").class("plain-list").dynamic_children(offerings)),
        withdraw_dialog,
    ])
}
