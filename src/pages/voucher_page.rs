//! `/vouchers/{id}`: one voucher. Where it stands in steps 4–8 (a stepper), its deadlines with
//! countdowns (the 180-day expiry; the 60-day payment window once redeemed), what the reader may
//! do next (reschedule, cancel, file the completion report with its deliverable, redeem), and
//! the audit trail.

use leptos::prelude::*;
use planning_domain::api::embed::EmbedTarget;
use planning_domain::api::vouchers::{Document, RescheduleEngagement, SubmitCompletionReport, VoucherView};
use planning_domain::document::check_deliverable;
use planning_domain::embed::{voucher_steps, StepState};
use planning_domain::parse::parse_date;
use planning_domain::{Action as Permission, Locale, Localize, VoucherStatus};

use crate::api::{self, ApiError};
use crate::components::confirm_dialog::{confirm_actions, confirm_dialog};
use crate::components::embed_panel::embed_panel;
use crate::components::form_field::Field;
use crate::components::notice::{error_notice, error_text, success_notice};
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, text_el, tr_el, El};
use crate::format::{countdown, day_count, iso, long_date};
use crate::loader::load;
use crate::pages::voucher_list_page::status_badge;
use crate::state::locale::{text_opt, text_with, to_ui, use_domain_locale, Translation};
use crate::state::program::use_program_date;
use crate::state::route::use_route;
use crate::state::session::{use_session, EVERY_ROLE};

pub fn voucher_page(voucher_id: String) -> El {
    require_sign_in(EVERY_ROLE, move || voucher_detail(voucher_id.clone()))
}

/// A term and its description in a `<dl>`.
fn fact(term: &str, detail: &str) -> [El; 2] {
    [text_el("dt", term), text_el("dd", detail)]
}

