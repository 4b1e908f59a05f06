//! Fuzzes `BoundedText::parse` with bounds taken from the input: never panics; accepted text is
//! trimmed and has no control characters other than line breaks and tabs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{BoundedText, Locale, Localize};

fuzz_target!(|input: (u8, u8, &str)| {
    let (min, max, text) = (usize::from(input.0 % 16), usize::from(input.1), input.2);
    match BoundedText::parse(text, min, max) {
        Ok(bounded) => {
            assert_eq!(bounded.as_str(), bounded.as_str().trim());
            assert!(!bounded.as_str().chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
            assert_eq!(BoundedText::parse(bounded.as_str(), min, max), Ok(bounded.clone()));
        }
        Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
    }
});
