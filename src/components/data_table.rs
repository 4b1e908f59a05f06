//! Tables, fact lists and bar charts built from data, for the customer and operator pages.

use leptos::prelude::*;

/// A table with a caption (read by assistive technology), column headings, and rows whose
/// first cell heads its row, in a container that scrolls sideways when the table is wider than
/// the screen (focusable and named, so keyboard users can scroll it too).
#[component]
pub fn DataTable(
    caption: Signal<&'static str>,
    headings: Vec<Signal<&'static str>>,
    rows: Vec<Vec<AnyView>>,
) -> impl IntoView {
    view! {
        <div class="co-table-wrap" role="group" tabindex="0" aria-label=caption>
            {table_view(caption, headings, rows)}
        </div>
    }
}

fn table_view(caption: Signal<&'static str>, headings: Vec<Signal<&'static str>>, rows: Vec<Vec<AnyView>>) -> AnyView {
    let head = headings.into_iter().map(|heading| view! { <th scope="col">{heading}</th> }).collect_view();
    let body = rows
        .into_iter()
        .map(|cells| {
            let mut cells = cells.into_iter();
            let first = cells.next().map(|cell| view! { <th scope="row">{cell}</th> });
            let rest = cells.map(|cell| view! { <td>{cell}</td> }).collect_view();
            view! { <tr>{first}{rest}</tr> }
        })
        .collect_view();
    view! {
        <table class="co-table">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>{head}</tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

/// Label and value pairs as a definition list.
#[component]
pub fn Facts(pairs: Vec<(Signal<&'static str>, AnyView)>) -> impl IntoView {
    let items = pairs.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view();
    view! { <dl class="co-facts">{items}</dl> }
}

/// A horizontal bar chart: for each bar its label, an inline SVG bar and the value. The picture
/// is hidden from assistive technology, which reads the same numbers as a table.
#[component]
pub fn BarChart(
    caption: Signal<&'static str>,
    value_heading: Signal<&'static str>,
    bars: Vec<(String, u32)>,
) -> impl IntoView {
    let most = bars.iter().map(|(_, value)| *value).max().unwrap_or(0).max(1);
    let plot = bars
        .iter()
        .map(|(label, value)| {
            // A zero still shows as a sliver, so "none" does not read as "missing".
            let width = (value * 1000 / most).max(5);
            view! {
                <span class="bar-chart__label">{label.clone()}</span>
                <svg class="bar-chart__svg" viewBox="0 0 1000 10" preserveAspectRatio="none" focusable="false">
                    <rect class="bar-chart__bar" width=width.to_string() height="10"></rect>
                </svg>
                <span class="bar-chart__value">{value.to_string()}</span>
            }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .map(|(label, value)| {
            vec![view! { <span>{label}</span> }.into_any(), view! { <span>{value.to_string()}</span> }.into_any()]
        })
        .collect();
    view! {
        <figure class="bar-chart">
            <figcaption class="bar-chart__caption">{caption}</figcaption>
            <div class="bar-chart__plot" aria-hidden="true">{plot}</div>
            <div class="visually-hidden">{table_view(caption, vec![tr!(operations_category), value_heading], rows)}</div>
        </figure>
    }
}
