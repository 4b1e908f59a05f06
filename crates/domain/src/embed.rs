//! The embeddable widget's rules: which origins an embed token may name, how long it may live,
//! why a widget read is refused, and what a voucher card and an eligibility badge show (the
//! workflow steps 4-8 of DOMAIN.md §4, the deadlines with their countdowns, the offerings and
//! engagements a partner may deliver).
//!
//! The server computes cards and badges with these functions; the widget only renders them, in
//! the words of the `Localize` implementations here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::pick;
use crate::eligibility::{EligibilityReport, EligibilityStatus, Requirement};
use crate::locale::{Locale, Localize};
use crate::timeline::ProgramTimeline;
use crate::voucher::{Voucher, VoucherState, VoucherStatus};
use crate::{EngagementId, OfferingCode};

/// The most origins one token may allow.
pub const MAX_ALLOWED_ORIGINS: usize = 10;

/// The longest life of a token, in days.
pub const MAX_TOKEN_LIFE_DAYS: u32 = 365;

/// A web origin a token allows, normalised the way browsers send `Origin`: lower case,
/// `scheme://host[:port]` without a default port or a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "https://intranet.example"))]
pub struct AllowedOrigin(String);

impl AllowedOrigin {
    /// Parses an origin: `https://` for any host, `http://` only for the loopback hosts
    /// (`localhost`, `127.0.0.1`, `[::1]`), where development pages live.
    pub fn parse(input: &str) -> Result<AllowedOrigin, EmbedError> {
        let invalid = || EmbedError::InvalidOrigin { origin: input.trim().chars().take(100).collect() };
        let text = input.trim().to_ascii_lowercase();
        let text = text.strip_suffix('/').unwrap_or(&text);
        let (scheme, authority) = text.split_once("://").ok_or_else(invalid)?;
        let (host, port) = match authority.strip_prefix('[') {
            Some(rest) => {
                let (address, after) = rest.split_once(']').ok_or_else(invalid)?;
                (format!("[{address}]"), after.strip_prefix(':'))
            }
            None => match authority.split_once(':') {
                Some((host, port)) => (host.to_owned(), Some(port)),
                None => (authority.to_owned(), None),
            },
        };
        let loopback = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
        let default_port = match scheme {
            "https" => "443",
            "http" if loopback => "80",
            _ => return Err(invalid()),
        };
        let valid_host = !host.is_empty()
            && host.len() <= 253
            && (host == "[::1]"
                || host.split('.').all(|label| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
                }));
        if !valid_host {
            return Err(invalid());
        }
        let port = match port {
            None => None,
            Some(port) if port == default_port => None,
            Some(port) => match port.parse::<u16>() {
                Ok(number) if number > 0 && !port.starts_with('0') => Some(number),
                _ => return Err(invalid()),
            },
        };
        Ok(AllowedOrigin(match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AllowedOrigin {
    type Error = EmbedError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AllowedOrigin::parse(&value)
    }
}

impl From<AllowedOrigin> for String {
    fn from(origin: AllowedOrigin) -> String {
        origin.0
    }
}

/// The origins of a new token: at least one, at most [`MAX_ALLOWED_ORIGINS`], each valid;
/// duplicates (after normalising) are kept once, in the order given.
pub fn check_allowed_origins(inputs: &[String]) -> Result<Vec<AllowedOrigin>, EmbedError> {
    let mut origins: Vec<AllowedOrigin> = Vec::new();
    for input in inputs {
        let origin = AllowedOrigin::parse(input)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    match origins.len() {
        0 => Err(EmbedError::NoAllowedOrigins),
        count if count > MAX_ALLOWED_ORIGINS => Err(EmbedError::TooManyOrigins { max: MAX_ALLOWED_ORIGINS }),
        _ => Ok(origins),
    }
}

/// The life of a new token: 1 to [`MAX_TOKEN_LIFE_DAYS`] days.
pub fn check_token_life(days: u32) -> Result<u32, EmbedError> {
    if (1..=MAX_TOKEN_LIFE_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(EmbedError::LifeOutOfRange { max: MAX_TOKEN_LIFE_DAYS })
    }
}

/// Why an embed token cannot be created, or a widget read is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmbedError {
    #[error("{}", self.message(Locale::En))]
    NoAllowedOrigins,
    #[error("{}", self.message(Locale::En))]
    TooManyOrigins { max: usize },
    #[error("{}", self.message(Locale::En))]
    InvalidOrigin { origin: String },
    #[error("{}", self.message(Locale::En))]
    LifeOutOfRange { max: u32 },
    /// Only partners may embed their own eligibility.
    #[error("{}", self.message(Locale::En))]
    NotYourPartnerProfile,
    /// No `Authorization: Bearer` header.
    #[error("{}", self.message(Locale::En))]
    TokenMissing,
    /// A header that is not an embed token at all (a typo, a cut-off copy).
    #[error("{}", self.message(Locale::En))]
    TokenMalformed,
    /// Well-formed, but no such token exists.
    #[error("{}", self.message(Locale::En))]
    TokenUnknown,
    #[error("{}", self.message(Locale::En))]
    TokenRevoked,
    #[error("{}", self.message(Locale::En))]
    TokenExpired,
    /// The page's origin is not one the token allows.
    #[error("{}", self.message(Locale::En))]
    OriginNotAllowed,
    /// The token is for another voucher or partner, or the one named does not exist.
    #[error("{}", self.message(Locale::En))]
    NotThisTokensSubject,
}

impl Localize for EmbedError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (EmbedError::NoAllowedOrigins, _) => pick(
                locale,
                "Name at least one website origin (such as https://intranet.example) that may show the widget.",
                "위젯을 표시할 웹사이트 출처(예: https://intranet.example)를 하나 이상 입력하세요.",
            ),
            (EmbedError::TooManyOrigins { max }, Locale::En) => format!("A token may allow at most {max} origins."),
            (EmbedError::TooManyOrigins { max }, Locale::Ko) => {
                format!("토큰 하나에 허용할 수 있는 출처는 최대 {max}개입니다.")
            }
            (EmbedError::InvalidOrigin { origin }, Locale::En) => format!(
                "\"{origin}\" is not an origin: write https://host or https://host:port, without a path \
                 (http:// only for localhost)."
            ),
            (EmbedError::InvalidOrigin { origin }, Locale::Ko) => format!(
                "\"{origin}\"은(는) 올바른 출처가 아닙니다. 경로 없이 https://호스트 또는 https://호스트:포트 \
                 형식으로 입력하세요(http://는 localhost에만 허용)."
            ),
            (EmbedError::LifeOutOfRange { max }, Locale::En) => {
                format!("A token must be valid for 1 to {max} days.")
            }
            (EmbedError::LifeOutOfRange { max }, Locale::Ko) => {
                format!("토큰 유효 기간은 1일에서 {max}일 사이여야 합니다.")
            }
            (EmbedError::NotYourPartnerProfile, _) => pick(
                locale,
                "You can embed only your own company's eligibility.",
                "자사의 자격 정보만 삽입할 수 있습니다.",
            ),
            (EmbedError::TokenMissing, _) => {
                pick(locale, "This widget has no embed token.", "이 위젯에 삽입 토큰이 없습니다.")
            }
            (EmbedError::TokenMalformed, _) => pick(
                locale,
                "This widget's embed token is not valid. Copy the snippet again.",
                "이 위젯의 삽입 토큰이 올바르지 않습니다. 코드 조각을 다시 복사하세요.",
            ),
            (EmbedError::TokenUnknown, _) => pick(
                locale,
                "This widget's embed token is not recognised.",
                "이 위젯의 삽입 토큰을 확인할 수 없습니다.",
            ),
            (EmbedError::TokenRevoked, _) => {
                pick(locale, "This widget's embed token was revoked.", "이 위젯의 삽입 토큰이 취소되었습니다.")
            }
            (EmbedError::TokenExpired, _) => {
                pick(locale, "This widget's embed token has expired.", "이 위젯의 삽입 토큰이 만료되었습니다.")
            }
            (EmbedError::OriginNotAllowed, _) => pick(
                locale,
                "This website may not show this widget.",
                "이 웹사이트에서는 이 위젯을 표시할 수 없습니다.",
            ),
            (EmbedError::NotThisTokensSubject, _) => pick(
                locale,
                "Nothing to show: the widget names a voucher or partner its token is not for.",
                "표시할 내용이 없습니다. 위젯이 토큰 대상이 아닌 바우처나 파트너를 가리킵니다.",
            ),
        }
    }
}

