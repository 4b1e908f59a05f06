//! SAVB payment requests (DOMAIN.md §11): one-time registration per (organization, program),
//! requests for redeemed vouchers, Microsoft's review checklist and the request lifecycle
//! Draft → Submitted → Approved → Paid, with side exits OnHold and Rejected.
//!
//! Amount: each voucher pays the (demo) daily rate of its delivery country times its service
//! level days; the request total is the sum. Choices where DOMAIN.md is open:
//! - Each offering is its own SAVB program (the DDPS example generalised).
//! - A request holds vouchers of one program and one currency (make one request per currency).
//! - Drafts are editable and claim nothing; submission re-checks every voucher (redeemed, not
//!   claimed, within its 60-day window on the submission day), claims them and assigns the
//!   Microsoft reference number; a submitted request is read-only.
//! - Status names follow the suggested model. OnHold comes from Submitted and resumes to it.
//!   Rejection needs a reason (1 to 500 characters), is final, and releases the vouchers so a new
//!   request may include them within their window. Approval requires every review item met.
//! - Reference numbers read `PSR-YYYY-NNNNNN` (year 2000–2099, sequence 1–999999); the server
//!   allocates the sequence.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::actor::{Action, Actor, Role};
use crate::catalog::{pick, Currency, DailyRates, OfferingCode};
use crate::eligibility::{Finding, PartnerProfile};
use crate::error::LocalizedText;
use crate::locale::{Locale, Localize};
use crate::parse::{format_date, format_deadline, BoundedText, CountryCode, LocationId, Money, TextError, VoucherId};
use crate::qualification::{qualification_during_delivery, QualificationHistory};
use crate::timeline::ProgramTimeline;
use crate::voucher::{
    claim_voucher, mark_voucher_paid, release_claim, repeat_limit_conflict, EngagementRecord, Voucher, VoucherError,
    VoucherEvent, VoucherStatus,
};

/// The longest rejection or hold reason, in characters.
pub const MAX_REASON_LENGTH: usize = 500;

/// The Microsoft reference number shown when a request is submitted: `PSR-2021-000123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferenceNumber {
    year: u16,
    sequence: u32,
}

impl ReferenceNumber {
    pub const MAX_SEQUENCE: u32 = 999_999;

    pub fn new(year: u16, sequence: u32) -> Result<ReferenceNumber, ReferenceNumberError> {
        if !(2000..=2099).contains(&year) {
            return Err(ReferenceNumberError::YearOutOfRange { year });
        }
        if sequence == 0 || sequence > Self::MAX_SEQUENCE {
            return Err(ReferenceNumberError::SequenceOutOfRange);
        }
        Ok(ReferenceNumber { year, sequence })
    }

    /// Reads `PSR-2021-000123`; the prefix may be in any case, surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<ReferenceNumber, ReferenceNumberError> {
        let text = input.trim();
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 15
            && bytes[..4].eq_ignore_ascii_case(b"PSR-")
            && bytes[8] == b'-'
            && bytes[4..8].iter().chain(&bytes[9..]).all(u8::is_ascii_digit);
        if !shape_ok {
            return Err(ReferenceNumberError::WrongFormat);
        }
        let number = |digits: &[u8]| digits.iter().fold(0u32, |value, byte| value * 10 + u32::from(byte - b'0'));
        let year = u16::try_from(number(&bytes[4..8])).map_err(|_| ReferenceNumberError::WrongFormat)?;
        ReferenceNumber::new(year, number(&bytes[9..]))
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn sequence(self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for ReferenceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PSR-{:04}-{:06}", self.year, self.sequence)
    }
}

impl TryFrom<String> for ReferenceNumber {
    type Error = ReferenceNumberError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ReferenceNumber::parse(&text)
    }
}

impl From<ReferenceNumber> for String {
    fn from(reference: ReferenceNumber) -> String {
        reference.to_string()
    }
}

/// On the wire a reference number is its text, e.g. "PSR-2021-000123".
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ReferenceNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^PSR-[0-9]{4}-[0-9]{6,}$"))
            .examples(["PSR-2021-000123"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ReferenceNumber {}

/// Why a reference number was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferenceNumberError {
    #[error("{}", self.message(Locale::En))]
    WrongFormat,
    #[error("{}", self.message(Locale::En))]
    YearOutOfRange { year: u16 },
    #[error("{}", self.message(Locale::En))]
    SequenceOutOfRange,
}

impl Localize for ReferenceNumberError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (ReferenceNumberError::WrongFormat, _) => pick(
                locale,
                "A Microsoft reference number looks like PSR-2021-000123.",
                "Microsoft 참조 번호는 PSR-2021-000123 형식입니다.",
            ),
            (ReferenceNumberError::YearOutOfRange { year }, Locale::En) => {
                format!("The year {year} in the reference number must be between 2000 and 2099.")
            }
            (ReferenceNumberError::YearOutOfRange { year }, Locale::Ko) => {
                format!("참조 번호의 연도 {year}은(는) 2000~2099 사이여야 합니다.")
            }
            (ReferenceNumberError::SequenceOutOfRange, _) => pick(
                locale,
                "The number after the year must be from 000001 to 999999.",
                "연도 뒤의 번호는 000001부터 999999 사이여야 합니다.",
            ),
        }
    }
}

/// The longest `Idempotency-Key` accepted, in characters (Stripe's limit).
pub const MAX_IDEMPOTENCY_KEY_LENGTH: usize = 255;

/// The client's key that makes a submission safe to retry: the same key with the same body gets
/// the first response again; with another body it is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Reads the header value: 1 to 255 visible ASCII characters (a UUID, say).
    pub fn parse(header: Option<&str>) -> Result<IdempotencyKey, IdempotencyError> {
        let Some(text) = header else {
            return Err(IdempotencyError::Missing);
        };
        let well_formed = !text.is_empty()
            && text.len() <= MAX_IDEMPOTENCY_KEY_LENGTH
            && text.bytes().all(|byte| byte.is_ascii_graphic());
        if well_formed {
            Ok(IdempotencyKey(text.to_owned()))
        } else {
            Err(IdempotencyError::Malformed { max_length: MAX_IDEMPOTENCY_KEY_LENGTH })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why an idempotent request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdempotencyError {
    #[error("{}", self.message(Locale::En))]
    Missing,
    #[error("{}", self.message(Locale::En))]
    Malformed { max_length: usize },
    #[error("{}", self.message(Locale::En))]
    ReusedWithOtherRequest,
}

impl Localize for IdempotencyError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (IdempotencyError::Missing, _) => pick(
                locale,
                "Send an Idempotency-Key header so that the submission can be retried safely.",
                "제출을 안전하게 다시 시도할 수 있도록 Idempotency-Key 헤더를 보내세요.",
            ),
            (IdempotencyError::Malformed { max_length }, Locale::En) => {
                format!("The Idempotency-Key must be 1 to {max_length} visible ASCII characters.")
            }
            (IdempotencyError::Malformed { max_length }, Locale::Ko) => {
                format!("Idempotency-Key는 화면에 표시되는 ASCII 문자 1~{max_length}자여야 합니다.")
            }
            (IdempotencyError::ReusedWithOtherRequest, _) => pick(
                locale,
                "This Idempotency-Key was already used for a different request; use a new key.",
                "이 Idempotency-Key는 이미 다른 요청에 사용되었습니다. 새 키를 사용하세요.",
            ),
        }
    }
}

/// An organization's one-time SAVB registration for a program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavbRegistration {
    pub partner_id: String,
    pub program: OfferingCode,
    pub registered_on: NaiveDate,
}

fn require_role(actor: &Actor, action: Action) -> Result<&str, PaymentError> {
    match actor.partner_id() {
        Some(partner_id) if actor.role().may(action) => Ok(partner_id),
        _ => Err(PaymentError::RoleNotAllowed { role: actor.role(), action }),
    }
}

/// The Global Admin registers the organization for a program's payments; it needs at least one
/// of the organization's vouchers of that program redeemed (claimed or paid ones count too).
pub fn register_payment_program(
    actor: &Actor,
    program: OfferingCode,
    vouchers: &[Voucher],
    registrations: &[SavbRegistration],
    today: NaiveDate,
) -> Result<SavbRegistration, PaymentError> {
    let partner_id = require_role(actor, Action::RegisterPaymentProgram)?;
    if registrations.iter().any(|registration| registration.partner_id == partner_id && registration.program == program)
    {
        return Err(PaymentError::AlreadyRegistered { program });
    }
    let has_redeemed = vouchers.iter().any(|voucher| {
        voucher.offering == program
            && voucher.redemption().is_some_and(|redemption| redemption.reservation.partner_id == partner_id)
    });
    if !has_redeemed {
        return Err(PaymentError::NoRedeemedVoucher { program });
    }
    Ok(SavbRegistration { partner_id: partner_id.to_owned(), program, registered_on: today })
}

/// Which redeemed vouchers to list when building a request (DOMAIN.md §11.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherFilter {
    All,
    Country { country: CountryCode },
    Location { location_id: LocationId },
}

/// The partner's vouchers of `program` that a request made on `today` may include.
pub fn payable_vouchers<'a>(
    vouchers: &'a [Voucher],
    partner_id: &str,
    program: OfferingCode,
    filter: &VoucherFilter,
    today: NaiveDate,
    timeline: &ProgramTimeline,
) -> Vec<&'a Voucher> {
    vouchers
        .iter()
        .filter(|voucher| voucher.offering == program && voucher.status() == VoucherStatus::Redeemed)
        .filter(|voucher| {
            voucher.redemption().is_some_and(|redemption| {
                let reservation = &redemption.reservation;
                reservation.partner_id == partner_id
                    && today <= redemption.payment_deadline(timeline)
                    && match filter {
                        VoucherFilter::All => true,
                        VoucherFilter::Country { country } => reservation.delivery_country == *country,
                        VoucherFilter::Location { location_id } => reservation.location_id == *location_id,
                    }
            })
        })
        .collect()
}

