//! `/customer`: the customer's Planning Services benefit. Every licensing enrollment with its
//! benefit activation, remaining days and pool history; for the benefit administrator, the form
//! that creates a voucher and assigns it to a project manager, then the voucher number to share.

use leptos::prelude::*;
use planning_domain::api::vouchers::{CreateVoucher, Enrollment, PoolChange, VoucherView};
use planning_domain::voucher::check_benefit_activation;
use planning_domain::{Action as Permission, Localize, OfferingCode, ProgramAction, Role, ServiceLevel};

use crate::api::{self, ApiError};
use crate::components::data_table::{DataTable, Facts};
use crate::components::form_field::SelectField;
use crate::components::notice::ErrorNotice;
use crate::components::require_sign_in::RequireSignIn;
use crate::format::long_date;
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::program::{use_program_date, use_program_status};
use crate::state::session::use_session;

const ROLES: &[Role] = &[Role::CustomerBenefitAdministrator, Role::CustomerProjectManager];

#[component]
pub fn CustomerPage() -> impl IntoView {
    view! {
        <div class="group">
            <RequireSignIn roles=ROLES>
                <CustomerBenefits />
            </RequireSignIn>
        </div>
    }
}

/// The customer's pools of days as last received: they stay on screen while they are asked
/// again, and when asking again fails (the failure shows above them).
#[derive(Clone, Copy)]
struct Pools {
    list: Memo<Option<Vec<Enrollment>>>,
    error: Signal<Option<ApiError>>,
    resource: LocalResource<Result<Vec<Enrollment>, ApiError>>,
}

impl Pools {
    fn load() -> Pools {
        let resource = LocalResource::new(api::enrollments);
        let list = Memo::new(move |previous: Option<&Option<Vec<Enrollment>>>| {
            resource.with(|answer| match answer {
                Some(Ok(list)) => Some(list.clone()),
                _ => previous.cloned().flatten(),
            })
        });
        let error = Signal::derive(move || resource.with(|answer| answer.as_ref()?.as_ref().err().cloned()));
        Pools { list, error, resource }
    }

    /// Asks again; the pools on screen stay until the answer replaces them.
    fn reload(&self) {
        self.resource.refetch();
    }
}

/// The failure of an action's last run, if it failed.
fn action_error<I, T>(action: Action<I, Result<T, ApiError>>) -> Signal<Option<ApiError>>
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    Signal::derive(move || action.value().with(|value| value.as_ref()?.as_ref().err().cloned()))
}

#[component]
fn CustomerBenefits() -> impl IntoView {
    let session = use_session();
    let may_create = untrack(|| session.role()).is_some_and(|role| role.may(Permission::CreateVoucher));
    let pools = Pools::load();
    let cards = move || {
        let list = pools.list.get()?;
        Some(if list.is_empty() {
            view! { <p>{tr!(customer_no_enrollments)}</p> }.into_any()
        } else {
            let cards = list
                .into_iter()
                .map(|enrollment| view! { <EnrollmentCard enrollment may_activate=may_create pools /> })
                .collect_view();
            view! { <div class="group">{cards}</div> }.into_any()
        })
    };
    let create = may_create.then(|| view! { <CreateVoucherSection pools /> });
    view! {
        <div class="co-page">
            <h1>{tr!(customer_title)}</h1>
            <p class="lead">{tr!(customer_intro)}</p>
            <section aria-labelledby="pools-title">
                <h2 id="pools-title">{tr!(customer_pools_title)}</h2>
                <ErrorNotice error=pools.error />
                <div class="co-pools">{cards}</div>
            </section>
            {create}
        </div>
    }
}

#[component]
fn EnrollmentCard(enrollment: Enrollment, may_activate: bool, pools: Pools) -> impl IntoView {
    let Enrollment { enrollment_id, ends_on, benefit_activated_on, remaining_days } = enrollment;
    let today = use_program_date();
    let activate = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            let answer = api::activate_benefit(id).await;
            if answer.is_ok() {
                pools.reload();
            }
            answer
        }
    });
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
        let closed = text_with(move |locale| tr_in!(locale, customer_activation_closed, &long_date(ends_on, locale)));
        let id = enrollment_id.clone();
        let on_click = move |_| {
            activate.value().set(None);
            activate.dispatch(id.clone());
        };
        view! {
            <div class="group">
                <p class="co-muted" hidden=move || !ended.get()>
                    {closed}
                </p>
                <button type="button" class="button" hidden=ended disabled=activate.pending() on:click=on_click>
                    {tr!(customer_activate_button)}
                </button>
            </div>
        }
    });
    let open = RwSignal::new(false);
    let history = move || open.get().then(|| view! { <PoolHistory enrollment_id=enrollment_id.clone() /> });
    let (hide, show) = (tr!(customer_hide_history), tr!(customer_show_history));
    let toggle_label = move || if open.get() { hide.get() } else { show.get() };
    let facts = vec![
        (tr!(customer_benefit_label), view! { <span>{benefit}</span> }.into_any()),
        (
            tr!(customer_enrollment_ends),
            view! { <span>{text_with(move |locale| long_date(ends_on, locale))}</span> }.into_any(),
        ),
    ];
    view! {
        <article class="card co-pool" aria-label=title>
            <h3>{title}</h3>
            <p class="co-pool__days">
                <span class="co-pool__number">{remaining_days.to_string()}</span>
                " "
                <span>{tr!(customer_days_remaining)}</span>
            </p>
            <Facts pairs=facts />
            <ErrorNotice error=action_error(activate) />
            {activation}
            <button
                type="button"
                class="button button--quiet"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|open| *open = !*open)
            >
                {toggle_label}
            </button>
            <div class="co-history">{history}</div>
        </article>
    }
    .into_any()
}

