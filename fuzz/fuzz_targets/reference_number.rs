//! Fuzzes `ReferenceNumber::parse`: never panics; an accepted number prints as PSR-YYYY-NNNNNN
//! and parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{Locale, Localize, ReferenceNumber};

fuzz_target!(|text: &str| {
    match ReferenceNumber::parse(text) {
        Ok(reference) => {
            let printed = reference.to_string();
            assert_eq!(printed.len(), 15);
            assert_eq!(ReferenceNumber::parse(&printed), Ok(reference));
        }
        Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
    }
});
