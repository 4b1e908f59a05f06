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
use planning_domain::voucher::payment_days_kept;
use planning_domain::{Action as Permission, Localize, Money, OfferingCode, PaymentStatus, Role};

use crate::api::{self, ApiError};
use crate::components::form_field::{InputField, SelectField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::format::{countdown, csv_line, download_text, iso, long_date, money};
use crate::state::locale::{text_with, use_domain_locale};
use crate::state::program::use_program_date;
use crate::state::resource::last_answer;
use crate::state::session::use_session;

const ROLES: &[Role] = &[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin];

#[component]
pub fn PaymentsPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=ROLES>
            <Payments />
        </RequireSignIn>
    }
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

/// The page's writes; one at a time (a pending one disables every button that starts one).
#[derive(Clone)]
enum Write {
    Register(OfferingCode),
    SaveDraft(CreatePaymentRequest),
    /// The draft and the idempotency key of this submission attempt.
    Submit(Box<PaymentRequestView>, String),
}

/// A table's column headings.
fn head(labels: Vec<Signal<&'static str>>) -> impl IntoView {
    let cells = labels.into_iter().map(|label| view! { <th scope="col">{label}</th> }).collect_view();
    view! {
        <thead>
            <tr>{cells}</tr>
        </thead>
    }
}

