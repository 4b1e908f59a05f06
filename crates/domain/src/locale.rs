//! The portal's two languages and the trait every user-visible domain message implements.

use serde::{Deserialize, Serialize};

/// A language the portal speaks. English is the default; Korean is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Ko,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ko];

    /// The BCP 47 tag, as used in `lang` attributes and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    /// Parses a BCP 47 tag leniently: `ko`, `ko-KR` and `KO` are Korean; anything else English.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ko") {
            Locale::Ko
        } else {
            Locale::En
        }
    }

    /// Picks the first supported language of an `Accept-Language` header value.
    pub fn from_accept_language(header: &str) -> Locale {
        header
            .split(',')
            .map(|part| part.split(';').next().unwrap_or_default().trim())
            .find_map(|tag| {
                let primary = tag.split('-').next().unwrap_or_default();
                if primary.eq_ignore_ascii_case("ko") {
                    Some(Locale::Ko)
                } else if primary.eq_ignore_ascii_case("en") {
                    Some(Locale::En)
                } else {
                    None
                }
            })
            .unwrap_or_default()
    }
}

/// Groups the digits of a whole number by thousands with commas ("1,300,000"), the grouping
/// English and Korean share.
pub fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A message shown to a person, in either language, from one source.
///
/// `Display` of the implementing type must equal `message(Locale::En)`: the server logs and
/// the `message` field of error bodies use it, and the browser renders `message(locale)`.
pub trait Localize {
    fn message(&self, locale: Locale) -> String;
}

/// Assertions shared by the test modules of the crate.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Locale, Localize};

    /// The English message is `english`, and the Korean one exists and differs from it.
    pub(crate) fn assert_bilingual(message: &impl Localize, english: &str) {
        assert_eq!(message.message(Locale::En), english);
        let korean = message.message(Locale::Ko);
        assert!(!korean.is_empty());
        assert_ne!(korean, english);
    }

    /// As [`assert_bilingual`], and `Display` (what the server logs and sends as `message`) is the
    /// English message.
    pub(crate) fn assert_bilingual_error<E: Localize + std::fmt::Display>(error: &E, english: &str) {
        assert_eq!(error.to_string(), english);
        assert_bilingual(error, english);
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn korean_tags_are_recognised_in_any_case_and_region() {
        assert_eq!(Locale::from_tag("ko-KR"), Locale::Ko);
        assert_eq!(Locale::from_tag("KO"), Locale::Ko);
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
        assert_eq!(Locale::from_tag("fr"), Locale::En);
    }

    #[test]
    fn accept_language_takes_the_first_supported_tag() {
        assert_eq!(Locale::from_accept_language("fr-CH, ko;q=0.9, en;q=0.8"), Locale::Ko);
        assert_eq!(Locale::from_accept_language("de, en-US;q=0.5"), Locale::En);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
    }
}