/// The steps of the workflow a voucher card follows (DOMAIN.md §4, steps 4-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkflowStep {
    CreateAndAssign,
    Reserve,
    DeliverAndReport,
    Redeem,
    RequestPayment,
}

impl WorkflowStep {
    pub const VOUCHER_STEPS: [WorkflowStep; 5] = [
        WorkflowStep::CreateAndAssign,
        WorkflowStep::Reserve,
        WorkflowStep::DeliverAndReport,
        WorkflowStep::Redeem,
        WorkflowStep::RequestPayment,
    ];

    /// The step's number in the 8-step workflow.
    pub fn number(self) -> u8 {
        match self {
            WorkflowStep::CreateAndAssign => 4,
            WorkflowStep::Reserve => 5,
            WorkflowStep::DeliverAndReport => 6,
            WorkflowStep::Redeem => 7,
            WorkflowStep::RequestPayment => 8,
        }
    }
}

impl Localize for WorkflowStep {
    fn message(&self, locale: Locale) -> String {
        match self {
            WorkflowStep::CreateAndAssign => pick(locale, "Create and assign", "생성 및 할당"),
            WorkflowStep::Reserve => pick(locale, "Partner reserves", "파트너 예약"),
            WorkflowStep::DeliverAndReport => pick(locale, "Deliver and report", "수행 및 완료 보고"),
            WorkflowStep::Redeem => pick(locale, "Redeem", "상환"),
            WorkflowStep::RequestPayment => pick(locale, "Request payment", "대금 청구"),
        }
    }
}

