//! `/customer`: the customer's Planning Services benefit. Every licensing enrollment with its
//! benefit activation, remaining days and pool history; for the benefit administrator, the form
//! that creates a voucher and assigns it to a project manager, then the voucher number to share.

use leptos::prelude::*;
use planning_domain::api::vouchers::{CreateVoucher, Enrollment, PoolChange, VoucherView};
use planning_domain::voucher::check_benefit_activation;
use planning_domain::{Action as Permission, Localize, OfferingCode, ProgramAction, Role, ServiceLevel};

use crate::api::{self, ApiError};
use crate::components::data_table::{data_table, facts, span, span_signal};
use crate::components::form_field::Field;
use crate::components::notice::error_notice;
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, link, text_el, tr_el, El};
use crate::format::long_date;
use crate::loader::{load, Loaded};
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::program::{use_program_date, use_program_status};
use crate::state::session::use_session;

pub fn customer_page() -> El {
    require_sign_in(&[Role::CustomerBenefitAdministrator, Role::CustomerProjectManager], customer_benefits)
}

fn customer_benefits() -> El {
    let session = use_session();
    let may_create = untrack(|| session.role()).is_some_and(|role| role.may(Permission::CreateVoucher));
    let enrollments = load(api::enrollments);
    let pools = div("co-pools").dynamic(move || {
        let list = enrollments.data.get()?;
        if list.is_empty() {
            return Some(tr_el("p", tr!(customer_no_enrollments)));
        }
        Some(group(list.into_iter().map(|enrollment| enrollment_card(enrollment, may_create, enrollments)).collect()))
    });
    el("div")
        .class("co-page")
        .child(tr_el("h1", tr!(customer_title)))
        .child(tr_el("p", tr!(customer_intro)).class("lead"))
        .child(
            el("section")
                .attr("aria-labelledby", "pools-title")
                .child(tr_el("h2", tr!(customer_pools_title)).id("pools-title"))
                .child(error_notice(enrollments.error.into()))
                .child(pools),
        )
        .maybe(may_create.then(|| create_voucher_section(enrollments)))
}