fn voucher_detail(voucher_id: String) -> El {
    let locale = use_domain_locale();
    let today = use_program_date();
    let session = use_session();
    let route = use_route();
    let id = StoredValue::new(voucher_id);
    let voucher = load(move || async move { api::get_voucher(&id.get_value()).await });
    let audit = load(move || async move { api::voucher_audit(&id.get_value()).await });
    let current = voucher.data;
    let load_error = voucher.error;
    let done =
        RwSignal::new(route.query_param_untracked("reserved").map(|_| tr!(reserved_done).get_untracked().to_owned()));
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    // Every change answers the voucher as it now stands; the audit trail is read again.
    let changed = Callback::new(move |(result, message): (Result<VoucherView, ApiError>, Translation)| {
        pending.set(false);
        match result {
            Ok(view) => {
                current.set(Some(view));
                failure.set(None);
                done.set(Some(message(to_ui(locale.get_untracked())).to_owned()));
                audit.reload();
            }
            Err(error) => {
                failure.set(Some(error));
                done.set(None);
                voucher.reload();
            }
        }
    });
    let may = move |permission: Permission| session.role().is_some_and(|role| role.may(permission));

    let confirm_redeem = RwSignal::new(false);
    let redeem = move || {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = api::redeem_voucher(&id.get_value()).await;
            confirm_redeem.set(false);
            changed.run((result, crate::i18n::redeemed_done));
        });
    };
    let confirm_cancel = RwSignal::new(false);
    let cancel = move || {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = api::cancel_reservation(&id.get_value()).await;
            confirm_cancel.set(false);
            changed.run((result, crate::i18n::cancelled_done));
        });
    };

    let summary = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let view = current.get()?;
        let status = view.status;
        let mut facts = Vec::new();
        facts.extend(fact(tr_in!(locale, column_customer), &view.customer_name));
        facts.extend(fact(tr_in!(locale, column_offering), &view.voucher.offering.message(locale)));
        facts.extend(fact(
            tr_in!(locale, service_level),
            &day_count(u32::from(view.voucher.service_level.days()), locale),
        ));
        facts.extend(fact(tr_in!(locale, column_partner), view.partner_name.as_deref().unwrap_or("—")));
        if let Some(reservation) = view.voucher.reservation() {
            facts.extend(fact(tr_in!(locale, engagement_label), &reservation.engagement.message(locale)));
            facts.extend(fact(
                tr_in!(locale, location_label),
                &format!("{} ({})", reservation.location_id.as_str(), reservation.delivery_country.as_str()),
            ));
            facts.extend(fact(
                tr_in!(locale, column_schedule),
                &format!("{} – {}", long_date(reservation.starts_on, locale), long_date(reservation.ends_on, locale)),
            ));
        }
        if let Some(report) = view.voucher.completion_report() {
            facts.extend(fact(tr_in!(locale, report_filed_on), &long_date(report.submitted_on, locale)));
            facts.extend(fact(tr_in!(locale, days_delivered_label), &report.days_delivered.to_string()));
            facts.push(text_el("dt", tr_in!(locale, deliverable_label)));
            facts.push(
                el("dd").child(
                    el("a")
                        .attr("href", &api::document_url(&report.deliverable_document_id))
                        .attr("download", "")
                        .text(tr_in!(locale, download_deliverable)),
                ),
            );
        }
        let mut deadlines = Vec::new();
        if matches!(status, VoucherStatus::Assigned | VoucherStatus::Reserved) {
            deadlines.push(deadline_item(tr_in!(locale, deadline_expiry), view.voucher.expires_on, today, locale));
        }
        if let Some(deadline) = view.payment_deadline.filter(|_| status == VoucherStatus::Redeemed) {
            deadlines.push(deadline_item(tr_in!(locale, deadline_payment), deadline, today, locale));
        }
        let no_deadline = deadlines.is_empty();
        Some(group(vec![
            div("page-heading")
                .child(text_el("h1", &tr_in!(locale, voucher_heading, view.voucher.id.as_str())))
                .child(status_badge(status, locale)),
            stepper(&view.voucher, today, locale),
            div("two-columns")
                .child(
                    el("section")
                        .class("card")
                        .attr("aria-labelledby", "facts-title")
                        .child(text_el("h2", tr_in!(locale, voucher_facts_title)).id("facts-title"))
                        .child(el("dl").class("facts").children(facts)),
                )
                .child(
                    el("section")
                        .class("card")
                        .attr("aria-labelledby", "deadlines-title")
                        .child(text_el("h2", tr_in!(locale, deadlines_title)).id("deadlines-title"))
                        .child(el("ul").class("deadline-list").children(deadlines))
                        .maybe(no_deadline.then(|| text_el("p", tr_in!(locale, no_open_deadline)).class("muted")))
                        .maybe((status == VoucherStatus::Redeemed).then(|| {
                            el("a")
                                .class("button button--primary")
                                .attr("href", "/payments")
                                .text(tr_in!(locale, request_payment_link))
                        })),
                ),
        ]))
    };

    // The forms are rendered when the voucher's state or the reader's permissions change, not
    // on every keystroke: their values live in signals owned by each form.
    let state_key = Memo::new(move |_| {
        current.with(|view| view.as_ref().map(|view| (view.status, view.voucher.completion_report().is_some())))
    });
    let actions = move || {
        let (status, has_report) = state_key.get()?;
        let view = untrack(|| current.get())?;
        let reserved = status == VoucherStatus::Reserved;
        let mut parts = Vec::new();
        if reserved && untrack(|| may(Permission::RescheduleEngagement)) {
            parts.push(reschedule_form(&view, changed));
        }
        if reserved && !has_report && untrack(|| may(Permission::SubmitCompletionReport)) {
            parts.push(report_form(&view, changed));
        }
        if reserved && untrack(|| may(Permission::RedeemVoucher)) {
            parts.push(
                el("section")
                    .class("card")
                    .attr("aria-labelledby", "redeem-title")
                    .child(tr_el("h2", tr!(redeem_title)).id("redeem-title"))
                    .child(tr_el("p", tr!(redeem_explained)))
                    .child(
                        button("button button--primary", tr!(redeem_button)).on_click(move || confirm_redeem.set(true)),
                    )
                    .child(confirm_box(
                        "confirm-redeem",
                        tr!(confirm_redeem_one),
                        tr!(confirm_redeem),
                        tr!(cancel),
                        confirm_redeem,
                        pending,
                        redeem,
                    )),
            );
        }
        if reserved && !has_report && untrack(|| may(Permission::CancelReservation)) {
            parts.push(
                el("section")
                    .class("card")
                    .attr("aria-labelledby", "cancel-title")
                    .child(tr_el("h2", tr!(cancel_reservation_title)).id("cancel-title"))
                    .child(tr_el("p", tr!(cancel_reservation_explained)))
                    .child(
                        button("button button--danger", tr!(cancel_reservation_button))
                            .on_click(move || confirm_cancel.set(true)),
                    )
                    .child(confirm_box(
                        "confirm-cancel",
                        tr!(confirm_cancel_body),
                        tr!(cancel_reservation_button),
                        tr!(keep_reservation),
                        confirm_cancel,
                        pending,
                        cancel,
                    )),
            );
        }
        Some(group(parts))
    };

    let trail = move || {
        let locale = locale.get();
        let entries = audit.data.get()?;
        Some(
            el("ol").class("audit").children(
                entries
                    .into_iter()
                    .map(|entry| {
                        el("li")
                            .child(el("time").attr("datetime", &entry.at).text(&long_date(entry.program_date, locale)))
                            .text(" · ")
                            .child(text_el("span", &entry.actor_name).class("muted"))
                            .child(text_el("p", entry.messages.get(locale)))
                    })
                    .collect(),
            ),
        )
    };

    group(vec![
        el("p").child(el("a").attr("href", "/vouchers").tr(tr!(back_to_vouchers))),
        // The page keeps its heading when the voucher cannot be shown.
        el("h1")
            .visible(Signal::derive(move || load_error.with(Option::is_some)))
            .text_signal(text_with(move |locale| tr_in!(locale, voucher_heading, &id.with_value(|id| id.clone())))),
        error_notice(load_error.into()),
        div("group").dynamic(summary),
        error_notice(failure.into()),
        success_notice(done.into()),
        div("stack").dynamic(actions),
        div("group").dynamic(move || {
            // The widget panel, once the voucher is known to be visible to the reader.
            let id = current.with(|view| view.as_ref().map(|view| view.voucher.id.as_str().to_owned()))?;
            Some(untrack(|| embed_panel(EmbedTarget::Voucher(id))))
        }),
        el("section")
            .class("card")
            .attr("aria-labelledby", "audit-title")
            .child(tr_el("h2", tr!(audit_title)).id("audit-title"))
            .dynamic(trail),
    ])
}