/// A pool's history, asked for each time it is opened.
#[component]
fn PoolHistory(enrollment_id: String) -> impl IntoView {
    let entries = LocalResource::new(move || api::pool_history(enrollment_id.clone()));
    let error = Signal::derive(move || entries.with(|answer| answer.as_ref()?.as_ref().err().cloned()));
    let table = move || {
        let Some(Ok(entries)) = entries.get() else { return None };
        if entries.is_empty() {
            return Some(view! { <p>{tr!(customer_history_empty)}</p> }.into_any());
        }
        let rows = entries
            .into_iter()
            .map(|entry| {
                let reason = match entry.reason {
                    PoolChange::Accrued => tr!(customer_change_accrued),
                    PoolChange::VoucherCreated => tr!(customer_change_voucher_created),
                    PoolChange::VoucherExpired => tr!(customer_change_voucher_expired),
                    PoolChange::UnusedDaysRemoved => tr!(customer_change_unused_days_removed),
                };
                let change = if entry.change_days > 0 {
                    format!("+{}", entry.change_days)
                } else {
                    entry.change_days.to_string()
                };
                let on = entry.on_date;
                vec![
                    view! { <span>{text_with(move |locale| long_date(on, locale))}</span> }.into_any(),
                    view! { <span>{change}</span> }.into_any(),
                    view! { <span>{reason}</span> }.into_any(),
                    view! { <span>{entry.voucher_id.unwrap_or_default()}</span> }.into_any(),
                ]
            })
            .collect();
        let headings = vec![
            tr!(customer_history_date),
            tr!(customer_history_change),
            tr!(customer_history_reason),
            tr!(customer_history_voucher),
        ];
        Some(view! { <DataTable caption=tr!(customer_history_title) headings rows /> }.into_any())
    };
    view! {
        <div class="group">
            <ErrorNotice error />
            <div class="dynamic">{table}</div>
        </div>
    }
}

