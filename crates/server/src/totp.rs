//! TOTP (RFC 6238) with `totp-rs`: SHA-1, 6 digits, 30-second steps, the codes of one step either
//! side of the server's accepted (`planning_domain::account::TOTP_SKEW_STEPS`). Which step a code
//! matched is returned, so the store can refuse it a second time (`AccountStore::use_totp_step`).
//! The QR code of an enrolment is drawn here as an SVG (`qrcodegen`), so the app needs no QR code.

use base64::Engine;
use chrono::{DateTime, Utc};
use planning_domain::account::{RECOVERY_CODES, RECOVERY_CODE_CHARS, TOTP_DIGITS, TOTP_SKEW_STEPS, TOTP_STEP_SECONDS};
use qrcodegen::{QrCode, QrCodeEcc};
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

/// The issuer authenticator apps show beside the account.
pub const ISSUER: &str = "Planning Services portal";

/// A new secret: 160 random bits (RFC 4226's recommendation), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, TOTP_DIGITS, 0, TOTP_STEP_SECONDS, bytes).ok()
}

/// The time step of `at`.
pub fn step_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(TOTP_STEP_SECONDS as i64)
}

/// The code of `step` (tests and the enrolment's own check).
pub fn code_at_step(secret: &str, step: i64) -> Option<String> {
    let seconds = u64::try_from(step).ok()?.checked_mul(TOTP_STEP_SECONDS)?;
    Some(totp(secret)?.generate(seconds))
}

/// The step whose code `code` is, among the steps within the skew of `now`'s; `None` if none.
/// Every candidate is compared, in constant time, so timing does not tell which matched.
pub fn matching_step(secret: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let current = step_of(now);
    let mut found = None;
    for step in (current - TOTP_SKEW_STEPS)..=(current + TOTP_SKEW_STEPS) {
        let Some(expected) = code_at_step(secret, step) else { continue };
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The `otpauth://` URI authenticator apps read from the QR code (Google Authenticator's
/// key-URI format, which every app follows).
pub fn otpauth_uri(secret: &str, email: &str) -> String {
    let mut url = url::Url::parse("otpauth://totp/").expect("a valid base");
    url.set_path(&format!("{ISSUER}:{email}"));
    url.query_pairs_mut()
        .append_pair("secret", secret)
        .append_pair("issuer", ISSUER)
        .append_pair("algorithm", "SHA1")
        .append_pair("digits", &TOTP_DIGITS.to_string())
        .append_pair("period", &TOTP_STEP_SECONDS.to_string());
    url.to_string()
}

/// The QR code of `text` as an SVG `data:` URL (dark modules on white, a 4-module quiet zone).
pub fn qr_code_data_url(text: &str) -> Option<String> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let size = code.size() + 2 * border;
    let mut path = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    );
    Some(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
}

/// New recovery codes: [`RECOVERY_CODES`] of [`RECOVERY_CODE_CHARS`] base32 characters (80 bits).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; RECOVERY_CODE_CHARS * 5 / 8];
            rand::rng().fill_bytes(&mut bytes);
            Secret::Raw(bytes.to_vec()).to_encoded().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1: the secret "12345678901234567890" at T = 59 s is 94287082
    /// (8 digits); its last 6 digits are the 6-digit code.
    #[test]
    fn codes_match_the_rfc_6238_test_vector() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        assert_eq!(code_at_step(&secret, 59 / 30).as_deref(), Some("287082"));
        assert_eq!(code_at_step(&secret, 1_111_111_109 / 30).as_deref(), Some("081804"));
    }

    #[test]
    fn a_code_of_the_previous_or_next_step_matches_and_two_steps_away_does_not() {
        let secret = new_secret();
        let now = DateTime::from_timestamp(1_700_000_015, 0).unwrap();
        let current = step_of(now);
        for offset in [-1, 0, 1] {
            let code = code_at_step(&secret, current + offset).unwrap();
            assert_eq!(matching_step(&secret, &code, now), Some(current + offset), "{offset}");
        }
        for offset in [-2, 2] {
            let code = code_at_step(&secret, current + offset).unwrap();
            if (-1..=1).all(|near| code_at_step(&secret, current + near).unwrap() != code) {
                assert_eq!(matching_step(&secret, &code, now), None, "{offset}");
            }
        }
    }

    #[test]
    fn recovery_codes_are_distinct_sixteen_character_base32() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        for code in &codes {
            assert!(matches!(
                planning_domain::account::SecondFactorCode::parse(code),
                Ok(planning_domain::account::SecondFactorCode::Recovery(_))
            ));
        }
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
    }

    #[test]
    fn the_uri_names_the_issuer_and_account_and_the_qr_code_is_an_svg() {
        let uri = otpauth_uri("JBSWY3DPEHPK3PXP", "ga@contoso.example");
        assert!(
            uri.starts_with("otpauth://totp/Planning%20Services%20portal:ga@contoso.example?secret=JBSWY3DPEHPK3PXP"),
            "{uri}"
        );
        assert!(uri.contains("period=30") && uri.contains("digits=6"));
        let data = qr_code_data_url(&uri).unwrap();
        let svg = base64::engine::general_purpose::STANDARD
            .decode(data.strip_prefix("data:image/svg+xml;base64,").unwrap())
            .unwrap();
        assert!(String::from_utf8(svg).unwrap().starts_with("<svg"));
    }
}