/// One voucher of a request and its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLine {
    pub voucher_id: VoucherId,
    pub location_id: LocationId,
    pub delivery_country: CountryCode,
    pub days: u8,
    pub daily_rate: Money,
    pub amount: Money,
    pub redeemed_on: NaiveDate,
    pub payment_deadline: NaiveDate,
}

/// Where a request is, with the data of that state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Draft,
    Submitted { submitted_on: NaiveDate },
    OnHold { submitted_on: NaiveDate, since: NaiveDate, reason: String },
    Approved { submitted_on: NaiveDate, approved_on: NaiveDate },
    Rejected { submitted_on: NaiveDate, rejected_on: NaiveDate, reason: String },
    Paid { submitted_on: NaiveDate, approved_on: NaiveDate, paid_on: NaiveDate },
}

impl PaymentState {
    pub fn status(&self) -> PaymentStatus {
        match self {
            PaymentState::Draft => PaymentStatus::Draft,
            PaymentState::Submitted { .. } => PaymentStatus::Submitted,
            PaymentState::OnHold { .. } => PaymentStatus::OnHold,
            PaymentState::Approved { .. } => PaymentStatus::Approved,
            PaymentState::Rejected { .. } => PaymentStatus::Rejected,
            PaymentState::Paid { .. } => PaymentStatus::Paid,
        }
    }

    pub fn submitted_on(&self) -> Option<NaiveDate> {
        match self {
            PaymentState::Draft => None,
            PaymentState::Submitted { submitted_on }
            | PaymentState::OnHold { submitted_on, .. }
            | PaymentState::Approved { submitted_on, .. }
            | PaymentState::Rejected { submitted_on, .. }
            | PaymentState::Paid { submitted_on, .. } => Some(*submitted_on),
        }
    }
}

/// A request state name, for lists and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Draft,
    Submitted,
    OnHold,
    Approved,
    Rejected,
    Paid,
}

impl Localize for PaymentStatus {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            PaymentStatus::Draft => ("Draft", "임시 저장"),
            PaymentStatus::Submitted => ("Submitted", "제출됨"),
            PaymentStatus::OnHold => ("On hold", "보류 중"),
            PaymentStatus::Approved => ("Approved", "승인됨"),
            PaymentStatus::Rejected => ("Rejected", "거부됨"),
            PaymentStatus::Paid => ("Paid", "지급 완료"),
        };
        pick(locale, en, ko)
    }
}

/// A payment request for redeemed vouchers of one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequest {
    /// The server's id; vouchers point to it once claimed.
    pub id: String,
    pub partner_id: String,
    pub program: OfferingCode,
    pub lines: Vec<PaymentLine>,
    pub total: Money,
    pub created_on: NaiveDate,
    /// Assigned on submission.
    pub reference: Option<ReferenceNumber>,
    pub state: PaymentState,
}

impl PaymentRequest {
    pub fn status(&self) -> PaymentStatus {
        self.state.status()
    }
}

/// What happened to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentEvent {
    Drafted { request_id: String, total: Money },
    Revised { request_id: String, total: Money },
    Submitted { request_id: String, reference: ReferenceNumber, total: Money },
    PutOnHold { request_id: String, reason: String },
    Resumed { request_id: String },
    Approved { request_id: String },
    Rejected { request_id: String, reason: String },
    Paid { request_id: String },
}

/// The notification text of a payment event, as the inbox and the notification emails show it.
impl Localize for PaymentEvent {
    fn message(&self, locale: Locale) -> String {
        match self {
            PaymentEvent::Drafted { request_id, total } => pick(
                locale,
                &format!("Payment request {request_id} was saved as a draft for {total}."),
                &format!("대금 청구서 {request_id}이(가) {total} 금액으로 임시 저장되었습니다."),
            ),
            PaymentEvent::Revised { request_id, total } => pick(
                locale,
                &format!("Payment request {request_id} was revised; its total is now {total}."),
                &format!("대금 청구서 {request_id}이(가) 수정되었습니다. 합계는 이제 {total}입니다."),
            ),
            PaymentEvent::Submitted { request_id, reference, total } => pick(
                locale,
                &format!("Payment request {request_id} was submitted for {total} with reference number {reference}."),
                &format!(
                    "대금 청구서 {request_id}이(가) {total} 금액으로 제출되었습니다. 참조 번호는 {reference}입니다."
                ),
            ),
            PaymentEvent::PutOnHold { request_id, reason } => pick(
                locale,
                &format!("Payment request {request_id} was put on hold. Reason: {reason}"),
                &format!("대금 청구서 {request_id}이(가) 보류되었습니다. 사유: {reason}"),
            ),
            PaymentEvent::Resumed { request_id } => pick(
                locale,
                &format!("Payment request {request_id} is no longer on hold and is back in review."),
                &format!("대금 청구서 {request_id}의 보류가 해제되어 다시 검토 중입니다."),
            ),
            PaymentEvent::Approved { request_id } => pick(
                locale,
                &format!("Payment request {request_id} was approved."),
                &format!("대금 청구서 {request_id}이(가) 승인되었습니다."),
            ),
            PaymentEvent::Rejected { request_id, reason } => pick(
                locale,
                &format!(
                    "Payment request {request_id} was rejected; its vouchers can be claimed in a new request \
                     within their payment window. Reason: {reason}"
                ),
                &format!(
                    "대금 청구서 {request_id}이(가) 반려되었습니다. 해당 바우처는 대금 청구 기한 안에 새 청구서에 \
                     다시 포함할 수 있습니다. 사유: {reason}"
                ),
            ),
            PaymentEvent::Paid { request_id } => pick(
                locale,
                &format!("Payment request {request_id} was paid."),
                &format!("대금 청구서 {request_id}의 대금이 지급되었습니다."),
            ),
        }
    }
}

/// A notification reads as the event it reports, whichever resource it is about.
impl Localize for crate::api::vouchers::NotificationEvent {
    fn message(&self, locale: Locale) -> String {
        match self {
            Self::Voucher(event) => event.message(locale),
            Self::Payment(event) => event.message(locale),
            Self::Account(event) => event.message(locale),
        }
    }
}

/// The result of a request transition: the new request, the vouchers it changed, and events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentTransition {
    pub request: PaymentRequest,
    pub vouchers: Vec<Voucher>,
    pub events: Vec<PaymentEvent>,
    pub voucher_events: Vec<VoucherEvent>,
}

impl PaymentTransition {
    fn of(request: PaymentRequest, event: PaymentEvent) -> Self {
        PaymentTransition { request, vouchers: Vec::new(), events: vec![event], voucher_events: Vec::new() }
    }
}

/// The priced selection of a request.
struct Priced {
    lines: Vec<PaymentLine>,
    total: Money,
    /// The vouchers as claimed by the request, with their events (kept only on submission).
    claimed: Vec<Voucher>,
    voucher_events: Vec<VoucherEvent>,
}

/// What a redeemed voucher is paid for: the days delivered (never more than its service level,
/// the completion report's rule), and the daily rate of its delivery country if the program
/// pays there.
pub fn paid_days_and_rate(redemption: &crate::voucher::Redemption, rates: &DailyRates) -> (u8, Option<Money>) {
    (redemption.completion_report.days_delivered, rates.rate(redemption.reservation.delivery_country))
}

/// Checks every selected voucher by claiming it for `request_id` and prices it. Returns the
/// lines, the total, and the claimed vouchers (kept only on submission).
fn price_vouchers(
    actor: &Actor,
    partner_id: &str,
    program: OfferingCode,
    vouchers: &[Voucher],
    request_id: &str,
    today: NaiveDate,
    timeline: &ProgramTimeline,
) -> Result<Priced, PaymentError> {
    let mut lines = Vec::with_capacity(vouchers.len());
    let mut claimed = Vec::with_capacity(vouchers.len());
    let mut voucher_events = Vec::with_capacity(vouchers.len());
    let mut total: Option<Money> = None;
    for (index, voucher) in vouchers.iter().enumerate() {
        let voucher_id = voucher.id.clone();
        if vouchers[..index].iter().any(|earlier| earlier.id == voucher.id) {
            return Err(PaymentError::DuplicateVoucher { voucher_id });
        }
        if voucher.offering != program {
            return Err(PaymentError::VoucherOfOtherProgram { voucher_id, offering: voucher.offering, program });
        }
        let transition = claim_voucher(voucher, actor, today, timeline, request_id)
            .map_err(|error| PaymentError::Voucher { voucher_id: voucher_id.clone(), error })?;
        let Some(redemption) = voucher.redemption() else {
            return Err(PaymentError::Voucher { voucher_id, error: VoucherError::CompletionReportMissing });
        };
        let reservation = &redemption.reservation;
        if reservation.partner_id != partner_id {
            return Err(PaymentError::Voucher { voucher_id, error: VoucherError::NotYourVoucher });
        }
        let country = reservation.delivery_country;
        let (days, rate) = paid_days_and_rate(redemption, &timeline.daily_rates);
        let rate = rate.ok_or(PaymentError::NoDailyRate { country })?;
        let amount = rate.checked_mul(i64::from(days)).ok_or(PaymentError::AmountTooLarge)?;
        total = Some(match total {
            None => amount,
            Some(sum) if sum.currency() != amount.currency() => {
                return Err(PaymentError::MixedCurrencies { first: sum.currency(), other: amount.currency() })
            }
            Some(sum) => sum.checked_add(amount).ok_or(PaymentError::AmountTooLarge)?,
        });
        lines.push(PaymentLine {
            voucher_id,
            location_id: reservation.location_id.clone(),
            delivery_country: country,
            days,
            daily_rate: rate,
            amount,
            redeemed_on: redemption.redeemed_on,
            payment_deadline: redemption.payment_deadline(timeline),
        });
        claimed.push(transition.voucher);
        voucher_events.extend(transition.events);
    }
    let Some(total) = total else {
        return Err(PaymentError::NoVouchers);
    };
    Ok(Priced { lines, total, claimed, voucher_events })
}