fn deadline_item(what: &str, date: chrono::NaiveDate, today: chrono::NaiveDate, locale: Locale) -> El {
    el("li")
        .class("deadline-item")
        .child(text_el("span", what).class("deadline-item__what"))
        .child(el("time").attr("datetime", &iso(date)).text(&long_date(date, locale)))
        .child(text_el("span", &countdown(today, date, locale)).class("countdown"))
}

/// A confirmation dialog: a question, a confirm and a back-out button.
fn confirm_box(
    id: &str,
    question: Signal<&'static str>,
    confirm: Signal<&'static str>,
    back_out: Signal<&'static str>,
    open: RwSignal<bool>,
    pending: RwSignal<bool>,
    on_confirm: impl FnMut() + 'static,
) -> El {
    confirm_dialog(
        open.into(),
        id,
        move || open.set(false),
        div("group").child(tr_el("p", question).id(id)).child(confirm_actions(
            confirm,
            back_out,
            pending.into(),
            on_confirm,
            move || open.set(false),
        )),
    )
}

/// Steps 4–8 of the program with where this voucher stands, as the shared crate sees it
/// (`voucher_steps`, the same the widget shows); each state is a word, not only a colour.
fn stepper(voucher: &planning_domain::Voucher, today: chrono::NaiveDate, locale: Locale) -> El {
    let items = voucher_steps(voucher, today)
        .into_iter()
        .map(|progress| {
            let class = match progress.state {
                StepState::Done => "step step--done",
                StepState::Current => "step step--current",
                StepState::Upcoming => "step step--todo",
                StepState::Missed => "step step--missed",
            };
            let item = el("li").class(class);
            let item = if progress.state == StepState::Current { item.attr("aria-current", "step") } else { item };
            item.child(
                text_el("span", &progress.step.number().to_string()).class("step__number").attr("aria-hidden", "true"),
            )
            .child(text_el("span", &progress.step.message(locale)).class("step__name"))
            .child(text_el("span", &progress.state.message(locale)).class("step__state"))
        })
        .collect();
    el("ol").class("stepper").attr("aria-label", tr_in!(locale, stepper_label)).children(items)
}

