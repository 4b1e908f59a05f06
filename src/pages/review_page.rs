//! `/review` and `/review/{id}`: the program operator's queue of submitted payment requests and
//! one request with its completion reports and the DOMAIN.md §11.4 checklist the shared crate
//! computed (met or not, and why, in words), with the decisions its status allows, each confirmed.

use leptos::prelude::*;
use planning_domain::api::payments::{PaymentRequestView, ReviewedPaymentRequest};
use planning_domain::payment::{PaymentLine, ReviewItem};
use planning_domain::{Action as Permission, Locale, Localize, PaymentStatus, Role};

use crate::api::{self, ApiError, ReviewDecision};
use crate::components::confirm_dialog::confirm_dialog;
use crate::components::data_table::{data_table, facts, span, span_signal};
use crate::components::form_field::Field;
use crate::components::notice::error_notice;
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, link, text_el, tr_el, El};
use crate::format::{long_date, money};
use crate::loader::{load, Loaded};
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::session::use_session;

const OPERATOR: &[Role] = &[Role::ProgramOperator];

pub fn review_queue_page() -> El {
    require_sign_in(OPERATOR, review_queue)
}

/// The reference number, or the request id before submission.
fn reference(view: &PaymentRequestView) -> String {
    view.reference_number.map_or_else(|| view.request.id.clone(), |reference| reference.to_string())
}

/// "Every check met" or how many are not.
fn checks_summary(unmet: usize) -> Signal<String> {
    text_with(move |locale| {
        if unmet == 0 {
            tr_in!(locale, review_all_met).to_owned()
        } else {
            tr_in!(locale, review_unmet_count, &unmet.to_string())
        }
    })
}

fn status_words(status: PaymentStatus) -> El {
    let class = format!("co-status co-status--{status:?}").to_lowercase();
    span_signal(text_with(move |locale| status.message(locale))).class(&class)
}

fn review_queue() -> El {
    let queue = load(api::review_queue);
    let list = div("group").dynamic(move || {
        let requests = queue.data.get()?;
        if requests.is_empty() {
            return Some(tr_el("p", tr!(review_queue_empty)));
        }
        let rows = requests
            .into_iter()
            .map(|reviewed| {
                let request = reviewed.request;
                let unmet = reviewed.checklist.unmet_count();
                let submitted = request.request.state.submitted_on();
                let total = request.request.total;
                vec![
                    el("a").attr("href", &format!("/review/{}", request.request.id)).text(&reference(&request)),
                    span(&request.partner_name),
                    span(request.request.program.details().label),
                    span_signal(text_with(move |locale| money(total, locale))),
                    span_signal(text_with(move |locale| submitted.map(|on| long_date(on, locale)).unwrap_or_default())),
                    status_words(request.status),
                    span_signal(checks_summary(unmet)).class(if unmet == 0 { "co-met" } else { "co-unmet" }),
                ]
            })
            .collect();
        Some(data_table(
            tr!(review_queue_title),
            vec![
                tr!(review_reference),
                tr!(review_partner),
                tr!(review_program),
                tr!(review_total),
                tr!(review_submitted_on),
                tr!(review_status),
                tr!(review_checklist),
            ],
            rows,
        ))
    });
    el("div")
        .class("co-page")
        .child(tr_el("h1", tr!(review_queue_title)))
        .child(tr_el("p", tr!(review_queue_intro)).class("lead"))
        .child(error_notice(queue.error.into()))
        .child(list)
}

pub fn review_detail_page(request_id: String) -> El {
    require_sign_in(OPERATOR, move || review_detail(request_id.clone()))
}

