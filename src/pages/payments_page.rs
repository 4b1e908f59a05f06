//! `/payments`: step 8 for a partner. The one-time SAVB registration per program, building a
//! payment request from redeemed vouchers (filters, the total computed as vouchers are chosen),
//! saving it as a draft, submitting it (the reference number comes back), and every request's
//! status, exportable as CSV.

use std::collections::BTreeSet;

use leptos::prelude::*;
use planning_domain::api::partners::offering_key;
use planning_domain::api::payments::{
    CreatePaymentRequest, PayableVoucher, PaymentRequestView, RegisterPaymentProgram, SubmitPaymentRequest,
};
use planning_domain::{Action as Permission, Localize, Money, OfferingCode, Role};

use crate::api::{self, ApiError};
use crate::components::form_field::Field;
use crate::components::notice::{error_notice, success_notice};
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, scroll_box, text_el, tr_el, El};
use crate::format::{countdown, csv_line, download_text, iso, long_date, money};
use crate::loader::load;
use crate::state::locale::{text_with, use_domain_locale};
use crate::state::program::use_program_date;
use crate::state::session::use_session;

pub fn payments_page() -> El {
    require_sign_in(&[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin], payments)
}

/// Totals per currency of the chosen lines ("$3,300.00 + €950.00"), in the reader's language.
fn total(lines: &[&PayableVoucher], locale: planning_domain::Locale) -> String {
    let mut sums: Vec<Money> = Vec::new();
    for amount in lines.iter().filter_map(|line| line.amount) {
        match sums.iter_mut().find(|sum| sum.currency() == amount.currency()) {
            Some(sum) => *sum = Money::from_minor_units(sum.minor_units() + amount.minor_units(), amount.currency()),
            None => sums.push(amount),
        }
    }
    sums.into_iter().map(|sum| money(sum, locale)).collect::<Vec<_>>().join(" + ")
}

/// A fresh idempotency key for one submission attempt (retries reuse it).
fn new_key() -> String {
    (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * f64::from(u32::MAX)) as u32)).collect()
}

