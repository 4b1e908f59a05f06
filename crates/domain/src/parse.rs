//! Parse-don't-validate newtypes for every value a person types: voucher ids, email addresses,
//! location ids, country codes, dates, bounded free text and money.
//!
//! Each type has private fields and one constructor, `parse`, so holding a value proves it was
//! checked. Each parser has its own error enum that says what is wrong and what would be right.
//! Formats chosen where DOMAIN.md gives none:
//! - `VoucherId`: 10 to 16 ASCII digits (VLSC issues numeric ids; the length is our choice).
//! - `LocationId`: exactly 7 ASCII digits, the length of MPN ids in the sources.
//! - `EmailAddress`: ASCII only, one `@`, a dot-atom local part of at most 64 characters and a
//!   domain of at least two letter-digit-hyphen labels with an alphabetic top-level label; at most
//!   254 characters. The domain is stored in lower case, the local part as typed.
//! - Surrounding whitespace is ignored everywhere; whitespace inside a value is refused.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::catalog::Currency;
use crate::locale::{Locale, Localize};

/// The id printed in the customer's voucher email: 10 to 16 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "210628000101"))]
pub struct VoucherId(String);

impl VoucherId {
    pub const MIN_DIGITS: usize = 10;
    pub const MAX_DIGITS: usize = 16;

    pub fn parse(input: &str) -> Result<VoucherId, VoucherIdError> {
        let digits = input.trim();
        if digits.is_empty() {
            return Err(VoucherIdError::Empty);
        }
        if let Some(character) = digits.chars().find(|character| !character.is_ascii_digit()) {
            return Err(VoucherIdError::InvalidCharacter { character });
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(VoucherIdError::WrongLength { length: digits.len() });
        }
        Ok(VoucherId(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a voucher id was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherIdError {
    #[error("{}", self.message(Locale::En))]
    Empty,
    #[error("{}", self.message(Locale::En))]
    InvalidCharacter { character: char },
    #[error("{}", self.message(Locale::En))]
    WrongLength { length: usize },
}

impl Localize for VoucherIdError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (VoucherIdError::Empty, Locale::En) => "Enter the voucher ID from the customer's voucher email.".to_owned(),
            (VoucherIdError::Empty, Locale::Ko) => {
                "고객이 받은 바우처 이메일에 있는 바우처 ID를 입력하세요.".to_owned()
            }
            (VoucherIdError::InvalidCharacter { character }, Locale::En) => {
                format!("A voucher ID contains digits only; remove \"{character}\".")
            }
            (VoucherIdError::InvalidCharacter { character }, Locale::Ko) => {
                format!("바우처 ID는 숫자로만 이루어져 있습니다. \"{character}\" 문자를 지우세요.")
            }
            (VoucherIdError::WrongLength { length }, Locale::En) => {
                format!("A voucher ID has 10 to 16 digits; this one has {length}.")
            }
            (VoucherIdError::WrongLength { length }, Locale::Ko) => {
                format!("바우처 ID는 10~16자리 숫자입니다. 입력한 값은 {length}자리입니다.")
            }
        }
    }
}

/// An email address in the practical form described in the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = Email))]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LENGTH: usize = 254;
    pub const MAX_LOCAL_LENGTH: usize = 64;

