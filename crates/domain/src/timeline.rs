//! The program's retirement timeline (DOMAIN.md §3) and what it allows on a given date.
//!
//! The milestone dates are configuration: the server loads them from `config/program.toml`
//! and this module only computes. "Last …" dates are inclusive (the action is allowed on that
//! day); "… retired/ends/removed" dates take effect on that day. 2022-01-01 as the last
//! redemption day is inclusive, following the Partner Center wording (DOMAIN.md §3 conflict).
//! All dates are calendar dates in UTC (DOMAIN.md leaves the time zone open; UTC is the choice).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::catalog::DailyRates;
use crate::eligibility::EligibilityPolicy;
use crate::locale::{Locale, Localize};
use crate::parse::CountryCode;

/// The program's configuration: its milestone dates, the two fixed windows, the switches of the
/// older documents' requirements, and the daily rates it pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramTimeline {
    /// Vouchers are managed in Partner Center from this day.
    pub vouchers_in_partner_center: NaiveDate,
    /// No new vouchers for cloud engagements from this day.
    pub cloud_engagements_retired: NaiveDate,
    /// SA training vouchers can no longer be converted into Planning Services days from this day
    /// (the portal has no conversion path; the date is shown on the timeline).
    pub training_voucher_conversion_ends: NaiveDate,
    /// Customers stop accruing Planning Services days from this day.
    pub day_accrual_ends: NaiveDate,
    /// Last day a customer may create and assign a voucher.
    pub last_voucher_creation: NaiveDate,
    /// Unused, unvouchered days are removed from every pool on this day.
    pub unused_days_removed: NaiveDate,
    /// Last day a partner may redeem a voucher.
    pub last_redemption: NaiveDate,
    /// A voucher expires this many days after it is created and assigned.
    pub voucher_life_days: u32,
    /// A payment request must be submitted within this many days after redemption.
    pub payment_window_days: u32,
    /// The requirements of the older program documents, switched on or off (`[eligibility]`).
    pub eligibility: EligibilityPolicy,
    /// What the program pays per delivered day, by delivery country (`[[daily_rates]]`).
    pub daily_rates: DailyRates,
}

impl ProgramTimeline {
    /// The timeline as published in the Partner Center documentation (DOMAIN.md §3).
    pub fn published() -> Self {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date");
        ProgramTimeline {
            vouchers_in_partner_center: date(2019, 3, 31),
            cloud_engagements_retired: date(2020, 2, 1),
            training_voucher_conversion_ends: date(2020, 2, 1),
            day_accrual_ends: date(2021, 2, 1),
            last_voucher_creation: date(2021, 6, 30),
            unused_days_removed: date(2021, 7, 1),
            last_redemption: date(2022, 1, 1),
            voucher_life_days: 180,
            payment_window_days: 60,
            eligibility: EligibilityPolicy::published(),
            // The documents publish no rate table (DOMAIN.md §11.2): the server's configuration
            // holds one.
            daily_rates: DailyRates::default(),
        }
    }

    /// Checks that the configured dates are in the order the rules assume.
    pub fn validate(&self) -> Result<(), TimelineError> {
        if self.voucher_life_days == 0 {
            return Err(TimelineError::ZeroVoucherLife);
        }
        if self.payment_window_days == 0 {
            return Err(TimelineError::ZeroPaymentWindow);
        }
        self.daily_rates.validate()?;
        let ordered = [
            (MilestoneKind::VouchersInPartnerCenter, self.vouchers_in_partner_center),
            (MilestoneKind::CloudEngagementsRetired, self.cloud_engagements_retired),
            (MilestoneKind::DayAccrualEnds, self.day_accrual_ends),
            (MilestoneKind::LastVoucherCreation, self.last_voucher_creation),
            (MilestoneKind::UnusedDaysRemoved, self.unused_days_removed),
            (MilestoneKind::LastRedemption, self.last_redemption),
        ];
        // The training-voucher date shares its day with the cloud retirement in the published
        // timeline, so it is ordered only against the milestones around both.
        let training = [
            (MilestoneKind::VouchersInPartnerCenter, self.vouchers_in_partner_center),
            (MilestoneKind::TrainingVoucherConversionEnds, self.training_voucher_conversion_ends),
            (MilestoneKind::DayAccrualEnds, self.day_accrual_ends),
        ];
        for pair in ordered.windows(2).chain(training.windows(2)) {
            let ((earlier, earlier_date), (later, later_date)) = (pair[0], pair[1]);
            if later_date <= earlier_date {
                return Err(TimelineError::OutOfOrder { earlier, later });
            }
        }
        Ok(())
    }

