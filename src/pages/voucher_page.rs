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
use planning_domain::voucher::{VoucherError, VoucherState, MAX_DELIVERABLES};
use planning_domain::{Action as Permission, Locale, Localize, VoucherStatus};

use crate::api::{self, ApiError};
use crate::components::confirm_dialog::{ConfirmActions, ConfirmDialog};
use crate::components::embed_panel::EmbedPanel;
use crate::components::form_field::InputField;
use crate::components::notice::{error_text, ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::components::voucher_status::VoucherStatusBadge;
use crate::format::{countdown, day_count, iso, long_date};
use crate::state::locale::{text_opt, text_with, to_ui, use_domain_locale, Translation};
use crate::state::program::use_program_date;
use crate::state::resource::{failure_of, last_answer};
use crate::state::route::use_route;
use crate::state::session::{use_session, EVERY_ROLE};

#[component]
pub fn VoucherPage(id: String) -> impl IntoView {
    view! {
        <RequireSignIn roles=EVERY_ROLE>
            <VoucherDetail id=id.clone() />
        </RequireSignIn>
    }
}

/// What a change of the voucher answers (the voucher as it now stands) and the words that say
/// it went through.
type Changed = Callback<(Result<VoucherView, ApiError>, Translation)>;

#[component]
fn VoucherDetail(id: String) -> impl IntoView {
    let locale = use_domain_locale();
    let today = use_program_date();
    let session = use_session();
    let route = use_route();
    let heading_id = id.clone();
    let id = StoredValue::new(id);
    let voucher = LocalResource::new(move || {
        let id = id.get_value();
        async move { api::get_voucher(&id).await }
    });
    let audit = LocalResource::new(move || {
        let id = id.get_value();
        async move { api::voucher_audit(&id).await }
    });
    let (current, load_error) = (last_answer(voucher), failure_of(voucher));
    let entries = last_answer(audit);
    let done =
        RwSignal::new(route.query_param_untracked("reserved").map(|_| tr!(reserved_done).get_untracked().to_owned()));
    let failure = RwSignal::new(None::<ApiError>);
    // Every change answers the voucher as it now stands; the audit trail is read again.
    let changed = Callback::new(move |(result, message): (Result<VoucherView, ApiError>, Translation)| match result {
        Ok(view) => {
            current.set(Some(view));
            failure.set(None);
            done.set(Some(message(to_ui(locale.get_untracked())).to_owned()));
            audit.refetch();
        }
        Err(error) => {
            failure.set(Some(error));
            done.set(None);
            voucher.refetch();
        }
    });

    let summary = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        current.with(|view| view.as_ref().map(|view| voucher_summary(view, today, locale)))
    };

    // The actions are built once the voucher is known; each form keeps its values in signals
    // of its own, whatever is shown again around it.
    let loaded = Memo::new(move |_| current.with(Option::is_some));
    let actions =
        move || loaded.get().then(|| untrack(|| view! { <VoucherActions id current changed session /> }.into_any()));

    // The widget panel, once the voucher is known to be visible to the reader.
    let embed_id =
        Memo::new(move |_| current.with(|view| view.as_ref().map(|view| view.voucher.id.as_str().to_owned())));
    let embed = move || {
        embed_id.get().map(|id| untrack(|| view! { <EmbedPanel target=EmbedTarget::Voucher(id) /> }.into_any()))
    };

    let trail = move || {
        let locale = locale.get();
        entries.with(|entries| {
            entries.as_ref().map(|entries| {
                let items = entries
                    .iter()
                    .map(|entry| {
                        view! {
                            <li>
                                <time datetime=entry.at.clone()>{long_date(entry.program_date, locale)}</time>
                                " · "
                                <span class="muted">{entry.actor_name.clone()}</span>
                                <p>{entry.messages.get(locale).to_owned()}</p>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ol class="audit">{items}</ol> }
            })
        })
    };

    view! {
        <div class="group">
            <p>
                <a href="/vouchers">{tr!(back_to_vouchers)}</a>
            </p>
            // The page keeps its heading when the voucher cannot be shown.
            <h1 hidden=move || load_error.with(Option::is_none)>
                {text_with(move |locale| tr_in!(locale, voucher_heading, &heading_id))}
            </h1>
            <ErrorNotice error=load_error />
            <div class="group">{summary}</div>
            <ErrorNotice error=failure />
            <SuccessNotice message=done />
            <div class="stack">{actions}</div>
            // Directly in the page's group, so the panel is spaced like its neighbours.
            {embed}
            <section class="card" aria-labelledby="audit-title">
                <h2 id="audit-title">{tr!(audit_title)}</h2>
                {trail}
            </section>
        </div>
    }
}

/// The voucher's heading, steps, facts and deadlines.
fn voucher_summary(view: &VoucherView, today: chrono::NaiveDate, locale: Locale) -> AnyView {
    let status = view.status;
    let mut facts: Vec<(&'static str, String)> = vec![
        (tr_in!(locale, column_customer), view.customer_name.clone()),
        (tr_in!(locale, column_offering), view.voucher.offering.message(locale)),
        (tr_in!(locale, service_level), day_count(u32::from(view.voucher.service_level.days()), locale)),
        (tr_in!(locale, column_partner), view.partner_name.clone().unwrap_or_else(|| "—".to_owned())),
    ];
    if let Some(reservation) = view.voucher.reservation() {
        facts.push((tr_in!(locale, engagement_label), reservation.engagement.message(locale)));
        facts.push((
            tr_in!(locale, location_label),
            format!("{} ({})", reservation.location_id.as_str(), reservation.delivery_country.as_str()),
        ));
        facts.push((
            tr_in!(locale, column_schedule),
            format!("{} – {}", long_date(reservation.starts_on, locale), long_date(reservation.ends_on, locale)),
        ));
    }
    let report = view.voucher.completion_report();
    if let Some(report) = report {
        facts.push((tr_in!(locale, report_filed_on), long_date(report.submitted_on, locale)));
        facts.push((tr_in!(locale, days_delivered_label), report.days_delivered.to_string()));
    }
    let facts = facts.into_iter().map(|(term, detail)| view! { <dt>{term}</dt><dd>{detail}</dd> }).collect_view();
    let deliverable = report.map(|report| {
        let ids = &report.deliverable_document_ids;
        let links = ids
            .iter()
            .enumerate()
            .map(|(index, id)| {
                // Several files are told apart by their number ("Download 2").
                let label = match ids.len() {
                    1 => tr_in!(locale, download_deliverable).to_owned(),
                    _ => format!("{} {}", tr_in!(locale, download_deliverable), index + 1),
                };
                view! {
                    <a href=api::document_url(id) download="">
                        {label}
                    </a>
                    " "
                }
            })
            .collect_view();
        view! {
            <dt>{tr_in!(locale, deliverable_label)}</dt>
            <dd>{links}</dd>
        }
    });
    let mut deadlines = Vec::new();
    if matches!(status, VoucherStatus::Assigned | VoucherStatus::Reserved) {
        deadlines.push(deadline_item(tr_in!(locale, deadline_expiry), view.voucher.expires_on, today, locale));
    }
    if let Some(deadline) = view.payment_deadline.filter(|_| status == VoucherStatus::Redeemed) {
        deadlines.push(deadline_item(tr_in!(locale, deadline_payment), deadline, today, locale));
    }
    // While Microsoft has the request the payment clock stands still: the days left are kept.
    if let (VoucherState::Claimed { claimed_on: Some(claimed_on), .. }, Some(deadline)) =
        (&view.voucher.state, view.payment_deadline)
    {
        let left = planning_domain::voucher::payment_days_kept(deadline, *claimed_on).to_string();
        deadlines.push(
            view! {
                <li class="deadline-item">
                    <span class="deadline-item__what">{tr_in!(locale, deadline_payment)}</span>
                    <span class="countdown">{tr_in!(locale, payment_clock_paused, &left)}</span>
                </li>
            }
            .into_any(),
        );
    }
    let no_deadline = deadlines.is_empty().then(|| view! { <p class="muted">{tr_in!(locale, no_open_deadline)}</p> });
    let pay = (status == VoucherStatus::Redeemed).then(|| {
        view! {
            <a class="button button--primary" href="/payments">
                {tr_in!(locale, request_payment_link)}
            </a>
        }
    });
    view! {
        <div class="page-heading">
            <h1>{tr_in!(locale, voucher_heading, view.voucher.id.as_str())}</h1>
            <VoucherStatusBadge status />
        </div>
        {stepper(&view.voucher, today, locale)}
        <div class="two-columns">
            <section class="card" aria-labelledby="facts-title">
                <h2 id="facts-title">{tr_in!(locale, voucher_facts_title)}</h2>
                <dl class="facts">{facts}{deliverable}</dl>
            </section>
            <section class="card" aria-labelledby="deadlines-title">
                <h2 id="deadlines-title">{tr_in!(locale, deadlines_title)}</h2>
                <ul class="deadline-list">{deadlines}</ul>
                {no_deadline}
                {pay}
            </section>
        </div>
    }
    .into_any()
}

fn deadline_item(what: &str, date: chrono::NaiveDate, today: chrono::NaiveDate, locale: Locale) -> AnyView {
    view! {
        <li class="deadline-item">
            <span class="deadline-item__what">{what.to_owned()}</span>
            <time datetime=iso(date)>{long_date(date, locale)}</time>
            <span class="muted">{tr_in!(locale, last_day_utc)}</span>
            <span class="countdown">{countdown(today, date, locale)}</span>
        </li>
    }
    .into_any()
}

/// Steps 4–8 of the program with where this voucher stands, as the shared crate sees it
/// (`voucher_steps`, the same the widget shows); each state is a word, not only a colour.
fn stepper(voucher: &planning_domain::Voucher, today: chrono::NaiveDate, locale: Locale) -> AnyView {
    let items = voucher_steps(voucher, today)
        .into_iter()
        .map(|progress| {
            let class = match progress.state {
                StepState::Done => "step step--done",
                StepState::Current => "step step--current",
                StepState::Upcoming => "step step--todo",
                StepState::Missed => "step step--missed",
            };
            let current = (progress.state == StepState::Current).then_some("step");
            view! {
                <li class=class aria-current=current>
                    <span class="step__number" aria-hidden="true">{progress.step.number().to_string()}</span>
                    <span class="step__name">{progress.step.message(locale)}</span>
                    <span class="step__state">{progress.state.message(locale)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="stepper" aria-label=tr_in!(locale, stepper_label)>{items}</ol> }.into_any()
}

/// What the reader may do next, each part shown while it applies. Built once per page, from
/// the voucher as it was first answered: the forms' values live here, outside what is shown
/// again when the voucher changes.
#[component]
fn VoucherActions(
    id: StoredValue<String>,
    current: RwSignal<Option<VoucherView>>,
    changed: Changed,
    session: crate::state::session::SessionContext,
) -> impl IntoView {
    let reschedule = current.with_untracked(|view| view.as_ref().map(|view| Reschedule::new(view, id, changed)));
    let report = current.with_untracked(|view| view.as_ref().map(|view| Report::new(view, id, changed)));
    let (Some(reschedule), Some(report)) = (reschedule, report) else { return ().into_any() };

    let state = Memo::new(move |_| {
        current.with(|view| view.as_ref().map(|view| (view.status, view.voucher.completion_report().is_some())))
    });
    // Whether a part applies: to a reserved voucher (without a report yet, if `before_report`)
    // and a reader whose role may do it.
    let applies = move |permission: Permission, before_report: bool| {
        Memo::new(move |_| {
            state.get().is_some_and(|(status, has_report)| {
                status == VoucherStatus::Reserved
                    && !(before_report && has_report)
                    && session.role().is_some_and(|role| role.may(permission))
            })
        })
    };
    let may_reschedule = applies(Permission::RescheduleEngagement, false);
    let may_report = applies(Permission::SubmitCompletionReport, true);
    let may_redeem = applies(Permission::RedeemVoucher, false);
    let may_cancel = applies(Permission::CancelReservation, true);

    let confirm_redeem = RwSignal::new(false);
    let redeem = Action::new_local(move |_: &()| {
        let id = id.get_value();
        async move {
            let result = api::redeem_voucher(&id).await;
            confirm_redeem.set(false);
            changed.run((result, crate::i18n::redeemed_done));
        }
    });
    let confirm_cancel = RwSignal::new(false);
    let cancel = Action::new_local(move |_: &()| {
        let id = id.get_value();
        async move {
            let result = api::cancel_reservation(&id).await;
            confirm_cancel.set(false);
            changed.run((result, crate::i18n::cancelled_done));
        }
    });
    let (redeeming, cancelling) = (redeem.pending(), cancel.pending());
    let pending = Signal::derive(move || redeeming.get() || cancelling.get());
    let run = move |action: Action<(), ()>| {
        if !pending.get_untracked() {
            action.dispatch(());
        }
    };

    view! {
        <div class="group">
            {move || may_reschedule.get().then(|| view! { <RescheduleForm form=reschedule /> })}
            {move || may_report.get().then(|| view! { <ReportForm form=report /> })}
            {move || {
                may_redeem
                    .get()
                    .then(|| {
                        view! {
                            <ConfirmedStep
                                id="redeem"
                                title=tr!(redeem_title)
                                explained=tr!(redeem_explained)
                                button=tr!(redeem_button)
                                button_class="button button--primary"
                                question=tr!(confirm_redeem_one)
                                confirm=tr!(confirm_redeem)
                                back_out=tr!(cancel)
                                open=confirm_redeem
                                pending
                                on_confirm=Callback::new(move |()| run(redeem))
                            />
                        }
                    })
            }}
            {move || {
                may_cancel
                    .get()
                    .then(|| {
                        view! {
                            <ConfirmedStep
                                id="cancel"
                                title=tr!(cancel_reservation_title)
                                explained=tr!(cancel_reservation_explained)
                                button=tr!(cancel_reservation_button)
                                button_class="button button--danger"
                                question=tr!(confirm_cancel_body)
                                confirm=tr!(cancel_reservation_button)
                                back_out=tr!(keep_reservation)
                                open=confirm_cancel
                                pending
                                on_confirm=Callback::new(move |()| run(cancel))
                            />
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// A step that asks first (redeem, cancel the reservation): a card with its title (`{id}-title`),
/// what it does, and the button that opens its confirmation (the question is `confirm-{id}`).
#[component]
fn ConfirmedStep(
    id: &'static str,
    title: Signal<&'static str>,
    explained: Signal<&'static str>,
    button: Signal<&'static str>,
    button_class: &'static str,
    question: Signal<&'static str>,
    confirm: Signal<&'static str>,
    back_out: Signal<&'static str>,
    open: RwSignal<bool>,
    pending: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let (title_id, question_id) = (format!("{id}-title"), format!("confirm-{id}"));
    let labelled_by = title_id.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=title_id>{title}</h2>
            <p>{explained}</p>
            <button type="button" class=button_class on:click=move |_| open.set(true)>
                {button}
            </button>
            <ConfirmBox id=question_id question confirm back_out open pending on_confirm />
        </section>
    }
}

/// A confirmation dialog: a question, a confirm and a back-out button.
#[component]
fn ConfirmBox(
    #[prop(into)] id: String,
    question: Signal<&'static str>,
    confirm: Signal<&'static str>,
    back_out: Signal<&'static str>,
    open: RwSignal<bool>,
    pending: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let close = Callback::new(move |()| open.set(false));
    let labelled_by = id.clone();
    view! {
        <ConfirmDialog open labelled_by=labelled_by on_close=close>
            <div class="group">
                <p id=id>{question}</p>
                <ConfirmActions confirm back_out pending on_confirm on_back_out=close />
            </div>
        </ConfirmDialog>
    }
}

/// A date field's error, once the reader has tried to send the form.
fn date_error(tried: RwSignal<bool>, value: RwSignal<String>) -> Signal<Option<String>> {
    text_opt(move |locale| tried.get().then(|| parse_date(&value.get()).err().map(|e| e.message(locale))).flatten())
}

/// The values of the reschedule form and its request.
#[derive(Clone, Copy)]
struct Reschedule {
    starts_on: RwSignal<String>,
    ends_on: RwSignal<String>,
    tried: RwSignal<bool>,
    send: Action<RescheduleEngagement, ()>,
    pending: Memo<bool>,
}

impl Reschedule {
    fn new(view: &VoucherView, id: StoredValue<String>, changed: Changed) -> Reschedule {
        let reservation = view.voucher.reservation();
        let send = Action::new_local(move |body: &RescheduleEngagement| {
            let (id, body) = (id.get_value(), body.clone());
            async move {
                let result = api::reschedule(&id, &body).await;
                changed.run((result, crate::i18n::rescheduled_done));
            }
        });
        Reschedule {
            starts_on: RwSignal::new(reservation.map(|r| iso(r.starts_on)).unwrap_or_default()),
            ends_on: RwSignal::new(reservation.map(|r| iso(r.ends_on)).unwrap_or_default()),
            tried: RwSignal::new(false),
            send,
            pending: send.pending(),
        }
    }
}

#[component]
fn RescheduleForm(form: Reschedule) -> impl IntoView {
    let Reschedule { starts_on, ends_on, tried, send, pending } = form;
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        if pending.get_untracked()
            || parse_date(&starts_on.get_untracked()).is_err()
            || parse_date(&ends_on.get_untracked()).is_err()
        {
            return;
        }
        send.dispatch(RescheduleEngagement { starts_on: starts_on.get_untracked(), ends_on: ends_on.get_untracked() });
    };
    view! {
        <form class="card form" aria-labelledby="reschedule-title" novalidate on:submit=submit>
            <h2 id="reschedule-title">{tr!(reschedule_title)}</h2>
            <div class="field-row">
                <InputField
                    id="reschedule-starts"
                    label=tr!(starts_on_label)
                    kind="date"
                    value=starts_on
                    error=date_error(tried, starts_on)
                />
                <InputField
                    id="reschedule-ends"
                    label=tr!(ends_on_label)
                    kind="date"
                    value=ends_on
                    error=date_error(tried, ends_on)
                />
            </div>
            <button type="submit" class="button" disabled=move || pending.get()>
                {tr!(reschedule_button)}
            </button>
        </form>
    }
    .into_any()
}

/// The values of the completion report form, its deliverable's upload and its request.
#[derive(Clone, Copy)]
struct Report {
    consultant: StoredValue<String>,
    from: RwSignal<String>,
    through: RwSignal<String>,
    days: RwSignal<String>,
    offsite: RwSignal<String>,
    tried: RwSignal<bool>,
    /// The upload's progress in percent, while one runs.
    progress: RwSignal<Option<u32>>,
    /// The uploaded deliverables, in upload order (one or more, up to `MAX_DELIVERABLES`).
    documents: RwSignal<Vec<Document>>,
    file_error: RwSignal<Option<String>>,
    upload_error: RwSignal<Option<ApiError>>,
    /// The file chosen, kept to try its upload again.
    chosen: StoredValue<Option<web_sys::File>, LocalStorage>,
    send: Action<SubmitCompletionReport, ()>,
    pending: Memo<bool>,
}

impl Report {
    fn new(view: &VoucherView, id: StoredValue<String>, changed: Changed) -> Report {
        let reservation = view.voucher.reservation();
        let send = Action::new_local(move |body: &SubmitCompletionReport| {
            let (id, body) = (id.get_value(), body.clone());
            async move {
                let result = api::submit_completion_report(&id, &body).await;
                changed.run((result, crate::i18n::report_done));
            }
        });
        Report {
            consultant: StoredValue::new(reservation.map(|r| r.consultant_id.clone()).unwrap_or_default()),
            from: RwSignal::new(reservation.map(|r| iso(r.starts_on)).unwrap_or_default()),
            through: RwSignal::new(reservation.map(|r| iso(r.ends_on)).unwrap_or_default()),
            days: RwSignal::new(view.voucher.service_level.days().to_string()),
            offsite: RwSignal::new("0".to_owned()),
            tried: RwSignal::new(false),
            progress: RwSignal::new(None),
            documents: RwSignal::new(Vec::new()),
            file_error: RwSignal::new(None),
            upload_error: RwSignal::new(None),
            chosen: StoredValue::new_local(None),
            send,
            pending: send.pending(),
        }
    }

    /// Uploads the chosen file, following its progress.
    fn upload(self) {
        let Some(file) = self.chosen.get_value() else { return };
        let Report { progress, documents, upload_error, chosen, .. } = self;
        upload_error.set(None);
        progress.set(Some(0));
        leptos::task::spawn_local(async move {
            let result = api::upload_document(file, move |percent| progress.set(Some(percent))).await;
            progress.set(None);
            match result {
                Ok(stored) => {
                    chosen.set_value(None);
                    documents.update(|documents| {
                        if !documents.iter().any(|kept| kept.document_id == stored.document_id) {
                            documents.push(stored);
                        }
                    });
                }
                Err(error) => upload_error.set(Some(error)),
            }
        });
    }
}

/// The completion report (step 6) with the customer deliverable: the file is checked in the
/// browser by the shared crate (size, type by content, name), uploaded with a progress bar, and
/// can be retried on failure without losing the rest of the form.
#[component]
fn ReportForm(form: Report) -> impl IntoView {
    let locale = use_domain_locale();
    let Report { from, through, days, offsite, tried, progress, documents, file_error, upload_error, .. } = form;

    let on_file = move |event: web_sys::Event| {
        use wasm_bindgen::JsCast;
        file_error.set(None);
        upload_error.set(None);
        if documents.with_untracked(Vec::len) >= MAX_DELIVERABLES {
            let error = VoucherError::TooManyDeliverables { count: MAX_DELIVERABLES + 1 };
            file_error.set(Some(error.message(locale.get_untracked())));
            return;
        }
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
                    form.chosen.set_value(Some(file));
                    form.upload();
                }
                Err(error) => file_error.set(Some(error.message(locale.get_untracked()))),
            }
        });
    };
    let number_error = move |value: RwSignal<String>| {
        text_opt(move |locale| {
            (tried.get() && value.get().trim().parse::<u8>().is_err())
                .then(|| tr_in!(locale, whole_days_required).to_owned())
        })
    };
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        let (Ok(days_delivered), Ok(offsite_days)) =
            (days.get_untracked().trim().parse::<u8>(), offsite.get_untracked().trim().parse::<u8>())
        else {
            return;
        };
        if form.pending.get_untracked()
            || parse_date(&from.get_untracked()).is_err()
            || parse_date(&through.get_untracked()).is_err()
        {
            return;
        }
        let deliverable_document_ids: Vec<String> =
            documents.with_untracked(|documents| documents.iter().map(|stored| stored.document_id.clone()).collect());
        if deliverable_document_ids.is_empty() {
            file_error.set(Some(tr_in!(locale.get_untracked(), deliverable_required).to_owned()));
            return;
        }
        form.send.dispatch(SubmitCompletionReport {
            consultant_id: form.consultant.get_value(),
            delivered_from: from.get_untracked(),
            delivered_through: through.get_untracked(),
            days_delivered,
            offsite_days,
            deliverable_document_ids,
        });
    };
    let progress_text = text_with(move |locale| match progress.get() {
        Some(percent) => tr_in!(locale, upload_progress, &percent.to_string()),
        None => String::new(),
    });
    let uploading = move || progress.with(Option::is_some);
    // The uploaded files, each removable before the report is sent.
    let uploaded = move || {
        documents
            .get()
            .into_iter()
            .map(|stored| {
                let id = stored.document_id.clone();
                let remove = move |_| documents.update(|documents| documents.retain(|kept| kept.document_id != id));
                let name = stored.file_name.clone();
                view! {
                    <li>
                        <span>{text_with(move |locale| tr_in!(locale, upload_complete, &name))}</span>
                        " "
                        <button type="button" class="button button--small" on:click=remove>
                            {tr!(remove_deliverable)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let upload_failed = move || {
        upload_error.get().map(|error| {
            view! {
                <div class="notice notice--error" role="alert">
                    <p>{tr!(upload_failed)} " " {error_text(error)}</p>
                    <button type="button" class="button" on:click=move |_| form.upload()>
                        {tr!(retry_upload)}
                    </button>
                </div>
            }
        })
    };

    view! {
        <form class="card form" aria-labelledby="report-title" novalidate on:submit=submit>
            <h2 id="report-title">{tr!(report_title)}</h2>
            <p class="muted">{tr!(report_intro)}</p>
            <div class="field-row">
                <InputField
                    id="delivered-from"
                    label=tr!(delivered_from_label)
                    kind="date"
                    value=from
                    error=date_error(tried, from)
                />
                <InputField
                    id="delivered-through"
                    label=tr!(delivered_through_label)
                    kind="date"
                    value=through
                    error=date_error(tried, through)
                />
            </div>
            <div class="field-row">
                <InputField
                    id="days-delivered"
                    label=tr!(days_delivered_label)
                    kind="number"
                    value=days
                    error=number_error(days)
                />
                <InputField
                    id="offsite-days"
                    label=tr!(offsite_days_label)
                    kind="number"
                    value=offsite
                    error=number_error(offsite)
                />
            </div>
            <div class="field">
                <label for="deliverable">{tr!(deliverable_label)}</label>
                <p class="field__hint" id="deliverable-hint">
                    {tr!(deliverable_hint)}
                </p>
                <input
                    id="deliverable"
                    type="file"
                    accept=".pdf,.docx,.pptx,.xlsx"
                    aria-describedby="deliverable-hint deliverable-error"
                    on:change=on_file
                />
                <p
                    class="field__error"
                    id="deliverable-error"
                    role="alert"
                    hidden=move || file_error.with(Option::is_none)
                >
                    {move || file_error.get().unwrap_or_default()}
                </p>
                <ul class="upload-list">{uploaded}</ul>
                <div class="upload" hidden=move || progress.with(Option::is_none)>
                    <progress
                        max="100"
                        aria-labelledby="upload-status"
                        value=move || progress.get().unwrap_or(100).to_string()
                    ></progress>
                    <span id="upload-status" role="status">
                        {progress_text}
                    </span>
                </div>
                {upload_failed}
            </div>
            <button type="submit" class="button button--primary" disabled=move || form.pending.get() || uploading()>
                {tr!(submit_report_button)}
            </button>
        </form>
    }
    .into_any()
}

/// The first bytes of a file (its signature), read in the browser.
async fn first_bytes(file: &web_sys::File) -> Vec<u8> {
    let Ok(head) = file.slice_with_i32_and_i32(0, 8) else { return Vec::new() };
    match wasm_bindgen_futures::JsFuture::from(head.array_buffer()).await {
        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
        Err(_) => Vec::new(),
    }
}
