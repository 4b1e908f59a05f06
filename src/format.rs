//! Locale-aware formatting through the browser's `Intl`, so no month names live in our code.

use chrono::{Datelike, NaiveDate};
use js_sys::{Array, Date, Intl, Object, Reflect};
use planning_domain::Locale;
use wasm_bindgen::JsValue;

/// A calendar date in the reader's language, e.g. "15 July 2021" or "2021년 7월 15일".
pub fn long_date(date: NaiveDate, locale: Locale) -> String {
    let options = Object::new();
    // Dates are calendar dates in UTC (see the domain crate); format them in UTC too.
    let _ = Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    let formatter = Intl::DateTimeFormat::new(&Array::of1(&locale.tag().into()), &options);
    let iso = format!("{:04}-{:02}-{:02}T00:00:00Z", date.year(), date.month(), date.day());
    let js_date = Date::new(&JsValue::from_str(&iso));
    formatter
        .format()
        .call1(&JsValue::NULL, &js_date)
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_else(|| date.to_string())
}
