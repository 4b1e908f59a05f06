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