    pub fn parse(input: &str) -> Result<EmailAddress, EmailAddressError> {
        let address = input.trim();
        if address.is_empty() {
            return Err(EmailAddressError::Empty);
        }
        if address.len() > Self::MAX_LENGTH {
            return Err(EmailAddressError::TooLong);
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(EmailAddressError::MissingAt);
        };
        if !is_valid_local_part(local) {
            return Err(EmailAddressError::InvalidLocalPart);
        }
        if !is_valid_domain(domain) {
            return Err(EmailAddressError::InvalidDomain);
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two addresses name the same mailbox: the domain is already lower case; the local
    /// part is compared without case too, as every mail system in practice does.
    pub fn same_mailbox(&self, other: &EmailAddress) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

fn is_valid_local_part(local: &str) -> bool {
    const SYMBOLS: &[u8] = b"!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= EmailAddress::MAX_LOCAL_LENGTH
        && local.split('.').all(|atom| {
            !atom.is_empty() && atom.bytes().all(|byte| byte.is_ascii_alphanumeric() || SYMBOLS.contains(&byte))
        })
}

fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let top_level_ok =
        labels.last().is_some_and(|top| top.len() >= 2 && top.bytes().all(|byte| byte.is_ascii_alphabetic()));
    labels.len() >= 2 && labels.iter().all(label_ok) && top_level_ok
}

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmailAddressError {
    #[error("{}", self.message(Locale::En))]
    Empty,
    #[error("{}", self.message(Locale::En))]
    TooLong,
    #[error("{}", self.message(Locale::En))]
    MissingAt,
    #[error("{}", self.message(Locale::En))]
    InvalidLocalPart,
    #[error("{}", self.message(Locale::En))]
    InvalidDomain,
}

impl Localize for EmailAddressError {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            EmailAddressError::Empty => ("Enter an email address.", "이메일 주소를 입력하세요."),
            EmailAddressError::TooLong => {
                ("An email address has at most 254 characters.", "이메일 주소는 254자를 넘을 수 없습니다.")
            }
            EmailAddressError::MissingAt => (
                "An email address has one \"@\" between the name and the domain, like name@example.com.",
                "이메일 주소에는 이름과 도메인 사이에 \"@\"가 하나 있어야 합니다(예: name@example.com).",
            ),
            EmailAddressError::InvalidLocalPart => (
                "The part before \"@\" may use letters, digits, dots and symbols such as + or _, without spaces \
                 or two dots in a row (at most 64 characters).",
                "\"@\" 앞부분에는 공백이나 연속된 마침표 없이 영문자, 숫자, 마침표, + 또는 _ 같은 기호만 쓸 수 \
                 있습니다(최대 64자).",
            ),
            EmailAddressError::InvalidDomain => (
                "The part after \"@\" must be a domain such as example.com.",
                "\"@\" 뒷부분은 example.com과 같은 도메인이어야 합니다.",
            ),
        };
        crate::catalog::pick(locale, en, ko)
    }
}

/// An MPN location id: exactly 7 digits. Reserve, redeem and invoice happen under one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "1000001"))]
pub struct LocationId(String);

impl LocationId {
    pub const DIGITS: usize = 7;