    /// The last day any payment request may be submitted: the last redemption day plus the window.
    pub fn last_payment_request(&self) -> NaiveDate {
        add_days(self.last_redemption, self.payment_window_days)
    }

    /// The expiry date of a voucher created and assigned on `assigned_on` (inclusive: the voucher
    /// is still usable on that day).
    pub fn voucher_expiry(&self, assigned_on: NaiveDate) -> NaiveDate {
        add_days(assigned_on, self.voucher_life_days)
    }

    /// Every milestone in date order (same-day milestones in the order listed here), including
    /// the derived last payment-request day.
    pub fn milestones(&self) -> Vec<Milestone> {
        let mut milestones = vec![
            Milestone { kind: MilestoneKind::VouchersInPartnerCenter, date: self.vouchers_in_partner_center },
            Milestone { kind: MilestoneKind::CloudEngagementsRetired, date: self.cloud_engagements_retired },
            Milestone {
                kind: MilestoneKind::TrainingVoucherConversionEnds,
                date: self.training_voucher_conversion_ends,
            },
            Milestone { kind: MilestoneKind::DayAccrualEnds, date: self.day_accrual_ends },
            Milestone { kind: MilestoneKind::LastVoucherCreation, date: self.last_voucher_creation },
            Milestone { kind: MilestoneKind::UnusedDaysRemoved, date: self.unused_days_removed },
            Milestone { kind: MilestoneKind::LastRedemption, date: self.last_redemption },
            Milestone { kind: MilestoneKind::LastPaymentRequest, date: self.last_payment_request() },
        ];
        milestones.sort_by_key(|milestone| milestone.date);
        milestones
    }

    /// The last day on which `action` is allowed.
    pub fn last_day(&self, action: ProgramAction) -> NaiveDate {
        match action {
            ProgramAction::AccrueDays => self.day_accrual_ends.pred_opt().unwrap_or(self.day_accrual_ends),
            ProgramAction::CreateVoucher => self.last_voucher_creation,
            ProgramAction::CreateCloudVoucher => {
                let day_before_retirement =
                    self.cloud_engagements_retired.pred_opt().unwrap_or(self.cloud_engagements_retired);
                day_before_retirement.min(self.last_voucher_creation)
            }
            ProgramAction::ReserveVoucher => self.voucher_expiry(self.last_voucher_creation).min(self.last_redemption),
            ProgramAction::RedeemVoucher => self.last_redemption,
            ProgramAction::RequestPayment => self.last_payment_request(),
        }
    }

    /// Whether `action` is allowed on `today` as far as the program timeline is concerned.
    pub fn is_open(&self, action: ProgramAction, today: NaiveDate) -> bool {
        today <= self.last_day(action)
    }

    /// What the program allows on `today`, and what comes next.
    pub fn status_on(&self, today: NaiveDate) -> ProgramStatus {
        let actions = ProgramAction::ALL
            .iter()
            .map(|&action| ActionStatus { action, open: self.is_open(action, today), last_day: self.last_day(action) })
            .collect();
        let milestones = self.milestones();
        let next_deadline = milestones.iter().find(|milestone| milestone.is_ahead_of(today)).map(|milestone| {
            Deadline { kind: milestone.kind, date: milestone.date, days_left: (milestone.date - today).num_days() }
        });
        ProgramStatus { today, milestones, actions, next_deadline }
    }
}

fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

/// A named program date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Milestone {
    pub kind: MilestoneKind,
    pub date: NaiveDate,
}

impl Milestone {
    /// Whether the milestone still lies ahead on `today`: a "last day" milestone is ahead up to
    /// and including its date, an "effective from" milestone only before its date.
    pub fn is_ahead_of(&self, today: NaiveDate) -> bool {
        if self.kind.is_last_day() {
            self.date >= today
        } else {
            self.date > today
        }
    }
}