fn require_registration(
    registrations: &[SavbRegistration],
    partner_id: &str,
    program: OfferingCode,
) -> Result<(), PaymentError> {
    if registrations.iter().any(|registration| registration.partner_id == partner_id && registration.program == program)
    {
        Ok(())
    } else {
        Err(PaymentError::NotRegistered { program })
    }
}

/// What every request operation needs besides the request itself.
#[derive(Debug, Clone, Copy)]
pub struct PaymentContext<'a> {
    pub registrations: &'a [SavbRegistration],
    pub timeline: &'a ProgramTimeline,
}

/// Starts a draft request for the selected redeemed vouchers (step 8). Nothing is claimed yet.
pub fn draft_payment_request(
    id: String,
    actor: &Actor,
    program: OfferingCode,
    vouchers: &[Voucher],
    today: NaiveDate,
    context: &PaymentContext<'_>,
) -> Result<PaymentTransition, PaymentError> {
    let partner_id = require_role(actor, Action::DraftPaymentRequest)?;
    require_registration(context.registrations, partner_id, program)?;
    let Priced { lines, total, .. } =
        price_vouchers(actor, partner_id, program, vouchers, &id, today, context.timeline)?;
    let request = PaymentRequest {
        id: id.clone(),
        partner_id: partner_id.to_owned(),
        program,
        lines,
        total,
        created_on: today,
        reference: None,
        state: PaymentState::Draft,
    };
    Ok(PaymentTransition::of(request, PaymentEvent::Drafted { request_id: id, total }))
}

fn own_request<'a>(request: &PaymentRequest, actor: &'a Actor, action: Action) -> Result<&'a str, PaymentError> {
    let partner_id = require_role(actor, action)?;
    if partner_id != request.partner_id {
        return Err(PaymentError::NotYourRequest);
    }
    if request.state != PaymentState::Draft {
        return Err(PaymentError::WrongStatus { action, status: request.status() });
    }
    Ok(partner_id)
}

/// Replaces the vouchers of a draft (drafts stay editable until submitted).
pub fn revise_payment_request(
    request: &PaymentRequest,
    actor: &Actor,
    vouchers: &[Voucher],
    today: NaiveDate,
    context: &PaymentContext<'_>,
) -> Result<PaymentTransition, PaymentError> {
    let partner_id = own_request(request, actor, Action::DraftPaymentRequest)?;
    let Priced { lines, total, .. } =
        price_vouchers(actor, partner_id, request.program, vouchers, &request.id, today, context.timeline)?;
    let revised = PaymentRequest { lines, total, ..request.clone() };
    Ok(PaymentTransition::of(revised, PaymentEvent::Revised { request_id: request.id.clone(), total }))
}

/// The vouchers of `request`, in line order, from `vouchers`.
fn request_vouchers(request: &PaymentRequest, vouchers: &[Voucher]) -> Result<Vec<Voucher>, PaymentError> {
    request
        .lines
        .iter()
        .map(|line| {
            vouchers
                .iter()
                .find(|voucher| voucher.id == line.voucher_id)
                .cloned()
                .ok_or_else(|| PaymentError::VoucherMissing { voucher_id: line.voucher_id.clone() })
        })
        .collect()
}

/// Submits a draft: every voucher is checked again on `today` and claimed, the total recomputed,
/// and the reference number (allocated by the server) recorded.
pub fn submit_payment_request(
    request: &PaymentRequest,
    actor: &Actor,
    vouchers: &[Voucher],
    reference: ReferenceNumber,
    today: NaiveDate,
    context: &PaymentContext<'_>,
) -> Result<PaymentTransition, PaymentError> {
    let partner_id = own_request(request, actor, Action::SubmitPaymentRequest)?;
    require_registration(context.registrations, partner_id, request.program)?;
    let current = request_vouchers(request, vouchers)?;
    let Priced { lines, total, claimed, voucher_events } =
        price_vouchers(actor, partner_id, request.program, &current, &request.id, today, context.timeline)?;
    let submitted = PaymentRequest {
        lines,
        total,
        reference: Some(reference),
        state: PaymentState::Submitted { submitted_on: today },
        ..request.clone()
    };
    Ok(PaymentTransition {
        request: submitted,
        vouchers: claimed,
        events: vec![PaymentEvent::Submitted { request_id: request.id.clone(), reference, total }],
        voucher_events,
    })
}

fn operator(actor: &Actor, action: Action) -> Result<(), PaymentError> {
    if actor.role().may(action) {
        Ok(())
    } else {
        Err(PaymentError::RoleNotAllowed { role: actor.role(), action })
    }
}

fn reason(text: &str) -> Result<String, PaymentError> {
    BoundedText::parse(text, 1, MAX_REASON_LENGTH)
        .map(BoundedText::into_string)
        .map_err(|error| PaymentError::Reason { error })
}

/// The program operator approves a submitted request whose review checklist is all met.
pub fn approve_payment_request(
    request: &PaymentRequest,
    actor: &Actor,
    today: NaiveDate,
    review: &ReviewChecklist,
) -> Result<PaymentTransition, PaymentError> {
    operator(actor, Action::ApprovePaymentRequest)?;
    let PaymentState::Submitted { submitted_on } = request.state else {
        return Err(PaymentError::WrongStatus { action: Action::ApprovePaymentRequest, status: request.status() });
    };
    let unmet = review.unmet_count();
    if unmet > 0 {
        return Err(PaymentError::ReviewIncomplete { unmet });
    }
    let approved =
        PaymentRequest { state: PaymentState::Approved { submitted_on, approved_on: today }, ..request.clone() };
    Ok(PaymentTransition::of(approved, PaymentEvent::Approved { request_id: request.id.clone() }))
}

/// The program operator puts a submitted request on hold, with a reason.
pub fn hold_payment_request(
    request: &PaymentRequest,
    actor: &Actor,
    today: NaiveDate,
    reason_text: &str,
) -> Result<PaymentTransition, PaymentError> {
    operator(actor, Action::HoldPaymentRequest)?;
    let PaymentState::Submitted { submitted_on } = request.state else {
        return Err(PaymentError::WrongStatus { action: Action::HoldPaymentRequest, status: request.status() });
    };
    let reason = reason(reason_text)?;
    let held = PaymentRequest {
        state: PaymentState::OnHold { submitted_on, since: today, reason: reason.clone() },
        ..request.clone()
    };
    Ok(PaymentTransition::of(held, PaymentEvent::PutOnHold { request_id: request.id.clone(), reason }))
}

/// The program operator takes a request off hold; it is `Submitted` again.
pub fn resume_payment_request(request: &PaymentRequest, actor: &Actor) -> Result<PaymentTransition, PaymentError> {
    operator(actor, Action::ResumePaymentRequest)?;
    let PaymentState::OnHold { submitted_on, .. } = request.state else {
        return Err(PaymentError::WrongStatus { action: Action::ResumePaymentRequest, status: request.status() });
    };
    let resumed = PaymentRequest { state: PaymentState::Submitted { submitted_on }, ..request.clone() };
    Ok(PaymentTransition::of(resumed, PaymentEvent::Resumed { request_id: request.id.clone() }))
}

/// The program operator rejects a submitted or held request, with a reason; its vouchers are
/// released to `Redeemed` with the payment days they had left on submission, and at least
/// [`crate::voucher::MIN_DAYS_AFTER_REJECTION`] ([`crate::voucher::release_claim`]).
pub fn reject_payment_request(
    request: &PaymentRequest,
    actor: &Actor,
    today: NaiveDate,
    reason_text: &str,
    vouchers: &[Voucher],
    timeline: &ProgramTimeline,
) -> Result<PaymentTransition, PaymentError> {
    operator(actor, Action::RejectPaymentRequest)?;
    let submitted_on = match request.state {
        PaymentState::Submitted { submitted_on } | PaymentState::OnHold { submitted_on, .. } => submitted_on,
        _ => return Err(PaymentError::WrongStatus { action: Action::RejectPaymentRequest, status: request.status() }),
    };
    let reason = reason(reason_text)?;
    let mut released = Vec::with_capacity(request.lines.len());
    let mut voucher_events = Vec::new();
    for voucher in request_vouchers(request, vouchers)? {
        let transition = release_claim(&voucher, actor, &request.id, submitted_on, today, timeline)
            .map_err(|error| PaymentError::Voucher { voucher_id: voucher.id.clone(), error })?;
        released.push(transition.voucher);
        voucher_events.extend(transition.events);
    }
    let rejected = PaymentRequest {
        state: PaymentState::Rejected { submitted_on, rejected_on: today, reason: reason.clone() },
        ..request.clone()
    };
    Ok(PaymentTransition {
        request: rejected,
        vouchers: released,
        events: vec![PaymentEvent::Rejected { request_id: request.id.clone(), reason }],
        voucher_events,
    })
}

