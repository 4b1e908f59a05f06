//! Fuzzes `EmailAddress::parse`: never panics; an accepted address has one `@`, no whitespace,
//! at most 254 bytes, and parses to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{EmailAddress, Locale, Localize};

fuzz_target!(|text: &str| {
    match EmailAddress::parse(text) {
        Ok(address) => {
            let stored = address.as_str();
            assert_eq!(stored.matches('@').count(), 1);
            assert!(stored.len() <= 254 && !stored.contains(char::is_whitespace));
            assert_eq!(EmailAddress::parse(stored), Ok(address.clone()));
            assert!(address.same_mailbox(&address));
        }
        Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
    }
});