fn review_detail(request_id: String) -> El {
    let reviewed = load({
        let id = request_id.clone();
        move || api::review_detail(id.clone())
    });
    let locale = use_domain_locale();
    el("div")
        .class("co-page")
        .child(el("p").child(link("/review", tr!(review_back))))
        // The page keeps its heading when the request cannot be shown.
        .child(
            el("h1")
                .visible(Signal::derive(move || reviewed.error.with(Option::is_some)))
                .text_signal(text_with(move |locale| tr_in!(locale, review_request_title, &request_id))),
        )
        .child(error_notice(reviewed.error.into()))
        .dynamic(move || {
            let request = reviewed.data.get()?;
            Some(reviewed_request(request, reviewed, locale.get()))
        })
}

fn reviewed_request(reviewed: ReviewedPaymentRequest, reload: Loaded<ReviewedPaymentRequest>, locale: Locale) -> El {
    let ReviewedPaymentRequest { request, checklist, approvable } = reviewed;
    let status = request.status;
    let unmet = checklist.unmet_count();
    let submitted = request.request.state.submitted_on();
    let total = request.request.total;
    let program = request.request.program;
    let (reason, reason_label) = match (&request.reject_reason, &request.hold_reason) {
        (Some(reason), _) => (Some(reason.clone()), tr!(review_reject_reason_shown)),
        (None, Some(reason)) => (Some(reason.clone()), tr!(review_hold_reason_shown)),
        (None, None) => (None, tr!(review_hold_reason_shown)),
    };
    let title = reference(&request);
    let lines = request
        .request
        .lines
        .iter()
        .map(|line| {
            let items: Vec<&ReviewItem> =
                checklist.items.iter().filter(|item| item.voucher_id == line.voucher_id).collect();
            voucher_review(line, &items, locale)
        })
        .collect();
    group(vec![
        el("h1").text_signal(text_with(move |locale| tr_in!(locale, review_request_title, &title))),
        el("p")
            .class("co-status-line")
            .child(el("span").tr(tr!(review_status)))
            .text(" ")
            .child(status_words(status).attr("data-testid", "request-status")),
        facts(vec![
            (tr!(review_partner), span(&request.partner_name)),
            (tr!(review_program), span_signal(text_with(move |locale| program.message(locale)))),
            (tr!(review_total), span_signal(text_with(move |locale| money(total, locale)))),
            (
                tr!(review_submitted_on),
                span_signal(text_with(move |locale| submitted.map(|on| long_date(on, locale)).unwrap_or_default())),
            ),
        ]),
        match reason {
            Some(reason) => {
                el("p").class("notice notice--info").child(el("strong").tr(reason_label)).text(" ").text(&reason)
            }
            None => group(vec![]),
        },
        el("p")
            .class(if unmet == 0 { "co-summary co-met" } else { "co-summary co-unmet" })
            .text_signal(checks_summary(unmet)),
        decisions(request.request.id.clone(), status, approvable, reload),
        group(lines),
    ])
}