fn reschedule_form(view: &VoucherView, changed: Callback<(Result<VoucherView, ApiError>, Translation)>) -> El {
    let reservation = view.voucher.reservation().cloned();
    let starts_on = RwSignal::new(reservation.as_ref().map(|r| iso(r.starts_on)).unwrap_or_default());
    let ends_on = RwSignal::new(reservation.as_ref().map(|r| iso(r.ends_on)).unwrap_or_default());
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let id = StoredValue::new(view.voucher.id.as_str().to_owned());
    let error_of = move |value: RwSignal<String>| {
        text_opt(move |locale| tried.get().then(|| parse_date(&value.get()).err().map(|e| e.message(locale))).flatten())
    };
    let submit = move || {
        tried.set(true);
        if pending.get_untracked()
            || parse_date(&starts_on.get_untracked()).is_err()
            || parse_date(&ends_on.get_untracked()).is_err()
        {
            return;
        }
        pending.set(true);
        let body = RescheduleEngagement { starts_on: starts_on.get_untracked(), ends_on: ends_on.get_untracked() };
        leptos::task::spawn_local(async move {
            let result = api::reschedule(&id.get_value(), &body).await;
            pending.set(false);
            changed.run((result, crate::i18n::rescheduled_done));
        });
    };
    el("form")
        .class("card form")
        .attr("aria-labelledby", "reschedule-title")
        .on_submit(submit)
        .child(tr_el("h2", tr!(reschedule_title)).id("reschedule-title"))
        .child(
            div("field-row")
                .child(
                    Field::new("reschedule-starts", tr!(starts_on_label))
                        .kind("date")
                        .input(starts_on, error_of(starts_on)),
                )
                .child(
                    Field::new("reschedule-ends", tr!(ends_on_label)).kind("date").input(ends_on, error_of(ends_on)),
                ),
        )
        .child(
            el("button")
                .attr("type", "submit")
                .class("button")
                .flag_signal("disabled", pending.into())
                .tr(tr!(reschedule_button)),
        )
}

