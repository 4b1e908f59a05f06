//! `/review` and `/review/{id}`: the program operator's queue of submitted payment requests and
//! one request with its completion reports and the DOMAIN.md §11.4 checklist the shared crate
//! computed (met or not, and why, in words), with the decisions its status allows, each confirmed.

use leptos::prelude::*;
use planning_domain::api::payments::{PaymentRequestView, ReviewItemView, ReviewedPaymentRequestView};
use planning_domain::payment::PaymentLine;
use planning_domain::{Action as Permission, Localize, PaymentStatus, Role};

use crate::api::{self, ApiError, ReviewDecision};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::data_table::{DataTable, Facts};
use crate::components::form_field::TextAreaField;
use crate::components::notice::ErrorNotice;
use crate::components::require_sign_in::RequireSignIn;
use crate::format::{long_date, money};
use crate::state::locale::{text_opt, text_with};
use crate::state::resource::{failure_of, last_answer};
use crate::state::session::use_session;

const OPERATOR: &[Role] = &[Role::ProgramOperator];

type Reviewed = LocalResource<Result<ReviewedPaymentRequestView, ApiError>>;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    view! {
        <RequireSignIn roles=OPERATOR>
            <ReviewQueue />
        </RequireSignIn>
    }
}

#[component]
pub fn ReviewDetailPage(id: String) -> impl IntoView {
    view! {
        <RequireSignIn roles=OPERATOR>
            <ReviewDetail id=id.clone() />
        </RequireSignIn>
    }
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

/// Text in a `span`.
fn span(text: String) -> AnyView {
    view! { <span>{text}</span> }.into_any()
}

/// Text that follows the reader's language in a `span`.
fn span_signal(text: Signal<String>) -> AnyView {
    view! { <span>{text}</span> }.into_any()
}

/// A request's status in words, with its class (and a test id, on the request's page).
fn status_words(status: PaymentStatus, test_id: Option<&'static str>) -> AnyView {
    let class = format!("co-status co-status--{status:?}").to_lowercase();
    view! { <span class=class data-testid=test_id>{text_with(move |locale| status.message(locale))}</span> }.into_any()
}

#[component]
fn ReviewQueue() -> impl IntoView {
    let queue = LocalResource::new(api::review_queue);
    let list = move || {
        let Some(Ok(requests)) = queue.get() else { return None };
        if requests.is_empty() {
            return Some(view! { <p>{tr!(review_queue_empty)}</p> }.into_any());
        }
        let rows = requests
            .into_iter()
            .map(|reviewed| {
                let request = reviewed.request;
                let unmet = reviewed.checklist.unmet_count();
                let submitted = request.request.state.submitted_on();
                let total = request.request.total;
                let href = format!("/review/{}", request.request.id);
                let summary_class = if unmet == 0 { "co-met" } else { "co-unmet" };
                vec![
                    view! { <a href=href>{reference(&request)}</a> }.into_any(),
                    span(request.partner_name),
                    span(request.request.program.details().label.to_owned()),
                    span_signal(text_with(move |locale| money(total, locale))),
                    span_signal(text_with(move |locale| submitted.map(|on| long_date(on, locale)).unwrap_or_default())),
                    status_words(request.status, None),
                    view! {
                        <span class=summary_class>{checks_summary(unmet)}</span>
                    }
                    .into_any(),
                ]
            })
            .collect();
        let headings = vec![
            tr!(review_reference),
            tr!(review_partner),
            tr!(review_program),
            tr!(review_total),
            tr!(review_submitted_on),
            tr!(review_status),
            tr!(review_checklist),
        ];
        Some(view! { <DataTable caption=tr!(review_queue_title) headings rows /> }.into_any())
    };
    view! {
        <div class="co-page">
            <h1>{tr!(review_queue_title)}</h1>
            <p class="lead">{tr!(review_queue_intro)}</p>
            <ErrorNotice error=failure_of(queue) />
            <div class="group">{list}</div>
        </div>
    }
}

#[component]
fn ReviewDetail(id: String) -> impl IntoView {
    let read: Reviewed = LocalResource::new({
        let id = id.clone();
        move || api::review_detail(id.clone())
    });
    // The request stays on screen while it reloads after a decision (and if that reload fails).
    let reviewed = last_answer(read);
    let failure = failure_of(read);
    let heading = text_with(move |locale| tr_in!(locale, review_request_title, &id));
    view! {
        <div class="co-page">
            <p>
                <a href="/review">{tr!(review_back)}</a>
            </p>
            // The page keeps its heading when the request cannot be shown.
            <h1 hidden=move || failure.with(Option::is_none)>{heading}</h1>
            <ErrorNotice error=failure />
            {move || reviewed.get().map(|request| reviewed_request(request, read))}
        </div>
    }
}

fn reviewed_request(reviewed: ReviewedPaymentRequestView, reload: Reviewed) -> AnyView {
    let ReviewedPaymentRequestView { request, checklist, approvable } = reviewed;
    let status = request.status;
    let unmet = checklist.unmet_count();
    let submitted = request.request.state.submitted_on();
    let total = request.request.total;
    let program = request.request.program;
    let reason = match (&request.reject_reason, &request.hold_reason) {
        (Some(reason), _) => Some((reason.clone(), tr!(review_reject_reason_shown))),
        (None, Some(reason)) => Some((reason.clone(), tr!(review_hold_reason_shown))),
        (None, None) => None,
    };
    let reason = reason.map(|(reason, label)| {
        view! {
            <p class="notice notice--info">
                <strong>{label}</strong>
                " "
                {reason}
            </p>
        }
    });
    let title = reference(&request);
    let lines = request
        .request
        .lines
        .iter()
        .map(|line| {
            let items: Vec<&ReviewItemView> =
                checklist.items.iter().filter(|item| item.voucher_id == line.voucher_id).collect();
            voucher_review(line, &items)
        })
        .collect_view();
    let facts = vec![
        (tr!(review_partner), span(request.partner_name.clone())),
        (tr!(review_program), span_signal(text_with(move |locale| program.message(locale)))),
        (tr!(review_total), span_signal(text_with(move |locale| money(total, locale)))),
        (
            tr!(review_submitted_on),
            span_signal(text_with(move |locale| submitted.map(|on| long_date(on, locale)).unwrap_or_default())),
        ),
    ];
    let status_view = status_words(status, Some("request-status"));
    let summary_class = if unmet == 0 { "co-summary co-met" } else { "co-summary co-unmet" };
    view! {
        <div class="group">
            <h1>{text_with(move |locale| tr_in!(locale, review_request_title, &title))}</h1>
            <p class="co-status-line">
                <span>{tr!(review_status)}</span>
                " "
                {status_view}
            </p>
            <Facts pairs=facts />
            {reason}
            <p class=summary_class>{checks_summary(unmet)}</p>
            {decisions(request.request.id.clone(), status, approvable, reload)}
            <div class="group">{lines}</div>
        </div>
    }
    .into_any()
}

fn voucher_review(line: &PaymentLine, items: &[&ReviewItemView]) -> AnyView {
    let voucher_id = line.voucher_id.as_str().to_owned();
    let (redeemed_on, deadline) = (line.redeemed_on, line.payment_deadline);
    let checks = items
        .iter()
        .map(|item| {
            let (class, mark, word) = if item.met {
                ("co-check co-check--met", "✓", tr!(review_met))
            } else {
                ("co-check co-check--unmet", "✕", tr!(review_unmet))
            };
            let (check, finding) = (item.check, item.finding_text.clone());
            view! {
                <li class=class>
                    <span class="co-check__state">
                        <span aria-hidden="true">{mark}</span>
                        " "
                        {word}
                    </span>
                    <span class="co-check__name">{text_with(move |locale| check.message(locale))}</span>
                    <span class="co-check__finding">{text_with(move |locale| finding.get(locale).to_owned())}</span>
                </li>
            }
        })
        .collect_view();
    let report = LocalResource::new({
        let id = voucher_id.clone();
        move || {
            let id = id.clone();
            async move { api::get_voucher(&id).await }
        }
    });
    let report_view = move || {
        let Some(Ok(voucher)) = report.get() else { return None };
        let Some(report) = voucher.voucher.completion_report().cloned() else {
            return Some(view! { <p>{tr!(review_no_report)}</p> }.into_any());
        };
        let engagement = voucher.voucher.reservation().map(|reservation| reservation.engagement);
        let (from, through, filed) = (report.delivered_from, report.delivered_through, report.submitted_on);
        let (days, offsite) = (report.days_delivered.to_string(), report.offsite_days.to_string());
        let count = report.deliverable_document_ids.len();
        let deliverable = report
            .deliverable_document_ids
            .iter()
            .enumerate()
            .map(|(index, id)| {
                // Several files are told apart by their number.
                let number = (count > 1).then(|| format!(" {}", index + 1));
                view! {
                    <a href=api::document_url(id) download="">
                        {tr!(review_download_deliverable)}
                        {number}
                    </a>
                    " "
                }
            })
            .collect_view()
            .into_any();
        let pairs = vec![
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
            (tr!(review_deliverable), deliverable),
        ];
        Some(view! { <Facts pairs /> }.into_any())
    };
    let title = text_with(move |locale| tr_in!(locale, review_voucher_title, &voucher_id));
    let (rate, amount) = (line.daily_rate, line.amount);
    let facts = vec![
        (tr!(review_location), span(format!("{} ({})", line.location_id.as_str(), line.delivery_country.as_str()))),
        (tr!(review_days), span(line.days.to_string())),
        (tr!(review_rate), span_signal(text_with(move |locale| money(rate, locale)))),
        (tr!(review_amount), span_signal(text_with(move |locale| money(amount, locale)))),
        (tr!(review_redeemed_on), span_signal(text_with(move |locale| long_date(redeemed_on, locale)))),
        (tr!(review_payment_deadline), span_signal(text_with(move |locale| long_date(deadline, locale)))),
    ];
    view! {
        <section class="card co-voucher-review" aria-label=title>
            <h2>{title}</h2>
            <Facts pairs=facts />
            <h3>{tr!(review_report_title)}</h3>
            // The `dynamic` wrapper keeps the report out of `.group > * + *` spacing, as before.
            <div class="group">
                <ErrorNotice error=failure_of(report) />
                <div class="dynamic">{report_view}</div>
            </div>
            <h3>{tr!(review_checklist)}</h3>
            <ul class="co-checks">{checks}</ul>
        </section>
    }
    .into_any()
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

/// A decision to send: the request, what is decided and, for rejection and hold, why.
type Decision = (String, ReviewDecision, Option<String>);

fn decisions(request_id: String, status: PaymentStatus, approvable: bool, reload: Reviewed) -> AnyView {
    let session = use_session();
    let available = decisions_for(status, untrack(|| session.role()));
    if available.is_empty() {
        return decisions_section(view! { <p class="co-muted">{tr!(review_no_decision)}</p> }.into_any());
    }
    let chosen = RwSignal::new(None::<ReviewDecision>);
    let reason = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let needs_reason =
        Signal::derive(move || matches!(chosen.get(), Some(ReviewDecision::Reject | ReviewDecision::Hold)));
    let reason_error = text_opt(move |locale| {
        (tried.get() && needs_reason.get() && reason.with(|reason| reason.trim().is_empty()))
            .then(|| tr_in!(locale, review_reason_required).to_owned())
    });
    let decide = Action::new_local(move |decision: &Decision| {
        let (id, decision, why) = decision.clone();
        async move {
            match api::decide(id, decision, why).await {
                Ok(_) => {
                    chosen.set(None);
                    reload.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let pending = decide.pending();
    let buttons = available
        .into_iter()
        .map(|decision| {
            // Approval waits for every checklist item; the reason is said under the buttons.
            let class = if decision == ReviewDecision::Reject { "button button--danger" } else { "button" };
            let open = move |_| {
                failure.set(None);
                reason.set(String::new());
                tried.set(false);
                chosen.set(Some(decision));
            };
            view! {
                <button
                    type="button"
                    class=class
                    disabled=decision == ReviewDecision::Approve && !approvable
                    on:click=open
                >
                    {decision_label(decision)}
                </button>
            }
        })
        .collect_view();
    let confirm = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        let Some(decision) = chosen.get_untracked() else { return };
        let with_reason = matches!(decision, ReviewDecision::Reject | ReviewDecision::Hold);
        if with_reason && reason.with_untracked(|reason| reason.trim().is_empty()) {
            return;
        }
        decide.dispatch((request_id.clone(), decision, with_reason.then(|| reason.get_untracked())));
    };
    let question = move || chosen.get().map_or("", |decision| confirm_question(decision).get());
    let confirm_label = move || chosen.get().map_or("", |decision| decision_label(decision).get());
    let blocked = (!approvable && status == PaymentStatus::Submitted)
        .then(|| view! { <p class="co-muted">{tr!(review_approve_blocked)}</p> });
    decisions_section(
        view! {
            <div class="co-actions">{buttons}</div>
            {blocked}
            <ConfirmDialog
                open=Signal::derive(move || chosen.with(Option::is_some))
                labelled_by="confirm-question"
                on_close=Callback::new(move |()| chosen.set(None))
            >
                <form class="co-confirm" novalidate on:submit=confirm>
                    <p class="notice__title" id="confirm-question">
                        {question}
                    </p>
                    <div class="group" hidden=move || !needs_reason.get()>
                        <TextAreaField
                            id="decision-reason"
                            label=tr!(review_reason_label)
                            value=reason
                            error=reason_error
                        />
                    </div>
                    <ErrorNotice error=failure />
                    <div class="co-actions">
                        <button type="submit" class="button button--primary" disabled=move || pending.get()>
                            {tr!(review_confirm_button)}
                            " — "
                            {confirm_label}
                        </button>
                        <button type="button" class="button button--quiet" on:click=move |_| chosen.set(None)>
                            {tr!(review_cancel_button)}
                        </button>
                    </div>
                </form>
            </ConfirmDialog>
            <ErrorNotice error=failure />
        }
        .into_any(),
    )
}

/// The decisions' card around what the status allows.
fn decisions_section(body: AnyView) -> AnyView {
    view! {
        <section class="card co-decisions" aria-labelledby="decisions-title">
            <h2 id="decisions-title">{tr!(review_decisions_title)}</h2>
            {body}
        </section>
    }
    .into_any()
}