/// The milestones of DOMAIN.md §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    VouchersInPartnerCenter,
    CloudEngagementsRetired,
    TrainingVoucherConversionEnds,
    DayAccrualEnds,
    LastVoucherCreation,
    UnusedDaysRemoved,
    LastRedemption,
    LastPaymentRequest,
}

impl MilestoneKind {
    /// "Last day" milestones allow their action on the date itself.
    pub fn is_last_day(self) -> bool {
        matches!(
            self,
            MilestoneKind::LastVoucherCreation | MilestoneKind::LastRedemption | MilestoneKind::LastPaymentRequest
        )
    }
}

impl Localize for MilestoneKind {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            MilestoneKind::VouchersInPartnerCenter => {
                ("Vouchers managed in Partner Center", "파트너 센터에서 바우처 관리 시작")
            }
            MilestoneKind::CloudEngagementsRetired => ("Cloud engagements retired", "클라우드 참여 유형 종료"),
            MilestoneKind::TrainingVoucherConversionEnds => (
                "SA training vouchers no longer convert into planning days",
                "SA 교육 바우처의 계획 서비스 일수 전환 종료",
            ),
            MilestoneKind::DayAccrualEnds => ("Planning days stop accruing", "계획 서비스 일수 적립 종료"),
            MilestoneKind::LastVoucherCreation => {
                ("Last day to create and assign vouchers", "바우처 생성 및 할당 마감일")
            }
            MilestoneKind::UnusedDaysRemoved => ("Unused days removed from pools", "미사용 일수 소멸"),
            MilestoneKind::LastRedemption => ("Last day to redeem vouchers", "바우처 상환 마감일"),
            MilestoneKind::LastPaymentRequest => ("Last day to request payment", "대금 청구 마감일"),
        };
        match locale {
            Locale::En => en.to_owned(),
            Locale::Ko => ko.to_owned(),
        }
    }
}

/// The actions the timeline opens and closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgramAction {
    AccrueDays,
    CreateVoucher,
    CreateCloudVoucher,
    ReserveVoucher,
    RedeemVoucher,
    RequestPayment,
}

impl ProgramAction {
    pub const ALL: [ProgramAction; 6] = [
        ProgramAction::AccrueDays,
        ProgramAction::CreateVoucher,
        ProgramAction::CreateCloudVoucher,
        ProgramAction::ReserveVoucher,
        ProgramAction::RedeemVoucher,
        ProgramAction::RequestPayment,
    ];
}

impl Localize for ProgramAction {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            ProgramAction::AccrueDays => ("Customers accrue planning days", "고객 계획 서비스 일수 적립"),
            ProgramAction::CreateVoucher => ("Create and assign vouchers", "바우처 생성 및 할당"),
            ProgramAction::CreateCloudVoucher => ("Create vouchers for cloud engagements", "클라우드 참여 바우처 생성"),
            ProgramAction::ReserveVoucher => ("Reserve vouchers", "바우처 예약"),
            ProgramAction::RedeemVoucher => ("Redeem vouchers", "바우처 상환"),
            ProgramAction::RequestPayment => ("Request payment", "대금 청구"),
        };
        match locale {
            Locale::En => en.to_owned(),
            Locale::Ko => ko.to_owned(),
        }
    }
}

/// Whether one action is open on the status date, and its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionStatus {
    pub action: ProgramAction,
    pub open: bool,
    pub last_day: NaiveDate,
}

/// The next milestone ahead of the status date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    pub kind: MilestoneKind,
    pub date: NaiveDate,
    pub days_left: i64,
}

/// The program as seen on one date: the body of `GET /api/v1/program`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramStatus {
    pub today: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub actions: Vec<ActionStatus>,
    pub next_deadline: Option<Deadline>,
}

impl ProgramStatus {
    pub fn is_open(&self, action: ProgramAction) -> bool {
        self.actions.iter().any(|status| status.action == action && status.open)
    }
}