fn enrollment_card(enrollment: Enrollment, may_activate: bool, enrollments: Loaded<Vec<Enrollment>>) -> El {
    let Enrollment { enrollment_id, ends_on, benefit_activated_on, remaining_days } = enrollment;
    let today = use_program_date();
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let benefit = text_with(move |locale| match benefit_activated_on {
        Some(on) => tr_in!(locale, customer_benefit_activated_on, &long_date(on, locale)),
        None => tr_in!(locale, customer_benefit_not_activated).to_owned(),
    });
    let title = text_with({
        let id = enrollment_id.clone();
        move |locale| tr_in!(locale, customer_enrollment_title, &id)
    });
    // The shared rule: activation is possible while the licensing enrollment is active.
    let activation = (benefit_activated_on.is_none() && may_activate).then(|| {
        let ended =
            Signal::derive(move || today.get().is_some_and(|today| check_benefit_activation(ends_on, today).is_err()));
        let id = enrollment_id.clone();
        group(vec![
            el("p").class("co-muted").visible(ended).text_signal(text_with(move |locale| {
                tr_in!(locale, customer_activation_closed, &long_date(ends_on, locale))
            })),
            button("button", tr!(customer_activate_button))
                .visible(Signal::derive(move || !ended.get()))
                .flag_signal("disabled", pending.into())
                .on_click(move || {
                    let id = id.clone();
                    failure.set(None);
                    pending.set(true);
                    leptos::task::spawn_local(async move {
                        match api::activate_benefit(id).await {
                            Ok(_) => enrollments.reload(),
                            Err(error) => failure.set(Some(error)),
                        }
                        pending.set(false);
                    });
                }),
        ])
    });
    let open = RwSignal::new(false);
    let history_id = enrollment_id.clone();
    let history = div("co-history").dynamic(move || {
        if !open.get() {
            return None;
        }
        let entries = load({
            let id = history_id.clone();
            move || api::pool_history(id.clone())
        });
        Some(div("group").child(error_notice(entries.error.into())).dynamic(move || {
            let entries = entries.data.get()?;
            if entries.is_empty() {
                return Some(tr_el("p", tr!(customer_history_empty)));
            }
            let rows = entries
                .into_iter()
                .map(|entry| {
                    let reason = match entry.reason {
                        PoolChange::Accrued => tr!(customer_change_accrued),
                        PoolChange::VoucherCreated => tr!(customer_change_voucher_created),
                        PoolChange::VoucherExpired => tr!(customer_change_voucher_expired),
                    };
                    let change = if entry.change_days > 0 {
                        format!("+{}", entry.change_days)
                    } else {
                        entry.change_days.to_string()
                    };
                    let on = entry.on_date;
                    vec![
                        span_signal(text_with(move |locale| long_date(on, locale))),
                        span(&change),
                        el("span").tr(reason),
                        span(entry.voucher_id.as_deref().unwrap_or_default()),
                    ]
                })
                .collect();
            Some(data_table(
                tr!(customer_history_title),
                vec![
                    tr!(customer_history_date),
                    tr!(customer_history_change),
                    tr!(customer_history_reason),
                    tr!(customer_history_voucher),
                ],
                rows,
            ))
        }))
    });
    let toggle_label =
        Signal::derive(
            move || if open.get() { tr!(customer_hide_history).get() } else { tr!(customer_show_history).get() },
        );
    el("article")
        .class("card co-pool")
        .attr_signal("aria-label", Signal::derive(move || Some(title.get())))
        .child(el("h3").text_signal(title))
        .child(
            el("p")
                .class("co-pool__days")
                .child(text_el("span", &remaining_days.to_string()).class("co-pool__number"))
                .text(" ")
                .child(el("span").tr(tr!(customer_days_remaining))),
        )
        .child(facts(vec![
            (tr!(customer_benefit_label), span_signal(benefit)),
            (tr!(customer_enrollment_ends), span_signal(text_with(move |locale| long_date(ends_on, locale)))),
        ]))
        .child(error_notice(failure.into()))
        .maybe(activation)
        .child(
            el("button")
                .attr("type", "button")
                .class("button button--quiet")
                .attr_signal("aria-expanded", Signal::derive(move || Some(open.get().to_string())))
                .tr(toggle_label)
                .on_click(move || open.update(|open| *open = !*open)),
        )
        .child(history)
}

fn create_voucher_section(enrollments: Loaded<Vec<Enrollment>>) -> El {
    let status = use_program_status();
    let creation = Memo::new(move |_| {
        status
            .get()
            .and_then(|status| status.actions.into_iter().find(|action| action.action == ProgramAction::CreateVoucher))
    });
    let created = RwSignal::new(None::<VoucherView>);
    let open = Signal::derive(move || creation.get().is_some_and(|status| status.open));
    let closed = Signal::derive(move || creation.get().is_some_and(|status| !status.open));
    let last_day = move |locale| creation.get().map(|status| long_date(status.last_day, locale)).unwrap_or_default();
    el("section")
        .class("card co-create")
        .attr("aria-labelledby", "create-title")
        .child(tr_el("h2", tr!(customer_create_title)).id("create-title"))
        .child(div("group").dynamic(move || created.get().map(created_voucher)))
        .child(
            el("div")
                .class("notice notice--info")
                .attr("role", "note")
                .visible(closed)
                .child(tr_el("p", tr!(customer_creation_closed_title)).class("notice__title"))
                .child(el("p").text_signal(text_with(move |locale| {
                    tr_in!(locale, customer_creation_closed_body, &last_day(locale))
                }))),
        )
        .child(
            div("group")
                .visible(open)
                .child(el("p").class("co-muted").text_signal(text_with(move |locale| {
                    tr_in!(locale, customer_creation_open_until, &last_day(locale))
                })))
                .child(create_voucher_form(enrollments, created)),
        )
}

