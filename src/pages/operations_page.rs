//! `/operations`: the program dashboard for the program operator: vouchers by state, days
//! reserved and redeemed, payment requests by status (bar charts with their numbers as tables),
//! the program timeline, and the demo daily rates that payments use.

use leptos::prelude::*;
use planning_domain::catalog::DEMO_DAILY_RATES;
use planning_domain::{Localize, Money, Role};

use crate::api;
use crate::components::data_table::{bar_chart, data_table, span, span_signal};
use crate::components::notice::error_notice;
use crate::components::require_sign_in::require_sign_in;
use crate::components::timeline_view::TimelineView;
use crate::dom::{div, el, leptos_view, tr_el, El};
use crate::format::money;
use crate::loader::load;
use crate::state::locale::{text_with, use_domain_locale};
use crate::state::program::use_program_status;

pub fn operations_page() -> El {
    require_sign_in(&[Role::ProgramOperator], operations)
}

fn operations() -> El {
    let dashboard = load(api::operations_dashboard);
    let locale = use_domain_locale();
    let status = use_program_status();
    let charts = div("co-charts").dynamic(move || {
        let dashboard = dashboard.data.get()?;
        let locale = locale.get();
        let ui = crate::state::locale::to_ui(locale);
        let vouchers =
            dashboard.vouchers_by_status.iter().map(|count| (count.status.message(locale), count.vouchers)).collect();
        let payments =
            dashboard.payments_by_status.iter().map(|count| (count.status.message(locale), count.requests)).collect();
        let days = vec![
            (crate::i18n::operations_days_reserved(ui).to_owned(), dashboard.days_reserved),
            (crate::i18n::operations_days_redeemed(ui).to_owned(), dashboard.days_redeemed),
        ];
        Some(
            div("co-charts__grid")
                .child(el("section").class("card").child(bar_chart(
                    tr!(operations_vouchers_chart),
                    tr!(operations_vouchers_column),
                    vouchers,
                )))
                .child(el("section").class("card").child(bar_chart(
                    tr!(operations_days_chart),
                    tr!(operations_days_column),
                    days,
                )))
                .child(el("section").class("card").child(bar_chart(
                    tr!(operations_payments_chart),
                    tr!(operations_requests_column),
                    payments,
                ))),
        )
    });
    let timeline = div("group").dynamic(move || {
        let status = status.get()?;
        Some(leptos_view(move || view! { <TimelineView status=status /> }))
    });
    let rates = DEMO_DAILY_RATES
        .iter()
        .map(|rate| {
            vec![
                span(rate.country),
                span_signal(text_with(move |locale| {
                    money(Money::from_minor_units(rate.minor_units_per_day, rate.currency), locale)
                })),
            ]
        })
        .collect();
    el("div")
        .class("co-page")
        .child(tr_el("h1", tr!(operations_title)))
        .child(tr_el("p", tr!(operations_intro)).class("lead"))
        .child(error_notice(dashboard.error.into()))
        .child(charts)
        .child(
            el("section")
                .class("co-section")
                .attr("aria-labelledby", "operations-timeline-title")
                .child(tr_el("h2", tr!(operations_timeline_title)).id("operations-timeline-title"))
                .child(timeline),
        )
        .child(
            el("section")
                .class("card co-section")
                .attr("aria-labelledby", "rates-title")
                .child(tr_el("h2", tr!(operations_rates_title)).id("rates-title"))
                .child(tr_el("p", tr!(operations_rates_demo_note)).class("co-muted"))
                .child(data_table(
                    tr!(operations_rates_title),
                    vec![tr!(operations_rates_country), tr!(operations_rates_per_day)],
                    rates,
                )),
        )
}