    pub fn parse(input: &str) -> Result<LocationId, LocationIdError> {
        let digits = input.trim();
        if digits.is_empty() {
            return Err(LocationIdError::Empty);
        }
        if let Some(character) = digits.chars().find(|character| !character.is_ascii_digit()) {
            return Err(LocationIdError::InvalidCharacter { character });
        }
        if digits.len() != Self::DIGITS {
            return Err(LocationIdError::WrongLength { length: digits.len() });
        }
        Ok(LocationId(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a location id was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationIdError {
    #[error("{}", self.message(Locale::En))]
    Empty,
    #[error("{}", self.message(Locale::En))]
    InvalidCharacter { character: char },
    #[error("{}", self.message(Locale::En))]
    WrongLength { length: usize },
}

impl Localize for LocationIdError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (LocationIdError::Empty, Locale::En) => "Enter the MPN location ID of the delivering office.".to_owned(),
            (LocationIdError::Empty, Locale::Ko) => "참여를 수행하는 지사의 MPN 위치 ID를 입력하세요.".to_owned(),
            (LocationIdError::InvalidCharacter { character }, Locale::En) => {
                format!("An MPN location ID contains digits only; remove \"{character}\".")
            }
            (LocationIdError::InvalidCharacter { character }, Locale::Ko) => {
                format!("MPN 위치 ID는 숫자로만 이루어져 있습니다. \"{character}\" 문자를 지우세요.")
            }
            (LocationIdError::WrongLength { length }, Locale::En) => {
                format!("An MPN location ID has exactly 7 digits; this one has {length}.")
            }
            (LocationIdError::WrongLength { length }, Locale::Ko) => {
                format!("MPN 위치 ID는 정확히 7자리 숫자입니다. 입력한 값은 {length}자리입니다.")
            }
        }
    }
}

/// Every ISO 3166-1 alpha-2 code (249), concatenated in alphabetical order.
const ISO_COUNTRY_CODES: &str =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCI\
CKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHU\
IDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMW\
MXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSY\
SZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/// An ISO 3166-1 alpha-2 country code, upper case, from the official list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "KR"))]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Accepts "kr", " KR " and "Kr"; refuses anything that is not an assigned code.
    pub fn parse(input: &str) -> Result<CountryCode, CountryCodeError> {
        let code = input.trim().as_bytes();
        let [first, second] = code else {
            return Err(CountryCodeError::NotTwoLetters);
        };
        if !first.is_ascii_alphabetic() || !second.is_ascii_alphabetic() {
            return Err(CountryCodeError::NotTwoLetters);
        }
        let upper = [first.to_ascii_uppercase(), second.to_ascii_uppercase()];
        let known = ISO_COUNTRY_CODES.as_bytes().chunks_exact(2).any(|pair| pair == upper);
        if !known {
            let code = String::from_utf8_lossy(&upper).into_owned();
            return Err(CountryCodeError::Unknown { country: code });
        }
        Ok(CountryCode(upper))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// Why a country code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CountryCodeError {
    #[error("{}", self.message(Locale::En))]
    NotTwoLetters,
    #[error("{}", self.message(Locale::En))]
    Unknown { country: String },
}

impl Localize for CountryCodeError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (CountryCodeError::NotTwoLetters, Locale::En) => {
                "Enter the country as its two-letter ISO code, like KR or US.".to_owned()
            }
            (CountryCodeError::NotTwoLetters, Locale::Ko) => {
                "국가는 KR, US처럼 두 글자 ISO 코드로 입력하세요.".to_owned()
            }
            (CountryCodeError::Unknown { country }, Locale::En) => {
                format!("\"{country}\" is not an ISO country code; use a code like KR or US.")
            }
            (CountryCodeError::Unknown { country }, Locale::Ko) => {
                format!("\"{country}\"은(는) ISO 국가 코드가 아닙니다. KR, US 같은 코드를 사용하세요.")
            }
        }
    }
}

/// Parses a calendar date written exactly as `YYYY-MM-DD`, ignoring surrounding whitespace.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let text = input.trim().as_bytes();
    let shape_ok = text.len() == 10
        && text.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(DateError::WrongFormat);
    }
    let number = |range: std::ops::Range<usize>| {
        text[range].iter().fold(0u32, |value, byte| value * 10 + u32::from(byte - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(DateError::NotACalendarDate { year, month, day })
}

/// Writes a date for a person: "June 30, 2021" in English, "2021년 6월 30일" in Korean, the
/// same words the browser's `Intl.DateTimeFormat` writes in the long style for en-US and ko-KR,
/// so a date in a rule's message reads like every other date on the page.
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match locale {
        Locale::En => format!("{} {}, {}", MONTHS[date.month0() as usize], date.day(), date.year()),
        Locale::Ko => format!("{}년 {}월 {}일", date.year(), date.month(), date.day()),
    }
}

/// A last day, said with its time zone: "July 3, 2021 (end of day UTC)". Every deadline of the
/// program is a UTC calendar date that ends at the end of that day.
pub fn format_deadline(date: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{} (end of day UTC)", format_date(date, locale)),
        Locale::Ko => format!("{}(UTC 기준 하루 끝)", format_date(date, locale)),
    }
}

