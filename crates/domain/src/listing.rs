//! Voucher listings: the filters of `GET /api/v1/vouchers` and the keyset cursor that continues a
//! listing. Lists are ordered by expiry date, then voucher number; a page ends with the cursor of
//! its last row, and the next page starts strictly after it, so a listing stays cheap however deep
//! it goes (no OFFSET) and a voucher added meanwhile is neither skipped nor shown twice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::partners::offering_key;
use crate::api::vouchers::VoucherQuery;
use crate::catalog::{pick, OfferingCode, OFFERINGS};
use crate::error::FieldErrors;
use crate::locale::{Locale, Localize};
use crate::voucher::VoucherStatus;

/// Rows per page when the query names none.
pub const DEFAULT_PAGE_SIZE: u32 = 500;
/// The most rows one page may carry.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// The longest voucher-number prefix searched: a whole voucher number.
const MAX_PREFIX_DIGITS: usize = crate::parse::VoucherId::MAX_DIGITS;

/// Where a page starts: after this row of the (expiry, voucher number) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCursor {
    pub expires_on: NaiveDate,
    pub voucher_id: String,
}

impl ListCursor {
    /// The opaque text a client sends back as `after`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.expires_on.format("%Y%m%d"), self.voucher_id)
    }

    pub fn parse(text: &str) -> Result<ListCursor, ListingError> {
        let (date, voucher_id) = text.split_once('.').ok_or(ListingError::BadCursor)?;
        let expires_on = NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| ListingError::BadCursor)?;
        if voucher_id.is_empty()
            || voucher_id.len() > MAX_PREFIX_DIGITS
            || !voucher_id.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ListingError::BadCursor);
        }
        Ok(ListCursor { expires_on, voucher_id: voucher_id.to_owned() })
    }
}

/// A checked voucher listing request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherListing {
    /// The status as people see it on the program date (an unredeemed voucher past its expiry
    /// date counts as expired even before the expiry job has run).
    pub status: Option<VoucherStatus>,
    pub offering: Option<OfferingCode>,
    /// Digits the voucher number starts with.
    pub number_prefix: Option<String>,
    pub after: Option<ListCursor>,
    pub limit: u32,
}

impl VoucherListing {
    /// The whole first page, unfiltered.
    pub fn first_page(limit: u32) -> VoucherListing {
        VoucherListing { status: None, offering: None, number_prefix: None, after: None, limit }
    }

    /// Checks every parameter; a blank one means "no filter". Errors name the parameter.
    pub fn parse(query: &VoucherQuery) -> Result<VoucherListing, FieldErrors> {
        fn present(value: &Option<String>) -> Option<&str> {
            value.as_deref().map(str::trim).filter(|text| !text.is_empty())
        }
        let mut fields = FieldErrors::default();
        let status = present(&query.status).and_then(|text| fields.check("status", parse_status(text)));
        let offering = present(&query.offering).and_then(|text| fields.check("offering", parse_offering(text)));
        let number_prefix = present(&query.q).and_then(|text| fields.check("q", parse_prefix(text)));
        let after = present(&query.after).and_then(|text| fields.check("after", ListCursor::parse(text)));
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            fields.check::<(), _>("limit", Err(ListingError::PageSizeOutOfRange { max: MAX_PAGE_SIZE }));
        }
        if fields.is_empty() {
            Ok(VoucherListing { status, offering, number_prefix, after, limit })
        } else {
            Err(fields)
        }
    }

    /// The query string (without `?`) that asks for this listing; `after` replaced by `cursor`.
    pub fn query_string(&self, cursor: Option<&ListCursor>) -> String {
        let mut parts = vec![format!("limit={}", self.limit)];
        if let Some(status) = self.status {
            parts.push(format!("status={}", status_key(status)));
        }
        if let Some(offering) = self.offering {
            parts.push(format!("offering={}", offering_key(offering)));
        }
        if let Some(prefix) = &self.number_prefix {
            parts.push(format!("q={prefix}"));
        }
        if let Some(cursor) = cursor.or(self.after.as_ref()) {
            parts.push(format!("after={}", cursor.encode()));
        }
        parts.join("&")
    }
}

/// The wire name of a status ("assigned", "reserved", …).
pub fn status_key(status: VoucherStatus) -> &'static str {
    match status {
        VoucherStatus::Assigned => "assigned",
        VoucherStatus::Reserved => "reserved",
        VoucherStatus::Redeemed => "redeemed",
        VoucherStatus::Claimed => "claimed",
        VoucherStatus::Paid => "paid",
        VoucherStatus::Expired => "expired",
    }
}

fn parse_status(text: &str) -> Result<VoucherStatus, ListingError> {
    VoucherStatus::ALL
        .into_iter()
        .find(|status| status_key(*status).eq_ignore_ascii_case(text))
        .ok_or_else(|| ListingError::UnknownStatus { status: text.to_owned() })
}