/// Where a voucher is with one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    /// The step the voucher waits for (for `RequestPayment` once claimed: the payment itself).
    Current,
    Upcoming,
    /// The voucher expired before this step.
    Missed,
}

impl Localize for StepState {
    fn message(&self, locale: Locale) -> String {
        match self {
            StepState::Done => pick(locale, "done", "완료"),
            StepState::Current => pick(locale, "current step", "현재 단계"),
            StepState::Upcoming => pick(locale, "not yet", "예정"),
            StepState::Missed => pick(locale, "not reached: the voucher expired", "도달하지 못함: 바우처 만료"),
        }
    }
}

/// One step of a voucher card's stepper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepProgress {
    pub step: WorkflowStep,
    pub state: StepState,
}

/// Steps 4-8 of the voucher on `today`: done up to where its state has come, then the current
/// step; an expired voucher (also one past its expiry date the job has not expired yet) missed
/// every step it had not done. A paid voucher has done them all.
pub fn voucher_steps(voucher: &Voucher, today: NaiveDate) -> Vec<StepProgress> {
    let done = match &voucher.state {
        VoucherState::Assigned | VoucherState::Expired { .. } => 1,
        VoucherState::Reserved { completion_report: None, .. } => 2,
        VoucherState::Reserved { completion_report: Some(_), .. } => 3,
        VoucherState::Redeemed { .. } | VoucherState::Claimed { .. } => 4,
        VoucherState::Paid { .. } => 5,
    };
    let expired = voucher.status_on(today) == VoucherStatus::Expired;
    WorkflowStep::VOUCHER_STEPS
        .iter()
        .enumerate()
        .map(|(index, &step)| {
            let state = if index < done {
                StepState::Done
            } else if expired {
                StepState::Missed
            } else if index == done {
                StepState::Current
            } else {
                StepState::Upcoming
            };
            StepProgress { step, state }
        })
        .collect()
}

/// A deadline a voucher card counts down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The last day of the voucher's life (day 180 after assignment): reserve, deliver and
    /// redeem by then.
    VoucherExpires,
    /// The last day of the payment window after redemption.
    PaymentRequestDue,
}

impl Localize for DeadlineKind {
    fn message(&self, locale: Locale) -> String {
        match self {
            DeadlineKind::VoucherExpires => pick(locale, "Voucher valid through", "바우처 유효 기간"),
            DeadlineKind::PaymentRequestDue => pick(locale, "Request payment by", "대금 청구 마감일"),
        }
    }
}

/// A deadline and the days from the program date to it (negative once passed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Countdown {
    pub kind: DeadlineKind,
    pub date: NaiveDate,
    pub days_left: i64,
}