/// A program timeline configuration that the rules cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineError {
    #[error("{}", self.message(Locale::En))]
    OutOfOrder { earlier: MilestoneKind, later: MilestoneKind },
    #[error("{}", self.message(Locale::En))]
    ZeroVoucherLife,
    #[error("{}", self.message(Locale::En))]
    ZeroPaymentWindow,
    #[error("{}", self.message(Locale::En))]
    RateNotPositive { country: CountryCode },
    #[error("{}", self.message(Locale::En))]
    DuplicateRate { country: CountryCode },
}

impl Localize for TimelineError {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (TimelineError::OutOfOrder { earlier, later }, Locale::En) => format!(
                "The program timeline is out of order: \"{}\" must come after \"{}\"",
                later.message(locale),
                earlier.message(locale)
            ),
            (TimelineError::OutOfOrder { earlier, later }, Locale::Ko) => format!(
                "프로그램 일정의 순서가 잘못되었습니다: \"{}\"은(는) \"{}\" 이후여야 합니다",
                later.message(locale),
                earlier.message(locale)
            ),
            (TimelineError::ZeroVoucherLife, Locale::En) => "The voucher life must be at least one day".to_owned(),
            (TimelineError::ZeroVoucherLife, Locale::Ko) => "바우처 유효 기간은 1일 이상이어야 합니다".to_owned(),
            (TimelineError::ZeroPaymentWindow, Locale::En) => "The payment window must be at least one day".to_owned(),
            (TimelineError::ZeroPaymentWindow, Locale::Ko) => "대금 청구 기간은 1일 이상이어야 합니다".to_owned(),
            (TimelineError::RateNotPositive { country }, Locale::En) => {
                format!("The daily rate of {} must be above zero", country.as_str())
            }
            (TimelineError::RateNotPositive { country }, Locale::Ko) => {
                format!("{}의 일일 요율은 0보다 커야 합니다", country.as_str())
            }
            (TimelineError::DuplicateRate { country }, Locale::En) => {
                format!("The daily rates list {} twice", country.as_str())
            }
            (TimelineError::DuplicateRate { country }, Locale::Ko) => {
                format!("일일 요율 목록에 {}이(가) 두 번 있습니다", country.as_str())
            }
        }
    }
}

