//! Fuzzes `CountryCode::parse`: never panics; an accepted code is two upper-case letters, parses
//! to itself, and survives a JSON-free string round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{CountryCode, Locale, Localize};

fuzz_target!(|text: &str| {
    match CountryCode::parse(text) {
        Ok(code) => {
            assert!(code.as_str().len() == 2 && code.as_str().bytes().all(|byte| byte.is_ascii_uppercase()));
            assert_eq!(CountryCode::parse(&code.as_str().to_ascii_lowercase()), Ok(code));
        }
        Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
    }
});