/// Why a date was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DateError {
    #[error("{}", self.message(Locale::En))]
    WrongFormat,
    #[error("{}", self.message(Locale::En))]
    NotACalendarDate { year: u32, month: u32, day: u32 },
}

impl Localize for DateError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (DateError::WrongFormat, Locale::En) => "Enter the date as YYYY-MM-DD, for example 2021-06-30.".to_owned(),
            (DateError::WrongFormat, Locale::Ko) => "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2021-06-30).".to_owned(),
            (DateError::NotACalendarDate { year, month, day }, Locale::En) => {
                format!("{year:04}-{month:02}-{day:02} is not a date in the calendar; check the month and day.")
            }
            (DateError::NotACalendarDate { year, month, day }, Locale::Ko) => {
                format!("{year:04}-{month:02}-{day:02}은(는) 존재하지 않는 날짜입니다. 월과 일을 확인하세요.")
            }
        }
    }
}

/// Free text whose length, counted in user-perceived characters (grapheme clusters) after
/// trimming, lies within bounds. Control characters other than line breaks and tabs are refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(input: &str, min: usize, max: usize) -> Result<BoundedText, TextError> {
        let text = input.trim();
        if text.chars().any(|character| character.is_control() && !matches!(character, '\n' | '\r' | '\t')) {
            return Err(TextError::ControlCharacter);
        }
        let length = text.graphemes(true).count();
        if length == 0 && min > 0 {
            return Err(TextError::Required);
        }
        if length < min {
            return Err(TextError::TooShort { min, length });
        }
        if length > max {
            return Err(TextError::TooLong { max, length });
        }
        Ok(BoundedText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TextError {
    #[error("{}", self.message(Locale::En))]
    Required,
    #[error("{}", self.message(Locale::En))]
    TooShort { min: usize, length: usize },
    #[error("{}", self.message(Locale::En))]
    TooLong { max: usize, length: usize },
    #[error("{}", self.message(Locale::En))]
    ControlCharacter,
}

impl Localize for TextError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (TextError::Required, Locale::En) => "This field is required.".to_owned(),
            (TextError::Required, Locale::Ko) => "필수 입력 항목입니다.".to_owned(),
            (TextError::TooShort { min, length }, Locale::En) => {
                format!("Enter at least {min} characters; this has {length}.")
            }
            (TextError::TooShort { min, length }, Locale::Ko) => {
                format!("{min}자 이상 입력하세요. 현재 {length}자입니다.")
            }
            (TextError::TooLong { max, length }, Locale::En) => {
                format!("Enter at most {max} characters; this has {length}.")
            }
            (TextError::TooLong { max, length }, Locale::Ko) => {
                format!("{max}자 이하로 입력하세요. 현재 {length}자입니다.")
            }
            (TextError::ControlCharacter, Locale::En) => {
                "Remove the invisible control characters (pasted formatting) from the text.".to_owned()
            }
            (TextError::ControlCharacter, Locale::Ko) => {
                "텍스트에서 보이지 않는 제어 문자(붙여넣은 서식)를 지우세요.".to_owned()
            }
        }
    }
}

/// An amount of money in integer minor units (cents, or whole won and yen) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    minor_units: i64,
    currency: Currency,
}

impl Money {
    /// The largest amount accepted from text: 15 integer digits stay far from `i64` overflow.
    const MAX_INTEGER_DIGITS: usize = 15;

    pub fn from_minor_units(minor_units: i64, currency: Currency) -> Money {
        Money { minor_units, currency }
    }

