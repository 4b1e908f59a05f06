//! Tables, fact lists and bar charts built from data, for the customer and operator pages.

use leptos::prelude::*;

use crate::dom::{el, el_ns, scroll_box, text_el, El};

const SVG: &str = "http://www.w3.org/2000/svg";

/// A table with a caption (read by assistive technology), column headings, and rows whose
/// first cell heads its row, in a container that scrolls sideways when the table is wider than
/// the screen (focusable and named, so keyboard users can scroll it too).
pub fn data_table(caption: Signal<&'static str>, headings: Vec<Signal<&'static str>>, rows: Vec<Vec<El>>) -> El {
    scroll_box("co-table-wrap", caption).child(table(caption, headings, rows))
}

fn table(caption: Signal<&'static str>, headings: Vec<Signal<&'static str>>, rows: Vec<Vec<El>>) -> El {
    let head =
        el("tr").children(headings.into_iter().map(|heading| el("th").attr("scope", "col").tr(heading)).collect());
    let body = rows
        .into_iter()
        .map(|cells| {
            let mut cells = cells.into_iter();
            let first = cells.next().map(|cell| el("th").attr("scope", "row").child(cell));
            el("tr").maybe(first).children(cells.map(|cell| el("td").child(cell)).collect())
        })
        .collect();
    el("table")
        .class("co-table")
        .child(el("caption").class("visually-hidden").tr(caption))
        .child(el("thead").child(head))
        .child(el("tbody").children(body))
}

/// Label and value pairs as a definition list.
pub fn facts(pairs: Vec<(Signal<&'static str>, El)>) -> El {
    let mut list = el("dl").class("co-facts");
    for (label, value) in pairs {
        list = list.child(el("dt").tr(label)).child(el("dd").child(value));
    }
    list
}

/// Text in a `span`.
pub fn span(text: &str) -> El {
    text_el("span", text)
}

/// Text that follows the reader's language in a `span`.
pub fn span_signal(text: Signal<String>) -> El {
    el("span").text_signal(text)
}

/// A horizontal bar chart: for each bar its label, an inline SVG bar and the value. The picture
/// is hidden from assistive technology, which reads the same numbers as a table.
pub fn bar_chart(caption: Signal<&'static str>, value_heading: Signal<&'static str>, bars: Vec<(String, u32)>) -> El {
    let most = bars.iter().map(|(_, value)| *value).max().unwrap_or(0).max(1);
    let mut plot = el("div").class("bar-chart__plot").attr("aria-hidden", "true");
    for (label, value) in &bars {
        // A zero still shows as a sliver, so "none" does not read as "missing".
        let width = (value * 1000 / most).max(5);
        plot = plot.child(text_el("span", label).class("bar-chart__label")).child(
            el_ns(SVG, "svg")
                .class("bar-chart__svg")
                .attr("viewBox", "0 0 1000 10")
                .attr("preserveAspectRatio", "none")
                .attr("focusable", "false")
                .child(
                    el_ns(SVG, "rect").class("bar-chart__bar").attr("width", &width.to_string()).attr("height", "10"),
                ),
        );
        plot = plot.child(text_el("span", &value.to_string()).class("bar-chart__value"));
    }
    let rows = bars.into_iter().map(|(label, value)| vec![span(&label), span(&value.to_string())]).collect();
    el("figure").class("bar-chart").child(el("figcaption").class("bar-chart__caption").tr(caption)).child(plot).child(
        el("div").class("visually-hidden").child(table(caption, vec![tr!(operations_category), value_heading], rows)),
    )
}

/// The `view!` form of [`data_table`]: a captioned table in a named sideways-scrolling group;
/// each row's first cell heads its row.
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

/// The `view!` form of [`facts`]: label and value pairs as a definition list.
#[component]
pub fn Facts(pairs: Vec<(Signal<&'static str>, AnyView)>) -> impl IntoView {
    let items = pairs.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view();
    view! { <dl class="co-facts">{items}</dl> }
}

/// The `view!` form of [`bar_chart`]: for each bar its label, an inline SVG bar and the value;
/// the picture is hidden from assistive technology, which reads the same numbers as a table.
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