impl Countdown {
    fn new(kind: DeadlineKind, date: NaiveDate, today: NaiveDate) -> Self {
        Countdown { kind, date, days_left: (date - today).num_days() }
    }
}

impl Localize for Countdown {
    /// "12 days left", "last day today", "passed 3 days ago".
    fn message(&self, locale: Locale) -> String {
        match (self.days_left, locale) {
            (0, _) => pick(locale, "last day today", "오늘이 마지막 날"),
            (1, Locale::En) => "1 day left".to_owned(),
            (days, Locale::En) if days > 0 => format!("{days} days left"),
            (-1, Locale::En) => "passed 1 day ago".to_owned(),
            (days, Locale::En) => format!("passed {} days ago", -days),
            (days, Locale::Ko) if days > 0 => format!("{days}일 남음"),
            (days, Locale::Ko) => format!("{}일 지남", -days),
        }
    }
}

/// The deadlines that still govern the voucher on `today`: its expiry until it is redeemed (also
/// once passed, so an expired voucher says when), then the payment window until it is claimed.
pub fn voucher_deadlines(voucher: &Voucher, today: NaiveDate, timeline: &ProgramTimeline) -> Vec<Countdown> {
    match &voucher.state {
        VoucherState::Assigned | VoucherState::Reserved { .. } | VoucherState::Expired { .. } => {
            vec![Countdown::new(DeadlineKind::VoucherExpires, voucher.expires_on, today)]
        }
        VoucherState::Redeemed { redemption } => {
            vec![Countdown::new(DeadlineKind::PaymentRequestDue, redemption.payment_deadline(timeline), today)]
        }
        VoucherState::Claimed { .. } | VoucherState::Paid { .. } => Vec::new(),
    }
}

/// One offering on an eligibility badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadgeOffering {
    pub offering: OfferingCode,
    pub status: EligibilityStatus,
    pub engagements: Vec<BadgeEngagement>,
}

/// One engagement on an eligibility badge: whether the partner may deliver it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadgeEngagement {
    pub engagement: EngagementId,
    pub eligible: bool,
}

