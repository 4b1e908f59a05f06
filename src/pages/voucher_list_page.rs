//! `/vouchers`: every voucher the reader may see (the server scopes the list by role), with
//! filters, sorting and pages that stay quick at 10,000 rows (filtering runs on the loaded list;
//! only one page of rows is in the DOM), bulk redemption with confirmation, and CSV export.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;
use planning_domain::api::vouchers::{RedeemVouchers, RedemptionOutcome, RedemptionResult, VoucherView};
use planning_domain::listing::status_key;
use planning_domain::{Action as Permission, Localize, OfferingCode, Role, VoucherStatus};

use crate::api::{self, ApiError};
use crate::components::confirm_dialog::{ConfirmActions, ConfirmDialog};
use crate::components::form_field::{InputField, SelectField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::components::voucher_status::VoucherStatusBadge;
use crate::format::{countdown, day_count, days_until, iso, long_date, short_date};
use crate::state::locale::{text_vec, text_with, use_domain_locale};
use crate::state::program::use_program_date;
use crate::state::resource::submit;
use crate::state::session::use_session;

/// Rows per page: enough to scan, few enough that every interaction re-renders instantly.
const PAGE_SIZE: usize = 50;
/// "Expiring soon" means within this many days of the program date.
const EXPIRING_SOON_DAYS: i64 = 30;

const ALL_ROLES: &[Role] = &[
    Role::PartnerGlobalAdmin,
    Role::MpnPartnerAdmin,
    Role::Consultant,
    Role::CustomerBenefitAdministrator,
    Role::CustomerProjectManager,
];

/// The loaded list, shared (not copied) between the resource, the page and its rows.
type Vouchers = Option<Arc<api::VoucherList>>;
type VoucherResource = LocalResource<Result<Arc<api::VoucherList>, ApiError>>;

#[component]
pub fn VoucherListPage() -> impl IntoView {
    // Asked at once, beside the session, rather than after it: the list is what the page waits
    // for (a signed-out reader's request is refused and never shown; the guard redirects).
    let resource: VoucherResource = LocalResource::new(|| async { api::list_vouchers().await.map(Arc::new) });
    // The last list loaded stays on screen while it is asked for again, and when that fails.
    let data = RwSignal::new(None::<Arc<api::VoucherList>>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        resource.with(|result| match result {
            Some(Ok(list)) => {
                data.set(Some(Arc::clone(list)));
                error.set(None);
            }
            Some(Err(failure)) => error.set(Some(failure.clone())),
            None => {}
        })
    });
    view! {
        <RequireSignIn roles=ALL_ROLES>
            <VoucherList data error resource />
        </RequireSignIn>
    }
}

/// The list's filter and sort settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub status: Option<VoucherStatus>,
    pub offering: Option<OfferingCode>,
    pub search: String,
    pub expiring_soon: bool,
    pub sort: SortKey,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Expiry,
    Voucher,
    Customer,
    Status,
}

/// Filters and sorts the loaded vouchers: a pure function, measured in the page for #10.
pub fn filter_and_sort(vouchers: &[VoucherView], query: &ListQuery, today: NaiveDate) -> Vec<usize> {
    let needle = query.search.trim().to_lowercase();
    let mut rows: Vec<usize> = vouchers
        .iter()
        .enumerate()
        .filter(|(_, view)| query.status.is_none_or(|status| view.status == status))
        .filter(|(_, view)| query.offering.is_none_or(|offering| view.voucher.offering == offering))
        .filter(|(_, view)| {
            !query.expiring_soon
                || (matches!(view.status, VoucherStatus::Assigned | VoucherStatus::Reserved)
                    && (0..=EXPIRING_SOON_DAYS).contains(&days_until(today, view.voucher.expires_on)))
        })
        .filter(|(_, view)| {
            needle.is_empty()
                || view.voucher.id.as_str().contains(&needle)
                || view.customer_name.to_lowercase().contains(&needle)
                || view.partner_name.as_deref().is_some_and(|name| name.to_lowercase().contains(&needle))
        })
        .map(|(index, _)| index)
        .collect();
    rows.sort_by(|&a, &b| {
        let (a, b) = (&vouchers[a], &vouchers[b]);
        let order = match query.sort {
            SortKey::Expiry => a.voucher.expires_on.cmp(&b.voucher.expires_on),
            SortKey::Voucher => a.voucher.id.cmp(&b.voucher.id),
            SortKey::Customer => a.customer_name.cmp(&b.customer_name),
            SortKey::Status => (a.status as u8).cmp(&(b.status as u8)),
        }
        .then_with(|| a.voucher.id.cmp(&b.voucher.id));
        if query.descending {
            order.reverse()
        } else {
            order
        }
    });
    rows
}