fn create_voucher_form(enrollments: Loaded<Vec<Enrollment>>, created: RwSignal<Option<VoucherView>>) -> El {
    let locale = use_domain_locale();
    let managers = load(api::users);
    let (enrollment, offering, level, assignee) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let submitted = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    // Only pools whose benefit is active and that still hold days can give a voucher.
    let usable = Memo::new(move |_| {
        enrollments
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|pool| pool.benefit_activated_on.is_some() && pool.remaining_days > 0)
            .collect::<Vec<_>>()
    });
    let remaining = Signal::derive(move || {
        usable
            .get()
            .into_iter()
            .find(|pool| pool.enrollment_id == enrollment.get())
            .map_or(0, |pool| pool.remaining_days)
    });
    let enrollment_choices = Signal::derive(move || {
        let locale = locale.get();
        usable
            .get()
            .into_iter()
            .map(|pool| {
                let words =
                    tr_in!(locale, customer_enrollment_choice, &pool.enrollment_id, &pool.remaining_days.to_string());
                (pool.enrollment_id, words)
            })
            .collect()
    });
    // The six offerings of the final catalog take new vouchers (the retired cloud type does not).
    let offering_choices = Signal::derive(move || {
        let locale = locale.get();
        OfferingCode::ACTIVE.iter().map(|code| (code.details().label.to_owned(), code.message(locale))).collect()
    });
    // Only the service levels the chosen pool can pay for.
    let level_choices = Signal::derive(move || {
        let (locale, remaining) = (locale.get(), remaining.get());
        ServiceLevel::ALL
            .iter()
            .filter(|level| u32::from(level.days()) <= remaining)
            .map(|level| {
                let words = match level.days() {
                    1 => tr_in!(locale, customer_level_one_day).to_owned(),
                    days => tr_in!(locale, customer_level_choice, &days.to_string()),
                };
                (level.days().to_string(), words)
            })
            .collect()
    });
    let manager_choices = Signal::derive(move || {
        managers
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|user| user.role == Role::CustomerProjectManager && !user.disabled)
            .map(|user| (user.email.clone(), format!("{} <{}>", user.display_name, user.email)))
            .collect()
    });
    // A level the pool no longer covers (after a refusal, say) is not kept.
    Effect::new(move |_| {
        let choices: Vec<(String, String)> = level_choices.get();
        if !choices.iter().any(|(value, _)| *value == level.get_untracked()) {
            level.set(String::new());
        }
    });
    let required = move |value: RwSignal<String>| {
        text_opt(move |locale| {
            (submitted.get() && value.with(String::is_empty))
                .then(|| tr_in!(locale, customer_choose_required).to_owned())
        })
    };
    let levels_hint = text_with(move |locale| tr_in!(locale, customer_level_hint, &remaining.get().to_string()));
    let submit = move || {
        submitted.set(true);
        failure.set(None);
        let offering = OfferingCode::ACTIVE.into_iter().find(|code| code.details().label == offering.get_untracked());
        let (Some(offering), Ok(service_level)) = (offering, level.get_untracked().parse::<u8>()) else { return };
        if enrollment.with_untracked(String::is_empty) || assignee.with_untracked(String::is_empty) {
            return;
        }
        let body = CreateVoucher {
            enrollment_id: enrollment.get_untracked(),
            offering,
            service_level,
            assignee_email: assignee.get_untracked(),
        };
        created.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::create_voucher(body).await {
                Ok(voucher) => {
                    created.set(Some(voucher));
                    submitted.set(false);
                    level.set(String::new());
                }
                Err(error) => failure.set(Some(error)),
            }
            // The pool changed either way (or someone else changed it: a refusal says so).
            enrollments.reload();
            pending.set(false);
        });
    };
    let no_managers =
        Signal::derive(move || managers.data.with(|data| data.is_some()) && manager_choices.with(Vec::is_empty));
    let nothing_usable =
        Signal::derive(move || enrollments.data.with(|data| data.is_some()) && usable.with(Vec::is_empty));
    group(vec![
        tr_el("p", tr!(customer_no_usable_pool)).class("co-muted").visible(nothing_usable),
        tr_el("p", tr!(customer_no_project_managers)).class("co-muted").visible(no_managers),
        el("form")
            .class("form co-form")
            .visible(Signal::derive(move || !nothing_usable.get()))
            .on_submit(submit)
            .child(error_notice(failure.into()))
            .child(Field::new("voucher-enrollment", tr!(customer_enrollment_label)).select(
                enrollment,
                tr!(customer_choose),
                enrollment_choices,
                required(enrollment),
            ))
            .child(Field::new("voucher-offering", tr!(customer_offering_label)).select(
                offering,
                tr!(customer_choose),
                offering_choices,
                required(offering),
            ))
            .child(
                Field::new("voucher-level", tr!(customer_level_label))
                    .select(level, tr!(customer_choose), level_choices, required(level))
                    .child(el("p").class("field__hint").text_signal(levels_hint)),
            )
            .child(Field::new("voucher-assignee", tr!(customer_assignee_label)).select(
                assignee,
                tr!(customer_choose),
                manager_choices,
                required(assignee),
            ))
            .child(
                el("button")
                    .attr("type", "submit")
                    .class("button button--primary")
                    .flag_signal("disabled", Signal::derive(move || pending.get() || no_managers.get()))
                    .tr(tr!(customer_create_button)),
            ),
    ])
}