/// The program operator records the payment of an approved request; its vouchers become `Paid`.
pub fn mark_payment_request_paid(
    request: &PaymentRequest,
    actor: &Actor,
    today: NaiveDate,
    vouchers: &[Voucher],
) -> Result<PaymentTransition, PaymentError> {
    operator(actor, Action::MarkPaid)?;
    let PaymentState::Approved { submitted_on, approved_on } = request.state else {
        return Err(PaymentError::WrongStatus { action: Action::MarkPaid, status: request.status() });
    };
    let mut paid = Vec::with_capacity(request.lines.len());
    let mut voucher_events = Vec::new();
    for voucher in request_vouchers(request, vouchers)? {
        let transition = mark_voucher_paid(&voucher, actor, today, &request.id)
            .map_err(|error| PaymentError::Voucher { voucher_id: voucher.id.clone(), error })?;
        paid.push(transition.voucher);
        voucher_events.extend(transition.events);
    }
    let done =
        PaymentRequest { state: PaymentState::Paid { submitted_on, approved_on, paid_on: today }, ..request.clone() };
    Ok(PaymentTransition {
        request: done,
        vouchers: paid,
        events: vec![PaymentEvent::Paid { request_id: request.id.clone() }],
        voucher_events,
    })
}

/// One line of Microsoft's review (DOMAIN.md §11.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewCheck {
    RedeemedWithCompletionReport,
    LocationInDeliveryCountry,
    RateOfDeliveryCountry,
    WithinEngagementMaximum,
    RepeatLimitRespected,
    CompanyCompetencyHeld,
    ConsultantQualified,
    RequestedWithinWindow,
}

impl Localize for ReviewCheck {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            ReviewCheck::RedeemedWithCompletionReport => {
                ("Redeemed, with completion report and deliverable", "상환 완료, 완료 보고서 및 결과물 제출")
            }
            ReviewCheck::LocationInDeliveryCountry => {
                ("Location ID in the delivery country", "수행 국가에 있는 위치 ID")
            }
            ReviewCheck::RateOfDeliveryCountry => ("Daily rate of the delivery country", "수행 국가의 일일 단가 적용"),
            ReviewCheck::WithinEngagementMaximum => ("Length within the engagement maximum", "참여 최대 기간 이내"),
            ReviewCheck::RepeatLimitRespected => ("Repeat limit respected", "반복 제한 준수"),
            ReviewCheck::CompanyCompetencyHeld => ("Company held the engagement competency", "회사의 참여 역량 보유"),
            ReviewCheck::ConsultantQualified => ("Consultant qualified", "컨설턴트 자격 충족"),
            ReviewCheck::RequestedWithinWindow => ("Requested within 60 days of redemption", "상환 후 60일 이내 청구"),
        };
        pick(locale, en, ko)
    }
}

/// Why a review line is met or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewFinding {
    Verified,
    VoucherMissing,
    NotRedeemed {
        status: VoucherStatus,
    },
    DeliverableMissing,
    LocationUnknown {
        location_id: LocationId,
    },
    LocationInOtherCountry {
        location_country: CountryCode,
        delivery_country: CountryCode,
    },
    RateMismatch {
        applied: Money,
        expected: Option<Money>,
    },
    AboveMaximum {
        days: u8,
        max_days: u8,
    },
    RepeatOf {
        earlier_voucher_id: VoucherId,
    },
    Eligibility {
        finding: Finding,
    },
    /// A qualification was not on record on this delivery day (the first such day).
    OnDeliveryDay {
        day: NaiveDate,
        finding: Finding,
    },
    NotSubmitted,
    RequestedLate {
        submitted_on: NaiveDate,
        deadline: NaiveDate,
    },
}

impl Localize for ReviewFinding {
    fn message(&self, locale: Locale) -> String {
        let date = |date: &NaiveDate| format_date(*date, locale);
        let en = locale == Locale::En;
        match self {
            ReviewFinding::Verified => pick(locale, "Verified.", "확인되었습니다."),
            ReviewFinding::VoucherMissing => pick(locale, "The voucher was not found.", "바우처를 찾을 수 없습니다."),
            ReviewFinding::NotRedeemed { status } if en => {
                format!("The voucher is {}, not redeemed.", status.message(locale))
            }
            ReviewFinding::NotRedeemed { status } => {
                format!("바우처가 상환되지 않았습니다('{}' 상태).", status.message(locale))
            }
            ReviewFinding::DeliverableMissing => pick(
                locale,
                "No customer deliverable is on file with the completion report.",
                "완료 보고서에 고객 결과물이 첨부되어 있지 않습니다.",
            ),
            ReviewFinding::LocationUnknown { location_id } if en => {
                format!("Location {location_id} is not one of the partner's locations.")
            }
            ReviewFinding::LocationUnknown { location_id } => {
                format!("위치 {location_id}은(는) 파트너의 위치가 아닙니다.")
            }
            ReviewFinding::LocationInOtherCountry { location_country, delivery_country } if en => {
                format!("The location is in {location_country} but delivery was in {delivery_country}.")
            }
            ReviewFinding::LocationInOtherCountry { location_country, delivery_country } => {
                format!("위치는 {location_country}에 있지만 수행 국가는 {delivery_country}입니다.")
            }
            ReviewFinding::RateMismatch { applied, expected: Some(expected) } if en => {
                format!("{applied} per day was applied; the delivery country's rate is {expected}.")
            }
            ReviewFinding::RateMismatch { applied, expected: Some(expected) } => {
                format!("일일 {applied}이(가) 적용되었지만 수행 국가의 단가는 {expected}입니다.")
            }
            ReviewFinding::RateMismatch { applied, expected: None } if en => {
                format!("{applied} per day was applied, but the delivery country has no rate.")
            }
            ReviewFinding::RateMismatch { applied, expected: None } => {
                format!("일일 {applied}이(가) 적용되었지만 수행 국가에는 단가가 없습니다.")
            }
            ReviewFinding::AboveMaximum { days, max_days } if en => {
                format!("{days} days exceed the engagement maximum of {max_days}.")
            }
            ReviewFinding::AboveMaximum { days, max_days } => {
                format!("{days}일은 참여 최대 기간 {max_days}일을 넘습니다.")
            }
            ReviewFinding::RepeatOf { earlier_voucher_id } if en => {
                format!("Repeats the 15-day engagement of voucher {earlier_voucher_id} without an exception.")
            }
            ReviewFinding::RepeatOf { earlier_voucher_id } => {
                format!("예외 사유 없이 바우처 {earlier_voucher_id}의 15일 참여를 반복합니다.")
            }
            ReviewFinding::Eligibility { finding } => finding.message(locale),
            ReviewFinding::OnDeliveryDay { day, finding } if en => {
                format!("On {}, a delivery day: {}", date(day), finding.message(locale))
            }
            ReviewFinding::OnDeliveryDay { day, finding } => {
                format!("수행일 {}: {}", date(day), finding.message(locale))
            }
            ReviewFinding::NotSubmitted => {
                pick(locale, "The request has not been submitted.", "청구서가 아직 제출되지 않았습니다.")
            }
            ReviewFinding::RequestedLate { submitted_on, deadline } if en => {
                format!(
                    "Submitted on {}, after the last day {}.",
                    date(submitted_on),
                    format_deadline(*deadline, locale)
                )
            }
            ReviewFinding::RequestedLate { submitted_on, deadline } => {
                format!(
                    "{}에 제출되어 마감일 {}을(를) 넘겼습니다.",
                    date(submitted_on),
                    format_deadline(*deadline, locale)
                )
            }
        }
    }
}

/// One line of the review of one voucher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub voucher_id: VoucherId,
    pub check: ReviewCheck,
    pub met: bool,
    pub finding: ReviewFinding,
    /// The finding in words, in both languages: what the browser shows (it does not decode the
    /// typed `finding`, see [`crate::api::payments::ReviewItemView`]).
    pub finding_text: LocalizedText,
}

/// Microsoft's review of a request: every check for every voucher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewChecklist {
    pub items: Vec<ReviewItem>,
}

impl ReviewChecklist {
    pub fn unmet_count(&self) -> usize {
        self.items.iter().filter(|item| !item.met).count()
    }

    pub fn all_met(&self) -> bool {
        self.unmet_count() == 0
    }
}

