//! `/partner`: the deadline dashboard. Counts of the company's vouchers by state, and a timeline
//! chart (SVG) of every open voucher's window — until expiry while it waits to be delivered,
//! until the end of its 60-day payment window once redeemed — against the program's milestones
//! and the program date. The chart has a table beside it for screen readers and small screens.

use chrono::NaiveDate;
use leptos::prelude::*;
use planning_domain::api::vouchers::VoucherView;
use planning_domain::{Localize, VoucherStatus};

use crate::api;
use crate::components::notice::error_notice;
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{div, el, group, scroll_box, text_el, tr_el, El};
use crate::format::{countdown, iso, long_date};
use crate::loader::{load, Loaded};
use crate::pages::eligibility_page::PARTNER_ROLES;
use crate::state::locale::use_domain_locale;
use crate::state::program::{use_program_date, use_program_status};

const SVG: &str = "http://www.w3.org/2000/svg";

pub fn partner_dashboard_page() -> El {
    // Asked beside the session, not after it (see the voucher list).
    let vouchers = load(api::list_vouchers);
    require_sign_in(PARTNER_ROLES, move || dashboard(vouchers))
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

fn svg(tag: &str) -> El {
    crate::dom::el_ns(SVG, tag)
}

fn dashboard(vouchers: Loaded<api::VoucherList>) -> El {
    let locale = use_domain_locale();
    let today = use_program_date();
    let status = use_program_status();

    let counts = move || {
        let locale = locale.get();
        let list = vouchers.data.get()?.vouchers;
        let states = VoucherStatus::ALL;
        Some(
            el("ul").class("counts").children(
                states
                    .into_iter()
                    .map(|state| {
                        let count = list.iter().filter(|view| view.status == state).count();
                        el("li")
                            .class("count card")
                            .child(text_el("span", &count.to_string()).class("count__number"))
                            .child(text_el("span", &state.message(locale)).class("count__label"))
                    })
                    .collect(),
            ),
        )
    };

    let chart = move || {
        let locale = locale.get();
        let today = today.get()?;
        let status = status.get()?;
        let list = vouchers.data.get()?.vouchers;
        let mut open: Vec<(&VoucherView, NaiveDate, NaiveDate, bool)> = list
            .iter()
            .filter_map(|view| open_window(view).map(|(from, until, paying)| (view, from, until, paying)))
            .collect();
        open.sort_by_key(|(_, _, until, _)| *until);
        // From the earliest open window (or the program date) to the latest deadline; the
        // milestones inside that span are drawn.
        let first = open.iter().map(|o| o.1).chain([today]).min()? - chrono::Duration::days(7);
        let last = open.iter().map(|o| o.2).chain([today]).max()? + chrono::Duration::days(7);
        let span = (last - first).num_days().max(1) as f64;
        let (left, width, row) = (150.0, 820.0, 26.0);
        let x = |date: NaiveDate| left + width * ((date - first).num_days() as f64 / span);
        let top = 40.0;
        let height = top + row * open.len() as f64 + 20.0;
        let mut parts = Vec::new();
        for (index, milestone) in
            status.milestones.iter().filter(|milestone| (first..=last).contains(&milestone.date)).enumerate()
        {
            let at = x(milestone.date);
            // Neighbouring milestones (June 30 and July 1) would print over each other: alternate rows.
            let label_y = if index % 2 == 0 { "12" } else { "26" };
            parts.push(
                svg("line")
                    .attr("x1", &at.to_string())
                    .attr("x2", &at.to_string())
                    .attr("y1", "30")
                    .attr("y2", &height.to_string())
                    .class("chart__milestone"),
            );
            parts.push(
                svg("text")
                    .attr("x", &at.to_string())
                    .attr("y", label_y)
                    .class("chart__milestone-label")
                    .text(&long_date(milestone.date, locale))
                    .child(svg("title").text(&milestone.kind.message(locale))),
            );
        }
        for (index, (view, from, until, paying)) in open.iter().enumerate() {
            let y = top + row * index as f64;
            parts.push(
                svg("text")
                    .attr("x", "0")
                    .attr("y", &(y + 14.0).to_string())
                    .class("chart__label")
                    .text(view.voucher.id.as_str()),
            );
            parts.push(
                svg("rect")
                    .attr("x", &x(*from).to_string())
                    .attr("y", &y.to_string())
                    .attr("width", &(x(*until) - x(*from)).max(2.0).to_string())
                    .attr("height", "18")
                    .attr("rx", "4")
                    .class(if *paying { "chart__bar chart__bar--payment" } else { "chart__bar" })
                    .child(svg("title").text(&format!(
                        "{} · {} – {}",
                        view.voucher.id.as_str(),
                        iso(*from),
                        iso(*until)
                    ))),
            );
        }
        let now = x(today);
        parts.push(
            svg("line")
                .attr("x1", &now.to_string())
                .attr("x2", &now.to_string())
                .attr("y1", "30")
                .attr("y2", &height.to_string())
                .class("chart__today"),
        );
        let rows = open
            .iter()
            .map(|(view, _, until, paying)| {
                let closes = if *paying { tr_in!(locale, deadline_payment) } else { tr_in!(locale, deadline_expiry) };
                el("tr")
                    .child(
                        el("td").child(
                            el("a")
                                .attr("href", &format!("/vouchers/{}", view.voucher.id.as_str()))
                                .text(view.voucher.id.as_str()),
                        ),
                    )
                    .child(text_el("td", &view.status.message(locale)))
                    .child(text_el("td", closes))
                    .child(text_el(
                        "td",
                        &format!("{} ({})", long_date(*until, locale), countdown(today, *until, locale)),
                    ))
            })
            .collect();
        Some(group(vec![
            scroll_box("chart-scroll", tr!(chart_title)).child(
                svg("svg")
                    .attr("viewBox", &format!("0 0 {} {height}", left + width + 10.0))
                    .attr("role", "img")
                    .attr("aria-labelledby", "chart-title")
                    .class("chart")
                    .children(parts),
            ),
            scroll_box("table-scroll", tr!(open_windows_caption)).child(
                el("table")
                    .class("data-table")
                    .child(el("caption").text(tr_in!(locale, open_windows_caption)))
                    .child(
                        el("thead").child(
                            el("tr")
                                .child(text_el("th", tr_in!(locale, column_voucher)).attr("scope", "col"))
                                .child(text_el("th", tr_in!(locale, column_status)).attr("scope", "col"))
                                .child(text_el("th", tr_in!(locale, deadline_column)).attr("scope", "col"))
                                .child(text_el("th", tr_in!(locale, column_date)).attr("scope", "col")),
                        ),
                    )
                    .child(el("tbody").children(rows)),
            ),
        ]))
    };

    group(vec![
        tr_el("h1", tr!(dashboard_title)),
        error_notice(vouchers.error.into()),
        el("section")
            .attr("aria-labelledby", "counts-title")
            .child(tr_el("h2", tr!(counts_title)).id("counts-title"))
            .dynamic(counts),
        el("section")
            .class("card")
            .attr("aria-labelledby", "chart-title")
            .child(tr_el("h2", tr!(chart_title)).id("chart-title"))
            .child(tr_el("p", tr!(chart_legend)).class("muted"))
            .dynamic(chart),
        div("actions-row")
            .child(
                el("a").class("button button--primary").attr("href", "/vouchers/reserve").tr(tr!(reserve_voucher_link)),
            )
            .child(el("a").class("button").attr("href", "/vouchers").tr(tr!(nav_vouchers))),
    ])
}
