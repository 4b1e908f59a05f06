//! Fuzzes `VoucherId::parse`: never panics; an accepted id is digits only and parses to itself;
//! every error has an English and a Korean message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{Locale, Localize, VoucherId};

fuzz_target!(|text: &str| {
    match VoucherId::parse(text) {
        Ok(id) => {
            assert!(id.as_str().bytes().all(|byte| byte.is_ascii_digit()));
            assert!((10..=16).contains(&id.as_str().len()));
            assert_eq!(VoucherId::parse(id.as_str()), Ok(id));
        }
        Err(error) => {
            assert!(!error.message(Locale::En).is_empty() && !error.message(Locale::Ko).is_empty());
        }
    }
});
