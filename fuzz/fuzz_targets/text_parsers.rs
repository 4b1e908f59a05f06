//! Fuzzes every single-string parser of the domain crate with the same input: none panics; each
//! accepted value keeps its parser's promises (form, length, normalisation), parses back to itself
//! and survives a JSON round trip where it is a wire type; each refusal has an English and a
//! Korean message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::account::{parse_display_name, Password};
use planning_domain::embed::AllowedOrigin;
use planning_domain::parse::format_date;
use planning_domain::payment::IdempotencyKey;
use planning_domain::profile::{
    parse_competency_filter, parse_offering_filter, ExamCode, LinkedInPage, ProfileDescription, WebAddress,
};
use planning_domain::{
    parse_date, CountryCode, Currency, EmailAddress, Locale, Localize, LocationId, Money, ReferenceNumber, VoucherId,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Both languages have words for the refusal.
fn explained<E: Localize>(error: &E) {
    assert!(!error.message(Locale::En).is_empty() && !error.message(Locale::Ko).is_empty());
}

/// A wire value decodes from its own JSON to itself.
fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).expect("a parsed value serializes");
    assert_eq!(&serde_json::from_str::<T>(&json).expect("its JSON decodes"), value);
}

fuzz_target!(|text: &str| {
    match VoucherId::parse(text) {
        Ok(id) => {
            assert!(id.as_str().bytes().all(|byte| byte.is_ascii_digit()));
            assert!((VoucherId::MIN_DIGITS..=VoucherId::MAX_DIGITS).contains(&id.as_str().len()));
            assert_eq!(VoucherId::parse(id.as_str()).as_ref(), Ok(&id));
            round_trips(&id);
        }
        Err(error) => explained(&error),
    }
    match EmailAddress::parse(text) {
        Ok(address) => {
            let stored = address.as_str();
            assert_eq!(stored.matches('@').count(), 1);
            assert!(stored.len() <= 254 && !stored.contains(char::is_whitespace));
            assert_eq!(EmailAddress::parse(stored).as_ref(), Ok(&address));
            assert!(address.same_mailbox(&address));
            round_trips(&address);
        }
        Err(error) => explained(&error),
    }
    match LocationId::parse(text) {
        Ok(id) => {
            assert!(id.as_str().len() == 7 && id.as_str().bytes().all(|byte| byte.is_ascii_digit()));
            assert_eq!(LocationId::parse(id.as_str()).as_ref(), Ok(&id));
            round_trips(&id);
        }
        Err(error) => explained(&error),
    }
    match CountryCode::parse(text) {
        Ok(code) => {
            assert!(code.as_str().len() == 2 && code.as_str().bytes().all(|byte| byte.is_ascii_uppercase()));
            assert_eq!(CountryCode::parse(&code.as_str().to_ascii_lowercase()), Ok(code));
            round_trips(&code);
        }
        Err(error) => explained(&error),
    }
    match parse_date(text) {
        Ok(date) => {
            assert_eq!(date.to_string(), text.trim());
            assert!(!format_date(date, Locale::En).is_empty());
            assert!(!format_date(date, Locale::Ko).is_empty());
        }
        Err(error) => explained(&error),
    }
    match ReferenceNumber::parse(text) {
        Ok(reference) => {
            let printed = reference.to_string();
            assert_eq!(printed.len(), 15);
            assert_eq!(ReferenceNumber::parse(&printed), Ok(reference));
            round_trips(&reference);
        }
        Err(error) => explained(&error),
    }
    for currency in [Currency::Usd, Currency::Krw] {
        match Money::parse(text, currency) {
            Ok(money) => {
                assert!(money.minor_units() >= 0);
                assert_eq!(Money::parse(&money.amount_text(), currency), Ok(money));
                assert!(money.to_string().starts_with(currency.code()));
                round_trips(&money);
            }
            Err(error) => explained(&error),
        }
    }
    match ExamCode::parse(text) {
        Ok(code) => {
            assert_eq!(code.as_str(), code.as_str().to_ascii_uppercase());
            assert_eq!(ExamCode::parse(code.as_str()).as_ref(), Ok(&code));
        }
        Err(error) => explained(&error),
    }
    match ProfileDescription::parse(text) {
        Ok(description) => {
            let stored = description.into_string();
            assert_eq!(stored, stored.trim());
            assert!(ProfileDescription::parse(&stored).is_ok());
        }
        Err(error) => explained(&error),
    }
    match WebAddress::parse(text) {
        Ok(address) => {
            let stored = address.as_str();
            assert!(stored.starts_with("https://") || stored.starts_with("http://"));
            assert!(!stored.contains(char::is_whitespace));
            assert_eq!(WebAddress::parse(stored).as_ref(), Ok(&address));
        }
        Err(error) => explained(&error),
    }
    match LinkedInPage::parse_optional(Some(text)) {
        Ok(Some(page)) => {
            let stored = page.into_string();
            assert!(stored.starts_with("https://") && stored.contains("linkedin.com/company/"));
            assert!(LinkedInPage::parse(&stored).is_ok());
        }
        Ok(None) => assert!(text.trim().is_empty()),
        Err(error) => explained(&error),
    }
    match AllowedOrigin::parse(text) {
        Ok(origin) => {
            let stored = origin.as_str();
            assert_eq!(stored, stored.to_ascii_lowercase());
            assert!(stored.starts_with("https://") || stored.starts_with("http://"));
            assert!(!stored[stored.find("://").unwrap() + 3..].contains('/'));
            assert_eq!(AllowedOrigin::parse(stored).as_ref(), Ok(&origin));
            round_trips(&origin);
        }
        Err(error) => explained(&error),
    }
    match IdempotencyKey::parse(Some(text)) {
        Ok(key) => assert!(!key.as_str().is_empty() && key.as_str().bytes().all(|byte| byte.is_ascii_graphic())),
        Err(error) => explained(&error),
    }
    match parse_offering_filter(text) {
        Ok(offering) => assert!(parse_offering_filter(offering.details().label).is_ok()),
        Err(error) => explained(&error),
    }
    if let Err(error) = parse_competency_filter(text) {
        explained(&error);
    }
    match Password::parse_new(text) {
        Ok(password) => {
            assert_eq!(password.expose(), text);
            // Never shown, even by Debug.
            assert_eq!(format!("{password:?}"), "Password(**redacted**)");
        }
        Err(error) => explained(&error),
    }
    match parse_display_name(text) {
        Ok(name) => assert_eq!(name.as_str(), name.as_str().trim()),
        Err(error) => explained(&error),
    }
});
