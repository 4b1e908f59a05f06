//! `/operations`: the program dashboard for the program operator: vouchers by state, days
//! reserved and redeemed, payment requests by status (bar charts with their numbers as tables),
//! the program timeline, and the demo daily rates that payments use; a link to the partners'
//! competency and exam records (`partner_records_page.rs`).

use leptos::prelude::*;
use planning_domain::{Localize, Role};

use crate::api;
use crate::components::data_table::{BarChart, DataTable};
use crate::components::notice::ErrorNotice;
use crate::components::require_sign_in::RequireSignIn;
use crate::components::timeline_view::TimelineView;
use crate::format::money;
use crate::state::locale::{text_with, use_domain_locale};
use crate::state::program::{use_daily_rates, use_program_status};

#[component]
pub fn OperationsPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=&[Role::ProgramOperator]>
            <Operations />
        </RequireSignIn>
    }
}

#[component]
fn Operations() -> impl IntoView {
    let dashboard = LocalResource::new(api::operations_dashboard);
    let locale = use_domain_locale();
    let status = use_program_status();
    let error = Signal::derive(move || dashboard.with(|result| result.as_ref()?.as_ref().err().cloned()));
    let charts = move || {
        let locale = locale.get();
        dashboard.with(|result| {
            let dashboard = result.as_ref()?.as_ref().ok()?;
            let ui = crate::state::locale::to_ui(locale);
            let vouchers = dashboard
                .vouchers_by_status
                .iter()
                .map(|count| (count.status.message(locale), count.vouchers))
                .collect();
            let payments = dashboard
                .payments_by_status
                .iter()
                .map(|count| (count.status.message(locale), count.requests))
                .collect();
            let days = vec![
                (crate::i18n::operations_days_reserved(ui).to_owned(), dashboard.days_reserved),
                (crate::i18n::operations_days_redeemed(ui).to_owned(), dashboard.days_redeemed),
            ];
            Some(view! {
                <div class="co-charts__grid">
                    <section class="card">
                        <BarChart caption=tr!(operations_vouchers_chart) value_heading=tr!(operations_vouchers_column) bars=vouchers />
                    </section>
                    <section class="card">
                        <BarChart caption=tr!(operations_days_chart) value_heading=tr!(operations_days_column) bars=days />
                    </section>
                    <section class="card">
                        <BarChart caption=tr!(operations_payments_chart) value_heading=tr!(operations_requests_column) bars=payments />
                    </section>
                </div>
            })
        })
    };
    let timeline = move || status.get().map(|status| view! { <TimelineView status=status /> });
    let rates = move || {
        use_daily_rates()
            .get()
            .into_iter()
            .map(|rate| {
                let per_day = text_with(move |locale| money(rate.per_day(), locale));
                let country = rate.country.as_str().to_owned();
                vec![view! { <span>{country}</span> }.into_any(), view! { <span>{per_day}</span> }.into_any()]
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="co-page">
            <h1>{tr!(operations_title)}</h1>
            <p class="lead">{tr!(operations_intro)}</p>
            <p>
                {tr!(records_link_intro)} " "
                <a href="/operations/partners">{tr!(records_link)}</a>
            </p>
            <ErrorNotice error />
            <div class="co-charts">{charts}</div>
            <section class="co-section" aria-labelledby="operations-timeline-title">
                <h2 id="operations-timeline-title">{tr!(operations_timeline_title)}</h2>
                <div class="group">{timeline}</div>
            </section>
            <section class="card co-section" aria-labelledby="rates-title">
                <h2 id="rates-title">{tr!(operations_rates_title)}</h2>
                <p class="co-muted">{tr!(operations_rates_demo_note)}</p>
                {move || {
                    view! {
                        <DataTable
                            caption=tr!(operations_rates_title)
                            headings=vec![tr!(operations_rates_country), tr!(operations_rates_per_day)]
                            rows=rates()
                        />
                    }
                }}
            </section>
        </div>
    }
}
