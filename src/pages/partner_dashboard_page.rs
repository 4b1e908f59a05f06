//! `/partner`: the deadline dashboard. Counts of the company's vouchers by state, and a timeline
//! chart (SVG) of every open voucher's window — until expiry while it waits to be delivered,
//! until the end of its 60-day payment window once redeemed — against the program's milestones
//! and the program date. The chart has a table beside it for screen readers and small screens.

use chrono::NaiveDate;
use leptos::prelude::*;
use planning_domain::api::vouchers::VoucherView;
use planning_domain::{Localize, VoucherStatus};

use crate::api::{self, ApiError};
use crate::components::notice::ErrorNotice;
use crate::components::require_sign_in::RequireSignIn;
use crate::format::{countdown, iso, long_date};
use crate::pages::eligibility_page::PARTNER_ROLES;
use crate::state::locale::use_domain_locale;
use crate::state::program::{use_program_date, use_program_status};

type Vouchers = LocalResource<Result<api::VoucherList, ApiError>>;

#[component]
pub fn PartnerDashboardPage() -> impl IntoView {
    // Asked beside the session, not after it (see the voucher list).
    let vouchers = LocalResource::new(api::list_vouchers);
    view! {
        <RequireSignIn roles=PARTNER_ROLES>
            <Dashboard vouchers />
        </RequireSignIn>
    }
}

/// The window a voucher is open in, if it is still open: (from, until, what closes it).
fn open_window(view: &VoucherView) -> Option<(NaiveDate, NaiveDate, bool)> {
    match view.status {
        VoucherStatus::Assigned | VoucherStatus::Reserved => {
            Some((view.voucher.assigned_on, view.voucher.expires_on, false))
        }
        VoucherStatus::Redeemed => {
            let redeemed = view.voucher.redemption()?.redeemed_on;
            Some((redeemed, view.payment_deadline?, true))
        }
        _ => None,
    }
}

#[component]
fn Dashboard(vouchers: Vouchers) -> impl IntoView {
    let error = Signal::derive(move || vouchers.with(|result| result.as_ref()?.as_ref().err().cloned()));
    view! {
        <div class="group">
            <h1>{tr!(dashboard_title)}</h1>
            <ErrorNotice error />
            <section aria-labelledby="counts-title">
                <h2 id="counts-title">{tr!(counts_title)}</h2>
                <Counts vouchers />
            </section>
            <section class="card" aria-labelledby="chart-title">
                <h2 id="chart-title">{tr!(chart_title)}</h2>
                <p class="muted">{tr!(chart_legend)}</p>
                <Chart vouchers />
            </section>
            <div class="actions-row">
                <a class="button button--primary" href="/vouchers/reserve">
                    {tr!(reserve_voucher_link)}
                </a>
                <a class="button" href="/vouchers">
                    {tr!(nav_vouchers)}
                </a>
            </div>
        </div>
    }
}

/// How many of the company's vouchers are in each state.
#[component]
fn Counts(vouchers: Vouchers) -> impl IntoView {
    let locale = use_domain_locale();
    move || {
        let locale = locale.get();
        vouchers.with(|result| {
            let list = &result.as_ref()?.as_ref().ok()?.vouchers;
            let items = VoucherStatus::ALL
                .into_iter()
                .map(|state| {
                    let count = list.iter().filter(|view| view.status == state).count();
                    view! {
                        <li class="count card">
                            <span class="count__number">{count.to_string()}</span>
                            <span class="count__label">{state.message(locale)}</span>
                        </li>
                    }
                })
                .collect_view();
            Some(view! { <ul class="counts">{items}</ul> })
        })
    }
}

/// The open windows as a timeline chart, and the same as a table.
#[component]
fn Chart(vouchers: Vouchers) -> impl IntoView {
    let locale = use_domain_locale();
    let today = use_program_date();
    let status = use_program_status();
    move || {
        let locale = locale.get();
        let today = today.get()?;
        let status = status.get()?;
        vouchers.with(|result| {
            let list = &result.as_ref()?.as_ref().ok()?.vouchers;
            Some(chart(list, today, &status.milestones, locale))
        })
    }
}

