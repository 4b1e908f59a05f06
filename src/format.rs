//! Locale-aware formatting through the browser's `Intl`, so no month names live in our code.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use js_sys::{Array, Date, Intl, Object, Reflect};
use planning_domain::{Locale, Money};
use wasm_bindgen::JsValue;

thread_local! {
    /// One formatter per language and style, made on first use: building an `Intl` formatter
    /// costs far more than formatting with it, and a table formats dates on every row.
    static DATE_FORMATS: RefCell<HashMap<(Locale, &'static str), Intl::DateTimeFormat>> = RefCell::new(HashMap::new());
    /// One amount formatter per language and currency.
    static MONEY_FORMATS: RefCell<HashMap<(Locale, &'static str), Intl::NumberFormat>> = RefCell::new(HashMap::new());
}

/// A calendar date in the reader's language, e.g. "15 July 2021" or "2021년 7월 15일".
pub fn long_date(date: NaiveDate, locale: Locale) -> String {
    date_with_style(date, locale, "long")
}

fn date_with_style(date: NaiveDate, locale: Locale, style: &'static str) -> String {
    let formatter = DATE_FORMATS.with_borrow_mut(|formats| {
        formats
            .entry((locale, style))
            .or_insert_with(|| {
                let options = Object::new();
                // Dates are calendar dates in UTC (see the domain crate); format them in UTC too.
                let _ = Reflect::set(&options, &"dateStyle".into(), &style.into());
                let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
                Intl::DateTimeFormat::new(&Array::of1(&locale.tag().into()), &options)
            })
            .clone()
    });
    let iso = format!("{:04}-{:02}-{:02}T00:00:00Z", date.year(), date.month(), date.day());
    let js_date = Date::new(&JsValue::from_str(&iso));
    formatter
        .format()
        .call1(&JsValue::NULL, &js_date)
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_else(|| date.to_string())
}

/// A calendar date in short form for tables, e.g. "Jul 20, 2021" or "2021. 7. 20.".
pub fn short_date(date: NaiveDate, locale: Locale) -> String {
    date_with_style(date, locale, "medium")
}

/// An amount in the reader's language through `Intl.NumberFormat`: "$1,234.50", "US$1,234.50",
/// "₩1,300,000". The decimal text goes in as a string, so no amount is rounded through a float.
pub fn money(amount: Money, locale: Locale) -> String {
    let currency = amount.currency().code();
    let formatter = MONEY_FORMATS.with_borrow_mut(|formats| {
        formats
            .entry((locale, currency))
            .or_insert_with(|| {
                let options = Object::new();
                let _ = Reflect::set(&options, &"style".into(), &"currency".into());
                let _ = Reflect::set(&options, &"currency".into(), &currency.into());
                Intl::NumberFormat::new(&Array::of1(&locale.tag().into()), &options)
            })
            .clone()
    });
    formatter
        .format()
        .call1(&JsValue::NULL, &JsValue::from_str(&amount.amount_text()))
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_else(|| amount.to_string())
}

/// Whole days from `today` to `date` (negative once it has passed).
pub fn days_until(today: NaiveDate, date: NaiveDate) -> i64 {
    (date - today).num_days()
}

/// "today", "tomorrow", "in 12 days", "3 days ago" in the reader's language.
pub fn countdown(today: NaiveDate, date: NaiveDate, locale: Locale) -> String {
    match days_until(today, date) {
        0 => tr_in!(locale, days_left_today).to_owned(),
        1 => tr_in!(locale, days_left_tomorrow).to_owned(),
        days if days > 1 => tr_in!(locale, days_left_many, &days.to_string()),
        -1 => tr_in!(locale, days_ago_one).to_owned(),
        days => tr_in!(locale, days_ago, &(-days).to_string()),
    }
}

/// A number of days: "1 day", "3 days", "3일".
pub fn day_count(days: u32, locale: Locale) -> String {
    if days == 1 {
        tr_in!(locale, day_count_one).to_owned()
    } else {
        tr_in!(locale, days_count, &days.to_string())
    }
}

/// A voucher's calendar date in ISO form for machine-readable attributes and CSV.
/// A count in the reader's language through `Intl.NumberFormat` ("10,000").
pub fn count(value: usize, locale: Locale) -> String {
    let formatter = Intl::NumberFormat::new(&Array::of1(&locale.tag().into()), &Object::new());
    formatter
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(value as f64))
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_else(|| value.to_string())
}

pub fn iso(date: NaiveDate) -> String {
    date.to_string()
}

/// One CSV record (RFC 4180: quoted when needed, CRLF).
pub fn csv_line(cells: impl Iterator<Item = String>) -> String {
    let mut line = cells
        .map(|cell| {
            // A leading formula character is neutralised so a spreadsheet shows text, not a formula.
            let cell = if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell };
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Offers `text` as a file download (a Blob URL clicked by a temporary link).
pub fn download_text(file_name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&format!("{mime};charset=utf-8"));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = web_sys::window().and_then(|window| window.document());
    if let Some(link) = document
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(file_name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