fn payments() -> El {
    let locale = use_domain_locale();
    let today = use_program_date();
    let session = use_session();
    let registrations = load(api::payment_registrations);
    let requests = load(api::payment_requests);
    let program = RwSignal::new(String::new());
    let payable = RwSignal::new(None::<Vec<PayableVoucher>>);
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let search = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let draft = RwSignal::new(None::<PaymentRequestView>);
    let submit_key = StoredValue::new(new_key());
    let may = move |permission: Permission| session.role().is_some_and(|role| role.may(permission));
    let chosen_program =
        move || OfferingCode::ACTIVE.iter().copied().find(|offering| offering_key(*offering) == program.get());

    // The program's payable vouchers, again whenever the program changes.
    Effect::new(move |_| {
        let Some(offering) = chosen_program() else { return };
        chosen.set(BTreeSet::new());
        payable.set(None);
        leptos::task::spawn_local(async move {
            match api::payable_vouchers(offering).await {
                Ok(list) => payable.set(Some(list)),
                Err(error) => failure.set(Some(error)),
            }
        });
    });

    let finish = move |message: Option<String>, error: Option<ApiError>| {
        pending.set(false);
        saved.set(message);
        failure.set(error);
        requests.reload();
        registrations.reload();
    };
    let register = move |offering: OfferingCode| {
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::register_payment_program(&RegisterPaymentProgram { program: offering }).await {
                Ok(_) => finish(Some(tr_in!(locale.get_untracked(), registered_done).to_owned()), None),
                Err(error) => finish(None, Some(error)),
            }
        });
    };
    let save_draft = move || {
        let Some(offering) = chosen_program() else { return };
        if pending.get_untracked() || chosen.with_untracked(BTreeSet::is_empty) {
            return;
        }
        pending.set(true);
        let body =
            CreatePaymentRequest { program: offering, voucher_ids: chosen.get_untracked().into_iter().collect() };
        leptos::task::spawn_local(async move {
            match api::create_payment_request(&body).await {
                Ok(view) => {
                    submit_key.set_value(new_key());
                    draft.set(Some(view));
                    finish(Some(tr_in!(locale.get_untracked(), draft_saved).to_owned()), None);
                }
                Err(error) => finish(None, Some(error)),
            }
        });
    };
    let submit = move || {
        let Some(view) = draft.get_untracked() else { return };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let key = submit_key.get_value();
        leptos::task::spawn_local(async move {
            match api::submit_payment_request(&view.request.id, &SubmitPaymentRequest { version: view.version }, &key)
                .await
            {
                Ok(submitted) => {
                    let reference = submitted.reference_number.map(|number| number.to_string()).unwrap_or_default();
                    draft.set(None);
                    chosen.set(BTreeSet::new());
                    payable.set(None);
                    program.set(String::new());
                    finish(Some(tr_in!(locale.get_untracked(), submitted_done, &reference)), None);
                }
                Err(error) => finish(None, Some(error)),
            }
        });
    };

    let registration_list = move || {
        let locale = locale.get();
        let registered = registrations.data.get().unwrap_or_default();
        let can_register = may(Permission::RegisterPaymentProgram);
        OfferingCode::ACTIVE
            .iter()
            .map(|&offering| {
                let on = registered.iter().find(|item| item.program == offering);
                let state = match on {
                    Some(item) => {
                        text_el("span", &tr_in!(locale, registered_on, &long_date(item.registered_on, locale)))
                            .class("status status--paid")
                    }
                    None => text_el("span", tr_in!(locale, not_registered)).class("status"),
                };
                el("li")
                    .class("offering-row")
                    .child(div("offering-row__text").child(text_el("strong", &offering.message(locale))).child(state))
                    .maybe((on.is_none() && can_register).then(|| {
                        button("button", tr!(register_program))
                            .flag_signal("disabled", pending.into())
                            .on_click(move || register(offering))
                    }))
            })
            .collect()
    };

    let program_options = Signal::derive(move || {
        let locale = locale.get();
        OfferingCode::ACTIVE
            .iter()
            .map(|offering| (offering_key(*offering).to_owned(), offering.message(locale)))
            .collect()
    });
    let payable_rows = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let needle = search.get().trim().to_lowercase();
        let picked = chosen.get();
        payable.with(|list| {
            list.iter()
                .flatten()
                .filter(|line| {
                    needle.is_empty()
                        || line.voucher_id.contains(&needle)
                        || line.customer_name.to_lowercase().contains(&needle)
                })
                .map(|line| {
                    let id = line.voucher_id.clone();
                    let toggled = id.clone();
                    el("tr")
                        .child(
                            el("td").class("cell--select").child(
                                el("input")
                                    .attr("type", "checkbox")
                                    .attr("aria-label", &tr_in!(locale, select_voucher_label, &id))
                                    .flag("checked", picked.contains(&id))
                                    .on("change", move |_| {
                                        chosen.update(|set| {
                                            if !set.remove(&toggled) {
                                                set.insert(toggled.clone());
                                            }
                                        })
                                    }),
                            ),
                        )
                        .child(text_el("td", &id))
                        .child(text_el("td", &line.customer_name))
                        .child(text_el(
                            "td",
                            &format!("{} ({})", line.location_id.as_str(), line.delivery_country.as_str()),
                        ))
                        .child(text_el("td", &line.days.to_string()))
                        .child(text_el(
                            "td",
                            &line
                                .amount
                                .map(|amount| money(amount, locale))
                                .unwrap_or_else(|| tr_in!(locale, no_rate).to_owned()),
                        ))
                        .child(text_el(
                            "td",
                            &format!(
                                "{} ({})",
                                long_date(line.payment_deadline, locale),
                                countdown(today, line.payment_deadline, locale)
                            ),
                        ))
                })
                .collect()
        })
    };
    let total_text = text_with(move |locale| {
        let picked = chosen.get();
        payable.with(|list| {
            let lines: Vec<&PayableVoucher> =
                list.iter().flatten().filter(|line| picked.contains(&line.voucher_id)).collect();
            tr_in!(locale, request_total, &lines.len().to_string(), &total(&lines, locale))
        })
    });

    let export = move || {
        let locale = locale.get_untracked();
        let mut csv = csv_line(
            [
                tr_in!(locale, reference_column),
                tr_in!(locale, column_offering),
                tr_in!(locale, column_status),
                tr_in!(locale, request_total_column),
                tr_in!(locale, created_column),
            ]
            .into_iter()
            .map(str::to_owned),
        );
        for view in requests.data.get_untracked().unwrap_or_default() {
            csv.push_str(&csv_line(
                [
                    view.reference_number.map(|number| number.to_string()).unwrap_or_default(),
                    view.request.program.message(locale),
                    view.status.message(locale),
                    view.request.total.to_string(),
                    iso(view.request.created_on),
                ]
                .into_iter(),
            ));
        }
        download_text("payment-requests.csv", "text/csv", &csv);
    };
    let request_rows = move || {
        let locale = locale.get();
        requests
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|view| {
                let reason = view.reject_reason.clone().or(view.hold_reason.clone()).unwrap_or_default();
                el("tr")
                    .child(text_el(
                        "td",
                        &view
                            .reference_number
                            .map(|number| number.to_string())
                            .unwrap_or_else(|| tr_in!(locale, draft_label).to_owned()),
                    ))
                    .child(text_el("td", &view.request.program.message(locale)))
                    .child(el("td").child(text_el("span", &view.status.message(locale)).class("status")))
                    .child(text_el(
                        "td",
                        &format!("{} · {}", view.request.lines.len(), money(view.request.total, locale)),
                    ))
                    .child(text_el("td", &long_date(view.request.created_on, locale)))
                    .child(text_el("td", &reason))
            })
            .collect()
    };
    let head = |labels: Vec<Signal<&'static str>>| {
        el("thead")
            .child(el("tr").children(labels.into_iter().map(|label| el("th").attr("scope", "col").tr(label)).collect()))
    };

    group(vec![
        div("page-heading")
            .child(tr_el("h1", tr!(payments_title)))
            .child(button("button", tr!(export_csv)).on_click(export)),
        error_notice(failure.into()),
        success_notice(saved.into()),
        el("section")
            .class("card")
            .attr("aria-labelledby", "registration-title")
            .child(tr_el("h2", tr!(registration_title)).id("registration-title"))
            .child(tr_el("p", tr!(registration_intro)).class("muted"))
            .child(el("ul").class("plain-list").dynamic_children(registration_list)),
        el("section")
            .class("card form")
            .attr("aria-labelledby", "build-title")
            .child(tr_el("h2", tr!(build_request_title)).id("build-title"))
            .child(
                div("filters")
                    .child(Field::new("request-program", tr!(program_label)).select(
                        program,
                        tr!(choose_one),
                        program_options,
                        Signal::stored(None),
                    ))
                    .child(
                        Field::new("request-search", tr!(filter_search))
                            .kind("search")
                            .input(search, Signal::stored(None)),
                    ),
            )
            .child(
                scroll_box("table-scroll", tr!(build_request_title)).child(
                    el("table")
                        .class("data-table")
                        .child(el("caption").class("visually-hidden").tr(tr!(build_request_title)))
                        .child(head(vec![
                            tr!(select_column),
                            tr!(column_voucher),
                            tr!(column_customer),
                            tr!(location_label),
                            tr!(days_unit),
                            tr!(amount_column),
                            tr!(column_payment_deadline),
                        ]))
                        .child(el("tbody").dynamic_children(payable_rows)),
                ),
            )
            .child(
                tr_el("p", tr!(payable_empty))
                    .class("empty")
                    .visible(Signal::derive(move || payable.with(|list| list.as_ref().is_some_and(Vec::is_empty)))),
            )
            .child(el("p").class("total").attr("role", "status").text_signal(total_text))
            .child(
                div("actions-row")
                    .child(
                        button("button", tr!(save_draft))
                            .flag_signal(
                                "disabled",
                                Signal::derive(move || pending.get() || chosen.with(BTreeSet::is_empty)),
                            )
                            .on_click(save_draft),
                    )
                    .child(
                        button("button button--primary", tr!(submit_request))
                            .visible(Signal::derive(move || draft.with(Option::is_some)))
                            .flag_signal("disabled", pending.into())
                            .on_click(submit),
                    ),
            ),
        el("section")
            .class("card")
            .attr("aria-labelledby", "requests-title")
            .child(tr_el("h2", tr!(requests_title)).id("requests-title"))
            .child(
                scroll_box("table-scroll", tr!(requests_title)).child(
                    el("table")
                        .class("data-table")
                        .child(el("caption").class("visually-hidden").tr(tr!(requests_title)))
                        .child(head(vec![
                            tr!(reference_column),
                            tr!(column_offering),
                            tr!(column_status),
                            tr!(request_total_column),
                            tr!(created_column),
                            tr!(reason_column),
                        ]))
                        .child(el("tbody").dynamic_children(request_rows)),
                ),
            ),
    ])
}