fn chart(
    list: &[VoucherView],
    today: NaiveDate,
    milestones: &[planning_domain::Milestone],
    locale: planning_domain::Locale,
) -> AnyView {
    let mut open: Vec<(&VoucherView, NaiveDate, NaiveDate, bool)> = list
        .iter()
        .filter_map(|view| open_window(view).map(|(from, until, paying)| (view, from, until, paying)))
        .collect();
    open.sort_by_key(|(_, _, until, _)| *until);
    // From the earliest open window (or the program date) to the latest deadline; the
    // milestones inside that span are drawn.
    let first = open.iter().map(|o| o.1).chain([today]).min().unwrap_or(today) - chrono::Duration::days(7);
    let last = open.iter().map(|o| o.2).chain([today]).max().unwrap_or(today) + chrono::Duration::days(7);
    let span = (last - first).num_days().max(1) as f64;
    let (left, width, row) = (150.0, 820.0, 26.0);
    let x = |date: NaiveDate| left + width * ((date - first).num_days() as f64 / span);
    let top = 40.0;
    let height = (top + row * open.len() as f64 + 20.0).to_string();
    let marks = milestones
        .iter()
        .filter(|milestone| (first..=last).contains(&milestone.date))
        .enumerate()
        .map(|(index, milestone)| {
            let at = x(milestone.date).to_string();
            // Neighbouring milestones (June 30 and July 1) would print over each other: alternate rows.
            let label_y = if index % 2 == 0 { "12" } else { "26" };
            view! {
                <line x1=at.clone() x2=at.clone() y1="30" y2=height.clone() class="chart__milestone" />
                <text x=at y=label_y class="chart__milestone-label">
                    {long_date(milestone.date, locale)}
                    <title>{milestone.kind.message(locale)}</title>
                </text>
            }
        })
        .collect_view();
    let bars = open
        .iter()
        .enumerate()
        .map(|(index, (view, from, until, paying))| {
            let y = top + row * index as f64;
            let id = view.voucher.id.as_str();
            let class = if *paying { "chart__bar chart__bar--payment" } else { "chart__bar" };
            view! {
                <text x="0" y=(y + 14.0).to_string() class="chart__label">
                    {id.to_owned()}
                </text>
                <rect
                    x=x(*from).to_string()
                    y=y.to_string()
                    width=(x(*until) - x(*from)).max(2.0).to_string()
                    height="18"
                    rx="4"
                    class=class
                >
                    <title>{format!("{id} · {} – {}", iso(*from), iso(*until))}</title>
                </rect>
            }
        })
        .collect_view();
    let now = x(today).to_string();
    let rows = open
        .iter()
        .map(|(view, _, until, paying)| {
            let id = view.voucher.id.as_str();
            let href = format!("/vouchers/{id}");
            let closes = if *paying { tr_in!(locale, deadline_payment) } else { tr_in!(locale, deadline_expiry) };
            view! {
                <tr>
                    <td>
                        <a href=href>{id.to_owned()}</a>
                    </td>
                    <td>{view.status.message(locale)}</td>
                    <td>{closes}</td>
                    <td>{format!("{} ({})", long_date(*until, locale), countdown(today, *until, locale))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="group">
            <div class="chart-scroll" role="group" tabindex="0" aria-label=tr!(chart_title)>
                <svg
                    viewBox=format!("0 0 {} {height}", left + width + 10.0)
                    role="img"
                    aria-labelledby="chart-title"
                    class="chart"
                >
                    {marks}
                    {bars}
                    <line x1=now.clone() x2=now y1="30" y2=height.clone() class="chart__today" />
                </svg>
            </div>
            <div class="table-scroll" role="group" tabindex="0" aria-label=tr!(open_windows_caption)>
                <table class="data-table">
                    <caption>{tr_in!(locale, open_windows_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr_in!(locale, column_voucher)}</th>
                            <th scope="col">{tr_in!(locale, column_status)}</th>
                            <th scope="col">{tr_in!(locale, deadline_column)}</th>
                            <th scope="col">{tr_in!(locale, column_date)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}