#[component]
fn CreateVoucherSection(pools: Pools) -> impl IntoView {
    let status = use_program_status();
    let creation = Memo::new(move |_| {
        status
            .get()
            .and_then(|status| status.actions.into_iter().find(|action| action.action == ProgramAction::CreateVoucher))
    });
    let created = RwSignal::new(None::<VoucherView>);
    let open = move || creation.get().is_some_and(|status| status.open);
    let closed = move || creation.get().is_some_and(|status| !status.open);
    let last_day = move |locale| creation.get().map(|status| long_date(status.last_day, locale)).unwrap_or_default();
    let closed_body = text_with(move |locale| tr_in!(locale, customer_creation_closed_body, &last_day(locale)));
    let open_until = text_with(move |locale| tr_in!(locale, customer_creation_open_until, &last_day(locale)));
    let voucher = move || created.get().map(|voucher| view! { <CreatedVoucher voucher /> });
    view! {
        <section class="card co-create" aria-labelledby="create-title">
            <h2 id="create-title">{tr!(customer_create_title)}</h2>
            <div class="group">{voucher}</div>
            <div class="notice notice--info" role="note" hidden=move || !closed()>
                <p class="notice__title">{tr!(customer_creation_closed_title)}</p>
                <p>{closed_body}</p>
            </div>
            <div class="group" hidden=move || !open()>
                <p class="co-muted">{open_until}</p>
                <CreateVoucherForm pools created />
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn CreateVoucherForm(pools: Pools, created: RwSignal<Option<VoucherView>>) -> impl IntoView {
    let locale = use_domain_locale();
    let managers = LocalResource::new(api::users);
    let (enrollment, offering, level, assignee) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let submitted = RwSignal::new(false);
    let create = Action::new_local(move |body: &CreateVoucher| {
        let body = body.clone();
        async move {
            let answer = match api::create_voucher(body).await {
                Ok(voucher) => {
                    created.set(Some(voucher));
                    submitted.set(false);
                    level.set(String::new());
                    Ok(())
                }
                Err(error) => Err(error),
            };
            // The pool changed either way (or someone else changed it: a refusal says so).
            pools.reload();
            answer
        }
    });

    // Only pools whose benefit is active and that still hold days can give a voucher.
    let usable = Memo::new(move |_| {
        pools
            .list
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
    // Only the service levels the chosen pool can pay for and an engagement of the chosen
    // offering can use (the domain's creation rule, `OfferingCode::largest_usable_days`).
    let level_choices = Signal::derive(move || {
        let (locale, remaining) = (locale.get(), remaining.get());
        let usable_days = offering.with(|label| {
            OfferingCode::ACTIVE
                .into_iter()
                .find(|code| code.details().label == label)
                .map_or(u8::MAX, OfferingCode::largest_usable_days)
        });
        ServiceLevel::ALL
            .iter()
            .filter(|level| u32::from(level.days()) <= remaining && level.days() <= usable_days)
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
        managers.with(|answer| match answer {
            Some(Ok(users)) => users
                .iter()
                .filter(|user| user.role == Role::CustomerProjectManager && !user.disabled)
                .map(|user| (user.email.clone(), format!("{} <{}>", user.display_name, user.email)))
                .collect(),
            _ => Vec::new(),
        })
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
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        create.value().set(None);
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
        create.dispatch(body);
    };
    let no_managers =
        move || managers.with(|answer| matches!(answer, Some(Ok(_)))) && manager_choices.with(Vec::is_empty);
    let nothing_usable = move || pools.list.with(Option::is_some) && usable.with(Vec::is_empty);
    let pending = create.pending();
    view! {
        <div class="group">
            <p class="co-muted" hidden=move || !nothing_usable()>
                {tr!(customer_no_usable_pool)}
            </p>
            <p class="co-muted" hidden=move || !no_managers()>
                {tr!(customer_no_project_managers)}
            </p>
            <form class="form co-form" hidden=nothing_usable novalidate on:submit=submit>
                <ErrorNotice error=action_error(create) />
                <SelectField
                    id="voucher-enrollment"
                    label=tr!(customer_enrollment_label)
                    value=enrollment
                    choose=tr!(customer_choose)
                    options=enrollment_choices
                    error=required(enrollment)
                />
                <SelectField
                    id="voucher-offering"
                    label=tr!(customer_offering_label)
                    value=offering
                    choose=tr!(customer_choose)
                    options=offering_choices
                    error=required(offering)
                />
                <LevelField value=level options=level_choices error=required(level) hint=levels_hint />
                <SelectField
                    id="voucher-assignee"
                    label=tr!(customer_assignee_label)
                    value=assignee
                    choose=tr!(customer_choose)
                    options=manager_choices
                    error=required(assignee)
                />
                <button
                    type="submit"
                    class="button button--primary"
                    disabled=move || pending.get() || no_managers()
                >
                    {tr!(customer_create_button)}
                </button>
            </form>
        </div>
    }
    .into_any()
}

/// The service level `<select>`: the shared select field's markup, with the days the chosen
/// pool holds said beneath its error.
#[component]
fn LevelField(
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
    error: Signal<Option<String>>,
    hint: Signal<String>,
) -> impl IntoView {
    let items = move || {
        options
            .get()
            .into_iter()
            .map(|(option, text)| {
                let selected = option == value.get_untracked();
                view! { <option value=option selected=selected>{text}</option> }
            })
            .collect_view()
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    view! {
        <div class="field">
            <label for="voucher-level">{tr!(customer_level_label)}</label>
            <select
                id="voucher-level"
                name="voucher-level"
                aria-describedby="voucher-level-error"
                aria-invalid=invalid
                prop:value=value
                on:change=move |event| value.set(event_target_value(&event))
            >
                <option value="" selected=move || value.with(String::is_empty)>
                    {tr!(customer_choose)}
                </option>
                {items}
            </select>
            <p class="field__error" id="voucher-level-error" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
            <p class="field__hint">{hint}</p>
        </div>
    }
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

#[component]
fn CreatedVoucher(voucher: VoucherView) -> impl IntoView {
    let id = voucher.voucher.id.as_str().to_owned();
    let email = voucher.voucher.assignee_email.as_str().to_owned();
    let expires_on = voucher.voucher.expires_on;
    // Whether the last copy worked; a plain task sets it (an `Action` costs kilobytes of wasm).
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
    let on_copy = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move { copied.set(Some(copy_to_clipboard(id).await)) });
        }
    };
    view! {
        <div class="notice notice--success co-created" role="status">
            <p class="notice__title">{summary}</p>
            <p class="co-created__id">
                <span>{tr!(customer_voucher_id_label)}</span>
                " "
                <code data-testid="created-voucher-id">{id}</code>
                " "
                <button type="button" class="button button--quiet" on:click=on_copy>
                    {tr!(customer_copy_button)}
                </button>
                " "
                <span aria-live="polite">{copy_result}</span>
            </p>
            <p class="notice__title">{tr!(customer_share_title)}</p>
            <ol class="co-steps">
                <li>
                    {tr!(customer_share_step_find)}
                    " "
                    <a href="/directory">{tr!(customer_share_directory_link)}</a>
                </li>
                <li>{share}</li>
                <li>
                    {tr!(customer_share_step_track)}
                    " "
                    <a href="/vouchers">{tr!(customer_share_vouchers_link)}</a>
                </li>
            </ol>
        </div>
    }
    .into_any()
}
