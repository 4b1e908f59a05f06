//! Fuzzes `LocationId::parse`: never panics; an accepted id is exactly 7 digits and parses to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{LocationId, Locale, Localize};

fuzz_target!(|text: &str| {
    match LocationId::parse(text) {
        Ok(id) => {
            assert!(id.as_str().len() == 7 && id.as_str().bytes().all(|byte| byte.is_ascii_digit()));
            assert_eq!(LocationId::parse(id.as_str()), Ok(id));
        }
        Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
    }
});