#[component]
fn Payments() -> impl IntoView {
    let locale = use_domain_locale();
    let today = use_program_date();
    let session = use_session();
    let registrations_read = LocalResource::new(api::payment_registrations);
    let requests_read = LocalResource::new(api::payment_requests);
    let registrations = last_answer(registrations_read);
    let requests = last_answer(requests_read);
    let program = RwSignal::new(String::new());
    let payable = RwSignal::new(None::<Vec<PayableVoucher>>);
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let search = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let draft = RwSignal::new(None::<PaymentRequestView>);
    let submit_key = StoredValue::new(new_key());
    let may = move |permission: Permission| session.role().is_some_and(|role| role.may(permission));
    let chosen_program =
        move || OfferingCode::ACTIVE.iter().copied().find(|offering| offering_key(*offering) == program.get());

    // The program's payable vouchers, again whenever the program changes; a new program's list
    // replaces the last one (an answer for a program no longer chosen is dropped).
    let payable_read = LocalResource::new(move || {
        let offering = chosen_program();
        async move {
            match offering {
                Some(offering) => Some(api::payable_vouchers(offering).await),
                None => None,
            }
        }
    });
    Effect::new(move |_| {
        if chosen_program().is_some() {
            chosen.set(BTreeSet::new());
            payable.set(None);
        }
    });
    Effect::new(move |_| match payable_read.get() {
        Some(Some(Ok(list))) => payable.set(Some(list)),
        Some(Some(Err(error))) => failure.set(Some(error)),
        _ => {}
    });

    let write = Action::new_local(move |write: &Write| {
        let write = write.clone();
        let locale = locale.get_untracked();
        async move {
            let outcome = match write {
                Write::Register(offering) => {
                    api::register_payment_program(&RegisterPaymentProgram { program: offering })
                        .await
                        .map(|_| tr_in!(locale, registered_done).to_owned())
                }
                Write::SaveDraft(body) => api::create_payment_request(&body).await.map(|view| {
                    submit_key.set_value(new_key());
                    draft.set(Some(view));
                    tr_in!(locale, draft_saved).to_owned()
                }),
                Write::Submit(view, key) => {
                    api::submit_payment_request(&view.request.id, &SubmitPaymentRequest { version: view.version }, &key)
                        .await
                        .map(|submitted| {
                            let reference =
                                submitted.reference_number.map(|number| number.to_string()).unwrap_or_default();
                            draft.set(None);
                            chosen.set(BTreeSet::new());
                            payable.set(None);
                            program.set(String::new());
                            tr_in!(locale, submitted_done, &reference)
                        })
                }
            };
            match outcome {
                Ok(message) => {
                    saved.set(Some(message));
                    failure.set(None);
                }
                Err(error) => {
                    saved.set(None);
                    failure.set(Some(error));
                }
            }
            requests_read.refetch();
            registrations_read.refetch();
        }
    });
    let pending = write.pending();
    let register = move |offering: OfferingCode| {
        write.dispatch(Write::Register(offering));
    };
    let save_draft = move |_| {
        let Some(offering) = chosen_program() else { return };
        if pending.get_untracked() || chosen.with_untracked(BTreeSet::is_empty) {
            return;
        }
        let body =
            CreatePaymentRequest { program: offering, voucher_ids: chosen.get_untracked().into_iter().collect() };
        write.dispatch(Write::SaveDraft(body));
    };
    let submit = move |_| {
        let Some(view) = draft.get_untracked() else { return };
        if pending.get_untracked() {
            return;
        }
        write.dispatch(Write::Submit(Box::new(view), submit_key.get_value()));
    };

    let registration_list = move || {
        let locale = locale.get();
        let can_register = may(Permission::RegisterPaymentProgram);
        registrations.with(|registered| {
            let registered = registered.as_deref().unwrap_or_default();
            OfferingCode::ACTIVE
                .iter()
                .map(|&offering| {
                    let on = registered.iter().find(|item| item.program == offering);
                    let state = match on {
                        Some(item) => view! {
                            <span class="status status--paid">
                                {tr_in!(locale, registered_on, &long_date(item.registered_on, locale))}
                            </span>
                        }
                        .into_any(),
                        None => view! { <span class="status">{tr_in!(locale, not_registered)}</span> }.into_any(),
                    };
                    let action = (on.is_none() && can_register).then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                disabled=move || pending.get()
                                on:click=move |_| register(offering)
                            >
                                {tr!(register_program)}
                            </button>
                        }
                    });
                    view! {
                        <li class="offering-row">
                            <div class="offering-row__text">
                                <strong>{offering.message(locale)}</strong>
                                {state}
                            </div>
                            {action}
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let program_options = Signal::derive(move || {
        let locale = locale.get();
        OfferingCode::ACTIVE
            .iter()
            .map(|offering| (offering_key(*offering).to_owned(), offering.message(locale)))
            .collect::<Vec<_>>()
    });
    // The rows follow the list, the search and the language; a ticked box follows `chosen`
    // without rendering the rows again, so the focus stays on it.
    let payable_rows = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let needle = search.get().trim().to_lowercase();
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
                    let label = tr_in!(locale, select_voucher_label, &id);
                    let (checked, toggled) = (id.clone(), id.clone());
                    let amount = line
                        .amount
                        .map(|amount| money(amount, locale))
                        .unwrap_or_else(|| tr_in!(locale, no_rate).to_owned());
                    view! {
                        <tr>
                            <td class="cell--select">
                                <input
                                    type="checkbox"
                                    aria-label=label
                                    prop:checked=move || chosen.with(|set| set.contains(&checked))
                                    on:change=move |_| {
                                        chosen
                                            .update(|set| {
                                                if !set.remove(&toggled) {
                                                    set.insert(toggled.clone());
                                                }
                                            })
                                    }
                                />
                            </td>
                            <td>{id}</td>
                            <td>{line.customer_name.clone()}</td>
                            <td>{format!("{} ({})", line.location_id.as_str(), line.delivery_country.as_str())}</td>
                            <td>{line.days.to_string()}</td>
                            <td>{amount}</td>
                            <td>
                                {format!(
                                    "{} ({})",
                                    long_date(line.payment_deadline, locale),
                                    countdown(today, line.payment_deadline, locale),
                                )}
                            </td>
                        </tr>
                    }
                })
                .collect_view()
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

    let export = move |_| {
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
        requests.with_untracked(|views| {
            for view in views.iter().flatten() {
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
        });
        download_text("payment-requests.csv", "text/csv", &csv);
    };
    let request_rows = move || {
        let locale = locale.get();
        requests.with(|views| {
            views
                .iter()
                .flatten()
                .map(|view| {
                    let reason = view.reject_reason.clone().or(view.hold_reason.clone()).unwrap_or_default();
                    let reference = view
                        .reference_number
                        .map(|number| number.to_string())
                        .unwrap_or_else(|| tr_in!(locale, draft_label).to_owned());
                    // With Microsoft the payment clock stands still: the fewest days any voucher
                    // of the request had left on submission stay until a decision.
                    let paused = matches!(view.status, PaymentStatus::Submitted | PaymentStatus::OnHold)
                        .then(|| view.request.state.submitted_on())
                        .flatten()
                        .and_then(|submitted_on| {
                            view.request
                                .lines
                                .iter()
                                .map(|line| payment_days_kept(line.payment_deadline, submitted_on))
                                .min()
                        })
                        .map(|left| {
                            view! {
                                <br />
                                <span class="muted">{tr_in!(locale, payment_clock_paused, &left.to_string())}</span>
                            }
                        });
                    view! {
                        <tr>
                            <td>{reference}</td>
                            <td>{view.request.program.message(locale)}</td>
                            <td>
                                <span class="status">{view.status.message(locale)}</span>
                                {paused}
                            </td>
                            <td>{format!("{} · {}", view.request.lines.len(), money(view.request.total, locale))}</td>
                            <td>{long_date(view.request.created_on, locale)}</td>
                            <td>{reason}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    let build_table = view! {
        <div class="table-scroll" role="group" tabindex="0" aria-label=tr!(build_request_title)>
            <table class="data-table">
                <caption class="visually-hidden">{tr!(build_request_title)}</caption>
                {head(
                    vec![
                        tr!(select_column),
                        tr!(column_voucher),
                        tr!(column_customer),
                        tr!(location_label),
                        tr!(days_unit),
                        tr!(amount_column),
                        tr!(column_payment_deadline),
                    ],
                )}
                <tbody>{payable_rows}</tbody>
            </table>
        </div>
    }
    .into_any();
    let requests_table = view! {
        <div class="table-scroll" role="group" tabindex="0" aria-label=tr!(requests_title)>
            <table class="data-table">
                <caption class="visually-hidden">{tr!(requests_title)}</caption>
                {head(
                    vec![
                        tr!(reference_column),
                        tr!(column_offering),
                        tr!(column_status),
                        tr!(request_total_column),
                        tr!(created_column),
                        tr!(reason_column),
                    ],
                )}
                <tbody>{request_rows}</tbody>
            </table>
        </div>
    }
    .into_any();

    view! {
        <div class="group">
            <div class="page-heading">
                <h1>{tr!(payments_title)}</h1>
                <button type="button" class="button" on:click=export>
                    {tr!(export_csv)}
                </button>
            </div>
            <ErrorNotice error=failure />
            <SuccessNotice message=saved />
            <section class="card" aria-labelledby="registration-title">
                <h2 id="registration-title">{tr!(registration_title)}</h2>
                <p class="muted">{tr!(registration_intro)}</p>
                <ul class="plain-list">{registration_list}</ul>
            </section>
            <section class="card form" aria-labelledby="build-title">
                <h2 id="build-title">{tr!(build_request_title)}</h2>
                <div class="filters">
                    <SelectField
                        id="request-program"
                        label=tr!(program_label)
                        value=program
                        choose=tr!(choose_one)
                        options=program_options
                        error=Signal::stored(None::<String>)
                    />
                    <InputField
                        id="request-search"
                        label=tr!(filter_search)
                        kind="search"
                        value=search
                        error=Signal::stored(None::<String>)
                    />
                </div>
                {build_table}
                <p class="empty" hidden=move || !payable.with(|list| list.as_ref().is_some_and(Vec::is_empty))>
                    {tr!(payable_empty)}
                </p>
                <p class="total" role="status">
                    {total_text}
                </p>
                <div class="actions-row">
                    <button
                        type="button"
                        class="button"
                        disabled=move || pending.get() || chosen.with(BTreeSet::is_empty)
                        on:click=save_draft
                    >
                        {tr!(save_draft)}
                    </button>
                    <button
                        type="button"
                        class="button button--primary"
                        hidden=move || draft.with(Option::is_none)
                        disabled=move || pending.get()
                        on:click=submit
                    >
                        {tr!(submit_request)}
                    </button>
                </div>
            </section>
            <section class="card" aria-labelledby="requests-title">
                <h2 id="requests-title">{tr!(requests_title)}</h2>
                {requests_table}
            </section>
        </div>
    }
}