fn voucher_review(line: &PaymentLine, items: &[&ReviewItem], locale: Locale) -> El {
    let voucher_id = line.voucher_id.as_str().to_owned();
    let (redeemed_on, deadline) = (line.redeemed_on, line.payment_deadline);
    let checks = items
        .iter()
        .map(|item| {
            let (class, mark, word) = if item.met {
                ("co-check co-check--met", "✓", tr_in!(locale, review_met))
            } else {
                ("co-check co-check--unmet", "✕", tr_in!(locale, review_unmet))
            };
            el("li")
                .class(class)
                .child(
                    el("span")
                        .class("co-check__state")
                        .child(text_el("span", mark).attr("aria-hidden", "true"))
                        .text(" ")
                        .text(word),
                )
                .child(text_el("span", &item.check.message(locale)).class("co-check__name"))
                .child(text_el("span", &item.finding.message(locale)).class("co-check__finding"))
        })
        .collect();
    let report = load({
        let id = voucher_id.clone();
        move || {
            let id = id.clone();
            async move { api::get_voucher(&id).await }
        }
    });
    let report_view = div("group").child(error_notice(report.error.into())).dynamic(move || {
        let voucher = report.data.get()?;
        let Some(report) = voucher.voucher.completion_report().cloned() else {
            return Some(tr_el("p", tr!(review_no_report)));
        };
        let engagement = voucher.voucher.reservation().map(|reservation| reservation.engagement);
        let (from, through, filed) = (report.delivered_from, report.delivered_through, report.submitted_on);
        let (days, offsite) = (report.days_delivered.to_string(), report.offsite_days.to_string());
        Some(facts(vec![
            (
                tr!(review_engagement),
                span_signal(text_with(move |locale| {
                    engagement.map(|engagement| engagement.message(locale)).unwrap_or_default()
                })),
            ),
            (
                tr!(review_delivered),
                span_signal(text_with(move |locale| {
                    format!("{} – {}", long_date(from, locale), long_date(through, locale))
                })),
            ),
            (
                tr!(review_days_delivered),
                span_signal(text_with(move |locale| tr_in!(locale, review_days_onsite_offsite, &days, &offsite))),
            ),
            (tr!(review_report_submitted), span_signal(text_with(move |locale| long_date(filed, locale)))),
            (
                tr!(review_deliverable),
                el("a")
                    .attr("href", &api::document_url(&report.deliverable_document_id))
                    .attr("download", "")
                    .tr(tr!(review_download_deliverable)),
            ),
        ]))
    });
    let title = text_with(move |locale| tr_in!(locale, review_voucher_title, &voucher_id));
    let (rate, amount) = (line.daily_rate, line.amount);
    el("section")
        .class("card co-voucher-review")
        .attr_signal("aria-label", Signal::derive(move || Some(title.get())))
        .child(el("h2").text_signal(title))
        .child(facts(vec![
            (
                tr!(review_location),
                span(&format!("{} ({})", line.location_id.as_str(), line.delivery_country.as_str())),
            ),
            (tr!(review_days), span(&line.days.to_string())),
            (tr!(review_rate), span_signal(text_with(move |locale| money(rate, locale)))),
            (tr!(review_amount), span_signal(text_with(move |locale| money(amount, locale)))),
            (tr!(review_redeemed_on), span_signal(text_with(move |locale| long_date(redeemed_on, locale)))),
            (tr!(review_payment_deadline), span_signal(text_with(move |locale| long_date(deadline, locale)))),
        ]))
        .child(tr_el("h3", tr!(review_report_title)))
        .child(report_view)
        .child(tr_el("h3", tr!(review_checklist)))
        .child(el("ul").class("co-checks").children(checks))
}

/// The decisions the status allows, for a role that may take them (`Role::may`).
fn decisions_for(status: PaymentStatus, role: Option<Role>) -> Vec<ReviewDecision> {
    let candidates: &[(ReviewDecision, Permission)] = match status {
        PaymentStatus::Submitted => &[
            (ReviewDecision::Approve, Permission::ApprovePaymentRequest),
            (ReviewDecision::Hold, Permission::HoldPaymentRequest),
            (ReviewDecision::Reject, Permission::RejectPaymentRequest),
        ],
        PaymentStatus::OnHold => &[
            (ReviewDecision::Resume, Permission::ResumePaymentRequest),
            (ReviewDecision::Reject, Permission::RejectPaymentRequest),
        ],
        PaymentStatus::Approved => &[(ReviewDecision::MarkPaid, Permission::MarkPaid)],
        _ => &[],
    };
    candidates
        .iter()
        .filter(|(_, action)| role.is_some_and(|role| role.may(*action)))
        .map(|(decision, _)| *decision)
        .collect()
}

fn decision_label(decision: ReviewDecision) -> Signal<&'static str> {
    match decision {
        ReviewDecision::Approve => tr!(review_approve),
        ReviewDecision::Reject => tr!(review_reject),
        ReviewDecision::Hold => tr!(review_hold),
        ReviewDecision::Resume => tr!(review_resume),
        ReviewDecision::MarkPaid => tr!(review_mark_paid),
    }
}

