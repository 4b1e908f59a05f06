//! Fuzzes `parse_date`: never panics; an accepted date prints back as the trimmed input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::parse::format_date;
use planning_domain::{parse_date, Locale, Localize};

fuzz_target!(|text: &str| {
    match parse_date(text) {
        Ok(date) => {
            assert_eq!(format_date(date, Locale::En), text.trim());
            assert!(!format_date(date, Locale::Ko).is_empty());
        }
        Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
    }
});