/// A timeline for the rules' tests: the published milestones with a small rate table (the
/// documents publish none).
#[cfg(test)]
pub(crate) fn test_timeline() -> ProgramTimeline {
    use crate::catalog::{Currency, DailyRate};
    let rate = |country, currency, minor_units_per_day| DailyRate {
        country: CountryCode::parse(country).unwrap(),
        currency,
        minor_units_per_day,
    };
    ProgramTimeline {
        daily_rates: DailyRates(vec![
            rate("KR", Currency::Krw, 1_300_000),
            rate("US", Currency::Usd, 110_000),
            rate("JP", Currency::Jpy, 130_000),
        ]),
        ..ProgramTimeline::published()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_published_timeline_is_valid() {
        assert_eq!(ProgramTimeline::published().validate(), Ok(()));
    }

    #[test]
    fn voucher_creation_closes_after_2021_06_30() {
        let timeline = ProgramTimeline::published();
        assert!(timeline.is_open(ProgramAction::CreateVoucher, date("2021-06-30")));
        assert!(!timeline.is_open(ProgramAction::CreateVoucher, date("2021-07-01")));
    }

    #[test]
    fn redemption_is_open_through_2022_01_01_inclusive() {
        let timeline = ProgramTimeline::published();
        assert!(timeline.is_open(ProgramAction::RedeemVoucher, date("2022-01-01")));
        assert!(!timeline.is_open(ProgramAction::RedeemVoucher, date("2022-01-02")));
    }

    #[test]
    fn payment_requests_close_sixty_days_after_the_last_redemption_day() {
        let timeline = ProgramTimeline::published();
        assert_eq!(timeline.last_payment_request(), date("2022-03-02"));
        assert!(timeline.is_open(ProgramAction::RequestPayment, date("2022-03-02")));
        assert!(!timeline.is_open(ProgramAction::RequestPayment, date("2022-03-03")));
    }

    #[test]
    fn cloud_vouchers_close_the_day_cloud_engagements_retire() {
        let timeline = ProgramTimeline::published();
        assert!(timeline.is_open(ProgramAction::CreateCloudVoucher, date("2020-01-31")));
        assert!(!timeline.is_open(ProgramAction::CreateCloudVoucher, date("2020-02-01")));
    }

    #[test]
    fn a_voucher_created_on_the_last_day_expires_on_2021_12_27() {
        let timeline = ProgramTimeline::published();
        assert_eq!(timeline.voucher_expiry(date("2021-06-30")), date("2021-12-27"));
        assert_eq!(timeline.last_day(ProgramAction::ReserveVoucher), date("2021-12-27"));
    }

    #[test]
    fn status_on_2021_07_15_has_creation_closed_and_redemption_open() {
        let status = ProgramTimeline::published().status_on(date("2021-07-15"));
        assert!(!status.is_open(ProgramAction::CreateVoucher));
        assert!(status.is_open(ProgramAction::RedeemVoucher));
        let next = status.next_deadline.unwrap();
        assert_eq!(next.kind, MilestoneKind::LastRedemption);
        assert_eq!(next.days_left, 170);
    }

    #[test]
    fn on_the_last_creation_day_it_is_still_the_next_deadline() {
        let status = ProgramTimeline::published().status_on(date("2021-06-30"));
        let next = status.next_deadline.unwrap();
        assert_eq!((next.kind, next.days_left), (MilestoneKind::LastVoucherCreation, 0));
    }

    #[test]
    fn after_the_last_payment_day_nothing_is_open_and_no_deadline_remains() {
        let status = ProgramTimeline::published().status_on(date("2022-03-03"));
        assert!(status.actions.iter().all(|action| !action.open));
        assert_eq!(status.next_deadline, None);
    }

    #[test]
    fn an_out_of_order_timeline_is_refused_with_both_names() {
        let mut timeline = ProgramTimeline::published();
        timeline.last_redemption = date("2021-01-01");
        let error = timeline.validate().unwrap_err();
        assert_eq!(
            error,
            TimelineError::OutOfOrder {
                earlier: MilestoneKind::UnusedDaysRemoved,
                later: MilestoneKind::LastRedemption
            }
        );
        assert_eq!(
            error.to_string(),
            "The program timeline is out of order: \"Last day to redeem vouchers\" must come after \
             \"Unused days removed from pools\""
        );
        assert!(error.message(Locale::Ko).contains("바우처 상환 마감일"));
    }

    #[test]
    fn the_training_voucher_conversion_ends_on_2020_02_01_after_the_cloud_retirement() {
        let timeline = ProgramTimeline::published();
        let kinds: Vec<MilestoneKind> = timeline.milestones().iter().map(|milestone| milestone.kind).collect();
        let position = kinds.iter().position(|kind| *kind == MilestoneKind::TrainingVoucherConversionEnds).unwrap();
        assert_eq!(timeline.milestones()[position].date, date("2020-02-01"));
        assert_eq!(kinds[position - 1], MilestoneKind::CloudEngagementsRetired);
        assert_eq!(kinds[position + 1], MilestoneKind::DayAccrualEnds);
        assert_eq!(kinds.len(), 8);
        // It takes effect on its day: ahead on 2020-01-31, passed on 2020-02-01.
        let milestone = timeline.milestones()[position];
        assert!(milestone.is_ahead_of(date("2020-01-31")));
        assert!(!milestone.is_ahead_of(date("2020-02-01")));
        assert_eq!(
            MilestoneKind::TrainingVoucherConversionEnds.message(Locale::En),
            "SA training vouchers no longer convert into planning days"
        );
        assert_eq!(
            MilestoneKind::TrainingVoucherConversionEnds.message(Locale::Ko),
            "SA 교육 바우처의 계획 서비스 일수 전환 종료"
        );
        // Configured out of order, it is refused with both names.
        let mut late = timeline.clone();
        late.training_voucher_conversion_ends = date("2021-03-01");
        assert_eq!(
            late.validate(),
            Err(TimelineError::OutOfOrder {
                earlier: MilestoneKind::TrainingVoucherConversionEnds,
                later: MilestoneKind::DayAccrualEnds
            })
        );
    }

    #[test]
    fn zero_length_windows_are_refused() {
        let mut timeline = ProgramTimeline::published();
        timeline.voucher_life_days = 0;
        assert_eq!(timeline.validate(), Err(TimelineError::ZeroVoucherLife));
    }
}