/// Computes the review checklist of a request (DOMAIN.md §11.4). Competency and consultant are
/// judged by `records`, the partner's competency and exam records as they were on every delivery
/// day of the completion report ([`qualification_during_delivery`]), not as they are today.
pub fn review_payment_request(
    request: &PaymentRequest,
    vouchers: &[Voucher],
    partner: &PartnerProfile,
    history: &[EngagementRecord],
    records: &QualificationHistory,
    rates: &DailyRates,
) -> ReviewChecklist {
    let mut items = Vec::with_capacity(request.lines.len() * 8);
    for line in &request.lines {
        let mut push = |check, met, finding| {
            let finding_text = LocalizedText::of(&finding);
            items.push(ReviewItem { voucher_id: line.voucher_id.clone(), check, met, finding, finding_text });
        };
        let voucher = vouchers.iter().find(|voucher| voucher.id == line.voucher_id);
        let Some((voucher, redemption)) = voucher.and_then(|voucher| Some((voucher, voucher.redemption()?))) else {
            let finding = match voucher {
                None => ReviewFinding::VoucherMissing,
                Some(voucher) => ReviewFinding::NotRedeemed { status: voucher.status() },
            };
            push(ReviewCheck::RedeemedWithCompletionReport, false, finding);
            continue;
        };
        let report = &redemption.completion_report;
        let reservation = &redemption.reservation;
        let verified = |met: bool, otherwise: ReviewFinding| if met { ReviewFinding::Verified } else { otherwise };

        let has_deliverable = !report.deliverable_document_ids.is_empty();
        push(
            ReviewCheck::RedeemedWithCompletionReport,
            has_deliverable,
            verified(has_deliverable, ReviewFinding::DeliverableMissing),
        );

        let (met, finding) = match partner.location(&reservation.location_id) {
            None => (false, ReviewFinding::LocationUnknown { location_id: reservation.location_id.clone() }),
            Some(location) if location.country != reservation.delivery_country => (
                false,
                ReviewFinding::LocationInOtherCountry {
                    location_country: location.country,
                    delivery_country: reservation.delivery_country,
                },
            ),
            Some(_) => (true, ReviewFinding::Verified),
        };
        push(ReviewCheck::LocationInDeliveryCountry, met, finding);

        let expected = rates.rate(reservation.delivery_country);
        let rate_ok = line.delivery_country == reservation.delivery_country && expected == Some(line.daily_rate);
        push(
            ReviewCheck::RateOfDeliveryCountry,
            rate_ok,
            verified(rate_ok, ReviewFinding::RateMismatch { applied: line.daily_rate, expected }),
        );

        let max_days = reservation.engagement.details().max_days.min(15);
        let days = voucher.service_level.days().max(report.days_delivered);
        push(
            ReviewCheck::WithinEngagementMaximum,
            days <= max_days,
            verified(days <= max_days, ReviewFinding::AboveMaximum { days, max_days }),
        );

        let repeat = repeat_limit_conflict(
            history,
            voucher,
            &reservation.partner_id,
            reservation.engagement,
            reservation.repeat_exception,
        );
        let finding = repeat.map_or(ReviewFinding::Verified, |earlier| ReviewFinding::RepeatOf {
            earlier_voucher_id: earlier.voucher_id.clone(),
        });
        push(ReviewCheck::RepeatLimitRespected, repeat.is_none(), finding);

        let qualification = qualification_during_delivery(
            partner,
            records,
            reservation.engagement,
            &report.consultant_id,
            report.delivered_from,
            report.delivered_through,
        );
        let on_day = |finding: Finding, day: Option<NaiveDate>| match day {
            Some(day) => ReviewFinding::OnDeliveryDay { day, finding },
            None => ReviewFinding::Eligibility { finding },
        };
        push(
            ReviewCheck::CompanyCompetencyHeld,
            qualification.competency.met,
            on_day(qualification.competency.finding, qualification.competency_unmet_on),
        );
        push(
            ReviewCheck::ConsultantQualified,
            qualification.consultant.met,
            on_day(qualification.consultant.finding, qualification.consultant_unmet_on),
        );

        let (met, finding) = match request.state.submitted_on() {
            None => (false, ReviewFinding::NotSubmitted),
            Some(submitted_on) if submitted_on > line.payment_deadline => {
                (false, ReviewFinding::RequestedLate { submitted_on, deadline: line.payment_deadline })
            }
            Some(_) => (true, ReviewFinding::Verified),
        };
        push(ReviewCheck::RequestedWithinWindow, met, finding);
    }
    ReviewChecklist { items }
}