fn parse_offering(text: &str) -> Result<OfferingCode, ListingError> {
    OFFERINGS
        .iter()
        .map(|offering| offering.code)
        .find(|code| offering_key(*code).eq_ignore_ascii_case(text))
        .ok_or_else(|| ListingError::UnknownOffering { offering: text.to_owned() })
}

fn parse_prefix(text: &str) -> Result<String, ListingError> {
    if text.len() > MAX_PREFIX_DIGITS || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ListingError::BadNumberPrefix);
    }
    Ok(text.to_owned())
}

/// Why a listing request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListingError {
    #[error("{}", self.message(Locale::En))]
    UnknownStatus { status: String },
    #[error("{}", self.message(Locale::En))]
    UnknownOffering { offering: String },
    #[error("{}", self.message(Locale::En))]
    BadNumberPrefix,
    #[error("{}", self.message(Locale::En))]
    BadCursor,
    #[error("{}", self.message(Locale::En))]
    PageSizeOutOfRange { max: u32 },
}

impl Localize for ListingError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (ListingError::UnknownStatus { status }, Locale::En) => format!(
                "\"{status}\" is not a voucher status. Use assigned, reserved, redeemed, claimed, paid or expired."
            ),
            (ListingError::UnknownStatus { status }, Locale::Ko) => format!(
                "\"{status}\"은(는) 바우처 상태가 아닙니다. assigned, reserved, redeemed, claimed, paid, expired 중 하나를 사용하세요."
            ),
            (ListingError::UnknownOffering { offering }, Locale::En) => {
                format!("\"{offering}\" is not an offering of the program. Use a code such as DDPS.")
            }
            (ListingError::UnknownOffering { offering }, Locale::Ko) => {
                format!("\"{offering}\"은(는) 프로그램의 오퍼링이 아닙니다. DDPS 같은 코드를 사용하세요.")
            }
            (ListingError::BadNumberPrefix, _) => pick(
                locale,
                "Search by the digits a voucher number starts with (up to 16 digits).",
                "바우처 번호의 앞자리 숫자로 검색하세요(최대 16자리).",
            ),
            (ListingError::BadCursor, _) => pick(
                locale,
                "This page link is not valid any more. Start the list again from the first page.",
                "이 페이지 링크는 더 이상 유효하지 않습니다. 첫 페이지부터 다시 여세요.",
            ),
            (ListingError::PageSizeOutOfRange { max }, Locale::En) => format!("Ask for 1 to {max} vouchers per page."),
            (ListingError::PageSizeOutOfRange { max }, Locale::Ko) => {
                format!("한 페이지에 바우처를 1~{max}개까지 요청할 수 있습니다.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> VoucherQuery {
        let mut query = VoucherQuery::default();
        for (key, value) in pairs {
            let value = Some((*value).to_owned());
            match *key {
                "status" => query.status = value,
                "offering" => query.offering = value,
                "q" => query.q = value,
                "after" => query.after = value,
                _ => unreachable!(),
            }
        }
        query
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote() {
        let cursor = ListCursor {
            expires_on: NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
            voucher_id: "210510000103".into(),
        };
        assert_eq!(cursor.encode(), "20211231.210510000103");
        assert_eq!(ListCursor::parse(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn a_forged_cursor_is_refused() {
        for text in
            ["", "20211231", "2021-12-31.1", "20211331.1", "20211231.", "20211231.12a", "20211231.12345678901234567"]
        {
            assert_eq!(ListCursor::parse(text), Err(ListingError::BadCursor), "{text}");
        }
    }

    #[test]
    fn blank_filters_mean_none_and_the_default_page_size_applies() {
        let listing = VoucherListing::parse(&query(&[("status", " "), ("q", "")])).unwrap();
        assert_eq!(listing, VoucherListing::first_page(DEFAULT_PAGE_SIZE));
    }

    #[test]
    fn filters_are_read_in_their_wire_words() {
        let listing =
            VoucherListing::parse(&query(&[("status", "Reserved"), ("offering", "ddps"), ("q", "2105")])).unwrap();
        assert_eq!(listing.status, Some(VoucherStatus::Reserved));
        assert_eq!(listing.offering, Some(OfferingCode::Ddps));
        assert_eq!(listing.number_prefix.as_deref(), Some("2105"));
        assert_eq!(listing.query_string(None), "limit=500&status=reserved&offering=DDPS&q=2105");
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let mut bad = query(&[("status", "lost"), ("offering", "XYZ"), ("q", "21-05"), ("after", "x")]);
        bad.limit = Some(0);
        let errors = VoucherListing::parse(&bad).unwrap_err();
        for field in ["status", "offering", "q", "after", "limit"] {
            assert!(errors.get(field).is_some(), "{field} should be refused");
        }
        let too_many = VoucherQuery { limit: Some(MAX_PAGE_SIZE + 1), ..VoucherQuery::default() };
        assert!(VoucherListing::parse(&too_many).is_err());
    }
}
