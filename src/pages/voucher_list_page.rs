//! `/vouchers`: every voucher the reader may see (the server scopes the list by role), with
//! filters, sorting and pages that stay quick at 10,000 rows (filtering runs on the loaded list;
//! only one page of rows is in the DOM), bulk redemption with confirmation, and CSV export.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use leptos::prelude::*;
use planning_domain::api::vouchers::{RedeemVouchers, RedemptionResult, VoucherView};
use planning_domain::listing::status_key;
use planning_domain::{Action as Permission, Localize, OfferingCode, Role, VoucherStatus};

use crate::api;
use crate::components::confirm_dialog::{confirm_actions, confirm_dialog};
use crate::components::form_field::Field;
use crate::components::notice::{error_notice, success_notice};
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, scroll_box, text_el, tr_el, El};
use crate::format::{countdown, day_count, days_until, iso, long_date, short_date};
use crate::loader::{load, Loaded};
use crate::state::locale::{text_vec, text_with, use_domain_locale};
use crate::state::program::use_program_date;
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

pub fn voucher_list_page() -> El {
    // Asked at once, beside the session, rather than after it: the list is what the page waits
    // for (a signed-out reader's request is refused and never shown; the guard redirects).
    let vouchers = load(api::list_vouchers);
    require_sign_in(ALL_ROLES, move || voucher_list(vouchers))
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

fn voucher_list(vouchers: Loaded<api::VoucherList>) -> El {
    let session = use_session();
    let locale = use_domain_locale();
    let today = use_program_date();
    let loaded = vouchers.data;
    let ready = Signal::derive(move || vouchers.data.with(Option::is_some));

    let status = RwSignal::new(String::new());
    let offering = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let expiring_soon = RwSignal::new(false);
    let sort = RwSignal::new(String::new());
    let page = RwSignal::new(0_usize);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
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
        loaded.with(|vouchers| {
            filter_and_sort(vouchers.as_ref().map_or(&[][..], |list| list.vouchers.as_slice()), &query, today)
        })
    });
    // A new filter starts at the first page.
    Effect::new(move |_| {
        query.track();
        page.set(0);
    });

    let may = move |permission: Permission| session.role().is_some_and(|role| role.may(permission));
    let redeem = move || {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let body = RedeemVouchers { voucher_ids: selected.get_untracked().into_iter().collect() };
        leptos::task::spawn_local(async move {
            let result = api::redeem_vouchers(&body).await;
            pending.set(false);
            confirming.set(false);
            let locale = locale.get_untracked();
            match result {
                Ok(outcomes) => {
                    let mut lines = Vec::new();
                    let mut redeemed = 0;
                    for item in &outcomes {
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
                    vouchers.reload();
                }
                Err(error) => outcome.set(Some(
                    error.server_message(locale).unwrap_or_else(|| tr_in!(locale, network_error).to_owned()),
                )),
            }
        });
    };

    let export_csv = move || {
        let locale = locale.get_untracked();
        let csv = loaded.with_untracked(|vouchers| {
            let vouchers = vouchers.as_ref().map_or(&[][..], |list| list.vouchers.as_slice());
            voucher_csv(rows.get_untracked().iter().map(|&index| &vouchers[index]), locale)
        });
        crate::format::download_text("vouchers.csv", "text/csv", &csv);
    };

    let table_rows = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        let rows = rows.get();
        let first = page.get() * PAGE_SIZE;
        let can_redeem = may(Permission::RedeemVoucher);
        let selected_now = selected.get();
        loaded.with(|vouchers| {
            let vouchers = vouchers.as_ref().map_or(&[][..], |list| list.vouchers.as_slice());
            rows.iter()
                .skip(first)
                .take(PAGE_SIZE)
                .map(|&index| voucher_row(&vouchers[index], locale, today, can_redeem, &selected_now, selected))
                .collect()
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
    let selected_count = Signal::derive(move || selected.with(BTreeSet::len));

    let heading_actions =
        div("page-heading__actions").child(button("button", tr!(export_csv)).on_click(export_csv)).dynamic(move || {
            may(Permission::ReserveVoucher).then(|| {
                el("a").class("button button--primary").attr("href", "/vouchers/reserve").tr(tr!(reserve_voucher_link))
            })
        });
    let filters = el("form")
        .class("card filters")
        .attr("role", "search")
        .on_submit(|| {})
        .child(Field::new("filter-status", tr!(filter_status)).select(
            status,
            tr!(filter_any),
            status_options(locale),
            no_error(),
        ))
        .child(Field::new("filter-offering", tr!(filter_offering)).select(
            offering,
            tr!(filter_any),
            offering_options(),
            no_error(),
        ))
        .child(Field::new("filter-search", tr!(filter_search)).kind("search").input(search, no_error()))
        .child(Field::new("sort", tr!(sort_label)).select(sort, tr!(sort_default), sort_options(), no_error()))
        .child(
            el("label")
                .class("checkbox")
                .child(el("input").attr("type", "checkbox").checked(expiring_soon))
                .child(el("span").tr(tr!(filter_expiring_soon))),
        );
    let bulk =
        div("card bulk-bar")
            .attr("role", "region")
            .attr_tr("aria-label", tr!(bulk_redeem_region))
            .visible(Signal::derive(move || selected_count.get() != 0))
            .child(el("p").text_signal(text_with(move |locale| {
                tr_in!(locale, vouchers_selected, &selected_count.get().to_string())
            })))
            .child(button("button button--primary", tr!(redeem_selected)).on_click(move || confirming.set(true)));
    let confirm = confirm_dialog(
        confirming.into(),
        "confirm-redeem-title",
        move || confirming.set(false),
        div("group")
            .child(tr_el("h2", tr!(confirm_redeem_title)).id("confirm-redeem-title"))
            .child(el("p").id("confirm-redeem-body").text_signal(text_with(move |locale| {
                tr_in!(locale, confirm_redeem_body, &selected_count.get().to_string())
            })))
            .child(confirm_actions(tr!(confirm_redeem), tr!(cancel), pending.into(), redeem, move || {
                confirming.set(false)
            })),
    )
    .attr("aria-describedby", "confirm-redeem-body");
    let header_cells = [
        tr!(column_voucher),
        tr!(column_offering),
        tr!(column_customer),
        tr!(column_partner),
        tr!(column_status),
        tr!(column_schedule),
        tr!(column_expires),
    ];
    let mut head =
        vec![el("th").attr("scope", "col").child(el("span").class("visually-hidden").tr(tr!(select_column)))];
    head.extend(header_cells.into_iter().map(|label| el("th").attr("scope", "col").tr(label)));
    let table = scroll_box("table-scroll", tr!(vouchers_title)).child(
        el("table")
            .class("data-table")
            .child(el("caption").class("visually-hidden").tr(tr!(vouchers_title)))
            .child(el("thead").child(el("tr").children(head)))
            .child(el("tbody").dynamic_children(table_rows)),
    );
    let pager = el("nav")
        .class("pager")
        .attr_tr("aria-label", tr!(pages_label))
        .child(
            button("button", tr!(previous_page))
                .flag_signal("disabled", Signal::derive(move || page.get() == 0))
                .on_click(move || page.update(|page| *page = page.saturating_sub(1))),
        )
        .child(
            button("button", tr!(next_page))
                .flag_signal("disabled", Signal::derive(move || page.get() >= last_page()))
                .on_click(move || page.update(|page| *page += 1)),
        );

    group(vec![
        div("page-heading").child(tr_el("h1", tr!(vouchers_title))).child(heading_actions),
        error_notice(vouchers.error.into()),
        filters,
        bulk,
        confirm,
        success_notice(outcome.into()),
        el("p").class("muted").attr("role", "status").text_signal(summary),
        el("p")
            .class("notice")
            .text_signal(text_with(move |locale| {
                tr_in!(locale, vouchers_truncated, &crate::format::count(api::VOUCHERS_IN_BROWSER, locale))
            }))
            .visible(Signal::derive(move || loaded.with(|list| list.as_ref().is_some_and(|list| list.truncated)))),
        table,
        tr_el("p", tr!(vouchers_empty))
            .class("empty")
            .visible(Signal::derive(move || ready.get() && rows.with(Vec::is_empty))),
        pager,
    ])
}

fn no_error() -> Signal<Option<String>> {
    Signal::stored(None)
}

/// One row of the table.
fn voucher_row(
    view: &VoucherView,
    locale: planning_domain::Locale,
    today: NaiveDate,
    can_redeem: bool,
    selected_now: &BTreeSet<String>,
    selected: RwSignal<BTreeSet<String>>,
) -> El {
    let id = view.voucher.id.as_str().to_owned();
    let live = matches!(view.status, VoucherStatus::Assigned | VoucherStatus::Reserved);
    let expiry = if live { countdown(today, view.voucher.expires_on, locale) } else { String::new() };
    let schedule = view
        .voucher
        .reservation()
        .map(|reservation| {
            format!("{} – {}", short_date(reservation.starts_on, locale), short_date(reservation.ends_on, locale))
        })
        .unwrap_or_default();
    let select = (can_redeem && redeemable(view)).then(|| {
        let toggled = id.clone();
        el("input")
            .attr("type", "checkbox")
            .attr("aria-label", &tr_in!(locale, select_voucher_label, &id))
            .flag("checked", selected_now.contains(&id))
            .on("change", move |_| {
                selected.update(|set| {
                    if !set.remove(&toggled) {
                        set.insert(toggled.clone());
                    }
                })
            })
    });
    el("tr")
        .child(el("td").class("cell--select").maybe(select))
        .child(el("td").child(el("a").attr("href", &format!("/vouchers/{id}")).text(&id)))
        .child(text_el(
            "td",
            &format!(
                "{} · {}",
                view.voucher.offering.details().label,
                day_count(u32::from(view.voucher.service_level.days()), locale)
            ),
        ))
        .child(text_el("td", &view.customer_name))
        .child(text_el("td", view.partner_name.as_deref().unwrap_or_default()))
        .child(el("td").child(status_badge(view.status, locale)))
        .child(text_el("td", &schedule))
        .child(
            el("td")
                .child(
                    el("time")
                        .attr("datetime", &iso(view.voucher.expires_on))
                        .text(&long_date(view.voucher.expires_on, locale)),
                )
                .text(" ")
                .child(el("span").class("muted").text(&expiry)),
        )
}

/// A voucher state as a labelled badge (text, not colour alone).
pub fn status_badge(status: VoucherStatus, locale: planning_domain::Locale) -> El {
    el("span").class(&format!("status status--{}", status_key(status))).text(&status.message(locale))
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