fn confirm_question(decision: ReviewDecision) -> Signal<&'static str> {
    match decision {
        ReviewDecision::Approve => tr!(review_confirm_approve),
        ReviewDecision::Reject => tr!(review_confirm_reject),
        ReviewDecision::Hold => tr!(review_confirm_hold),
        ReviewDecision::Resume => tr!(review_confirm_resume),
        ReviewDecision::MarkPaid => tr!(review_confirm_mark_paid),
    }
}

fn decisions(
    request_id: String,
    status: PaymentStatus,
    approvable: bool,
    reload: Loaded<ReviewedPaymentRequest>,
) -> El {
    let session = use_session();
    let available = decisions_for(status, untrack(|| session.role()));
    let section = el("section")
        .class("card co-decisions")
        .attr("aria-labelledby", "decisions-title")
        .child(tr_el("h2", tr!(review_decisions_title)).id("decisions-title"));
    if available.is_empty() {
        return section.child(tr_el("p", tr!(review_no_decision)).class("co-muted"));
    }
    let chosen = RwSignal::new(None::<ReviewDecision>);
    let reason = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let needs_reason =
        Signal::derive(move || matches!(chosen.get(), Some(ReviewDecision::Reject | ReviewDecision::Hold)));
    let reason_error = text_opt(move |locale| {
        (tried.get() && needs_reason.get() && reason.with(|reason| reason.trim().is_empty()))
            .then(|| tr_in!(locale, review_reason_required).to_owned())
    });
    let buttons = available
        .into_iter()
        .map(|decision| {
            // Approval waits for every checklist item; the reason is said under the buttons.
            let class = if decision == ReviewDecision::Reject { "button button--danger" } else { "button" };
            button(class, decision_label(decision))
                .flag("disabled", decision == ReviewDecision::Approve && !approvable)
                .on_click(move || {
                    failure.set(None);
                    reason.set(String::new());
                    tried.set(false);
                    chosen.set(Some(decision));
                })
        })
        .collect();
    let confirm = move || {
        tried.set(true);
        let Some(decision) = chosen.get_untracked() else { return };
        let with_reason = matches!(decision, ReviewDecision::Reject | ReviewDecision::Hold);
        if with_reason && reason.with_untracked(|reason| reason.trim().is_empty()) {
            return;
        }
        let (id, why) = (request_id.clone(), with_reason.then(|| reason.get_untracked()));
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::decide(id, decision, why).await {
                Ok(_) => {
                    chosen.set(None);
                    reload.reload();
                }
                Err(error) => failure.set(Some(error)),
            }
            pending.set(false);
        });
    };
    let question = Signal::derive(move || chosen.get().map_or("", |decision| confirm_question(decision).get()));
    let confirm_label = Signal::derive(move || chosen.get().map_or("", |decision| decision_label(decision).get()));
    section
        .child(div("co-actions").children(buttons))
        .maybe(
            (!approvable && status == PaymentStatus::Submitted)
                .then(|| tr_el("p", tr!(review_approve_blocked)).class("co-muted")),
        )
        .child(confirm_dialog(
            Signal::derive(move || chosen.get().is_some()),
            "confirm-question",
            move || chosen.set(None),
            el("form")
                .class("co-confirm")
                .on_submit(confirm)
                .child(el("p").class("notice__title").id("confirm-question").tr(question))
                .child(
                    div("group")
                        .visible(needs_reason)
                        .child(Field::new("decision-reason", tr!(review_reason_label)).textarea(reason, reason_error)),
                )
                .child(error_notice(failure.into()))
                .child(
                    div("co-actions")
                        .child(
                            el("button")
                                .attr("type", "submit")
                                .class("button button--primary")
                                .flag_signal("disabled", pending.into())
                                .tr(tr!(review_confirm_button))
                                .text(" — ")
                                .tr(confirm_label),
                        )
                        .child(
                            button("button button--quiet", tr!(review_cancel_button))
                                .on_click(move || chosen.set(None)),
                        ),
                ),
        ))
        .child(error_notice(failure.into()))
}