/// Whether a partner admin may redeem this voucher now: reserved with its report filed.
fn redeemable(view: &VoucherView) -> bool {
    view.status == VoucherStatus::Reserved && view.voucher.completion_report().is_some()
}

/// The vouchers of a loaded list (none before it arrives).
fn vouchers_of(list: &Vouchers) -> &[VoucherView] {
    list.as_deref().map_or(&[], |list| list.vouchers.as_slice())
}

#[component]
fn VoucherList(
    data: RwSignal<Vouchers>,
    error: RwSignal<Option<ApiError>>,
    resource: VoucherResource,
) -> impl IntoView {
    let session = use_session();
    let locale = use_domain_locale();
    let today = use_program_date();

    let status = RwSignal::new(String::new());
    let offering = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let expiring_soon = RwSignal::new(false);
    let sort = RwSignal::new(String::new());
    let page = RwSignal::new(0_usize);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let confirming = RwSignal::new(false);
    let outcome = RwSignal::new(None::<String>);

    let query = Memo::new(move |_| ListQuery {
        status: parse_status(&status.get()),
        offering: parse_offering(&offering.get()),
        search: search.get(),
        expiring_soon: expiring_soon.get(),
        sort: match sort.get().trim_end_matches("-desc") {
            "voucher" => SortKey::Voucher,
            "customer" => SortKey::Customer,
            "status" => SortKey::Status,
            _ => SortKey::Expiry,
        },
        descending: sort.get().ends_with("-desc"),
    });
    let rows = Memo::new(move |_| {
        let query = query.get();
        let today = today.get().unwrap_or_default();
        data.with(|list| filter_and_sort(vouchers_of(list), &query, today))
    });
    // A new filter starts at the first page.
    Effect::new(move |_| {
        query.track();
        page.set(0);
    });

    let may = move |permission: Permission| session.role().is_some_and(|role| role.may(permission));
    // The redemption's answer, set by a plain task (see `state::resource::submit`).
    let pending = RwSignal::new(false);
    let redeemed = RwSignal::new(None::<Result<Vec<RedemptionOutcome>, ApiError>>);
    Effect::new(move |_| {
        redeemed.with(|result| {
            let Some(result) = result else { return };
            confirming.set(false);
            let locale = locale.get_untracked();
            match result {
                Ok(outcomes) => {
                    let mut lines = Vec::new();
                    let mut redeemed = 0;
                    for item in outcomes {
                        match &item.result {
                            RedemptionResult::Redeemed(_) => redeemed += 1,
                            RedemptionResult::Refused(error) => {
                                lines.push(format!("{}: {}", item.voucher_id, error.messages.get(locale)))
                            }
                        }
                    }
                    lines.insert(0, tr_in!(locale, vouchers_redeemed_count, &redeemed.to_string()));
                    outcome.set(Some(lines.join("\n")));
                    selected.set(BTreeSet::new());
                    resource.refetch();
                }
                Err(error) => outcome.set(Some(
                    error.server_message(locale).unwrap_or_else(|| tr_in!(locale, network_error).to_owned()),
                )),
            }
        })
    });
    let on_redeem = move |()| {
        let body = RedeemVouchers { voucher_ids: selected.get_untracked().into_iter().collect() };
        submit(pending, Box::pin(async move { redeemed.set(Some(api::redeem_vouchers(&body).await)) }));
    };

    let export_csv = move |_| {
        let locale = locale.get_untracked();
        let csv = data.with_untracked(|list| {
            let vouchers = vouchers_of(list);
            voucher_csv(rows.get_untracked().iter().map(|&index| &vouchers[index]), locale)
        });
        crate::format::download_text("vouchers.csv", "text/csv", &csv);
    };

    // One page of rows, built again when the page, the list, the filters or the language change
    // (the check boxes follow the selection by themselves).
    let table_rows = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let first = page.get() * PAGE_SIZE;
        let can_redeem = may(Permission::RedeemVoucher);
        rows.with(|rows| {
            data.with(|list| {
                let vouchers = vouchers_of(list);
                rows.iter()
                    .skip(first)
                    .take(PAGE_SIZE)
                    .map(|&index| voucher_row(&vouchers[index], locale, today, can_redeem, selected))
                    .collect::<Vec<_>>()
            })
        })
    };

    let summary = text_with(move |locale| {
        let total = rows.with(Vec::len);
        if total == 0 {
            return String::new();
        }
        let first = page.get() * PAGE_SIZE;
        let last = (first + PAGE_SIZE).min(total);
        tr_in!(locale, list_range, &(first + 1).to_string(), &last.to_string(), &total.to_string())
    });
    let last_page = move || rows.with(Vec::len).saturating_sub(1) / PAGE_SIZE;
    let on_last_page = move || page.get() >= last_page();
    let selected_count = Signal::derive(move || selected.with(BTreeSet::len));
    let selected_text = text_with(move |locale| tr_in!(locale, vouchers_selected, &selected_count.get().to_string()));
    let confirm_text = text_with(move |locale| tr_in!(locale, confirm_redeem_body, &selected_count.get().to_string()));
    let truncated_text = text_with(move |locale| {
        tr_in!(locale, vouchers_truncated, &crate::format::count(api::VOUCHERS_IN_BROWSER, locale))
    });
    let reserve_link = move || {
        may(Permission::ReserveVoucher).then(|| {
            view! {
                <a class="button button--primary" href="/vouchers/reserve">
                    {tr!(reserve_voucher_link)}
                </a>
            }
        })
    };
    let close = Callback::new(move |()| confirming.set(false));
    let header_cells = [
        tr!(column_voucher),
        tr!(column_offering),
        tr!(column_customer),
        tr!(column_partner),
        tr!(column_status),
        tr!(column_schedule),
        tr!(column_expires),
    ]
    .map(|label| view! { <th scope="col">{label}</th> });

    view! {
        <div class="group">
            <div class="page-heading">
                <h1>{tr!(vouchers_title)}</h1>
                <div class="page-heading__actions">
                    <button type="button" class="button" on:click=export_csv>
                        {tr!(export_csv)}
                    </button>
                    {reserve_link}
                </div>
            </div>
            <ErrorNotice error=error />
            <form
                class="card filters"
                role="search"
                novalidate
                on:submit=|event: web_sys::SubmitEvent| event.prevent_default()
            >
                <SelectField
                    id="filter-status"
                    label=tr!(filter_status)
                    value=status
                    choose=tr!(filter_any)
                    options=status_options(locale)
                    error=no_error()
                />
                <SelectField
                    id="filter-offering"
                    label=tr!(filter_offering)
                    value=offering
                    choose=tr!(filter_any)
                    options=offering_options()
                    error=no_error()
                />
                <InputField id="filter-search" label=tr!(filter_search) kind="search" value=search error=no_error() />
                <SelectField
                    id="sort"
                    label=tr!(sort_label)
                    value=sort
                    choose=tr!(sort_default)
                    options=sort_options()
                    error=no_error()
                />
                <label class="checkbox">
                    <input type="checkbox" bind:checked=expiring_soon />
                    <span>{tr!(filter_expiring_soon)}</span>
                </label>
            </form>
            <div
                class="card bulk-bar"
                role="region"
                aria-label=tr!(bulk_redeem_region)
                hidden=move || selected_count.get() == 0
            >
                <p>{selected_text}</p>
                <button type="button" class="button button--primary" on:click=move |_| confirming.set(true)>
                    {tr!(redeem_selected)}
                </button>
            </div>
            <ConfirmDialog
                open=confirming
                labelled_by="confirm-redeem-title"
                on_close=close
                attr:aria-describedby="confirm-redeem-body"
            >
                <div class="group">
                    <h2 id="confirm-redeem-title">{tr!(confirm_redeem_title)}</h2>
                    <p id="confirm-redeem-body">{confirm_text}</p>
                    <ConfirmActions
                        confirm=tr!(confirm_redeem)
                        back_out=tr!(cancel)
                        pending
                        on_confirm=Callback::new(on_redeem)
                        on_back_out=close
                    />
                </div>
            </ConfirmDialog>
            <SuccessNotice message=outcome />
            <p class="muted" role="status">{summary}</p>
            <p
                class="notice"
                hidden=move || !data.with(|list| list.as_ref().is_some_and(|list| list.truncated))
            >
                {truncated_text}
            </p>
            <div class="table-scroll" role="group" tabindex="0" aria-label=tr!(vouchers_title)>
                <table class="data-table">
                    <caption class="visually-hidden">{tr!(vouchers_title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">
                                <span class="visually-hidden">{tr!(select_column)}</span>
                            </th>
                            {header_cells}
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
            <p class="empty" hidden=move || !(data.with(Option::is_some) && rows.with(Vec::is_empty))>
                {tr!(vouchers_empty)}
            </p>
            <nav class="pager" aria-label=tr!(pages_label)>
                <button
                    type="button"
                    class="button"
                    disabled=move || page.get() == 0
                    on:click=move |_| page.update(|page| *page = page.saturating_sub(1))
                >
                    {tr!(previous_page)}
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=on_last_page
                    on:click=move |_| page.update(|page| *page += 1)
                >
                    {tr!(next_page)}
                </button>
            </nav>
        </div>
    }
}

fn no_error() -> Signal<Option<String>> {
    Signal::stored(None)
}

/// One row of the table: its texts are worked out once, for the language of this render.
fn voucher_row(
    view: &VoucherView,
    locale: planning_domain::Locale,
    today: NaiveDate,
    can_redeem: bool,
    selected: RwSignal<BTreeSet<String>>,
) -> AnyView {
    let id = view.voucher.id.as_str().to_owned();
    let expires_on = view.voucher.expires_on;
    let live = matches!(view.status, VoucherStatus::Assigned | VoucherStatus::Reserved);
    let expiry = if live { countdown(today, expires_on, locale) } else { String::new() };
    let schedule = view
        .voucher
        .reservation()
        .map(|reservation| {
            format!("{} – {}", short_date(reservation.starts_on, locale), short_date(reservation.ends_on, locale))
        })
        .unwrap_or_default();
    let offering = format!(
        "{} · {}",
        view.voucher.offering.details().label,
        day_count(u32::from(view.voucher.service_level.days()), locale)
    );
    let select = (can_redeem && redeemable(view)).then(|| {
        let label = tr_in!(locale, select_voucher_label, &id);
        let (shown, toggled) = (id.clone(), id.clone());
        view! {
            <input
                type="checkbox"
                aria-label=label
                prop:checked=move || selected.with(|set| set.contains(&shown))
                on:change=move |_| {
                    selected
                        .update(|set| {
                            if !set.remove(&toggled) {
                                set.insert(toggled.clone());
                            }
                        })
                }
            />
        }
    });
    let href = format!("/vouchers/{id}");
    view! {
        <tr>
            <td class="cell--select">{select}</td>
            <td>
                <a href=href>{id}</a>
            </td>
            <td>{offering}</td>
            <td>{view.customer_name.clone()}</td>
            <td>{view.partner_name.clone().unwrap_or_default()}</td>
            <td>
                <VoucherStatusBadge status=view.status />
            </td>
            <td>{schedule}</td>
            <td>
                <time datetime=iso(expires_on)>{long_date(expires_on, locale)}</time>
                " "
                <span class="muted">{expiry}</span>
            </td>
        </tr>
    }
    .into_any()
}

fn parse_status(value: &str) -> Option<VoucherStatus> {
    VoucherStatus::ALL.into_iter().find(|status| status_key(*status) == value)
}

fn parse_offering(value: &str) -> Option<OfferingCode> {
    planning_domain::catalog::OFFERINGS
        .iter()
        .map(|offering| offering.code)
        .find(|code| planning_domain::api::partners::offering_key(*code) == value)
}

fn status_options(locale: Signal<planning_domain::Locale>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let locale = locale.get();
        VoucherStatus::ALL.into_iter().map(|status| (status_key(status).to_owned(), status.message(locale))).collect()
    })
}

