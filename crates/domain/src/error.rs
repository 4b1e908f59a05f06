//! The one JSON error shape of the API, and the umbrella of every rule error.
//!
//! The server turns each failure into an [`ErrorBody`]; the browser decodes the same type and
//! renders it with [`ErrorBody::localized`]. Rule errors travel typed (code plus parameters), so
//! the browser renders them in the reader's language with the very `Localize` implementation the
//! server used for the English `message`.

use serde::{Deserialize, Serialize};

use crate::catalog::ServiceLevelError;
use crate::locale::{Locale, Localize};
use crate::parse::{
    CountryCodeError, DateError, EmailAddressError, LocationIdError, MoneyError, TextError, VoucherIdError,
};
use crate::payment::{IdempotencyError, PaymentError, ReferenceNumberError};
use crate::timeline::TimelineError;
use crate::voucher::VoucherError;

/// What kind of failure a response reports. Stable: clients may match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or not the JSON this endpoint takes.
    MalformedBody,
    /// 401: no valid session.
    Unauthenticated,
    /// 403: signed in, but this role or organization may not do this.
    Forbidden,
    /// 403: a state-changing request that failed the cross-site request check.
    CrossSiteRequest,
    /// 401: the password was right; the sign-in continues with a code at
    /// `POST /api/v1/session/second-factor` (the response set the cookie that continues it).
    SecondFactorRequired,
    /// 403: this session may only set up two-step sign-in, which the deployment requires of
    /// the user's role.
    SecondFactorEnrolmentRequired,
    /// 404: no such route or resource.
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 409: the resource changed under the request (another partner won, say).
    Conflict,
    /// 413: the body or upload is larger than this endpoint accepts.
    PayloadTooLarge,
    /// 415: the body is not `application/json` (or not the upload type expected).
    UnsupportedMediaType,
    /// 422: the body parsed, but a rule refused it; see `fields` and `rule`.
    ValidationFailed,
    /// 429: too many attempts; try again later.
    RateLimited,
    /// 500: the server failed; the request id finds the log line.
    Internal,
    /// 503: a dependency (the database) is not available.
    Unavailable,
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::MalformedBody => 400,
            ErrorCode::Unauthenticated | ErrorCode::SecondFactorRequired => 401,
            ErrorCode::Forbidden | ErrorCode::CrossSiteRequest | ErrorCode::SecondFactorEnrolmentRequired => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }
}