    pub fn minor_units(self) -> i64 {
        self.minor_units
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Parses a non-negative decimal amount such as "1234.50" (no sign, no thousands separators,
    /// at most as many decimals as the currency has).
    pub fn parse(input: &str, currency: Currency) -> Result<Money, MoneyError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        let fraction_digits = fraction.unwrap_or_default();
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(fraction_digits)
            || fraction.is_some_and(str::is_empty)
        {
            return Err(MoneyError::NotAnAmount);
        }
        let decimals = usize::from(currency.minor_digits());
        if fraction_digits.len() > decimals {
            return Err(MoneyError::TooManyDecimals { currency, decimals: currency.minor_digits() });
        }
        let significant = whole.trim_start_matches('0');
        if significant.len() > Self::MAX_INTEGER_DIGITS {
            return Err(MoneyError::TooLarge);
        }
        let mut minor_units: i64 = 0;
        for byte in significant.bytes().chain(fraction_digits.bytes()) {
            minor_units = minor_units * 10 + i64::from(byte - b'0');
        }
        for _ in fraction_digits.len()..decimals {
            minor_units *= 10;
        }
        Ok(Money { minor_units, currency })
    }

    /// The amount without currency, with the currency's decimals: "1234.50", "1300000".
    pub fn amount_text(self) -> String {
        let decimals = u32::from(self.currency.minor_digits());
        let sign = if self.minor_units < 0 { "-" } else { "" };
        let magnitude = self.minor_units.unsigned_abs();
        if decimals == 0 {
            return format!("{sign}{magnitude}");
        }
        let scale = 10u64.pow(decimals);
        format!("{sign}{}.{:0width$}", magnitude / scale, magnitude % scale, width = decimals as usize)
    }

    /// `self + other`, or `None` on a currency mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        self.minor_units.checked_add(other.minor_units).map(|minor_units| Money { minor_units, ..self })
    }

    /// `self × factor`, or `None` on overflow.
    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        self.minor_units.checked_mul(factor).map(|minor_units| Money { minor_units, ..self })
    }
}

impl fmt::Display for Money {
    /// "USD 1,234.50" / "KRW 1,300,000": the code first, digits grouped by thousands.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.amount_text();
        let (sign, unsigned) = text.strip_prefix('-').map_or(("", text.as_str()), |rest| ("-", rest));
        let (whole, fraction) = unsigned.split_once('.').map_or((unsigned, None), |(w, f)| (w, Some(f)));
        let grouped = crate::locale::group_thousands(whole);
        write!(f, "{} {sign}{grouped}", self.currency.code())?;
        if let Some(fraction) = fraction {
            write!(f, ".{fraction}")?;
        }
        Ok(())
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoneyError {
    #[error("{}", self.message(Locale::En))]
    Empty,
    #[error("{}", self.message(Locale::En))]
    NotAnAmount,
    #[error("{}", self.message(Locale::En))]
    TooManyDecimals { currency: Currency, decimals: u8 },
    #[error("{}", self.message(Locale::En))]
    TooLarge,
}

impl Localize for MoneyError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (MoneyError::Empty, Locale::En) => "Enter an amount.".to_owned(),
            (MoneyError::Empty, Locale::Ko) => "금액을 입력하세요.".to_owned(),
            (MoneyError::NotAnAmount, Locale::En) => {
                "Enter the amount with digits and at most one decimal point, like 1234.50 (no sign or commas)."
                    .to_owned()
            }
            (MoneyError::NotAnAmount, Locale::Ko) => {
                "금액은 1234.50처럼 숫자와 소수점 하나로만 입력하세요(부호나 쉼표 없이).".to_owned()
            }
            (MoneyError::TooManyDecimals { currency, decimals: 0 }, Locale::En) => {
                format!("{} amounts have no decimals; enter a whole number.", currency.code())
            }
            (MoneyError::TooManyDecimals { currency, decimals: 0 }, Locale::Ko) => {
                format!("{} 금액에는 소수점이 없습니다. 정수로 입력하세요.", currency.code())
            }
            (MoneyError::TooManyDecimals { currency, decimals }, Locale::En) => {
                format!("{} amounts have at most {decimals} decimals.", currency.code())
            }
            (MoneyError::TooManyDecimals { currency, decimals }, Locale::Ko) => {
                format!("{} 금액은 소수점 이하 {decimals}자리까지만 입력할 수 있습니다.", currency.code())
            }
            (MoneyError::TooLarge, Locale::En) => "The amount is too large.".to_owned(),
            (MoneyError::TooLarge, Locale::Ko) => "금액이 너무 큽니다.".to_owned(),
        }
    }
}