/// Why a payment operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentError {
    #[error("{}", self.message(Locale::En))]
    RoleNotAllowed { role: Role, action: Action },
    #[error("{}", self.message(Locale::En))]
    NotYourRequest,
    #[error("{}", self.message(Locale::En))]
    WrongStatus { action: Action, status: PaymentStatus },
    #[error("{}", self.message(Locale::En))]
    AlreadyRegistered { program: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    NoRedeemedVoucher { program: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    NotRegistered { program: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    NoVouchers,
    #[error("{}", self.message(Locale::En))]
    DuplicateVoucher { voucher_id: VoucherId },
    #[error("{}", self.message(Locale::En))]
    VoucherOfOtherProgram { voucher_id: VoucherId, offering: OfferingCode, program: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    Voucher { voucher_id: VoucherId, error: VoucherError },
    #[error("{}", self.message(Locale::En))]
    VoucherMissing { voucher_id: VoucherId },
    #[error("{}", self.message(Locale::En))]
    NoDailyRate { country: CountryCode },
    #[error("{}", self.message(Locale::En))]
    MixedCurrencies { first: Currency, other: Currency },
    #[error("{}", self.message(Locale::En))]
    AmountTooLarge,
    #[error("{}", self.message(Locale::En))]
    ReviewIncomplete { unmet: usize },
    #[error("{}", self.message(Locale::En))]
    Reason { error: TextError },
}

impl Localize for PaymentError {
    fn message(&self, locale: Locale) -> String {
        use PaymentError::*;
        let en = locale == Locale::En;
        let label = |program: &OfferingCode| program.details().label;
        match self {
            RoleNotAllowed { role, action } if en => {
                format!("The {} role cannot {}.", role.message(locale), action.message(locale))
            }
            RoleNotAllowed { role, action } => {
                format!("{} 역할로는 {} 작업을 할 수 없습니다.", role.message(locale), action.message(locale))
            }
            NotYourRequest => pick(
                locale,
                "This payment request belongs to another organization.",
                "이 대금 청구서는 다른 조직의 청구서입니다.",
            ),
            WrongStatus { action, status } if en => format!(
                "The payment request is {}; you cannot {} in that status.",
                status.message(locale),
                action.message(locale)
            ),
            WrongStatus { action, status } => format!(
                "대금 청구서가 '{}' 상태이므로 {} 작업을 할 수 없습니다.",
                status.message(locale),
                action.message(locale)
            ),
            AlreadyRegistered { program } if en => {
                format!("The organization is already registered for {}.", label(program))
            }
            AlreadyRegistered { program } => format!("조직이 이미 {} 대금 청구에 등록되어 있습니다.", label(program)),
            NoRedeemedVoucher { program } if en => format!(
                "Registering for {} payments needs at least one redeemed {} voucher; redeem one first.",
                label(program),
                label(program)
            ),
            NoRedeemedVoucher { program } => format!(
                "{} 대금 청구에 등록하려면 상환된 {} 바우처가 하나 이상 있어야 합니다. 먼저 바우처를 상환하세요.",
                label(program),
                label(program)
            ),
            NotRegistered { program } if en => format!(
                "The organization is not registered for {} payments; a Global Admin registers it once in SAVB.",
                label(program)
            ),
            NotRegistered { program } => format!(
                "조직이 {} 대금 청구에 등록되어 있지 않습니다. 전역 관리자가 SAVB에서 한 번 등록해야 합니다.",
                label(program)
            ),
            NoVouchers => {
                pick(locale, "Select at least one redeemed voucher.", "상환된 바우처를 하나 이상 선택하세요.")
            }
            DuplicateVoucher { voucher_id } if en => format!("Voucher {voucher_id} is selected twice."),
            DuplicateVoucher { voucher_id } => format!("바우처 {voucher_id}이(가) 두 번 선택되었습니다."),
            VoucherOfOtherProgram { voucher_id, offering, program } if en => format!(
                "Voucher {voucher_id} is a {} voucher; this request is for {}.",
                label(offering),
                label(program)
            ),
            VoucherOfOtherProgram { voucher_id, offering, program } => format!(
                "바우처 {voucher_id}은(는) {} 바우처이지만 이 청구서는 {}용입니다.",
                label(offering),
                label(program)
            ),
            Voucher { voucher_id, error } if en => format!("Voucher {voucher_id}: {}", error.message(locale)),
            Voucher { voucher_id, error } => format!("바우처 {voucher_id}: {}", error.message(locale)),
            VoucherMissing { voucher_id } if en => format!("Voucher {voucher_id} of this request was not found."),
            VoucherMissing { voucher_id } => format!("이 청구서의 바우처 {voucher_id}을(를) 찾을 수 없습니다."),
            NoDailyRate { country } if en => {
                format!("No daily rate is set for {country}; contact regional support before requesting payment.")
            }
            NoDailyRate { country } => {
                format!("{country}의 일일 단가가 없습니다. 대금을 청구하기 전에 지역 지원 센터에 문의하세요.")
            }
            MixedCurrencies { first, other } if en => format!(
                "One request is paid in one currency; this selection mixes {} and {}. Make one request per currency.",
                first.code(),
                other.code()
            ),
            MixedCurrencies { first, other } => format!(
                "청구서 하나는 한 통화로만 지급됩니다. 선택한 바우처에 {}와(과) {}이(가) 섞여 있습니다. 통화별로 \
                 청구서를 만드세요.",
                first.code(),
                other.code()
            ),
            AmountTooLarge => pick(locale, "The total is too large.", "합계 금액이 너무 큽니다."),
            ReviewIncomplete { unmet } if en => {
                format!("{unmet} review item(s) are not met; resolve them or reject the request.")
            }
            ReviewIncomplete { unmet } => {
                format!("충족되지 않은 검토 항목이 {unmet}개 있습니다. 해결하거나 청구를 거부하세요.")
            }
            Reason { error } if en => format!("Reason: {}", error.message(locale)),
            Reason { error } => format!("사유: {}", error.message(locale)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::eligibility::tests::{contoso, date};
    use crate::timeline::test_timeline;
    use crate::voucher::tests::{partner_admin, redeemed_on, report, reported, reserve_fifteen_days};
    use crate::voucher::{redeem_voucher, submit_completion_report, RepeatException, VoucherState};

    fn global_admin() -> Actor {
        Actor::PartnerGlobalAdmin { partner_id: "contoso".into() }
    }

    fn registered() -> Vec<SavbRegistration> {
        vec![SavbRegistration {
            partner_id: "contoso".into(),
            program: OfferingCode::Sedps,
            registered_on: date("2021-02-11"),
        }]
    }

    fn context<'a>(registrations: &'a [SavbRegistration], timeline: &'a ProgramTimeline) -> PaymentContext<'a> {
        PaymentContext { registrations, timeline }
    }

    fn reference() -> ReferenceNumber {
        ReferenceNumber::new(2021, 123).unwrap()
    }

    use crate::locale::test_support::assert_bilingual;

    /// A submitted request for one KR voucher redeemed 2021-02-10, submitted 2021-03-01.
    fn submitted() -> (PaymentRequest, Vec<Voucher>) {
        submitted_on("2021-03-01")
    }

    /// The request of [`submitted`], submitted on `day` (the voucher's last day is 2021-04-11).
    fn submitted_on(day: &str) -> (PaymentRequest, Vec<Voucher>) {
        let timeline = test_timeline();
        let registrations = registered();
        let context = context(&registrations, &timeline);
        let vouchers = vec![redeemed_on("2021-02-10")];
        let draft = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &vouchers,
            date("2021-02-20"),
            &context,
        )
        .unwrap()
        .request;
        let submitted =
            submit_payment_request(&draft, &global_admin(), &vouchers, reference(), date(day), &context).unwrap();
        (submitted.request, submitted.vouchers)
    }

    /// The voucher's last day to request payment after `request` is rejected on `day`.
    fn deadline_after_rejection(request: &PaymentRequest, vouchers: &[Voucher], day: &str) -> NaiveDate {
        let rejected = reject_payment_request(
            request,
            &Actor::ProgramOperator,
            date(day),
            "The deliverable is a template",
            vouchers,
            &test_timeline(),
        )
        .unwrap();
        assert!(matches!(
            &rejected.voucher_events[..],
            [VoucherEvent::ClaimReleased { payment_deadline: Some(_), .. }]
        ));
        rejected.vouchers[0].redemption().unwrap().payment_deadline(&test_timeline())
    }

    #[test]
    fn a_rejection_gives_back_the_payment_days_left_on_submission() {
        // Redeemed 2021-02-10 (last day 2021-04-11), submitted 2021-03-01 with 41 days left,
        // rejected 2021-03-05: the clock stood still meanwhile, so 41 days from the rejection.
        let (request, vouchers) = submitted();
        let deadline = deadline_after_rejection(&request, &vouchers, "2021-03-05");
        assert_eq!(deadline, date("2021-04-15"));
        // The released voucher joins a new request through that day and not after.
        let rejected = reject_payment_request(
            &request,
            &Actor::ProgramOperator,
            date("2021-03-05"),
            "The deliverable is a template",
            &vouchers,
            &test_timeline(),
        )
        .unwrap();
        let timeline = test_timeline();
        let registrations = registered();
        let context = context(&registrations, &timeline);
        let again = |day: &str| {
            draft_payment_request(
                "PR-2".into(),
                &global_admin(),
                OfferingCode::Sedps,
                &rejected.vouchers,
                date(day),
                &context,
            )
        };
        assert!(again("2021-04-15").is_ok());
        let error = again("2021-04-16").unwrap_err();
        assert!(
            matches!(error, PaymentError::Voucher { error: VoucherError::PaymentWindowClosed { deadline, .. }, .. } if deadline == date("2021-04-15"))
        );
    }

    #[test]
    fn a_late_rejection_after_a_hold_still_leaves_fourteen_days() {
        // Submitted on 2021-04-09 with 2 days left, held for weeks, rejected 2021-05-20.
        let (request, vouchers) = submitted_on("2021-04-09");
        let held = hold_payment_request(&request, &Actor::ProgramOperator, date("2021-04-12"), "Checking the bank")
            .unwrap()
            .request;
        assert_eq!(deadline_after_rejection(&held, &vouchers, "2021-05-20"), date("2021-06-03"));
        // Submitted on the last day (0 days left): 14 days as well.
        let (request, vouchers) = submitted_on("2021-04-11");
        assert_eq!(deadline_after_rejection(&request, &vouchers, "2021-04-20"), date("2021-05-04"));
        // 15 days left on submission: 15, more than the minimum.
        let (request, vouchers) = submitted_on("2021-03-27");
        assert_eq!(deadline_after_rejection(&request, &vouchers, "2021-04-20"), date("2021-05-05"));
    }

    #[test]
    fn the_days_kept_while_paused_count_to_the_last_day_and_never_below_zero() {
        use crate::voucher::payment_days_kept;
        assert_eq!(payment_days_kept(date("2021-08-31"), date("2021-07-06")), 56);
        assert_eq!(payment_days_kept(date("2021-08-31"), date("2021-08-31")), 0);
        assert_eq!(payment_days_kept(date("2021-08-31"), date("2021-09-01")), 0);
    }

    #[test]
    fn a_claimed_voucher_records_the_day_its_clock_stopped() {
        let (_, vouchers) = submitted();
        assert!(matches!(
            &vouchers[0].state,
            VoucherState::Claimed { claimed_on: Some(day), .. } if *day == date("2021-03-01")
        ));
    }

    #[test]
    fn the_amount_is_the_days_delivered_times_the_rate_of_the_delivery_country() {
        // A 5-day voucher of which 3 days were delivered is paid for 3 days.
        let timeline = test_timeline();
        let voucher = crate::voucher::tests::created("2021-01-04", 5);
        let reserved = crate::voucher::tests::reserve_for_test(&voucher);
        let reported = submit_completion_report(
            &reserved,
            &partner_admin(),
            date("2021-02-06"),
            report("2021-02-01", "2021-02-03", 3),
            &contoso(),
        )
        .unwrap()
        .voucher;
        let redeemed = redeem_voucher(&reported, &partner_admin(), date("2021-02-10"), &timeline).unwrap().voucher;
        let registrations = registered();
        let draft = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &[redeemed],
            date("2021-02-20"),
            &context(&registrations, &timeline),
        )
        .unwrap();
        let line = &draft.request.lines[0];
        assert_eq!(line.days, 3);
        assert_eq!(line.amount.to_string(), "KRW 3,900,000");
    }

    #[test]
    fn reference_numbers_are_written_and_read_as_psr_year_sequence() {
        let reference = ReferenceNumber::parse(" psr-2021-000123 ").unwrap();
        assert_eq!((reference.year(), reference.sequence()), (2021, 123));
        assert_eq!(reference.to_string(), "PSR-2021-000123");
        assert_eq!(serde_json::to_value(reference).unwrap(), "PSR-2021-000123");
        assert_bilingual(
            &ReferenceNumber::parse("PSR-2021-123").unwrap_err(),
            "A Microsoft reference number looks like PSR-2021-000123.",
        );
        assert_eq!(ReferenceNumber::parse("PSR-2021-000000"), Err(ReferenceNumberError::SequenceOutOfRange));
        assert_eq!(ReferenceNumber::parse("PSR-1999-000001"), Err(ReferenceNumberError::YearOutOfRange { year: 1999 }));
        assert_eq!(ReferenceNumber::parse("PSR+2021-000001"), Err(ReferenceNumberError::WrongFormat));
        assert_eq!(ReferenceNumber::parse("PSR-2021-00000١"), Err(ReferenceNumberError::WrongFormat));
    }

    #[test]
    fn idempotency_keys_are_1_to_255_visible_ascii_characters() {
        let longest = "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH);
        assert_eq!(IdempotencyKey::parse(Some(&longest)).unwrap().as_str(), longest);
        assert_eq!(IdempotencyKey::parse(Some("a")).unwrap().as_str(), "a");
        let too_long = "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1);
        assert_eq!(
            IdempotencyKey::parse(Some(&too_long)),
            Err(IdempotencyError::Malformed { max_length: MAX_IDEMPOTENCY_KEY_LENGTH })
        );
        for bad in ["", "two words", "tab\t", "ключ"] {
            assert!(IdempotencyKey::parse(Some(bad)).is_err(), "{bad:?}");
        }
        assert_bilingual(
            &IdempotencyKey::parse(None).unwrap_err(),
            "Send an Idempotency-Key header so that the submission can be retried safely.",
        );
        assert_bilingual(
            &IdempotencyError::Malformed { max_length: 255 },
            "The Idempotency-Key must be 1 to 255 visible ASCII characters.",
        );
        assert_bilingual(
            &IdempotencyError::ReusedWithOtherRequest,
            "This Idempotency-Key was already used for a different request; use a new key.",
        );
    }

    #[test]
    fn registration_needs_a_partner_admin_and_a_redeemed_voucher_of_the_program() {
        let vouchers = vec![redeemed_on("2021-02-10")];
        for admin in [global_admin(), partner_admin()] {
            let registration =
                register_payment_program(&admin, OfferingCode::Sedps, &vouchers, &[], date("2021-02-11")).unwrap();
            assert_eq!(registration.program, OfferingCode::Sedps);
        }
        let consultant = Actor::Consultant { partner_id: "contoso".into(), consultant_id: "kim".into() };
        let error =
            register_payment_program(&consultant, OfferingCode::Sedps, &vouchers, &[], date("2021-02-11")).unwrap_err();
        assert_bilingual(&error, "The Consultant role cannot register the program for payment.");
        let error = register_payment_program(&global_admin(), OfferingCode::Ddps, &vouchers, &[], date("2021-02-11"))
            .unwrap_err();
        assert_bilingual(
            &error,
            "Registering for DDPS payments needs at least one redeemed DDPS voucher; redeem one first.",
        );
        let unredeemed = vec![reported()];
        assert_eq!(
            register_payment_program(&global_admin(), OfferingCode::Sedps, &unredeemed, &[], date("2021-02-11")),
            Err(PaymentError::NoRedeemedVoucher { program: OfferingCode::Sedps })
        );
        assert_eq!(
            register_payment_program(
                &global_admin(),
                OfferingCode::Sedps,
                &vouchers,
                &registered(),
                date("2021-02-11")
            ),
            Err(PaymentError::AlreadyRegistered { program: OfferingCode::Sedps })
        );
    }

    #[test]
    fn the_total_is_the_country_rate_times_the_voucher_days() {
        let (request, vouchers) = submitted();
        assert_eq!(request.total, Money::from_minor_units(5 * 1_300_000, Currency::Krw));
        assert_eq!(request.lines[0].daily_rate.to_string(), "KRW 1,300,000");
        assert_eq!(request.reference, Some(reference()));
        assert_eq!(request.status(), PaymentStatus::Submitted);
        assert_eq!(vouchers[0].status(), VoucherStatus::Claimed);
    }

    #[test]
    fn a_request_needs_the_registration_and_at_least_one_voucher() {
        let timeline = test_timeline();
        let vouchers = vec![redeemed_on("2021-02-10")];
        let error = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &vouchers,
            date("2021-02-20"),
            &context(&[], &timeline),
        )
        .unwrap_err();
        assert_bilingual(
            &error,
            "The organization is not registered for S-EDPS payments; a Global Admin registers it once in SAVB.",
        );
        let registrations = registered();
        let error = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &[],
            date("2021-02-20"),
            &context(&registrations, &timeline),
        )
        .unwrap_err();
        assert_bilingual(&error, "Select at least one redeemed voucher.");
        let twice = vec![vouchers[0].clone(), vouchers[0].clone()];
        assert!(matches!(
            draft_payment_request(
                "PR-1".into(),
                &global_admin(),
                OfferingCode::Sedps,
                &twice,
                date("2021-02-20"),
                &context(&registrations, &timeline)
            ),
            Err(PaymentError::DuplicateVoucher { .. })
        ));
    }

    #[test]
    fn submission_is_accepted_on_day_60_after_redemption_and_refused_on_day_61() {
        let timeline = test_timeline();
        let registrations = registered();
        let context = context(&registrations, &timeline);
        let vouchers = vec![redeemed_on("2021-02-10")];
        let draft = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &vouchers,
            date("2021-02-20"),
            &context,
        )
        .unwrap()
        .request;
        assert!(submit_payment_request(&draft, &global_admin(), &vouchers, reference(), date("2021-04-11"), &context)
            .is_ok());
        let error =
            submit_payment_request(&draft, &global_admin(), &vouchers, reference(), date("2021-04-12"), &context)
                .unwrap_err();
        assert_bilingual(
            &error,
            "Voucher 1234567890: Payment must be requested within 60 days of redemption on February 10, 2021; the last day was \
             April 11, 2021 (end of day UTC).",
        );
    }

    #[test]
    fn a_voucher_already_claimed_cannot_join_another_request() {
        let (_, claimed) = submitted();
        let timeline = test_timeline();
        let registrations = registered();
        let error = draft_payment_request(
            "PR-2".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &claimed,
            date("2021-03-02"),
            &context(&registrations, &timeline),
        )
        .unwrap_err();
        assert_bilingual(&error, "Voucher 1234567890: This voucher is already in payment request PR-1.");
        let unredeemed = vec![reported()];
        let error = draft_payment_request(
            "PR-2".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &unredeemed,
            date("2021-03-02"),
            &context(&registrations, &timeline),
        )
        .unwrap_err();
        assert_bilingual(
            &error,
            "Voucher 1234567890: The voucher is Reserved; you cannot submit a payment request in that status.",
        );
    }

    #[test]
    fn vouchers_of_different_currencies_need_separate_requests() {
        let timeline = test_timeline();
        let registrations = registered();
        let korean = redeemed_on("2021-02-10");
        let mut american = korean.clone();
        american.id = VoucherId::parse("9999999999").unwrap();
        if let VoucherState::Redeemed { redemption } = &mut american.state {
            redemption.reservation.delivery_country = CountryCode::parse("US").unwrap();
            redemption.reservation.location_id = LocationId::parse("1000002").unwrap();
        }
        let error = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &[korean, american],
            date("2021-02-20"),
            &context(&registrations, &timeline),
        )
        .unwrap_err();
        assert_bilingual(
            &error,
            "One request is paid in one currency; this selection mixes KRW and USD. Make one request per currency.",
        );
    }

    #[test]
    fn payable_vouchers_filter_by_country_location_and_window() {
        let timeline = test_timeline();
        let vouchers = vec![redeemed_on("2021-02-10"), reported()];
        let all = payable_vouchers(
            &vouchers,
            "contoso",
            OfferingCode::Sedps,
            &VoucherFilter::All,
            date("2021-04-11"),
            &timeline,
        );
        assert_eq!(all.len(), 1);
        let late = payable_vouchers(
            &vouchers,
            "contoso",
            OfferingCode::Sedps,
            &VoucherFilter::All,
            date("2021-04-12"),
            &timeline,
        );
        assert!(late.is_empty());
        let us = VoucherFilter::Country { country: CountryCode::parse("US").unwrap() };
        assert!(
            payable_vouchers(&vouchers, "contoso", OfferingCode::Sedps, &us, date("2021-03-01"), &timeline).is_empty()
        );
        let seoul = VoucherFilter::Location { location_id: LocationId::parse("1000001").unwrap() };
        assert_eq!(
            payable_vouchers(&vouchers, "contoso", OfferingCode::Sedps, &seoul, date("2021-03-01"), &timeline).len(),
            1
        );
    }

    #[test]
    fn a_submitted_request_is_read_only() {
        let (request, vouchers) = submitted();
        let timeline = test_timeline();
        let registrations = registered();
        let error = revise_payment_request(
            &request,
            &global_admin(),
            &vouchers,
            date("2021-03-02"),
            &context(&registrations, &timeline),
        )
        .unwrap_err();
        assert_bilingual(
            &error,
            "The payment request is Submitted; you cannot prepare a payment request in that status.",
        );
    }

    /// `partner`'s present competencies and exams, on record since long before any delivery.
    fn records(partner: &PartnerProfile) -> QualificationHistory {
        QualificationHistory::on_record_since(partner, date("2020-01-01"))
    }

    #[test]
    fn the_review_judges_qualifications_by_the_records_of_the_delivery_days() {
        let (request, vouchers) = submitted();
        let report = vouchers[0].redemption().unwrap().completion_report.clone();
        let partner = contoso();
        let competency_item = |records: &QualificationHistory| {
            let review =
                review_payment_request(&request, &vouchers, &partner, &[], records, &test_timeline().daily_rates);
            review.items.into_iter().find(|item| item.check == ReviewCheck::CompanyCompetencyHeld).unwrap()
        };
        // Removed the day after the last delivery day (and so absent today): still met.
        let mut removed = records(&partner);
        for record in &mut removed.competencies {
            record.valid_until = report.delivered_through.succ_opt();
        }
        assert!(competency_item(&removed).met);
        // Removed on the last delivery day: unmet, and the finding names the day.
        for record in &mut removed.competencies {
            record.valid_until = Some(report.delivered_through);
        }
        let item = competency_item(&removed);
        assert!(!item.met);
        assert_eq!(
            item.finding,
            ReviewFinding::OnDeliveryDay { day: report.delivered_through, finding: Finding::CompetencyMissing }
        );
        assert!(item.finding.message(Locale::En).starts_with("On "), "{}", item.finding.message(Locale::En));
        assert!(item.finding.message(Locale::Ko).starts_with("수행일 "));
        // Recorded only after delivery, though held today: unmet.
        let mut late = records(&partner);
        for record in &mut late.competencies {
            record.valid_from = report.delivered_through.succ_opt().unwrap();
        }
        assert!(!competency_item(&late).met);
    }

    #[test]
    fn the_review_of_a_clean_request_is_all_met_and_approval_then_payment_follow() {
        let (request, vouchers) = submitted();
        let review = review_payment_request(
            &request,
            &vouchers,
            &contoso(),
            &[],
            &records(&contoso()),
            &test_timeline().daily_rates,
        );
        assert_eq!(review.items.len(), 8);
        assert!(review.all_met(), "{:?}", review.items.iter().filter(|item| !item.met).collect::<Vec<_>>());
        let approved =
            approve_payment_request(&request, &Actor::ProgramOperator, date("2021-03-05"), &review).unwrap().request;
        assert_eq!(approved.status(), PaymentStatus::Approved);
        let paid =
            mark_payment_request_paid(&approved, &Actor::ProgramOperator, date("2021-03-20"), &vouchers).unwrap();
        assert_eq!(paid.request.status(), PaymentStatus::Paid);
        assert!(paid.vouchers.iter().all(|voucher| voucher.status() == VoucherStatus::Paid));
        let error = approve_payment_request(&request, &global_admin(), date("2021-03-05"), &review).unwrap_err();
        assert_bilingual(&error, "The Global Admin role cannot approve a payment request.");
    }

    #[test]
    fn the_review_flags_a_lapsed_competency_and_blocks_approval() {
        let (request, vouchers) = submitted();
        let mut partner = contoso();
        partner.competencies.retain(|held| held.competency != crate::catalog::CompetencyId::Messaging);
        let review = review_payment_request(
            &request,
            &vouchers,
            &partner,
            &[],
            &records(&partner),
            &test_timeline().daily_rates,
        );
        let unmet: Vec<_> = review.items.iter().filter(|item| !item.met).collect();
        assert_eq!(unmet.len(), 1);
        assert_eq!(unmet[0].check, ReviewCheck::CompanyCompetencyHeld);
        assert_eq!(
            unmet[0].finding.message(Locale::En),
            "On February 1, 2021, a delivery day: The company holds none of the qualifying competencies; attain one \
             of them."
        );
        let error =
            approve_payment_request(&request, &Actor::ProgramOperator, date("2021-03-05"), &review).unwrap_err();
        assert_bilingual(&error, "1 review item(s) are not met; resolve them or reject the request.");
    }

    #[test]
    fn the_review_flags_a_request_submitted_after_the_window() {
        let (mut request, vouchers) = submitted();
        request.state = PaymentState::Submitted { submitted_on: date("2021-04-12") };
        let review = review_payment_request(
            &request,
            &vouchers,
            &contoso(),
            &[],
            &records(&contoso()),
            &test_timeline().daily_rates,
        );
        let late = review.items.iter().find(|item| item.check == ReviewCheck::RequestedWithinWindow).unwrap();
        assert!(!late.met);
        assert_bilingual(
            &late.finding,
            "Submitted on April 12, 2021, after the last day April 11, 2021 (end of day UTC).",
        );
    }

    /// The repeat-limit item of each voucher when the 15-day engagements `reserved` are reported
    /// (2021-02-20), redeemed (2021-02-21) and requested together (submitted 2021-03-01), with
    /// each other as the customer's engagement history.
    fn repeat_items_at_review(reserved: Vec<Voucher>) -> Vec<(String, bool)> {
        let timeline = test_timeline();
        let redeemed: Vec<Voucher> = reserved
            .iter()
            .map(|voucher| {
                let reported = submit_completion_report(
                    voucher,
                    &partner_admin(),
                    date("2021-02-20"),
                    report("2021-02-01", "2021-02-19", 15),
                    &contoso(),
                )
                .unwrap()
                .voucher;
                redeem_voucher(&reported, &partner_admin(), date("2021-02-21"), &timeline).unwrap().voucher
            })
            .collect();
        let registrations = registered();
        let context = context(&registrations, &timeline);
        let draft = draft_payment_request(
            "PR-1".into(),
            &global_admin(),
            OfferingCode::Sedps,
            &redeemed,
            date("2021-02-22"),
            &context,
        )
        .unwrap()
        .request;
        let submitted =
            submit_payment_request(&draft, &global_admin(), &redeemed, reference(), date("2021-03-01"), &context)
                .unwrap();
        let history: Vec<EngagementRecord> = submitted.vouchers.iter().filter_map(EngagementRecord::of).collect();
        let review = review_payment_request(
            &submitted.request,
            &submitted.vouchers,
            &contoso(),
            &history,
            &records(&contoso()),
            &test_timeline().daily_rates,
        );
        review
            .items
            .iter()
            .filter(|item| item.check == ReviewCheck::RepeatLimitRespected)
            .map(|item| (item.voucher_id.as_str().to_owned(), item.met))
            .collect()
    }

    #[test]
    fn the_review_accepts_both_fifteen_day_engagements_when_the_later_declares_the_exception() {
        let exception = Some(RepeatException::DifferentProducts);
        // A first, then B with the exception: the review of A no longer finds B.
        let a = reserve_fifteen_days("1111111111", None, &[]).unwrap();
        let b = reserve_fifteen_days("2222222222", exception, &[EngagementRecord::of(&a).unwrap()]).unwrap();
        assert_eq!(
            repeat_items_at_review(vec![a, b]),
            [("1111111111".to_owned(), true), ("2222222222".to_owned(), true)]
        );
        // B with the exception first, then A without it.
        let b = reserve_fifteen_days("2222222222", exception, &[]).unwrap();
        let a = reserve_fifteen_days("1111111111", None, &[EngagementRecord::of(&b).unwrap()]).unwrap();
        assert_eq!(
            repeat_items_at_review(vec![b, a]),
            [("2222222222".to_owned(), true), ("1111111111".to_owned(), true)]
        );
    }

    #[test]
    fn the_review_flags_two_fifteen_day_engagements_without_an_exception() {
        let a = reserve_fifteen_days("1111111111", None, &[]).unwrap();
        let b = reserve_fifteen_days("2222222222", None, &[]).unwrap();
        assert_eq!(
            repeat_items_at_review(vec![a, b]),
            [("1111111111".to_owned(), false), ("2222222222".to_owned(), false)]
        );
    }

    #[test]
    fn rejection_needs_a_reason_and_releases_the_vouchers() {
        let (request, vouchers) = submitted();
        let error = reject_payment_request(
            &request,
            &Actor::ProgramOperator,
            date("2021-03-05"),
            "  ",
            &vouchers,
            &test_timeline(),
        )
        .unwrap_err();
        assert_bilingual(&error, "Reason: This field is required.");
        let rejected = reject_payment_request(
            &request,
            &Actor::ProgramOperator,
            date("2021-03-05"),
            "Deliverable is a template",
            &vouchers,
            &test_timeline(),
        )
        .unwrap();
        assert_eq!(rejected.request.status(), PaymentStatus::Rejected);
        assert!(rejected.vouchers.iter().all(|voucher| voucher.status() == VoucherStatus::Redeemed));
        assert!(
            matches!(&rejected.request.state, PaymentState::Rejected { reason, .. } if reason == "Deliverable is a template")
        );
    }

    #[test]
    fn a_held_request_resumes_to_submitted_and_cannot_be_approved_while_held() {
        let (request, vouchers) = submitted();
        let held =
            hold_payment_request(&request, &Actor::ProgramOperator, date("2021-03-03"), "Checking the bank details")
                .unwrap()
                .request;
        assert_eq!(held.status(), PaymentStatus::OnHold);
        let review = review_payment_request(
            &held,
            &vouchers,
            &contoso(),
            &[],
            &records(&contoso()),
            &test_timeline().daily_rates,
        );
        let error = approve_payment_request(&held, &Actor::ProgramOperator, date("2021-03-04"), &review).unwrap_err();
        assert_bilingual(
            &error,
            "The payment request is On hold; you cannot approve a payment request in that status.",
        );
        let resumed = resume_payment_request(&held, &Actor::ProgramOperator).unwrap().request;
        assert_eq!(resumed.state, PaymentState::Submitted { submitted_on: date("2021-03-01") });
    }

    #[test]
    fn a_voucher_redeemed_on_the_last_day_can_be_claimed_through_2022_03_02() {
        let timeline = test_timeline();
        let voucher = Voucher { expires_on: date("2022-03-01"), ..reported() };
        let redeemed = redeem_voucher(&voucher, &partner_admin(), date("2022-01-01"), &timeline).unwrap().voucher;
        let registrations = registered();
        let context = context(&registrations, &timeline);
        let draft = draft_payment_request(
            "PR-9".into(),
            &global_admin(),
            OfferingCode::Sedps,
            std::slice::from_ref(&redeemed),
            date("2022-01-02"),
            &context,
        )
        .unwrap()
        .request;
        assert!(submit_payment_request(
            &draft,
            &global_admin(),
            std::slice::from_ref(&redeemed),
            reference(),
            date("2022-03-02"),
            &context
        )
        .is_ok());
        assert!(submit_payment_request(
            &draft,
            &global_admin(),
            &[redeemed],
            reference(),
            date("2022-03-03"),
            &context
        )
        .is_err());
    }

    #[test]
    fn payment_events_read_in_both_languages_with_their_numbers() {
        let total = Money::from_minor_units(123_400, Currency::Usd);
        let reference = reference();
        let events = [
            PaymentEvent::Drafted { request_id: "PR-7".into(), total },
            PaymentEvent::Revised { request_id: "PR-7".into(), total },
            PaymentEvent::Submitted { request_id: "PR-7".into(), reference, total },
            PaymentEvent::PutOnHold { request_id: "PR-7".into(), reason: "Invoice missing".into() },
            PaymentEvent::Resumed { request_id: "PR-7".into() },
            PaymentEvent::Approved { request_id: "PR-7".into() },
            PaymentEvent::Rejected { request_id: "PR-7".into(), reason: "Invoice missing".into() },
            PaymentEvent::Paid { request_id: "PR-7".into() },
        ];
        for event in &events {
            let english = event.message(Locale::En);
            assert!(english.starts_with("Payment request PR-7 "), "{english}");
            assert_bilingual(event, &english);
            assert!(event.message(Locale::Ko).starts_with("대금 청구서 PR-7"), "{}", event.message(Locale::Ko));
        }
        assert_eq!(
            events[2].message(Locale::En),
            "Payment request PR-7 was submitted for USD 1,234.00 with reference number PSR-2021-000123."
        );
        assert_eq!(events[5].message(Locale::Ko), "대금 청구서 PR-7이(가) 승인되었습니다.");
        assert_eq!(events[6].message(Locale::Ko).rsplit("사유: ").next(), Some("Invoice missing"));
        assert_eq!(events[7].message(Locale::Ko), "대금 청구서 PR-7의 대금이 지급되었습니다.");
    }

    #[test]
    fn a_notification_reads_as_the_event_it_reports() {
        use crate::api::vouchers::NotificationEvent;

        let payment = PaymentEvent::Approved { request_id: "PR-7".into() };
        let voucher =
            VoucherEvent::Claimed { voucher_id: redeemed_on("2021-02-10").id, payment_request_id: "PR-7".into() };
        for locale in Locale::ALL {
            assert_eq!(NotificationEvent::Payment(payment.clone()).message(locale), payment.message(locale));
            assert_eq!(NotificationEvent::Voucher(voucher.clone()).message(locale), voucher.message(locale));
        }
    }
}