fn offering_options() -> Signal<Vec<(String, String)>> {
    Signal::stored(
        planning_domain::catalog::OFFERINGS
            .iter()
            .map(|offering| {
                (planning_domain::api::partners::offering_key(offering.code).to_owned(), offering.label.to_owned())
            })
            .collect(),
    )
}

fn sort_options() -> Signal<Vec<(String, String)>> {
    text_vec(vec![
        ("expiry-desc", crate::i18n::sort_expiry_desc),
        ("voucher", crate::i18n::sort_voucher),
        ("customer", crate::i18n::sort_customer),
        ("status", crate::i18n::sort_status),
    ])
}

/// The rows as CSV (RFC 4180 quoting), with a header in the reader's language.
pub fn voucher_csv<'a>(rows: impl Iterator<Item = &'a VoucherView>, locale: planning_domain::Locale) -> String {
    let header = [
        tr_in!(locale, column_voucher),
        tr_in!(locale, column_offering),
        tr_in!(locale, days_unit),
        tr_in!(locale, column_customer),
        tr_in!(locale, column_partner),
        tr_in!(locale, column_status),
        tr_in!(locale, column_schedule),
        tr_in!(locale, column_expires),
        tr_in!(locale, column_payment_deadline),
    ];
    let mut csv = crate::format::csv_line(header.iter().map(|cell| cell.to_string()));
    for view in rows {
        let schedule = view
            .voucher
            .reservation()
            .map(|reservation| format!("{} – {}", iso(reservation.starts_on), iso(reservation.ends_on)))
            .unwrap_or_default();
        csv.push_str(&crate::format::csv_line(
            [
                view.voucher.id.as_str().to_owned(),
                view.voucher.offering.details().label.to_owned(),
                view.voucher.service_level.days().to_string(),
                view.customer_name.clone(),
                view.partner_name.clone().unwrap_or_default(),
                view.status.message(locale),
                schedule,
                iso(view.voucher.expires_on),
                view.payment_deadline.map(iso).unwrap_or_default(),
            ]
            .into_iter(),
        ));
    }
    csv
}