impl Localize for ErrorCode {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            ErrorCode::MalformedBody => (
                "The request could not be read. Check the data and try again.",
                "요청을 읽을 수 없습니다. 입력한 내용을 확인한 뒤 다시 시도하세요.",
            ),
            ErrorCode::Unauthenticated => ("Please sign in to continue.", "계속하려면 로그인하세요."),
            ErrorCode::Forbidden => {
                ("Your role does not allow this action.", "현재 역할로는 이 작업을 할 수 없습니다.")
            }
            ErrorCode::CrossSiteRequest => (
                "The request was refused because it came from another site.",
                "다른 사이트에서 보낸 요청이므로 거부되었습니다.",
            ),
            ErrorCode::SecondFactorRequired => (
                "Enter the code from your authenticator app to finish signing in.",
                "로그인을 마치려면 인증 앱의 코드를 입력하세요.",
            ),
            ErrorCode::SecondFactorEnrolmentRequired => (
                "Set up two-step sign-in first: your role requires it.",
                "먼저 2단계 로그인을 설정하세요. 현재 역할에 필요합니다.",
            ),
            ErrorCode::NotFound => ("Nothing was found at this address.", "이 주소에서 찾을 수 있는 항목이 없습니다."),
            ErrorCode::MethodNotAllowed => {
                ("This action is not available here.", "여기에서는 이 작업을 사용할 수 없습니다.")
            }
            ErrorCode::Conflict => (
                "Someone else changed this first. The latest state has been loaded.",
                "다른 사용자가 먼저 변경했습니다. 최신 상태를 불러왔습니다.",
            ),
            ErrorCode::PayloadTooLarge => {
                ("The data sent is larger than allowed.", "보낸 데이터가 허용된 크기보다 큽니다.")
            }
            ErrorCode::UnsupportedMediaType => (
                "The data was sent in a format this address does not accept.",
                "이 주소에서 받지 않는 형식으로 데이터를 보냈습니다.",
            ),
            ErrorCode::ValidationFailed => {
                ("Some of the information needs correcting.", "일부 정보를 수정해야 합니다.")
            }
            ErrorCode::RateLimited => (
                "Too many attempts. Wait a moment and try again.",
                "시도 횟수가 너무 많습니다. 잠시 후 다시 시도하세요.",
            ),
            ErrorCode::Internal => (
                "Something went wrong on our side. Please try again.",
                "서버에서 문제가 발생했습니다. 다시 시도하세요.",
            ),
            ErrorCode::Unavailable => (
                "The service is temporarily unavailable. Please try again shortly.",
                "서비스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도하세요.",
            ),
        };
        match locale {
            Locale::En => en.to_owned(),
            Locale::Ko => ko.to_owned(),
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

/// Every rule error of the domain, typed, as it travels on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DomainError {
    #[error(transparent)]
    Timeline(#[from] TimelineError),
    #[error(transparent)]
    ServiceLevel(#[from] ServiceLevelError),
    #[error(transparent)]
    VoucherId(#[from] VoucherIdError),
    #[error(transparent)]
    EmailAddress(#[from] EmailAddressError),
    #[error(transparent)]
    LocationId(#[from] LocationIdError),
    #[error(transparent)]
    CountryCode(#[from] CountryCodeError),
    #[error(transparent)]
    Date(#[from] DateError),
    #[error(transparent)]
    Text(#[from] TextError),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error(transparent)]
    Voucher(#[from] VoucherError),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    ReferenceNumber(#[from] ReferenceNumberError),
    #[error(transparent)]
    Account(#[from] crate::account::AccountError),
    #[error(transparent)]
    Deliverable(#[from] crate::document::DeliverableError),
    #[error(transparent)]
    Profile(#[from] crate::profile::ProfileError),
    #[error(transparent)]
    Idempotency(#[from] IdempotencyError),
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
    #[error(transparent)]
    Listing(#[from] crate::listing::ListingError),
}

impl Localize for DomainError {
    fn message(&self, locale: Locale) -> String {
        match self {
            DomainError::Timeline(error) => error.message(locale),
            DomainError::ServiceLevel(error) => error.message(locale),
            DomainError::VoucherId(error) => error.message(locale),
            DomainError::EmailAddress(error) => error.message(locale),
            DomainError::LocationId(error) => error.message(locale),
            DomainError::CountryCode(error) => error.message(locale),
            DomainError::Date(error) => error.message(locale),
            DomainError::Text(error) => error.message(locale),
            DomainError::Money(error) => error.message(locale),
            DomainError::Voucher(error) => error.message(locale),
            DomainError::Payment(error) => error.message(locale),
            DomainError::ReferenceNumber(error) => error.message(locale),
            DomainError::Account(error) => error.message(locale),
            DomainError::Deliverable(error) => error.message(locale),
            DomainError::Profile(error) => error.message(locale),
            DomainError::Listing(error) => error.message(locale),
            DomainError::Idempotency(error) => error.message(locale),
            DomainError::Embed(error) => error.message(locale),
        }
    }
}

/// A message in every language the portal speaks, rendered by one `Localize` implementation.
///
/// Error bodies carry their words pre-rendered so that the browser needs only this small type to
/// show them: decoding the typed rule errors would add their whole deserializer to the wasm
/// bundle. API clients still get the typed rule beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub en: String,
    pub ko: String,
}

impl LocalizedText {
    pub fn of(message: &impl Localize) -> Self {
        LocalizedText { en: message.message(Locale::En), ko: message.message(Locale::Ko) }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Ko => &self.ko,
        }
    }
}

/// One field's rule violation: `field` is the JSON field name as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub error: DomainError,
    /// `error` in every language.
    pub messages: LocalizedText,
}

impl FieldError {
    pub fn new(field: &str, error: DomainError) -> Self {
        let messages = LocalizedText::of(&error);
        FieldError { field: field.to_owned(), error, messages }
    }
}

/// Collects the field errors of one form or request body, so the browser and the server check
/// the same fields in the same order and report them all at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Records the error of `result` under `field`; returns the value when it is valid.
    pub fn check<T, E: Into<DomainError>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(FieldError::new(field, error.into()));
                None
            }
        }
    }

    /// The error of `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&DomainError> {
        self.0.iter().find(|error| error.field == field).map(|error| &error.error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// The body of every non-2xx API response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// English text for API clients and logs.
    pub message: String,
    /// The headline in every language: the rule's words when there is one, else the code's.
    pub messages: LocalizedText,
    /// A rule that refused the request as a whole (not tied to one field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<DomainError>,
    /// Rule violations per field, in the order the fields were checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The server's id for this request, also in its logs and the `x-request-id` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ErrorBody {
    /// A body for a failure with no rule attached.
    pub fn new(code: ErrorCode) -> Self {
        let messages = LocalizedText::of(&code);
        ErrorBody { code, message: messages.en.clone(), messages, rule: None, fields: Vec::new(), request_id: None }
    }

    /// A body for a request refused by one rule as a whole.
    pub fn rule(code: ErrorCode, rule: DomainError) -> Self {
        let messages = LocalizedText::of(&rule);
        ErrorBody {
            code,
            message: messages.en.clone(),
            messages,
            rule: Some(rule),
            fields: Vec::new(),
            request_id: None,
        }
    }

    /// A 422 body listing field errors.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        ErrorBody { fields, ..ErrorBody::new(ErrorCode::ValidationFailed) }
    }

    /// The headline to show a person.
    pub fn localized(&self, locale: Locale) -> String {
        self.messages.get(locale).to_owned()
    }
}

/// What the browser reads of an [`ErrorBody`]: the code and the words, not the typed rule
/// (unknown fields are ignored, so `rule` and each field's `error` are skipped unread).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorView {
    pub code: ErrorCode,
    pub messages: LocalizedText,
    #[serde(default)]
    pub fields: Vec<FieldMessage>,
    #[serde(default)]
    pub request_id: Option<String>,
}

/// One field's error as the browser reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldMessage {
    pub field: String,
    pub messages: LocalizedText,
}

impl ErrorView {
    /// A view of a failure the browser detected itself (a response that was not an error body).
    pub fn new(code: ErrorCode) -> Self {
        ErrorView { code, messages: LocalizedText::of(&code), fields: Vec::new(), request_id: None }
    }

    /// The headline to show a person.
    pub fn localized(&self, locale: Locale) -> &str {
        self.messages.get(locale)
    }

    /// The message of `field` in `locale`, if the server refused that field.
    pub fn field_message(&self, field: &str, locale: Locale) -> Option<&str> {
        self.fields.iter().find(|message| message.field == field).map(|message| message.messages.get(locale))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn error_code_display_is_the_english_message() {
        for code in [ErrorCode::NotFound, ErrorCode::MalformedBody, ErrorCode::Internal] {
            assert_eq!(code.to_string(), code.message(Locale::En));
            assert_ne!(code.message(Locale::En), code.message(Locale::Ko));
        }
    }

    #[test]
    fn error_body_round_trips_through_json_with_snake_case_code() {
        let body = ErrorBody::new(ErrorCode::NotFound);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["code"], "not_found");
        assert_eq!(json["message"], "Nothing was found at this address.");
        assert!(json.get("fields").is_none());
        assert_eq!(json["messages"]["ko"], "이 주소에서 찾을 수 있는 항목이 없습니다.");
        let back: ErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn the_browser_view_reads_the_words_of_a_rule_without_the_rule() {
        let error = crate::timeline::TimelineError::ZeroVoucherLife;
        let mut fields = FieldErrors::default();
        fields.check::<(), _>("voucher_life_days", Err(error.clone()));
        let body =
            ErrorBody { fields: fields.into_vec(), ..ErrorBody::rule(ErrorCode::Conflict, error.clone().into()) };
        let view: ErrorView = serde_json::from_str(&serde_json::to_string(&body).unwrap()).unwrap();
        assert_eq!(view.localized(Locale::En), error.message(Locale::En));
        assert_eq!(view.localized(Locale::Ko), error.message(Locale::Ko));
        assert_eq!(view.field_message("voucher_life_days", Locale::Ko), Some(error.message(Locale::Ko).as_str()));
        assert_eq!(view.field_message("other", Locale::En), None);
    }

    #[test]
    fn statuses_follow_the_documented_mapping() {
        assert_eq!(ErrorCode::MalformedBody.http_status(), 400);
        assert_eq!(ErrorCode::ValidationFailed.http_status(), 422);
        assert_eq!(ErrorCode::Conflict.http_status(), 409);
    }
}