/// The completion report (step 6) with the customer deliverable: the file is checked in the
/// browser by the shared crate (size, type by content, name), uploaded with a progress bar, and
/// can be retried on failure without losing the rest of the form.
fn report_form(view: &VoucherView, changed: Callback<(Result<VoucherView, ApiError>, Translation)>) -> El {
    let locale = use_domain_locale();
    let reservation = view.voucher.reservation().cloned();
    let consultant = StoredValue::new(reservation.as_ref().map(|r| r.consultant_id.clone()).unwrap_or_default());
    let from = RwSignal::new(reservation.as_ref().map(|r| iso(r.starts_on)).unwrap_or_default());
    let through = RwSignal::new(reservation.as_ref().map(|r| iso(r.ends_on)).unwrap_or_default());
    let days = RwSignal::new(view.voucher.service_level.days().to_string());
    let offsite = RwSignal::new("0".to_owned());
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let progress = RwSignal::new(None::<u32>);
    let document = RwSignal::new(None::<Document>);
    let file_error = RwSignal::new(None::<String>);
    let upload_error = RwSignal::new(None::<ApiError>);
    let chosen = StoredValue::new_local(None::<web_sys::File>);
    let id = StoredValue::new(view.voucher.id.as_str().to_owned());

    let upload = move || {
        let Some(file) = chosen.get_value() else { return };
        upload_error.set(None);
        progress.set(Some(0));
        leptos::task::spawn_local(async move {
            match api::upload_document(file, move |percent| progress.set(Some(percent))).await {
                Ok(stored) => document.set(Some(stored)),
                Err(error) => {
                    progress.set(None);
                    upload_error.set(Some(error));
                }
            }
        });
    };
    let on_file = move |event: web_sys::Event| {
        use wasm_bindgen::JsCast;
        document.set(None);
        file_error.set(None);
        upload_error.set(None);
        let Some(file) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let head = first_bytes(&file).await;
            match check_deliverable(&file.name(), &head, file.size() as u64) {
                Ok(_) => {
                    chosen.set_value(Some(file));
                    upload();
                }
                Err(error) => file_error.set(Some(error.message(locale.get_untracked()))),
            }
        });
    };
    let date_error = move |value: RwSignal<String>| {
        text_opt(move |locale| tried.get().then(|| parse_date(&value.get()).err().map(|e| e.message(locale))).flatten())
    };
    let number_error = move |value: RwSignal<String>| {
        text_opt(move |locale| {
            (tried.get() && value.get().trim().parse::<u8>().is_err())
                .then(|| tr_in!(locale, whole_days_required).to_owned())
        })
    };
    let submit = move || {
        tried.set(true);
        let (Ok(days_delivered), Ok(offsite_days)) =
            (days.get_untracked().trim().parse::<u8>(), offsite.get_untracked().trim().parse::<u8>())
        else {
            return;
        };
        if pending.get_untracked()
            || parse_date(&from.get_untracked()).is_err()
            || parse_date(&through.get_untracked()).is_err()
        {
            return;
        }
        let Some(stored) = document.get_untracked() else {
            file_error.set(Some(tr_in!(locale.get_untracked(), deliverable_required).to_owned()));
            return;
        };
        pending.set(true);
        let body = SubmitCompletionReport {
            consultant_id: consultant.get_value(),
            delivered_from: from.get_untracked(),
            delivered_through: through.get_untracked(),
            days_delivered,
            offsite_days,
            deliverable_document_id: stored.document_id,
        };
        leptos::task::spawn_local(async move {
            let result = api::submit_completion_report(&id.get_value(), &body).await;
            pending.set(false);
            changed.run((result, crate::i18n::report_done));
        });
    };
    let progress_text =
        text_with(move |locale| match (progress.get(), document.with(|d| d.as_ref().map(|d| d.file_name.clone()))) {
            (_, Some(name)) => tr_in!(locale, upload_complete, &name),
            (Some(percent), None) => tr_in!(locale, upload_progress, &percent.to_string()),
            (None, None) => String::new(),
        });
    let uploading = Signal::derive(move || progress.get().is_some() && document.with(Option::is_none));
    let progress_bar = el("progress")
        .attr("max", "100")
        .attr("aria-labelledby", "upload-status")
        .attr_signal("value", Signal::derive(move || Some(progress.get().unwrap_or(100).to_string())));

    el("form")
        .class("card form")
        .attr("aria-labelledby", "report-title")
        .on_submit(submit)
        .child(tr_el("h2", tr!(report_title)).id("report-title"))
        .child(tr_el("p", tr!(report_intro)).class("muted"))
        .child(
            div("field-row")
                .child(
                    Field::new("delivered-from", tr!(delivered_from_label)).kind("date").input(from, date_error(from)),
                )
                .child(
                    Field::new("delivered-through", tr!(delivered_through_label))
                        .kind("date")
                        .input(through, date_error(through)),
                ),
        )
        .child(
            div("field-row")
                .child(
                    Field::new("days-delivered", tr!(days_delivered_label))
                        .kind("number")
                        .input(days, number_error(days)),
                )
                .child(
                    Field::new("offsite-days", tr!(offsite_days_label))
                        .kind("number")
                        .input(offsite, number_error(offsite)),
                ),
        )
        .child(
            div("field")
                .child(el("label").attr("for", "deliverable").tr(tr!(deliverable_label)))
                .child(el("p").class("field__hint").id("deliverable-hint").tr(tr!(deliverable_hint)))
                .child(
                    el("input")
                        .id("deliverable")
                        .attr("type", "file")
                        .attr("accept", ".pdf,.docx,.pptx,.xlsx")
                        .attr("aria-describedby", "deliverable-hint deliverable-error")
                        .on("change", on_file),
                )
                .child(
                    el("p")
                        .class("field__error")
                        .id("deliverable-error")
                        .attr("role", "alert")
                        .visible(Signal::derive(move || file_error.with(Option::is_some)))
                        .text_signal(Signal::derive(move || file_error.get().unwrap_or_default())),
                )
                .child(
                    div("upload")
                        .visible(Signal::derive(move || {
                            progress.with(Option::is_some) || document.with(Option::is_some)
                        }))
                        .child(progress_bar)
                        .child(el("span").id("upload-status").attr("role", "status").text_signal(progress_text)),
                )
                .dynamic(move || {
                    upload_error.get().map(|error| {
                        div("notice notice--error")
                            .attr("role", "alert")
                            .child(el("p").tr(tr!(upload_failed)).text(" ").text_signal(error_text(error)))
                            .child(button("button", tr!(retry_upload)).on_click(upload))
                    })
                }),
        )
        .child(
            el("button")
                .attr("type", "submit")
                .class("button button--primary")
                .flag_signal("disabled", Signal::derive(move || pending.get() || uploading.get()))
                .tr(tr!(submit_report_button)),
        )
}

/// The first bytes of a file (its signature), read in the browser.
async fn first_bytes(file: &web_sys::File) -> Vec<u8> {
    let Ok(head) = file.slice_with_i32_and_i32(0, 8) else { return Vec::new() };
    match wasm_bindgen_futures::JsFuture::from(head.array_buffer()).await {
        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
        Err(_) => Vec::new(),
    }
}