/// Copies `text` to the clipboard through `navigator.clipboard.writeText`.
async fn copy_to_clipboard(text: String) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return false };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).unwrap_or_default();
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|write| write.dyn_into::<js_sys::Function>().ok());
    let Some(write) = write else { return false };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else { return false };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else { return false };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

fn created_voucher(voucher: VoucherView) -> El {
    let id = voucher.voucher.id.as_str().to_owned();
    let email = voucher.voucher.assignee_email.as_str().to_owned();
    let expires_on = voucher.voucher.expires_on;
    let copied = RwSignal::new(None::<bool>);
    let summary = text_with({
        let (id, email) = (id.clone(), email.clone());
        move |locale| tr_in!(locale, customer_created, &id, &email)
    });
    let copy_result = text_with(move |locale| match copied.get() {
        Some(true) => tr_in!(locale, customer_copied).to_owned(),
        Some(false) => tr_in!(locale, customer_copy_failed).to_owned(),
        None => String::new(),
    });
    let share =
        text_with(move |locale| tr_in!(locale, customer_share_step_give, &email, &long_date(expires_on, locale)));
    let copy_id = id.clone();
    el("div")
        .class("notice notice--success co-created")
        .attr("role", "status")
        .child(el("p").class("notice__title").text_signal(summary))
        .child(
            el("p")
                .class("co-created__id")
                .child(el("span").tr(tr!(customer_voucher_id_label)))
                .text(" ")
                .child(text_el("code", &id).attr("data-testid", "created-voucher-id"))
                .text(" ")
                .child(button("button button--quiet", tr!(customer_copy_button)).on_click(move || {
                    let id = copy_id.clone();
                    leptos::task::spawn_local(async move { copied.set(Some(copy_to_clipboard(id).await)) });
                }))
                .text(" ")
                .child(el("span").attr("aria-live", "polite").text_signal(copy_result)),
        )
        .child(tr_el("p", tr!(customer_share_title)).class("notice__title"))
        .child(
            el("ol")
                .class("co-steps")
                .child(
                    el("li")
                        .tr(tr!(customer_share_step_find))
                        .text(" ")
                        .child(link("/directory", tr!(customer_share_directory_link))),
                )
                .child(el("li").text_signal(share))
                .child(
                    el("li")
                        .tr(tr!(customer_share_step_track))
                        .text(" ")
                        .child(link("/vouchers", tr!(customer_share_vouchers_link))),
                ),
        )
}