/// What a partner's public badge shows of its eligibility report: the offerings it is enrolled
/// in, each with its status and every engagement marked eligible or not. The findings (which
/// competency expires when, which consultant passed what) stay private.
pub fn badge_offerings(report: &EligibilityReport) -> Vec<BadgeOffering> {
    report
        .offerings
        .iter()
        .filter(|offering| {
            offering
                .checks
                .iter()
                .any(|check| check.met && matches!(check.requirement, Requirement::OfferingEnrollment { .. }))
        })
        .map(|offering| BadgeOffering {
            offering: offering.offering,
            status: offering.status,
            engagements: offering
                .engagements
                .iter()
                .map(|checklist| BadgeEngagement { engagement: checklist.engagement, eligible: checklist.eligible })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::locale::test_support::{assert_bilingual, assert_bilingual_error};

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn origins_are_normalised_like_the_browser_sends_them() {
        let parse = |text: &str| AllowedOrigin::parse(text).map(|origin| origin.as_str().to_owned());
        assert_eq!(parse("https://Intranet.Example/").unwrap(), "https://intranet.example");
        assert_eq!(parse("https://intranet.example:443").unwrap(), "https://intranet.example");
        assert_eq!(parse("https://intranet.example:8443").unwrap(), "https://intranet.example:8443");
        assert_eq!(parse("http://127.0.0.1:18490").unwrap(), "http://127.0.0.1:18490");
        assert_eq!(parse("http://localhost").unwrap(), "http://localhost");
        assert_eq!(parse("http://[::1]:3000").unwrap(), "http://[::1]:3000");
    }

    #[test]
    fn paths_wildcards_plain_http_and_other_schemes_are_refused() {
        for text in [
            "",
            "intranet.example",
            "https://intranet.example/page",
            "https://*.example",
            "*",
            "null",
            "http://intranet.example",
            "ftp://intranet.example",
            "https://intranet.example:0",
            "https://intranet.example:99999",
            "https://-bad.example",
            "https://user@intranet.example",
        ] {
            assert!(AllowedOrigin::parse(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn a_token_names_one_to_ten_distinct_origins() {
        assert_eq!(check_allowed_origins(&[]), Err(EmbedError::NoAllowedOrigins));
        let same = vec!["https://a.example".to_owned(), "https://A.example/".to_owned()];
        assert_eq!(check_allowed_origins(&same).unwrap().len(), 1);
        let many: Vec<String> = (0..11).map(|index| format!("https://site{index}.example")).collect();
        assert_eq!(check_allowed_origins(&many), Err(EmbedError::TooManyOrigins { max: 10 }));
        assert_eq!(check_allowed_origins(&many[..10]).unwrap().len(), 10);
    }

    #[test]
    fn a_token_lives_one_day_to_one_year() {
        assert_eq!(check_token_life(0), Err(EmbedError::LifeOutOfRange { max: 365 }));
        assert_eq!(check_token_life(1), Ok(1));
        assert_eq!(check_token_life(365), Ok(365));
        assert!(check_token_life(366).is_err());
    }

    #[test]
    fn refusals_speak_both_languages() {
        assert_bilingual_error(&EmbedError::TokenRevoked, "This widget's embed token was revoked.");
        assert_bilingual_error(&EmbedError::TokenExpired, "This widget's embed token has expired.");
        assert_bilingual_error(&EmbedError::OriginNotAllowed, "This website may not show this widget.");
        assert_bilingual_error(&EmbedError::TooManyOrigins { max: 10 }, "A token may allow at most 10 origins.");
        assert_bilingual(&WorkflowStep::DeliverAndReport, "Deliver and report");
        assert_bilingual(&StepState::Missed, "not reached: the voucher expired");
    }

    #[test]
    fn countdowns_say_days_left_today_and_passed() {
        let today = date("2021-07-15");
        let countdown = |on: &str| Countdown::new(DeadlineKind::VoucherExpires, date(on), today);
        assert_bilingual(&countdown("2021-07-27"), "12 days left");
        assert_eq!(countdown("2021-07-27").message(Locale::Ko), "12일 남음");
        assert_bilingual(&countdown("2021-07-16"), "1 day left");
        assert_bilingual(&countdown("2021-07-15"), "last day today");
        assert_bilingual(&countdown("2021-07-12"), "passed 3 days ago");
    }

    use crate::voucher::tests::{created, redeemed_on, reported};

    fn assigned() -> Voucher {
        created("2021-01-04", 5)
    }

    fn states(voucher: &Voucher, today: NaiveDate) -> Vec<StepState> {
        voucher_steps(voucher, today).into_iter().map(|progress| progress.state).collect()
    }

    #[test]
    fn the_stepper_follows_the_state_and_marks_missed_steps_after_expiry() {
        use StepState::{Current, Done, Missed, Upcoming};
        let voucher = assigned();
        let today = voucher.assigned_on;
        assert_eq!(states(&voucher, today), [Done, Current, Upcoming, Upcoming, Upcoming]);
        let day_after_expiry = voucher.expires_on.succ_opt().unwrap();
        assert_eq!(states(&voucher, voucher.expires_on), [Done, Current, Upcoming, Upcoming, Upcoming]);
        assert_eq!(states(&voucher, day_after_expiry), [Done, Missed, Missed, Missed, Missed]);
        assert_eq!(states(&reported(), date("2021-02-06")), [Done, Done, Done, Current, Upcoming]);
        let redeemed = redeemed_on("2021-02-10");
        assert_eq!(states(&redeemed, day_after_expiry), [Done, Done, Done, Done, Current]);
    }

    #[test]
    fn the_card_counts_down_to_expiry_then_to_the_payment_deadline() {
        let timeline = ProgramTimeline::published();
        let voucher = assigned();
        let deadlines = voucher_deadlines(&voucher, voucher.assigned_on, &timeline);
        assert_eq!(deadlines.len(), 1);
        assert_eq!(deadlines[0].kind, DeadlineKind::VoucherExpires);
        assert_eq!(deadlines[0].date, timeline.voucher_expiry(voucher.assigned_on));
        assert_eq!(deadlines[0].days_left, 180);
        let redeemed = redeemed_on("2021-02-10");
        let redeemed_on = redeemed.redemption().unwrap().redeemed_on;
        let deadlines = voucher_deadlines(&redeemed, redeemed_on, &timeline);
        assert_eq!(deadlines[0].kind, DeadlineKind::PaymentRequestDue);
        assert_eq!(deadlines[0].days_left, 60);
    }
}