// Serde plumbing: the string-backed newtypes travel as plain strings and are re-checked when read.
macro_rules! string_newtype_serde {
    ($name:ident, $error:ident) => {
        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                $name::parse(&text)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_newtype_serde!(VoucherId, VoucherIdError);
string_newtype_serde!(EmailAddress, EmailAddressError);
string_newtype_serde!(LocationId, LocationIdError);
string_newtype_serde!(CountryCode, CountryCodeError);

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    use crate::locale::test_support::assert_bilingual_error as assert_bilingual;

    #[test]
    fn a_voucher_id_of_ten_to_sixteen_digits_is_accepted_with_surrounding_spaces() {
        assert_eq!(VoucherId::parse(" 1234567890 \n").unwrap().as_str(), "1234567890");
        assert_eq!(VoucherId::parse("1234567890123456").unwrap().as_str(), "1234567890123456");
    }

    #[test]
    fn a_voucher_id_of_nine_or_seventeen_digits_is_refused_with_its_length() {
        let error = VoucherId::parse("123456789").unwrap_err();
        assert_eq!(error, VoucherIdError::WrongLength { length: 9 });
        assert_bilingual(&error, "A voucher ID has 10 to 16 digits; this one has 9.");
        assert_eq!(VoucherId::parse("12345678901234567"), Err(VoucherIdError::WrongLength { length: 17 }));
    }

    #[test]
    fn a_voucher_id_with_inner_spaces_or_dashes_names_the_character() {
        let error = VoucherId::parse("12345-67890").unwrap_err();
        assert_bilingual(&error, "A voucher ID contains digits only; remove \"-\".");
        assert_eq!(VoucherId::parse("12345 67890"), Err(VoucherIdError::InvalidCharacter { character: ' ' }));
        assert_eq!(
            VoucherId::parse("１２３４５６７８９０").unwrap_err(),
            VoucherIdError::InvalidCharacter { character: '１' }
        );
        assert_bilingual(
            &VoucherId::parse("   ").unwrap_err(),
            "Enter the voucher ID from the customer's voucher email.",
        );
    }

    #[test]
    fn voucher_ids_are_checked_again_when_read_from_json() {
        assert!(serde_json::from_str::<VoucherId>("\"12ab\"").is_err());
        let id: VoucherId = serde_json::from_str("\"1234567890\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"1234567890\"");
    }

    #[test]
    fn practical_email_addresses_are_accepted_and_the_domain_lower_cased() {
        let address = EmailAddress::parse("  Jane.Doe+dps@Contoso.CO.KR ").unwrap();
        assert_eq!(address.as_str(), "Jane.Doe+dps@contoso.co.kr");
        assert!(address.same_mailbox(&EmailAddress::parse("jane.doe+DPS@contoso.co.kr").unwrap()));
        assert!(EmailAddress::parse("a@b.io").is_ok());
    }

    #[test]
    fn broken_email_addresses_say_which_part_is_wrong() {
        assert_bilingual(
            &EmailAddress::parse("jane.contoso.com").unwrap_err(),
            "An email address has one \"@\" between the name and the domain, like name@example.com.",
        );
        assert_eq!(EmailAddress::parse("jane..doe@contoso.com"), Err(EmailAddressError::InvalidLocalPart));
        assert_eq!(EmailAddress::parse(".jane@contoso.com"), Err(EmailAddressError::InvalidLocalPart));
        assert_eq!(EmailAddress::parse("ja ne@contoso.com"), Err(EmailAddressError::InvalidLocalPart));
        assert_eq!(EmailAddress::parse("jane@contoso"), Err(EmailAddressError::InvalidDomain));
        assert_eq!(EmailAddress::parse("jane@a@contoso.com"), Err(EmailAddressError::InvalidDomain));
        assert_eq!(EmailAddress::parse("jane@-contoso.com"), Err(EmailAddressError::InvalidDomain));
        assert_eq!(EmailAddress::parse("jane@contoso.c0m"), Err(EmailAddressError::InvalidDomain));
        assert_bilingual(&EmailAddress::parse("").unwrap_err(), "Enter an email address.");
        assert_bilingual(
            &EmailAddress::parse("jane@contoso").unwrap_err(),
            "The part after \"@\" must be a domain such as example.com.",
        );
    }

    #[test]
    fn email_local_part_is_limited_to_sixty_four_characters() {
        let local = "a".repeat(64);
        assert!(EmailAddress::parse(&format!("{local}@contoso.com")).is_ok());
        assert_eq!(EmailAddress::parse(&format!("a{local}@contoso.com")), Err(EmailAddressError::InvalidLocalPart));
        let long_domain = format!("{}.com", vec!["a".repeat(60); 5].join("."));
        assert_eq!(EmailAddress::parse(&format!("jane@{long_domain}")), Err(EmailAddressError::TooLong));
    }

    #[test]
    fn a_location_id_has_exactly_seven_digits() {
        assert_eq!(LocationId::parse(" 4567890 ").unwrap().as_str(), "4567890");
        let error = LocationId::parse("456789").unwrap_err();
        assert_bilingual(&error, "An MPN location ID has exactly 7 digits; this one has 6.");
        assert_eq!(LocationId::parse("45678901"), Err(LocationIdError::WrongLength { length: 8 }));
        assert_eq!(LocationId::parse("45x7890"), Err(LocationIdError::InvalidCharacter { character: 'x' }));
        assert_bilingual(&LocationId::parse("").unwrap_err(), "Enter the MPN location ID of the delivering office.");
    }

    #[test]
    fn country_codes_accept_lower_case_and_refuse_unassigned_codes() {
        assert_eq!(CountryCode::parse(" kr ").unwrap().as_str(), "KR");
        assert_eq!(CountryCode::parse("Us").unwrap().to_string(), "US");
        let unknown = CountryCode::parse("XK").unwrap_err();
        assert_bilingual(&unknown, "\"XK\" is not an ISO country code; use a code like KR or US.");
        assert_bilingual(
            &CountryCode::parse("KOR").unwrap_err(),
            "Enter the country as its two-letter ISO code, like KR or US.",
        );
        assert_eq!(CountryCode::parse("K1"), Err(CountryCodeError::NotTwoLetters));
        assert_eq!(CountryCode::parse("한국"), Err(CountryCodeError::NotTwoLetters));
        assert_eq!(ISO_COUNTRY_CODES.len(), 249 * 2);
    }

    #[test]
    fn dates_are_read_only_as_year_month_day() {
        assert_eq!(parse_date(" 2021-06-30 "), Ok(NaiveDate::from_ymd_opt(2021, 6, 30).unwrap()));
        assert_bilingual(
            &parse_date("30/06/2021").unwrap_err(),
            "Enter the date as YYYY-MM-DD, for example 2021-06-30.",
        );
        assert_eq!(parse_date("2021-6-30"), Err(DateError::WrongFormat));
        assert_eq!(parse_date("+2021-06-30"), Err(DateError::WrongFormat));
        assert_bilingual(
            &parse_date("2021-02-29").unwrap_err(),
            "2021-02-29 is not a date in the calendar; check the month and day.",
        );
        assert!(parse_date("2020-02-29").is_ok());
    }

    #[test]
    fn dates_are_written_in_each_language_s_own_way() {
        let date = NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
        assert_eq!(format_date(date, Locale::En), "June 30, 2021");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2022, 1, 2).unwrap(), Locale::En), "January 2, 2022");
        assert_eq!(format_date(date, Locale::Ko), "2021년 6월 30일");
    }

    #[test]
    fn bounded_text_counts_graphemes_not_bytes() {
        // "한국어" is 3 graphemes in 9 bytes; the family emoji is one grapheme of several scalars.
        assert_eq!(BoundedText::parse("한국어", 1, 3).unwrap().as_str(), "한국어");
        assert!(BoundedText::parse("👨‍👩‍👧", 1, 1).is_ok());
        let error = BoundedText::parse("한국어다", 1, 3).unwrap_err();
        assert_eq!(error, TextError::TooLong { max: 3, length: 4 });
        assert_bilingual(&error, "Enter at most 3 characters; this has 4.");
        assert_bilingual(&BoundedText::parse("ab", 3, 10).unwrap_err(), "Enter at least 3 characters; this has 2.");
        assert_bilingual(&BoundedText::parse("  ", 1, 10).unwrap_err(), "This field is required.");
        assert_eq!(BoundedText::parse("a\u{0}b", 0, 10), Err(TextError::ControlCharacter));
        assert!(BoundedText::parse("line one\nline two", 0, 100).is_ok());
    }

    #[test]
    fn money_parses_decimal_text_into_minor_units() {
        assert_eq!(Money::parse("1234.50", Currency::Usd).unwrap().minor_units(), 123_450);
        assert_eq!(Money::parse("1234.5", Currency::Usd).unwrap().minor_units(), 123_450);
        assert_eq!(Money::parse("1234", Currency::Usd).unwrap().minor_units(), 123_400);
        assert_eq!(Money::parse("1300000", Currency::Krw).unwrap().minor_units(), 1_300_000);
        assert_eq!(Money::parse("0.01", Currency::Eur).unwrap().minor_units(), 1);
    }

    #[test]
    fn money_refuses_signs_separators_and_extra_decimals() {
        assert_bilingual(
            &Money::parse("1,234.50", Currency::Usd).unwrap_err(),
            "Enter the amount with digits and at most one decimal point, like 1234.50 (no sign or commas).",
        );
        assert_eq!(Money::parse("-5", Currency::Usd), Err(MoneyError::NotAnAmount));
        assert_eq!(Money::parse(".5", Currency::Usd), Err(MoneyError::NotAnAmount));
        assert_eq!(Money::parse("5.", Currency::Usd), Err(MoneyError::NotAnAmount));
        assert_eq!(Money::parse("1.2.3", Currency::Usd), Err(MoneyError::NotAnAmount));
        assert_bilingual(&Money::parse("1.005", Currency::Usd).unwrap_err(), "USD amounts have at most 2 decimals.");
        assert_bilingual(
            &Money::parse("1000.5", Currency::Krw).unwrap_err(),
            "KRW amounts have no decimals; enter a whole number.",
        );
        assert_eq!(Money::parse("9999999999999999", Currency::Usd), Err(MoneyError::TooLarge));
        assert!(Money::parse("999999999999999.99", Currency::Usd).is_ok());
        assert_bilingual(&Money::parse(" ", Currency::Usd).unwrap_err(), "Enter an amount.");
    }

    #[test]
    fn money_is_written_with_its_currency_and_thousands_groups() {
        assert_eq!(Money::from_minor_units(123_450, Currency::Usd).to_string(), "USD 1,234.50");
        assert_eq!(Money::from_minor_units(1_300_000, Currency::Krw).to_string(), "KRW 1,300,000");
        assert_eq!(Money::from_minor_units(5, Currency::Eur).to_string(), "EUR 0.05");
        assert_eq!(Money::from_minor_units(-100_000, Currency::Jpy).to_string(), "JPY -100,000");
        let usd = Money::from_minor_units(100, Currency::Usd);
        assert_eq!(usd.checked_add(Money::from_minor_units(1, Currency::Eur)), None);
        assert_eq!(usd.checked_mul(15).unwrap().minor_units(), 1_500);
    }
}
