//! Fuzzes `Money::parse` in a two-decimal and a zero-decimal currency: never panics; an accepted
//! amount is non-negative and its text form parses back to the same amount.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::{Currency, Locale, Localize, Money};

fuzz_target!(|text: &str| {
    for currency in [Currency::Usd, Currency::Krw] {
        match Money::parse(text, currency) {
            Ok(money) => {
                assert!(money.minor_units() >= 0);
                assert_eq!(Money::parse(&money.amount_text(), currency), Ok(money));
                assert!(money.to_string().starts_with(currency.code()));
            }
            Err(error) => assert!(!error.message(Locale::Ko).is_empty()),
        }
    }
});
