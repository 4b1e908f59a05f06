//! The voucher lifecycle (DOMAIN.md §8, §14): Assigned → Reserved (→ Assigned on cancel) →
//! Redeemed → Claimed → Paid, and Expired; with the customer's day pool.
//!
//! Every transition is a pure function of (voucher, actor, date, inputs) that returns the new
//! voucher and the events it caused, or a typed [`VoucherError`]; the server stores the result in
//! one conditional write and sends the customer emails for `Created` and `Reserved` events.
//! Rules, with the boundaries the tests pin:
//! - Life: usable through `ProgramTimeline::voucher_expiry(assigned_on)` (day 180 after
//!   assignment); expired from the day after (day 181).
//! - Create only through `last_voucher_creation`; cloud types only before
//!   `cloud_engagements_retired`; never longer than the longest engagement of the offering
//!   (`check_service_level_usable`: such days would be stranded); days leave the pool at creation.
//! - Reserve strictly before the engagement starts, under a location in the delivery country, by
//!   a partner eligible for the engagement on the reservation day; the schedule must end by the
//!   expiry date. Cancel returns the voucher to `Assigned` with its expiry unchanged.
//! - Redeem only with a completion report carrying a deliverable, through the expiry date and
//!   through `last_redemption`. Claim (include in a submitted payment request) within the payment
//!   window: redemption day + 60 is the last day.
//! - Expiry returns the days to the pool only if the enrollment is still active on the day the
//!   voucher expires and that day is before `unused_days_removed`. From that day the pool reads as
//!   empty and its history shows the removal as its own entry (`DayPool::history_on`).
//! - Repeat limit (§6.3): two 15-day engagements of one kind by one partner for one customer are a
//!   repeat unless either declares an exception (`repeat_limit_conflict`, the same at reservation
//!   and at the operator's review, whichever was reserved first).
//!
//! Choices where DOMAIN.md is open: the engagement is chosen at reservation (the customer picks
//! only the offering and service level); the service level must not exceed the engagement's
//! maximum; a reschedule may not move the start to today or earlier and is refused once the
//! completion report is in; at most 3 of the delivered days may be off-site (§7); the COVID
//! +90-day extension is not applied at creation (it only concerns vouchers created before
//! 2020-04-01, which historical imports carry in `expires_on`). A voucher is `Claimed` only once
//! its payment request is submitted; a rejected request releases it back to `Redeemed`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::actor::{Action, Actor, Role};
use crate::api::vouchers::{PoolChange, PoolEntry};
use crate::catalog::{largest_usable_days, pick, Engagement, EngagementId, OfferingCode, ServiceLevel, ENGAGEMENTS};
use crate::eligibility::{check_delivery, consultant_check, EligibilityPolicy, Finding, PartnerProfile, Requirement};
use crate::locale::{Locale, Localize};
use crate::parse::{format_date, format_deadline, CountryCode, EmailAddress, LocationId, VoucherId};
use crate::timeline::{ProgramAction, ProgramTimeline};

/// The most days of a delivery that may take place off-site (DOMAIN.md §7).
pub const MAX_OFFSITE_DAYS: u8 = 3;

/// A customer enrollment's Planning Services days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayPool {
    pub enrollment_id: String,
    pub benefit_activated: bool,
    pub remaining_days: u32,
    /// The last day the licensing enrollment is active.
    pub enrollment_ends_on: NaiveDate,
}

impl DayPool {
    /// The days available on `today`: none from the day unused days are removed.
    pub fn remaining_on(&self, today: NaiveDate, timeline: &ProgramTimeline) -> u32 {
        if today >= timeline.unused_days_removed {
            0
        } else {
            self.remaining_days
        }
    }

    pub fn enrollment_active_on(&self, day: NaiveDate) -> bool {
        day <= self.enrollment_ends_on
    }

    /// The pool's history as read on `today`: the `stored` changes (in date order) and, from the
    /// day unused days are removed, that removal as its own entry on its date taking every day the
    /// pool still held. The stored count is never written down to zero ([`Self::remaining_on`]
    /// reads it as none from that day), so the history says where the days went, and its changes
    /// add up to what the customer sees.
    pub fn history_on(&self, stored: Vec<PoolEntry>, today: NaiveDate, timeline: &ProgramTimeline) -> Vec<PoolEntry> {
        let removed_on = timeline.unused_days_removed;
        let mut history = stored;
        let removed = i32::try_from(self.remaining_days).unwrap_or(i32::MAX);
        if today >= removed_on && removed > 0 {
            let position = history.partition_point(|entry| entry.on_date <= removed_on);
            let entry = PoolEntry {
                on_date: removed_on,
                change_days: -removed,
                reason: PoolChange::UnusedDaysRemoved,
                voucher_id: None,
            };
            history.insert(position, entry);
        }
        history
    }
}

/// The customer benefit administrator activates Planning Services on an enrollment (VLSC):
/// possible while the licensing enrollment is active. Activating an active benefit again is
/// harmless and keeps the first activation date.
pub fn check_benefit_activation(enrollment_ends_on: NaiveDate, today: NaiveDate) -> Result<(), VoucherError> {
    if today > enrollment_ends_on {
        Err(VoucherError::EnrollmentEnded { ended_on: enrollment_ends_on })
    } else {
        Ok(())
    }
}

/// What the customer chooses when creating and assigning a voucher in VLSC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVoucher {
    pub voucher_id: VoucherId,
    pub customer_id: String,
    pub offering: OfferingCode,
    pub service_level: ServiceLevel,
    /// The customer project manager the voucher is assigned to.
    pub assignee_email: EmailAddress,
}

/// A voucher and where it is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Voucher {
    pub id: VoucherId,
    pub customer_id: String,
    pub enrollment_id: String,
    pub offering: OfferingCode,
    pub service_level: ServiceLevel,
    pub assignee_email: EmailAddress,
    pub assigned_on: NaiveDate,
    /// The last day the voucher can be reserved, delivered and redeemed.
    pub expires_on: NaiveDate,
    pub state: VoucherState,
}

/// The state with the data that exists only in that state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherState {
    Assigned,
    Reserved {
        reservation: Reservation,
        completion_report: Option<CompletionReport>,
    },
    Redeemed {
        redemption: Redemption,
    },
    Claimed {
        redemption: Redemption,
        payment_request_id: String,
        /// The day the request that claims it was submitted: the payment clock stops then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        claimed_on: Option<NaiveDate>,
    },
    Paid {
        redemption: Redemption,
        payment_request_id: String,
        paid_on: NaiveDate,
    },
    Expired {
        expired_on: NaiveDate,
        days_returned: u8,
    },
}

/// A state name, for lists, filters and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherStatus {
    Assigned,
    Reserved,
    Redeemed,
    Claimed,
    Paid,
    Expired,
}

impl Localize for VoucherStatus {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            VoucherStatus::Assigned => ("Assigned", "할당됨"),
            VoucherStatus::Reserved => ("Reserved", "예약됨"),
            VoucherStatus::Redeemed => ("Redeemed", "상환됨"),
            VoucherStatus::Claimed => ("Claimed", "청구됨"),
            VoucherStatus::Paid => ("Paid", "지급됨"),
            VoucherStatus::Expired => ("Expired", "만료됨"),
        };
        pick(locale, en, ko)
    }
}

/// Why a second 15-day engagement of the same type for the same customer is allowed (§6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RepeatException {
    DifferentDivisionOrLegalEntity,
    DifferentProducts,
}

/// A partner's reservation of a voucher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reservation {
    pub partner_id: String,
    pub location_id: LocationId,
    pub delivery_country: CountryCode,
    pub engagement: EngagementId,
    pub consultant_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reserved_on: NaiveDate,
    pub repeat_exception: Option<RepeatException>,
}

/// What the MPN Partner Admin enters to validate and reserve a voucher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReservationRequest {
    /// The email of the customer contact the voucher was assigned to.
    pub voucher_admin_email: EmailAddress,
    pub engagement: EngagementId,
    pub location_id: LocationId,
    pub delivery_country: CountryCode,
    pub consultant_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub repeat_exception: Option<RepeatException>,
}

/// What the reservation rules need besides the voucher.
#[derive(Debug, Clone, Copy)]
pub struct ReservationContext<'a> {
    pub partner: &'a PartnerProfile,
    pub policy: &'a EligibilityPolicy,
    /// Engagements already reserved or delivered (for the repeat limit).
    pub history: &'a [EngagementRecord],
    pub timeline: &'a ProgramTimeline,
}

/// The completion report as submitted (DOMAIN.md §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletionReport {
    pub submitted_on: NaiveDate,
    pub consultant_id: String,
    pub delivered_from: NaiveDate,
    pub delivered_through: NaiveDate,
    pub days_delivered: u8,
    pub offsite_days: u8,
    /// The stored customer deliverables, one or more (DOMAIN.md §6 "deliverable(s)"). Reports
    /// stored before several were allowed carry one `deliverable_document_id`, read as a list.
    #[serde(alias = "deliverable_document_id", deserialize_with = "one_or_many")]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
    pub deliverable_document_ids: Vec<String>,
}

/// The most deliverables one completion report may carry.
pub const MAX_DELIVERABLES: usize = 10;

/// Reads a list of document ids, or the single id of a report stored before lists.
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct OneOrMany;
    impl<'de> serde::de::Visitor<'de> for OneOrMany {
        type Value = Vec<String>;
        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a document id or a list of them")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Vec<String>, E> {
            Ok(vec![value.to_owned()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut ids = Vec::new();
            while let Some(id) = seq.next_element()? {
                ids.push(id);
            }
            Ok(ids)
        }
    }
    deserializer.deserialize_any(OneOrMany)
}

/// The completion report form as filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletionReportInput {
    pub consultant_id: String,
    pub delivered_from: NaiveDate,
    pub delivered_through: NaiveDate,
    pub days_delivered: u8,
    pub offsite_days: u8,
    /// The deliverables uploaded for the report (checked to be this partner's by the server).
    pub deliverable_document_ids: Vec<String>,
}

/// Everything known once a voucher is redeemed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redemption {
    pub reservation: Reservation,
    pub completion_report: CompletionReport,
    pub redeemed_on: NaiveDate,
    /// The last day to request payment once Microsoft rejected a request that included the
    /// voucher (see [`payment_deadline_after_rejection`]); before any rejection the deadline is
    /// the redemption day plus the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_after_rejection: Option<NaiveDate>,
}

impl Redemption {
    /// The last day a payment request may include this voucher (inclusive, end of day UTC).
    pub fn payment_deadline(&self, timeline: &ProgramTimeline) -> NaiveDate {
        self.deadline_after_rejection.unwrap_or_else(|| payment_deadline(self.redeemed_on, timeline))
    }
}

/// The fewest days a partner has to send a new request after Microsoft rejects one.
pub const MIN_DAYS_AFTER_REJECTION: u32 = 14;

/// The new last day to request payment for a voucher whose request, submitted on `submitted_on`
/// while the voucher's last day was `deadline`, Microsoft rejected on `rejected_on`. The 60-day
/// clock stops while a request is with Microsoft (submitted or on hold): the partner gets back
/// the days that were left on submission, and at least [`MIN_DAYS_AFTER_REJECTION`], so a late
/// rejection never costs the payment.
pub fn payment_deadline_after_rejection(
    deadline: NaiveDate,
    submitted_on: NaiveDate,
    rejected_on: NaiveDate,
) -> NaiveDate {
    let days_left = u64::from(payment_days_kept(deadline, submitted_on));
    rejected_on + chrono::Days::new(days_left.max(u64::from(MIN_DAYS_AFTER_REJECTION)))
}

/// The payment days a voucher keeps while its clock stands still since `stopped_on` (the
/// request's submission): the days from then to its last day, none once that had passed.
pub fn payment_days_kept(deadline: NaiveDate, stopped_on: NaiveDate) -> u32 {
    u32::try_from((deadline - stopped_on).num_days()).unwrap_or(0)
}

/// The last day a payment request may be made for a voucher redeemed on `redeemed_on`.
pub fn payment_deadline(redeemed_on: NaiveDate, timeline: &ProgramTimeline) -> NaiveDate {
    redeemed_on + chrono::Days::new(u64::from(timeline.payment_window_days))
}

/// An engagement a partner reserved or delivered for a customer, for the repeat limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EngagementRecord {
    pub voucher_id: VoucherId,
    pub partner_id: String,
    pub customer_id: String,
    pub engagement: EngagementId,
    pub service_level: ServiceLevel,
    /// The exception the partner declared when reserving it: a record that declares one is no
    /// repeat of any other engagement, and no other is a repeat of it.
    pub repeat_exception: Option<RepeatException>,
}

impl EngagementRecord {
    /// The record of a voucher that holds a reservation or was redeemed.
    pub fn of(voucher: &Voucher) -> Option<EngagementRecord> {
        let reservation = voucher.reservation()?;
        Some(EngagementRecord {
            voucher_id: voucher.id.clone(),
            partner_id: reservation.partner_id.clone(),
            customer_id: voucher.customer_id.clone(),
            engagement: reservation.engagement,
            service_level: voucher.service_level,
            repeat_exception: reservation.repeat_exception,
        })
    }
}

/// The one service level the repeat limit applies to (DOMAIN.md §6.3): a partner may deliver one
/// 15-day engagement of each kind per customer. The history it compares is only this partner's
/// vouchers of this level for the customer (`repeat_limit_conflict`), which is all a caller
/// needs to load.
pub const REPEAT_LIMITED_LEVEL: ServiceLevel = ServiceLevel::FIFTEEN_DAYS;

/// The other engagement that a 15-day `engagement` by `partner_id` for the voucher's customer
/// repeats (DOMAIN.md §6.3, §14.11). Two 15-day engagements of the same kind by the same partner
/// for the same customer are a repeat unless either of them declares an exception (the later one
/// declares it against the earlier), so `exception` (the voucher's own) and every record that
/// declares one are no repeat. The same answer at reservation and at the operator's review, in
/// whichever order the two were reserved.
pub fn repeat_limit_conflict<'a>(
    history: &'a [EngagementRecord],
    voucher: &Voucher,
    partner_id: &str,
    engagement: EngagementId,
    exception: Option<RepeatException>,
) -> Option<&'a EngagementRecord> {
    if voucher.service_level != REPEAT_LIMITED_LEVEL || exception.is_some() {
        return None;
    }
    history.iter().find(|record| {
        record.voucher_id != voucher.id
            && record.partner_id == partner_id
            && record.customer_id == voucher.customer_id
            && record.engagement == engagement
            && record.service_level == REPEAT_LIMITED_LEVEL
            && record.repeat_exception.is_none()
    })
}

impl Voucher {
    pub fn status(&self) -> VoucherStatus {
        match self.state {
            VoucherState::Assigned => VoucherStatus::Assigned,
            VoucherState::Reserved { .. } => VoucherStatus::Reserved,
            VoucherState::Redeemed { .. } => VoucherStatus::Redeemed,
            VoucherState::Claimed { .. } => VoucherStatus::Claimed,
            VoucherState::Paid { .. } => VoucherStatus::Paid,
            VoucherState::Expired { .. } => VoucherStatus::Expired,
        }
    }

    /// The status a person should see on `today`: an unredeemed voucher past its expiry date shows
    /// as expired even before [`expire_voucher`] has been applied.
    pub fn status_on(&self, today: NaiveDate) -> VoucherStatus {
        match self.status() {
            VoucherStatus::Assigned | VoucherStatus::Reserved if self.is_past_expiry(today) => VoucherStatus::Expired,
            status => status,
        }
    }

    /// Day 180 after assignment is the last valid day; day 181 is past expiry.
    pub fn is_past_expiry(&self, today: NaiveDate) -> bool {
        today > self.expires_on
    }

    pub fn reservation(&self) -> Option<&Reservation> {
        match &self.state {
            VoucherState::Reserved { reservation, .. } => Some(reservation),
            VoucherState::Redeemed { redemption }
            | VoucherState::Claimed { redemption, .. }
            | VoucherState::Paid { redemption, .. } => Some(&redemption.reservation),
            VoucherState::Assigned | VoucherState::Expired { .. } => None,
        }
    }

    pub fn redemption(&self) -> Option<&Redemption> {
        match &self.state {
            VoucherState::Redeemed { redemption }
            | VoucherState::Claimed { redemption, .. }
            | VoucherState::Paid { redemption, .. } => Some(redemption),
            _ => None,
        }
    }

    /// The completion report, once filed (it stays with the voucher after redemption).
    pub fn completion_report(&self) -> Option<&CompletionReport> {
        match &self.state {
            VoucherState::Reserved { completion_report, .. } => completion_report.as_ref(),
            VoucherState::Redeemed { redemption }
            | VoucherState::Claimed { redemption, .. }
            | VoucherState::Paid { redemption, .. } => Some(&redemption.completion_report),
            VoucherState::Assigned | VoucherState::Expired { .. } => None,
        }
    }

    fn with_state(&self, state: VoucherState) -> Voucher {
        Voucher { state, ..self.clone() }
    }
}

/// What happened, for the audit log and the customer emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherEvent {
    Created {
        voucher_id: VoucherId,
        days_deducted: u8,
        expires_on: NaiveDate,
    },
    Reserved {
        voucher_id: VoucherId,
        partner_id: String,
        engagement: EngagementId,
        starts_on: NaiveDate,
    },
    Rescheduled {
        voucher_id: VoucherId,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    },
    ReservationCancelled {
        voucher_id: VoucherId,
        partner_id: String,
    },
    CompletionReportSubmitted {
        voucher_id: VoucherId,
    },
    Redeemed {
        voucher_id: VoucherId,
        payment_deadline: NaiveDate,
    },
    Claimed {
        voucher_id: VoucherId,
        payment_request_id: String,
    },
    ClaimReleased {
        voucher_id: VoucherId,
        payment_request_id: String,
        /// The new last day to request payment (absent from events recorded before the rule).
        #[serde(default)]
        payment_deadline: Option<NaiveDate>,
    },
    Paid {
        voucher_id: VoucherId,
        payment_request_id: String,
    },
    Expired {
        voucher_id: VoucherId,
        days_returned: u8,
    },
}

impl Localize for VoucherEvent {
    fn message(&self, locale: Locale) -> String {
        let date = |date: &NaiveDate| format_date(*date, locale);
        let last_day = |date: &NaiveDate| format_deadline(*date, locale);
        let en = locale == Locale::En;
        match self {
            VoucherEvent::Created { voucher_id, days_deducted, expires_on } => {
                if en {
                    format!(
                        "Voucher {voucher_id} was created and assigned: {days_deducted} days, usable through {}. \
                         Send the voucher number to the partner you choose.",
                        last_day(expires_on)
                    )
                } else {
                    format!(
                        "바우처 {voucher_id}이(가) 생성되어 할당되었습니다: {days_deducted}일, {}까지 사용할 수 있습니다. \
                         선택한 파트너에게 바우처 번호를 보내세요.",
                        last_day(expires_on)
                    )
                }
            }
            VoucherEvent::Reserved { voucher_id, engagement, starts_on, .. } => {
                if en {
                    format!(
                        "Voucher {voucher_id} was reserved for {} starting {}.",
                        engagement.message(locale),
                        date(starts_on)
                    )
                } else {
                    format!(
                        "바우처 {voucher_id}이(가) {} 참여로 예약되었습니다(시작일 {}).",
                        engagement.message(locale),
                        date(starts_on)
                    )
                }
            }
            VoucherEvent::Rescheduled { voucher_id, starts_on, ends_on } => {
                if en {
                    format!("The engagement of voucher {voucher_id} now runs {} to {}.", date(starts_on), date(ends_on))
                } else {
                    format!(
                        "바우처 {voucher_id}의 참여 일정이 {}부터 {}까지로 변경되었습니다.",
                        date(starts_on),
                        date(ends_on)
                    )
                }
            }
            VoucherEvent::ReservationCancelled { voucher_id, .. } => pick(
                locale,
                &format!("The reservation of voucher {voucher_id} was cancelled; it can be reserved again."),
                &format!("바우처 {voucher_id}의 예약이 취소되었습니다. 다시 예약할 수 있습니다."),
            ),
            VoucherEvent::CompletionReportSubmitted { voucher_id } => pick(
                locale,
                &format!("The completion report of voucher {voucher_id} was filed with the deliverable."),
                &format!("바우처 {voucher_id}의 완료 보고서가 결과물과 함께 제출되었습니다."),
            ),
            VoucherEvent::Redeemed { voucher_id, payment_deadline } => {
                if en {
                    format!(
                        "Voucher {voucher_id} was redeemed. Payment can be requested through {}.",
                        last_day(payment_deadline)
                    )
                } else {
                    format!(
                        "바우처 {voucher_id}이(가) 상환되었습니다. {}까지 대금을 청구할 수 있습니다.",
                        last_day(payment_deadline)
                    )
                }
            }
            VoucherEvent::Claimed { voucher_id, payment_request_id } => pick(
                locale,
                &format!("Voucher {voucher_id} is claimed in payment request {payment_request_id}."),
                &format!("바우처 {voucher_id}이(가) 대금 청구 {payment_request_id}에 포함되었습니다."),
            ),
            VoucherEvent::ClaimReleased { voucher_id, payment_request_id, payment_deadline: None } => pick(
                locale,
                &format!("Voucher {voucher_id} was released from payment request {payment_request_id}."),
                &format!("바우처 {voucher_id}이(가) 대금 청구 {payment_request_id}에서 제외되었습니다."),
            ),
            VoucherEvent::ClaimReleased { voucher_id, payment_request_id, payment_deadline: Some(deadline) } => {
                if en {
                    format!(
                        "Voucher {voucher_id} was released from payment request {payment_request_id}; a new request \
                         can include it through {}.",
                        last_day(deadline)
                    )
                } else {
                    format!(
                        "바우처 {voucher_id}이(가) 대금 청구 {payment_request_id}에서 제외되었습니다. {}까지 새 청구에 \
                         포함할 수 있습니다.",
                        last_day(deadline)
                    )
                }
            }
            VoucherEvent::Paid { voucher_id, payment_request_id } => pick(
                locale,
                &format!("Voucher {voucher_id} was paid with payment request {payment_request_id}."),
                &format!("바우처 {voucher_id}의 대금이 청구 {payment_request_id}(으)로 지급되었습니다."),
            ),
            VoucherEvent::Expired { voucher_id, days_returned } => match (en, days_returned) {
                (true, 0) => format!("Voucher {voucher_id} expired; its days could not return to the pool."),
                (true, days) => format!("Voucher {voucher_id} expired; {days} days returned to the pool."),
                (false, 0) => format!("바우처 {voucher_id}이(가) 만료되었습니다. 일수는 풀로 돌아가지 않았습니다."),
                (false, days) => format!("바우처 {voucher_id}이(가) 만료되어 {days}일이 풀로 돌아갔습니다."),
            },
        }
    }
}

/// The result of a transition: the new voucher and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub voucher: Voucher,
    pub events: Vec<VoucherEvent>,
}

/// The result of a transition that also changes the customer's day pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolTransition {
    pub voucher: Voucher,
    pub pool: DayPool,
    pub events: Vec<VoucherEvent>,
}

fn require_role(actor: &Actor, action: Action) -> Result<(), VoucherError> {
    if actor.role().may(action) {
        Ok(())
    } else {
        Err(VoucherError::RoleNotAllowed { role: actor.role(), action })
    }
}

fn wrong_status(voucher: &Voucher, action: Action) -> VoucherError {
    VoucherError::WrongStatus { action, status: voucher.status() }
}

/// The reservation of a `Reserved` voucher, if the actor works for the reserving partner.
fn own_reservation<'a>(
    voucher: &'a Voucher,
    actor: &Actor,
    action: Action,
) -> Result<(&'a Reservation, &'a Option<CompletionReport>), VoucherError> {
    require_role(actor, action)?;
    let VoucherState::Reserved { reservation, completion_report } = &voucher.state else {
        return Err(wrong_status(voucher, action));
    };
    if actor.partner_id() != Some(reservation.partner_id.as_str()) {
        return Err(VoucherError::NotYourVoucher);
    }
    Ok((reservation, completion_report))
}

fn require_not_expired(voucher: &Voucher, today: NaiveDate) -> Result<(), VoucherError> {
    if voucher.is_past_expiry(today) {
        Err(VoucherError::VoucherExpired { expires_on: voucher.expires_on })
    } else {
        Ok(())
    }
}

fn require_schedule(
    voucher: &Voucher,
    today: NaiveDate,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<(), VoucherError> {
    if starts_on <= today {
        return Err(VoucherError::StartNotAfterToday { starts_on });
    }
    if ends_on < starts_on {
        return Err(VoucherError::EndBeforeStart);
    }
    if ends_on > voucher.expires_on {
        return Err(VoucherError::ScheduleBeyondExpiry { ends_on, expires_on: voucher.expires_on });
    }
    Ok(())
}

/// A voucher must fit at least one engagement of its offering (each has a maximum length): a
/// longer one could never be reserved, and the days it took from the pool would be stranded.
/// `engagements` is the catalog ([`ENGAGEMENTS`] at creation).
pub fn check_service_level_usable(
    offering: OfferingCode,
    service_level: ServiceLevel,
    engagements: &[Engagement],
) -> Result<(), VoucherError> {
    let max_days = largest_usable_days(offering, engagements);
    let days = service_level.days();
    if days > max_days {
        return Err(VoucherError::ServiceLevelUnusable { offering, days, max_days });
    }
    Ok(())
}

/// The customer benefit administrator creates a voucher from the enrollment's day pool and
/// assigns it to a project manager (VLSC, step 4).
pub fn create_voucher(
    pool: &DayPool,
    actor: &Actor,
    today: NaiveDate,
    timeline: &ProgramTimeline,
    input: NewVoucher,
) -> Result<PoolTransition, VoucherError> {
    require_role(actor, Action::CreateVoucher)?;
    if actor.enrollment_id() != Some(pool.enrollment_id.as_str()) {
        return Err(VoucherError::NotYourVoucher);
    }
    if !pool.benefit_activated {
        return Err(VoucherError::BenefitNotActivated);
    }
    if !timeline.is_open(ProgramAction::CreateVoucher, today) {
        return Err(VoucherError::CreationClosed { last_day: timeline.last_voucher_creation });
    }
    if let Some(retired_on) = input.offering.retired_on(timeline).filter(|retired_on| today >= *retired_on) {
        return Err(VoucherError::CloudEngagementRetired { offering: input.offering, retired_on });
    }
    check_service_level_usable(input.offering, input.service_level, ENGAGEMENTS)?;
    let days = input.service_level.days();
    let remaining = pool.remaining_on(today, timeline);
    if remaining < u32::from(days) {
        return Err(VoucherError::NotEnoughDays { requested: days, remaining });
    }
    let expires_on = timeline.voucher_expiry(today);
    let voucher = Voucher {
        id: input.voucher_id,
        customer_id: input.customer_id,
        enrollment_id: pool.enrollment_id.clone(),
        offering: input.offering,
        service_level: input.service_level,
        assignee_email: input.assignee_email,
        assigned_on: today,
        expires_on,
        state: VoucherState::Assigned,
    };
    let pool = DayPool { remaining_days: remaining - u32::from(days), ..pool.clone() };
    let events = vec![VoucherEvent::Created { voucher_id: voucher.id.clone(), days_deducted: days, expires_on }];
    Ok(PoolTransition { voucher, pool, events })
}

/// Refuses a delivery country the program pays no daily rate for: a voucher delivered there
/// could never be paid (the rate is needed for the payment request, after delivery).
pub fn check_delivery_country_paid(country: CountryCode, timeline: &ProgramTimeline) -> Result<(), VoucherError> {
    match timeline.daily_rates.rate(country) {
        Some(_) => Ok(()),
        None => Err(VoucherError::DeliveryCountryNotPaid { country }),
    }
}

/// The MPN Partner Admin validates the voucher (number + the voucher admin's email) and reserves
/// it for an engagement (step 5). The first partner to reserve wins.
pub fn reserve_voucher(
    voucher: &Voucher,
    actor: &Actor,
    today: NaiveDate,
    request: &ReservationRequest,
    context: &ReservationContext<'_>,
) -> Result<Transition, VoucherError> {
    require_role(actor, Action::ReserveVoucher)?;
    let partner = context.partner;
    if actor.partner_id() != Some(partner.partner_id.as_str()) {
        return Err(VoucherError::NotYourVoucher);
    }
    match voucher.state {
        VoucherState::Assigned => {}
        VoucherState::Reserved { .. } => return Err(VoucherError::AlreadyReserved),
        _ => return Err(wrong_status(voucher, Action::ReserveVoucher)),
    }
    require_not_expired(voucher, today)?;
    if !context.timeline.is_open(ProgramAction::ReserveVoucher, today) {
        return Err(VoucherError::ReservationClosed {
            last_day: context.timeline.last_day(ProgramAction::ReserveVoucher),
        });
    }
    if !request.voucher_admin_email.same_mailbox(&voucher.assignee_email) {
        return Err(VoucherError::VoucherAdminEmailMismatch);
    }
    let engagement = request.engagement.details();
    if engagement.offering != voucher.offering {
        return Err(VoucherError::EngagementNotInOffering {
            engagement: request.engagement,
            offering: voucher.offering,
        });
    }
    if voucher.service_level.days() > engagement.max_days {
        return Err(VoucherError::ServiceLevelAboveEngagementMaximum {
            engagement: request.engagement,
            days: voucher.service_level.days(),
            max_days: engagement.max_days,
        });
    }
    require_schedule(voucher, today, request.starts_on, request.ends_on)?;
    check_delivery_country_paid(request.delivery_country, context.timeline)?;
    let delivery = check_delivery(
        partner,
        context.policy,
        request.engagement,
        &request.location_id,
        request.delivery_country,
        &request.consultant_id,
        today,
    );
    if let Some(unmet) = delivery.first_unmet() {
        return Err(VoucherError::NotEligible {
            requirement: unmet.requirement.clone(),
            finding: unmet.finding.clone(),
        });
    }
    if let Some(earlier) = repeat_limit_conflict(
        context.history,
        voucher,
        &partner.partner_id,
        request.engagement,
        request.repeat_exception,
    ) {
        return Err(VoucherError::RepeatLimitReached {
            engagement: request.engagement,
            earlier_voucher_id: earlier.voucher_id.clone(),
        });
    }
    let reservation = Reservation {
        partner_id: partner.partner_id.clone(),
        location_id: request.location_id.clone(),
        delivery_country: request.delivery_country,
        engagement: request.engagement,
        consultant_id: request.consultant_id.clone(),
        starts_on: request.starts_on,
        ends_on: request.ends_on,
        reserved_on: today,
        repeat_exception: request.repeat_exception,
    };
    let events = vec![VoucherEvent::Reserved {
        voucher_id: voucher.id.clone(),
        partner_id: reservation.partner_id.clone(),
        engagement: reservation.engagement,
        starts_on: reservation.starts_on,
    }];
    Ok(Transition {
        voucher: voucher.with_state(VoucherState::Reserved { reservation, completion_report: None }),
        events,
    })
}

/// The reserving partner moves the engagement dates (Reserved → Reserved).
pub fn reschedule_engagement(
    voucher: &Voucher,
    actor: &Actor,
    today: NaiveDate,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<Transition, VoucherError> {
    let (reservation, completion_report) = own_reservation(voucher, actor, Action::RescheduleEngagement)?;
    require_not_expired(voucher, today)?;
    if completion_report.is_some() {
        return Err(VoucherError::CompletionReportAlreadySubmitted);
    }
    require_schedule(voucher, today, starts_on, ends_on)?;
    let reservation = Reservation { starts_on, ends_on, ..reservation.clone() };
    let events = vec![VoucherEvent::Rescheduled { voucher_id: voucher.id.clone(), starts_on, ends_on }];
    Ok(Transition {
        voucher: voucher.with_state(VoucherState::Reserved { reservation, completion_report: None }),
        events,
    })
}

/// The reserving partner cancels the reservation; the voucher is reservable again and keeps its
/// expiry date.
pub fn cancel_reservation(voucher: &Voucher, actor: &Actor) -> Result<Transition, VoucherError> {
    let (reservation, _) = own_reservation(voucher, actor, Action::CancelReservation)?;
    let events = vec![VoucherEvent::ReservationCancelled {
        voucher_id: voucher.id.clone(),
        partner_id: reservation.partner_id.clone(),
    }];
    Ok(Transition { voucher: voucher.with_state(VoucherState::Assigned), events })
}

/// The consultant or a partner admin files the completion report with the deliverables after
/// delivery (step 6). The delivery lies within the reserved dates (which begin after the
/// reservation, itself after the voucher's assignment), ends by `today`, and its days fit both the
/// dates and the service level; the consultant named is qualified for the engagement in
/// `partner`'s records, by the same check as at reservation.
pub fn submit_completion_report(
    voucher: &Voucher,
    actor: &Actor,
    today: NaiveDate,
    input: CompletionReportInput,
    partner: &PartnerProfile,
) -> Result<Transition, VoucherError> {
    let (reservation, completion_report) = own_reservation(voucher, actor, Action::SubmitCompletionReport)?;
    if completion_report.is_some() {
        return Err(VoucherError::CompletionReportAlreadySubmitted);
    }
    require_not_expired(voucher, today)?;
    let deliverables: Vec<String> = input
        .deliverable_document_ids
        .iter()
        .map(|id| id.trim())
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    if deliverables.is_empty() {
        return Err(VoucherError::DeliverableMissing);
    }
    if deliverables.len() > MAX_DELIVERABLES {
        return Err(VoucherError::TooManyDeliverables { count: deliverables.len() });
    }
    if input.delivered_through < input.delivered_from {
        return Err(VoucherError::EndBeforeStart);
    }
    if input.delivered_from < reservation.starts_on || input.delivered_through > reservation.ends_on {
        return Err(VoucherError::DeliveryOutsideReservation {
            starts_on: reservation.starts_on,
            ends_on: reservation.ends_on,
        });
    }
    if input.delivered_through > today {
        return Err(VoucherError::DeliveryNotFinished { delivered_through: input.delivered_through });
    }
    let service_level = voucher.service_level.days();
    if input.days_delivered == 0 || input.days_delivered > service_level {
        return Err(VoucherError::DaysDeliveredOutOfRange { days_delivered: input.days_delivered, service_level });
    }
    let span_days = (input.delivered_through - input.delivered_from).num_days() + 1;
    if i64::from(input.days_delivered) > span_days {
        return Err(VoucherError::DaysDeliveredAboveDates { days_delivered: input.days_delivered, span_days });
    }
    if input.offsite_days > MAX_OFFSITE_DAYS.min(input.days_delivered) {
        return Err(VoucherError::TooManyOffsiteDays { offsite_days: input.offsite_days });
    }
    let consultant = consultant_check(partner, reservation.engagement, &input.consultant_id);
    if !consultant.met {
        return Err(VoucherError::NotEligible { requirement: consultant.requirement, finding: consultant.finding });
    }
    let report = CompletionReport {
        submitted_on: today,
        consultant_id: input.consultant_id,
        delivered_from: input.delivered_from,
        delivered_through: input.delivered_through,
        days_delivered: input.days_delivered,
        offsite_days: input.offsite_days,
        deliverable_document_ids: deliverables,
    };
    let state = VoucherState::Reserved { reservation: reservation.clone(), completion_report: Some(report) };
    let events = vec![VoucherEvent::CompletionReportSubmitted { voucher_id: voucher.id.clone() }];
    Ok(Transition { voucher: voucher.with_state(state), events })
}

/// The MPN Partner Admin redeems the voucher after the completion report (step 7).
pub fn redeem_voucher(
    voucher: &Voucher,
    actor: &Actor,
    today: NaiveDate,
    timeline: &ProgramTimeline,
) -> Result<Transition, VoucherError> {
    let (reservation, completion_report) = own_reservation(voucher, actor, Action::RedeemVoucher)?;
    let Some(completion_report) = completion_report else {
        return Err(VoucherError::CompletionReportMissing);
    };
    require_not_expired(voucher, today)?;
    if !timeline.is_open(ProgramAction::RedeemVoucher, today) {
        return Err(VoucherError::RedemptionClosed { last_day: timeline.last_redemption });
    }
    let redemption = Redemption {
        reservation: reservation.clone(),
        completion_report: completion_report.clone(),
        redeemed_on: today,
        deadline_after_rejection: None,
    };
    let events = vec![VoucherEvent::Redeemed {
        voucher_id: voucher.id.clone(),
        payment_deadline: redemption.payment_deadline(timeline),
    }];
    Ok(Transition { voucher: voucher.with_state(VoucherState::Redeemed { redemption }), events })
}

/// Includes a redeemed voucher in a payment request being submitted (step 8). Called by
/// [`crate::payment::submit_payment_request`] for every voucher of the request.
pub fn claim_voucher(
    voucher: &Voucher,
    actor: &Actor,
    today: NaiveDate,
    timeline: &ProgramTimeline,
    payment_request_id: &str,
) -> Result<Transition, VoucherError> {
    require_role(actor, Action::SubmitPaymentRequest)?;
    let redemption = match &voucher.state {
        VoucherState::Redeemed { redemption } => redemption,
        VoucherState::Claimed { payment_request_id, .. } | VoucherState::Paid { payment_request_id, .. } => {
            return Err(VoucherError::AlreadyClaimed { payment_request_id: payment_request_id.clone() })
        }
        _ => return Err(wrong_status(voucher, Action::SubmitPaymentRequest)),
    };
    if actor.partner_id() != Some(redemption.reservation.partner_id.as_str()) {
        return Err(VoucherError::NotYourVoucher);
    }
    let deadline = redemption.payment_deadline(timeline);
    if today > deadline {
        return Err(VoucherError::PaymentWindowClosed {
            redeemed_on: redemption.redeemed_on,
            window_days: timeline.payment_window_days,
            deadline,
        });
    }
    let payment_request_id = payment_request_id.to_owned();
    let events =
        vec![VoucherEvent::Claimed { voucher_id: voucher.id.clone(), payment_request_id: payment_request_id.clone() }];
    let state = VoucherState::Claimed { redemption: redemption.clone(), payment_request_id, claimed_on: Some(today) };
    Ok(Transition { voucher: voucher.with_state(state), events })
}

fn claimed_by<'a>(
    voucher: &'a Voucher,
    payment_request_id: &str,
    action: Action,
) -> Result<&'a Redemption, VoucherError> {
    match &voucher.state {
        VoucherState::Claimed { redemption, payment_request_id: claimed_by, .. }
            if claimed_by == payment_request_id =>
        {
            Ok(redemption)
        }
        VoucherState::Claimed { .. } => Err(VoucherError::NotInThisPaymentRequest),
        _ => Err(wrong_status(voucher, action)),
    }
}

/// The program operator rejects the payment request, submitted on `submitted_on`, on `today`:
/// the voucher is `Redeemed` again with the days of its payment window that were left on
/// submission, and at least [`MIN_DAYS_AFTER_REJECTION`] (the clock stopped while Microsoft had
/// the request), so it may join a new request.
pub fn release_claim(
    voucher: &Voucher,
    actor: &Actor,
    payment_request_id: &str,
    submitted_on: NaiveDate,
    today: NaiveDate,
    timeline: &ProgramTimeline,
) -> Result<Transition, VoucherError> {
    require_role(actor, Action::RejectPaymentRequest)?;
    let redemption = claimed_by(voucher, payment_request_id, Action::RejectPaymentRequest)?;
    let deadline = payment_deadline_after_rejection(redemption.payment_deadline(timeline), submitted_on, today);
    let redemption = Redemption { deadline_after_rejection: Some(deadline), ..redemption.clone() };
    let events = vec![VoucherEvent::ClaimReleased {
        voucher_id: voucher.id.clone(),
        payment_request_id: payment_request_id.to_owned(),
        payment_deadline: Some(deadline),
    }];
    Ok(Transition { voucher: voucher.with_state(VoucherState::Redeemed { redemption }), events })
}

/// The program operator records that the payment request was paid.
pub fn mark_voucher_paid(
    voucher: &Voucher,
    actor: &Actor,
    today: NaiveDate,
    payment_request_id: &str,
) -> Result<Transition, VoucherError> {
    require_role(actor, Action::MarkPaid)?;
    let redemption = claimed_by(voucher, payment_request_id, Action::MarkPaid)?;
    let payment_request_id = payment_request_id.to_owned();
    let events =
        vec![VoucherEvent::Paid { voucher_id: voucher.id.clone(), payment_request_id: payment_request_id.clone() }];
    let state = VoucherState::Paid { redemption: redemption.clone(), payment_request_id, paid_on: today };
    Ok(Transition { voucher: voucher.with_state(state), events })
}

/// Time expires an unredeemed voucher (no actor). The days go back to the pool only if the
/// enrollment is active on the day of expiry and unused days have not yet been removed then.
pub fn expire_voucher(
    voucher: &Voucher,
    pool: &DayPool,
    today: NaiveDate,
    timeline: &ProgramTimeline,
) -> Result<PoolTransition, VoucherError> {
    if pool.enrollment_id != voucher.enrollment_id {
        return Err(VoucherError::PoolOfAnotherEnrollment);
    }
    if !matches!(voucher.state, VoucherState::Assigned | VoucherState::Reserved { .. }) {
        return Err(VoucherError::NotExpirable { status: voucher.status() });
    }
    if !voucher.is_past_expiry(today) {
        return Err(VoucherError::NotYetExpired { expires_on: voucher.expires_on });
    }
    let expired_on = voucher.expires_on.succ_opt().unwrap_or(voucher.expires_on);
    let returns = pool.enrollment_active_on(expired_on) && expired_on < timeline.unused_days_removed;
    let days_returned = if returns { voucher.service_level.days() } else { 0 };
    let pool = DayPool { remaining_days: pool.remaining_days.saturating_add(u32::from(days_returned)), ..pool.clone() };
    let events = vec![VoucherEvent::Expired { voucher_id: voucher.id.clone(), days_returned }];
    Ok(PoolTransition {
        voucher: voucher.with_state(VoucherState::Expired { expired_on, days_returned }),
        pool,
        events,
    })
}

/// Why a voucher transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherError {
    #[error("{}", self.message(Locale::En))]
    RoleNotAllowed { role: Role, action: Action },
    #[error("{}", self.message(Locale::En))]
    NotYourVoucher,
    #[error("{}", self.message(Locale::En))]
    WrongStatus { action: Action, status: VoucherStatus },
    #[error("{}", self.message(Locale::En))]
    AlreadyReserved,
    #[error("{}", self.message(Locale::En))]
    BenefitNotActivated,
    #[error("{}", self.message(Locale::En))]
    CreationClosed { last_day: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    CloudEngagementRetired { offering: OfferingCode, retired_on: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    ServiceLevelUnusable { offering: OfferingCode, days: u8, max_days: u8 },
    #[error("{}", self.message(Locale::En))]
    NotEnoughDays { requested: u8, remaining: u32 },
    #[error("{}", self.message(Locale::En))]
    VoucherExpired { expires_on: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    ReservationClosed { last_day: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    RedemptionClosed { last_day: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    VoucherAdminEmailMismatch,
    #[error("{}", self.message(Locale::En))]
    EngagementNotInOffering { engagement: EngagementId, offering: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    ServiceLevelAboveEngagementMaximum { engagement: EngagementId, days: u8, max_days: u8 },
    #[error("{}", self.message(Locale::En))]
    StartNotAfterToday { starts_on: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    EndBeforeStart,
    #[error("{}", self.message(Locale::En))]
    ScheduleBeyondExpiry { ends_on: NaiveDate, expires_on: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    DeliveryCountryNotPaid { country: CountryCode },
    #[error("{}", self.message(Locale::En))]
    NotEligible { requirement: Requirement, finding: Finding },
    #[error("{}", self.message(Locale::En))]
    RepeatLimitReached { engagement: EngagementId, earlier_voucher_id: VoucherId },
    #[error("{}", self.message(Locale::En))]
    CompletionReportAlreadySubmitted,
    #[error("{}", self.message(Locale::En))]
    DeliverableMissing,
    #[error("{}", self.message(Locale::En))]
    DeliveryNotFinished { delivered_through: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    DaysDeliveredOutOfRange { days_delivered: u8, service_level: u8 },
    #[error("{}", self.message(Locale::En))]
    DaysDeliveredAboveDates { days_delivered: u8, span_days: i64 },
    #[error("{}", self.message(Locale::En))]
    DeliveryOutsideReservation { starts_on: NaiveDate, ends_on: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    TooManyDeliverables { count: usize },
    #[error("{}", self.message(Locale::En))]
    TooManyOffsiteDays { offsite_days: u8 },
    #[error("{}", self.message(Locale::En))]
    CompletionReportMissing,
    #[error("{}", self.message(Locale::En))]
    PaymentWindowClosed { redeemed_on: NaiveDate, window_days: u32, deadline: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    AlreadyClaimed { payment_request_id: String },
    #[error("{}", self.message(Locale::En))]
    NotInThisPaymentRequest,
    #[error("{}", self.message(Locale::En))]
    NotYetExpired { expires_on: NaiveDate },
    #[error("{}", self.message(Locale::En))]
    NotExpirable { status: VoucherStatus },
    #[error("{}", self.message(Locale::En))]
    PoolOfAnotherEnrollment,
    #[error("{}", self.message(Locale::En))]
    AssigneeNotAProjectManager,
    #[error("{}", self.message(Locale::En))]
    EnrollmentEnded { ended_on: NaiveDate },
}

impl Localize for VoucherError {
    fn message(&self, locale: Locale) -> String {
        use VoucherError::*;
        let date = |date: &NaiveDate| format_date(*date, locale);
        let last = |date: &NaiveDate| format_deadline(*date, locale);
        let en = locale == Locale::En;
        match self {
            RoleNotAllowed { role, action } => {
                if en {
                    format!("The {} role cannot {}.", role.message(locale), action.message(locale))
                } else {
                    format!("{} 역할로는 {} 작업을 할 수 없습니다.", role.message(locale), action.message(locale))
                }
            }
            NotYourVoucher => {
                pick(locale, "This voucher belongs to another organization.", "이 바우처는 다른 조직의 바우처입니다.")
            }
            WrongStatus { action, status } => {
                if en {
                    format!(
                        "The voucher is {}; you cannot {} in that status.",
                        status.message(locale),
                        action.message(locale)
                    )
                } else {
                    format!(
                        "바우처가 '{}' 상태이므로 {} 작업을 할 수 없습니다.",
                        status.message(locale),
                        action.message(locale)
                    )
                }
            }
            AlreadyReserved => pick(
                locale,
                "This voucher is already reserved. Another partner may have reserved it first.",
                "이 바우처는 이미 예약되었습니다. 다른 파트너가 먼저 예약했을 수 있습니다.",
            ),
            BenefitNotActivated => pick(
                locale,
                "The Planning Services benefit is not activated for this enrollment; activate it in VLSC first.",
                "이 등록에 계획 서비스 혜택이 활성화되어 있지 않습니다. 먼저 VLSC에서 혜택을 활성화하세요.",
            ),
            CreationClosed { last_day } => {
                if en {
                    format!("Vouchers can no longer be created; the last day was {}.", last(last_day))
                } else {
                    format!("바우처 생성 기간이 끝났습니다. 마감일은 {}이었습니다.", last(last_day))
                }
            }
            ServiceLevelUnusable { offering, days, max_days } => {
                let label = offering.details().label;
                if en {
                    format!(
                        "No {label} engagement lasts more than {max_days} days, so a {days}-day voucher could never \
                         be used; choose {max_days} days or fewer."
                    )
                } else {
                    format!(
                        "{label} 참여는 최대 {max_days}일이므로 {days}일 바우처는 사용할 수 없습니다. {max_days}일 \
                         이하를 선택하세요."
                    )
                }
            }
            CloudEngagementRetired { offering, retired_on } => {
                let label = offering.details().label;
                if en {
                    format!(
                        "{label} is a cloud engagement type retired on {}; no new vouchers can be created for it.",
                        date(retired_on)
                    )
                } else {
                    format!(
                        "{label}은(는) {}에 종료된 클라우드 참여 유형이므로 새 바우처를 만들 수 없습니다.",
                        date(retired_on)
                    )
                }
            }
            NotEnoughDays { requested, remaining } => {
                if en {
                    format!(
                        "The enrollment has {remaining} Planning Services days left, fewer than the {requested} this \
                         voucher needs; choose a shorter service level."
                    )
                } else {
                    format!(
                        "이 등록에 남은 계획 서비스 일수는 {remaining}일로, 이 바우처에 필요한 {requested}일보다 \
                         적습니다. 더 짧은 서비스 수준을 선택하세요."
                    )
                }
            }
            VoucherExpired { expires_on } => {
                if en {
                    format!("The voucher has expired; it was valid through {}.", last(expires_on))
                } else {
                    format!("바우처가 만료되었습니다. 유효 기간은 {}까지였습니다.", last(expires_on))
                }
            }
            ReservationClosed { last_day } => {
                if en {
                    format!("Vouchers can no longer be reserved; the last day was {}.", last(last_day))
                } else {
                    format!("바우처 예약 기간이 끝났습니다. 마감일은 {}이었습니다.", last(last_day))
                }
            }
            RedemptionClosed { last_day } => {
                if en {
                    format!("Vouchers can no longer be redeemed; the last day was {}.", last(last_day))
                } else {
                    format!("바우처 상환 기간이 끝났습니다. 마감일은 {}이었습니다.", last(last_day))
                }
            }
            VoucherAdminEmailMismatch => pick(
                locale,
                "The email address does not match the voucher; enter the email of the customer contact the voucher \
                 was assigned to.",
                "이메일 주소가 바우처 정보와 일치하지 않습니다. 바우처를 할당받은 고객 담당자의 이메일을 입력하세요.",
            ),
            EngagementNotInOffering { engagement, offering } => {
                let label = offering.details().label;
                if en {
                    format!(
                        "{} is not part of {label}; choose an engagement of the voucher's offering.",
                        engagement.message(locale)
                    )
                } else {
                    format!(
                        "{}은(는) {label}에 속하지 않습니다. 바우처 프로그램에 속한 참여 유형을 선택하세요.",
                        engagement.message(locale)
                    )
                }
            }
            ServiceLevelAboveEngagementMaximum { engagement, days, max_days } => {
                if en {
                    format!(
                        "{} lasts at most {max_days} days, but the voucher carries {days}.",
                        engagement.message(locale)
                    )
                } else {
                    format!("{}은(는) 최대 {max_days}일이지만 바우처는 {days}일입니다.", engagement.message(locale))
                }
            }
            StartNotAfterToday { starts_on } => {
                if en {
                    format!(
                        "The engagement start date {} must be after today; reserve and reschedule before the \
                         engagement starts.",
                        date(starts_on)
                    )
                } else {
                    format!(
                        "참여 시작일({})은 오늘 이후여야 합니다. 예약과 일정 변경은 참여가 시작되기 전에 해야 합니다.",
                        date(starts_on)
                    )
                }
            }
            EndBeforeStart => {
                pick(locale, "The end date cannot be before the start date.", "종료일은 시작일보다 앞설 수 없습니다.")
            }
            ScheduleBeyondExpiry { ends_on, expires_on } => {
                if en {
                    format!(
                        "The engagement must end by {}, the voucher's last valid day; {} is too late.",
                        last(expires_on),
                        date(ends_on)
                    )
                } else {
                    format!(
                        "참여는 바우처의 마지막 유효일인 {}까지 끝나야 합니다. {}은(는) 너무 늦습니다.",
                        last(expires_on),
                        date(ends_on)
                    )
                }
            }
            DeliveryCountryNotPaid { country } => {
                let country = country.as_str();
                if en {
                    format!(
                        "The program pays no daily rate for engagements delivered in {country}, so a voucher \
                         delivered there could never be paid; choose a delivery country the program pays for."
                    )
                } else {
                    format!(
                        "프로그램은 {country}에서 수행된 참여에 일일 요율을 지급하지 않으므로 그곳에서 수행한 바우처는 \
                         대금을 받을 수 없습니다. 프로그램이 지급하는 수행 국가를 선택하세요."
                    )
                }
            }
            NotEligible { finding, .. } => {
                if en {
                    format!("The partner may not deliver this engagement: {}", finding.message(locale))
                } else {
                    format!("이 파트너는 이 참여를 수행할 수 없습니다: {}", finding.message(locale))
                }
            }
            RepeatLimitReached { engagement, earlier_voucher_id } => {
                if en {
                    format!(
                        "This partner already has a 15-day {} for this customer (voucher {earlier_voucher_id}); a \
                         second one must serve a different division or legal entity, or cover different products.",
                        engagement.message(locale)
                    )
                } else {
                    format!(
                        "이 파트너는 이미 이 고객에게 15일짜리 {} 참여가 있습니다(바우처 {earlier_voucher_id}). 두 번째 \
                         참여는 다른 사업부나 법인을 대상으로 하거나 다른 제품을 다루어야 합니다.",
                        engagement.message(locale)
                    )
                }
            }
            CompletionReportAlreadySubmitted => pick(
                locale,
                "The completion report has already been submitted; the engagement can no longer change.",
                "완료 보고서가 이미 제출되어 참여 내용을 더 이상 변경할 수 없습니다.",
            ),
            DeliverableMissing => pick(
                locale,
                "Upload the customer deliverable with the completion report; without it the voucher is not payable.",
                "완료 보고서와 함께 고객 결과물을 업로드하세요. 결과물이 없으면 대금이 지급되지 않습니다.",
            ),
            DeliveryNotFinished { delivered_through } => {
                if en {
                    format!(
                        "Submit the completion report after delivery ends on {}, not before.",
                        date(delivered_through)
                    )
                } else {
                    format!("완료 보고서는 참여가 끝나는 {} 이후에 제출하세요.", date(delivered_through))
                }
            }
            DaysDeliveredOutOfRange { days_delivered, service_level } => {
                if en {
                    format!(
                        "Days delivered must be from 1 to the voucher's {service_level}; {days_delivered} was entered."
                    )
                } else {
                    format!(
                        "수행 일수는 1일부터 바우처 일수인 {service_level}일 사이여야 합니다. {days_delivered}일을 \
                         입력했습니다."
                    )
                }
            }
            DaysDeliveredAboveDates { days_delivered, span_days } => {
                if en {
                    format!(
                        "{days_delivered} days cannot be delivered in {span_days} calendar days; check the days \
                         delivered and the delivery dates."
                    )
                } else {
                    format!(
                        "{span_days}일 동안 {days_delivered}일을 수행할 수 없습니다. 수행 일수와 수행 기간을 \
                         확인하세요."
                    )
                }
            }
            DeliveryOutsideReservation { starts_on, ends_on } => {
                if en {
                    format!(
                        "The delivery dates must lie within the reserved engagement dates, {} to {}.",
                        date(starts_on),
                        date(ends_on)
                    )
                } else {
                    format!("수행 기간은 예약된 참여 기간({}~{}) 안에 있어야 합니다.", date(starts_on), date(ends_on))
                }
            }
            TooManyDeliverables { count } => {
                if en {
                    format!("A completion report carries at most {MAX_DELIVERABLES} deliverables; {count} were given.")
                } else {
                    format!("완료 보고서에는 결과물을 최대 {MAX_DELIVERABLES}개까지 첨부할 수 있습니다. {count}개가 있습니다.")
                }
            }
            TooManyOffsiteDays { offsite_days } => {
                if en {
                    format!(
                        "At most 3 delivered days may be off-site, and no more than the days delivered; {offsite_days} \
                         was entered."
                    )
                } else {
                    format!(
                        "오프사이트 수행은 최대 3일이며 수행 일수를 넘을 수 없습니다. {offsite_days}일을 입력했습니다."
                    )
                }
            }
            CompletionReportMissing => pick(
                locale,
                "Submit the completion report with the deliverable before redeeming the voucher.",
                "바우처를 상환하기 전에 결과물과 함께 완료 보고서를 제출하세요.",
            ),
            PaymentWindowClosed { redeemed_on, window_days, deadline } => {
                if en {
                    format!(
                        "Payment must be requested within {window_days} days of redemption on {}; the last day was {}.",
                        date(redeemed_on),
                        last(deadline)
                    )
                } else {
                    format!(
                        "대금 청구는 상환일({})로부터 {window_days}일 이내에 해야 합니다. 마감일은 {}이었습니다.",
                        date(redeemed_on),
                        last(deadline)
                    )
                }
            }
            AlreadyClaimed { payment_request_id } => {
                if en {
                    format!("This voucher is already in payment request {payment_request_id}.")
                } else {
                    format!("이 바우처는 이미 대금 청구서 {payment_request_id}에 포함되어 있습니다.")
                }
            }
            NotInThisPaymentRequest => pick(
                locale,
                "This voucher belongs to a different payment request.",
                "이 바우처는 다른 대금 청구서에 포함되어 있습니다.",
            ),
            NotYetExpired { expires_on } => {
                if en {
                    format!("The voucher is valid through {} and has not expired.", last(expires_on))
                } else {
                    format!("바우처는 {}까지 유효하며 아직 만료되지 않았습니다.", last(expires_on))
                }
            }
            NotExpirable { status } => {
                if en {
                    format!("A voucher that is {} does not expire.", status.message(locale))
                } else {
                    format!("'{}' 상태의 바우처는 만료되지 않습니다.", status.message(locale))
                }
            }
            PoolOfAnotherEnrollment => pick(
                locale,
                "The day pool belongs to another enrollment than the voucher.",
                "일수 풀이 바우처와 다른 등록에 속해 있습니다.",
            ),
            AssigneeNotAProjectManager => pick(
                locale,
                "Assign the voucher to a project manager of your company: enter the email they sign in with.",
                "바우처는 회사의 프로젝트 관리자에게 할당하세요. 그 사람이 로그인할 때 쓰는 이메일을 입력하세요.",
            ),
            EnrollmentEnded { ended_on } => {
                if en {
                    format!(
                        "This licensing enrollment ended on {}; its benefit can no longer be activated.",
                        date(ended_on)
                    )
                } else {
                    format!("이 라이선스 등록은 {}에 종료되어 혜택을 활성화할 수 없습니다.", date(ended_on))
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::eligibility::tests::{contoso, date};
    use crate::timeline::test_timeline;

    pub(crate) fn customer_admin() -> Actor {
        Actor::CustomerBenefitAdministrator { enrollment_id: "E-100".into() }
    }

    pub(crate) fn partner_admin() -> Actor {
        Actor::MpnPartnerAdmin { partner_id: "contoso".into() }
    }

    pub(crate) fn pool() -> DayPool {
        DayPool {
            enrollment_id: "E-100".into(),
            benefit_activated: true,
            remaining_days: 30,
            enrollment_ends_on: date("2022-12-31"),
        }
    }

    pub(crate) fn new_voucher(id: &str, offering: OfferingCode, days: u8) -> NewVoucher {
        NewVoucher {
            voucher_id: VoucherId::parse(id).unwrap(),
            customer_id: "fabrikam".into(),
            offering,
            service_level: ServiceLevel::try_from(days).unwrap(),
            assignee_email: EmailAddress::parse("pm@fabrikam.com").unwrap(),
        }
    }

    pub(crate) fn exchange_request(starts_on: &str, ends_on: &str) -> ReservationRequest {
        ReservationRequest {
            voucher_admin_email: EmailAddress::parse("PM@Fabrikam.com").unwrap(),
            engagement: EngagementId::ExchangeDeploymentPlanning,
            location_id: LocationId::parse("1000001").unwrap(),
            delivery_country: CountryCode::parse("KR").unwrap(),
            consultant_id: "kim".into(),
            starts_on: date(starts_on),
            ends_on: date(ends_on),
            repeat_exception: None,
        }
    }

    pub(crate) fn report(from: &str, through: &str, days: u8) -> CompletionReportInput {
        CompletionReportInput {
            consultant_id: "kim".into(),
            delivered_from: date(from),
            delivered_through: date(through),
            days_delivered: days,
            offsite_days: 0,
            deliverable_document_ids: vec!["doc-1".into()],
        }
    }

    /// An S-EDPS voucher of `days` days created on `created`.
    pub(crate) fn created(created: &str, days: u8) -> Voucher {
        let timeline = test_timeline();
        create_voucher(
            &pool(),
            &customer_admin(),
            date(created),
            &timeline,
            new_voucher("1234567890", OfferingCode::Sedps, days),
        )
        .unwrap()
        .voucher
    }

    fn reserve(voucher: &Voucher, today: &str, request: &ReservationRequest) -> Result<Transition, VoucherError> {
        let partner = contoso();
        let policy = EligibilityPolicy::published();
        let timeline = test_timeline();
        let context = ReservationContext { partner: &partner, policy: &policy, history: &[], timeline: &timeline };
        reserve_voucher(voucher, &partner_admin(), date(today), request, &context)
    }

    /// `voucher` reserved on 2021-01-10 for Exchange, 2021-02-01..2021-02-05, in KR.
    pub(crate) fn reserve_for_test(voucher: &Voucher) -> Voucher {
        reserve(voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher
    }

    /// Created 2021-01-04 (expires 2021-07-03), reserved for 2021-02-01..2021-02-05, report in.
    pub(crate) fn reported() -> Voucher {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        file(&reserved, &partner_admin(), "2021-02-06", report("2021-02-01", "2021-02-05", 5)).unwrap().voucher
    }

    pub(crate) fn redeemed_on(day: &str) -> Voucher {
        redeem_voucher(&reported(), &partner_admin(), date(day), &test_timeline()).unwrap().voucher
    }

    /// Files the completion report with Contoso's records.
    pub(crate) fn file(
        voucher: &Voucher,
        actor: &Actor,
        today: &str,
        input: CompletionReportInput,
    ) -> Result<Transition, VoucherError> {
        submit_completion_report(voucher, actor, date(today), input, &contoso())
    }

    use crate::locale::test_support::assert_bilingual_error as assert_bilingual;

    #[test]
    fn creating_a_voucher_deducts_its_days_and_sets_the_180_day_expiry() {
        let timeline = test_timeline();
        let result = create_voucher(
            &pool(),
            &customer_admin(),
            date("2021-06-30"),
            &timeline,
            new_voucher("1234567890", OfferingCode::Ddps, 10),
        )
        .unwrap();
        assert_eq!(result.pool.remaining_days, 20);
        assert_eq!(result.voucher.expires_on, date("2021-12-27"));
        assert_eq!(result.voucher.status(), VoucherStatus::Assigned);
        assert_eq!(
            result.events,
            vec![VoucherEvent::Created {
                voucher_id: VoucherId::parse("1234567890").unwrap(),
                days_deducted: 10,
                expires_on: date("2021-12-27")
            }]
        );
    }

    #[test]
    fn the_pool_history_shows_the_days_removed_on_2021_07_01_and_not_before() {
        let timeline = test_timeline();
        let entry = |on: &str, change_days: i32, reason: PoolChange| PoolEntry {
            on_date: date(on),
            change_days,
            reason,
            voucher_id: None,
        };
        let stored = vec![
            entry("2020-07-01", 40, PoolChange::Accrued),
            entry("2021-03-01", -10, PoolChange::VoucherCreated),
            // An expiry the program clock recorded late: after the removal in date order.
            entry("2021-07-15", 0, PoolChange::VoucherExpired),
        ];
        let pool = DayPool { remaining_days: 30, ..pool() };
        assert_eq!(pool.history_on(stored.clone(), date("2021-06-30"), &timeline), stored);
        let history = pool.history_on(stored.clone(), date("2021-07-01"), &timeline);
        assert_eq!(history.len(), 4);
        assert_eq!(history[2], entry("2021-07-01", -30, PoolChange::UnusedDaysRemoved));
        assert_eq!(history[3], stored[2]);
        assert_eq!(history.iter().map(|entry| entry.change_days).sum::<i32>(), 0);
        assert_eq!(pool.remaining_on(date("2021-07-01"), &timeline), 0);
        // An empty pool loses nothing, so its history has no removal.
        let empty = DayPool { remaining_days: 0, ..pool };
        assert_eq!(empty.history_on(stored.clone(), date("2021-08-01"), &timeline), stored);
    }

    #[test]
    fn vouchers_can_be_created_on_2021_06_30_but_not_on_2021_07_01() {
        let timeline = test_timeline();
        let input = || new_voucher("1234567890", OfferingCode::Ddps, 1);
        assert!(create_voucher(&pool(), &customer_admin(), date("2021-06-30"), &timeline, input()).is_ok());
        let error = create_voucher(&pool(), &customer_admin(), date("2021-07-01"), &timeline, input()).unwrap_err();
        assert_eq!(error, VoucherError::CreationClosed { last_day: date("2021-06-30") });
        assert_bilingual(&error, "Vouchers can no longer be created; the last day was June 30, 2021 (end of day UTC).");
        assert!(error.message(Locale::Ko).contains("2021년 6월 30일"));
    }

    #[test]
    fn cloud_vouchers_can_be_created_on_2020_01_31_but_not_from_2020_02_01() {
        let timeline = test_timeline();
        let input = || new_voucher("1234567890", OfferingCode::Azdps, 5);
        assert!(create_voucher(&pool(), &customer_admin(), date("2020-01-31"), &timeline, input()).is_ok());
        let error = create_voucher(&pool(), &customer_admin(), date("2020-02-01"), &timeline, input()).unwrap_err();
        assert_bilingual(
            &error,
            "AZDPS is a cloud engagement type retired on February 1, 2020; no new vouchers can be created for it.",
        );
    }

    #[test]
    fn a_service_level_above_every_engagement_of_the_offering_is_refused_at_creation() {
        // A catalog where no DDPS engagement takes more than 10 days: 10 is accepted, the next
        // level (15) is refused with the largest usable one.
        let shorter: Vec<Engagement> = ENGAGEMENTS
            .iter()
            .map(|engagement| Engagement { max_days: engagement.max_days.min(10), ..*engagement })
            .collect();
        let level = |days| ServiceLevel::try_from(days).unwrap();
        assert_eq!(check_service_level_usable(OfferingCode::Ddps, level(10), &shorter), Ok(()));
        let error = check_service_level_usable(OfferingCode::Ddps, level(15), &shorter).unwrap_err();
        assert_eq!(error, VoucherError::ServiceLevelUnusable { offering: OfferingCode::Ddps, days: 15, max_days: 10 });
        assert_bilingual(
            &error,
            "No DDPS engagement lasts more than 10 days, so a 15-day voucher could never be used; choose 10 days or \
             fewer.",
        );
        assert!(error.message(Locale::Ko).contains("최대 10일"));
        // The largest usable level is the longest engagement's, not the shortest's: DDPS's 10-day
        // proof of concept does not refuse 15 days while its other engagements take 15.
        assert_eq!(OfferingCode::Ddps.largest_usable_days(), 15);
        assert_eq!(largest_usable_days(OfferingCode::Ddps, &shorter), 10);
        // In the published catalog every offering has a 15-day engagement: all levels are usable.
        let timeline = test_timeline();
        for offering in OfferingCode::ACTIVE {
            assert_eq!(offering.largest_usable_days(), 15, "{offering:?}");
            let input = NewVoucher { offering, ..new_voucher("1234567890", OfferingCode::Ddps, 15) };
            assert!(create_voucher(&pool(), &customer_admin(), date("2021-03-01"), &timeline, input).is_ok());
        }
    }

    #[test]
    fn a_voucher_needs_enough_days_an_activated_benefit_and_the_benefit_administrator() {
        let timeline = test_timeline();
        let small = DayPool { remaining_days: 9, ..pool() };
        let error = create_voucher(
            &small,
            &customer_admin(),
            date("2021-03-01"),
            &timeline,
            new_voucher("1234567890", OfferingCode::Ddps, 10),
        )
        .unwrap_err();
        assert_bilingual(
            &error,
            "The enrollment has 9 Planning Services days left, fewer than the 10 this voucher needs; choose a shorter \
             service level.",
        );
        let exact = DayPool { remaining_days: 10, ..pool() };
        let ok = create_voucher(
            &exact,
            &customer_admin(),
            date("2021-03-01"),
            &timeline,
            new_voucher("1234567890", OfferingCode::Ddps, 10),
        );
        assert_eq!(ok.unwrap().pool.remaining_days, 0);
        let inactive = DayPool { benefit_activated: false, ..pool() };
        assert_eq!(
            create_voucher(
                &inactive,
                &customer_admin(),
                date("2021-03-01"),
                &timeline,
                new_voucher("1234567890", OfferingCode::Ddps, 1)
            ),
            Err(VoucherError::BenefitNotActivated)
        );
        let manager = Actor::CustomerProjectManager { enrollment_id: "E-100".into() };
        let error = create_voucher(
            &pool(),
            &manager,
            date("2021-03-01"),
            &timeline,
            new_voucher("1234567890", OfferingCode::Ddps, 1),
        )
        .unwrap_err();
        assert_bilingual(&error, "The Customer project manager role cannot create and assign a voucher.");
        let other = Actor::CustomerBenefitAdministrator { enrollment_id: "E-999".into() };
        assert_eq!(
            create_voucher(
                &pool(),
                &other,
                date("2021-03-01"),
                &timeline,
                new_voucher("1234567890", OfferingCode::Ddps, 1)
            ),
            Err(VoucherError::NotYourVoucher)
        );
    }

    #[test]
    fn a_voucher_is_reservable_on_day_180_and_expired_on_day_181() {
        let voucher = created("2021-01-04", 5);
        assert_eq!(voucher.expires_on, date("2021-07-03"));
        // Day 180 is 2021-07-03; the engagement must start after today and end by the expiry.
        let on_day_180 = reserve(&voucher, "2021-07-02", &exchange_request("2021-07-03", "2021-07-03"));
        assert!(on_day_180.is_ok());
        let error = reserve(&voucher, "2021-07-04", &exchange_request("2021-07-05", "2021-07-05")).unwrap_err();
        assert_bilingual(&error, "The voucher has expired; it was valid through July 3, 2021 (end of day UTC).");
        assert_eq!(voucher.status_on(date("2021-07-03")), VoucherStatus::Assigned);
        assert_eq!(voucher.status_on(date("2021-07-04")), VoucherStatus::Expired);
    }

    #[test]
    fn a_reservation_must_come_strictly_before_the_engagement_start() {
        let voucher = created("2021-01-04", 5);
        assert!(reserve(&voucher, "2021-01-31", &exchange_request("2021-02-01", "2021-02-05")).is_ok());
        let error = reserve(&voucher, "2021-02-01", &exchange_request("2021-02-01", "2021-02-05")).unwrap_err();
        assert_bilingual(
            &error,
            "The engagement start date February 1, 2021 must be after today; reserve and reschedule before the engagement \
             starts.",
        );
    }

    #[test]
    fn the_schedule_must_end_by_the_expiry_date_and_not_before_it_starts() {
        let voucher = created("2021-01-04", 5);
        assert!(reserve(&voucher, "2021-06-01", &exchange_request("2021-06-29", "2021-07-03")).is_ok());
        let error = reserve(&voucher, "2021-06-01", &exchange_request("2021-06-30", "2021-07-04")).unwrap_err();
        assert_bilingual(
            &error,
            "The engagement must end by July 3, 2021 (end of day UTC), the voucher's last valid day; July 4, 2021 is too late.",
        );
        assert_eq!(
            reserve(&voucher, "2021-06-01", &exchange_request("2021-06-10", "2021-06-09")),
            Err(VoucherError::EndBeforeStart)
        );
    }

    #[test]
    fn the_delivery_country_must_be_the_reserving_location_s_country() {
        let voucher = created("2021-01-04", 5);
        let mut request = exchange_request("2021-02-01", "2021-02-05");
        request.delivery_country = CountryCode::parse("US").unwrap();
        let error = reserve(&voucher, "2021-01-10", &request).unwrap_err();
        assert_bilingual(
            &error,
            "The partner may not deliver this engagement: Location 1000001 is in KR but the engagement is delivered \
             in US; reserve under a location ID in US.",
        );
        request.location_id = LocationId::parse("1000002").unwrap();
        assert!(reserve(&voucher, "2021-01-10", &request).is_ok());
    }

    #[test]
    fn reserving_checks_the_email_the_engagement_and_its_maximum() {
        let voucher = created("2021-01-04", 5);
        let mut request = exchange_request("2021-02-01", "2021-02-05");
        request.voucher_admin_email = EmailAddress::parse("someone@fabrikam.com").unwrap();
        assert_eq!(reserve(&voucher, "2021-01-10", &request), Err(VoucherError::VoucherAdminEmailMismatch));
        let mut request = exchange_request("2021-02-01", "2021-02-05");
        request.engagement = EngagementId::SharepointDeploymentPlanning;
        let error = reserve(&voucher, "2021-01-10", &request).unwrap_err();
        assert_bilingual(
            &error,
            "SharePoint Deployment Planning is not part of S-EDPS; choose an engagement of the voucher's offering.",
        );
        let timeline = test_timeline();
        let fifteen = create_voucher(
            &pool(),
            &customer_admin(),
            date("2021-01-04"),
            &timeline,
            new_voucher("1234567891", OfferingCode::Ddps, 15),
        )
        .unwrap()
        .voucher;
        let mut request = exchange_request("2021-02-01", "2021-02-05");
        request.engagement = EngagementId::ModernItEnterpriseSecurityProofOfConcept;
        let error = reserve(&fifteen, "2021-01-10", &request).unwrap_err();
        assert_bilingual(
            &error,
            "Modern IT Enterprise Security Proof of Concept lasts at most 10 days, but the voucher carries 15.",
        );
    }

    #[test]
    fn the_first_partner_to_reserve_wins_and_only_it_may_cancel() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let error = reserve(&reserved, "2021-01-11", &exchange_request("2021-02-01", "2021-02-05")).unwrap_err();
        assert_bilingual(&error, "This voucher is already reserved. Another partner may have reserved it first.");
        let rival = Actor::MpnPartnerAdmin { partner_id: "northwind".into() };
        assert_eq!(cancel_reservation(&reserved, &rival), Err(VoucherError::NotYourVoucher));
        let cancelled = cancel_reservation(&reserved, &partner_admin()).unwrap().voucher;
        assert_eq!(cancelled.status(), VoucherStatus::Assigned);
        assert_eq!(cancelled.expires_on, voucher.expires_on);
        assert!(reserve(&cancelled, "2021-01-12", &exchange_request("2021-02-01", "2021-02-05")).is_ok());
    }

    #[test]
    fn an_ineligible_partner_is_refused_with_the_unmet_requirement() {
        let voucher = created("2021-01-04", 5);
        let mut partner = contoso();
        partner.enrolled_offerings.clear();
        let policy = EligibilityPolicy::published();
        let timeline = test_timeline();
        let context = ReservationContext { partner: &partner, policy: &policy, history: &[], timeline: &timeline };
        let error = reserve_voucher(
            &voucher,
            &partner_admin(),
            date("2021-01-10"),
            &exchange_request("2021-02-01", "2021-02-05"),
            &context,
        )
        .unwrap_err();
        assert_eq!(
            error,
            VoucherError::NotEligible {
                requirement: Requirement::OfferingEnrollment { offering: OfferingCode::Sedps },
                finding: Finding::NotEnrolled { offering: OfferingCode::Sedps }
            }
        );
    }

    #[test]
    fn a_second_fifteen_day_engagement_of_the_same_type_needs_an_exception() {
        let timeline = test_timeline();
        let voucher = create_voucher(
            &pool(),
            &customer_admin(),
            date("2021-01-04"),
            &timeline,
            new_voucher("2222222222", OfferingCode::Sedps, 15),
        )
        .unwrap()
        .voucher;
        let earlier = EngagementRecord {
            voucher_id: VoucherId::parse("1111111111").unwrap(),
            partner_id: "contoso".into(),
            customer_id: "fabrikam".into(),
            engagement: EngagementId::ExchangeDeploymentPlanning,
            service_level: ServiceLevel::FIFTEEN_DAYS,
            repeat_exception: None,
        };
        let partner = contoso();
        let policy = EligibilityPolicy::published();
        let history = [earlier.clone()];
        let context = ReservationContext { partner: &partner, policy: &policy, history: &history, timeline: &timeline };
        let mut request = exchange_request("2021-02-01", "2021-02-19");
        let error = reserve_voucher(&voucher, &partner_admin(), date("2021-01-10"), &request, &context).unwrap_err();
        assert_bilingual(
            &error,
            "This partner already has a 15-day Exchange Deployment Planning for this customer (voucher 1111111111); a \
             second one must serve a different division or legal entity, or cover different products.",
        );
        request.repeat_exception = Some(RepeatException::DifferentDivisionOrLegalEntity);
        assert!(reserve_voucher(&voucher, &partner_admin(), date("2021-01-10"), &request, &context).is_ok());
        // A different customer, engagement, or a 10-day earlier engagement is no repeat.
        let other_customer = [EngagementRecord { customer_id: "tailspin".into(), ..earlier.clone() }];
        let shorter = [EngagementRecord { service_level: ServiceLevel::try_from(10).unwrap(), ..earlier }];
        for history in [&other_customer[..], &shorter[..]] {
            let context = ReservationContext { history, ..context };
            request.repeat_exception = None;
            assert!(reserve_voucher(&voucher, &partner_admin(), date("2021-01-10"), &request, &context).is_ok());
        }
    }

    /// A 15-day Exchange engagement of Contoso for Fabrikam: voucher `id` created 2021-01-04 and
    /// reserved on 2021-01-10 (for 2021-02-01..19) with `exception`, against `history`.
    pub(crate) fn reserve_fifteen_days(
        id: &str,
        exception: Option<RepeatException>,
        history: &[EngagementRecord],
    ) -> Result<Voucher, VoucherError> {
        let timeline = test_timeline();
        let voucher = create_voucher(
            &pool(),
            &customer_admin(),
            date("2021-01-04"),
            &timeline,
            new_voucher(id, OfferingCode::Sedps, 15),
        )
        .unwrap()
        .voucher;
        let partner = contoso();
        let policy = EligibilityPolicy::published();
        let context = ReservationContext { partner: &partner, policy: &policy, history, timeline: &timeline };
        let request =
            ReservationRequest { repeat_exception: exception, ..exchange_request("2021-02-01", "2021-02-19") };
        Ok(reserve_voucher(&voucher, &partner_admin(), date("2021-01-10"), &request, &context)?.voucher)
    }

    /// What the operator's review asks of each voucher: the record it repeats, if any.
    fn repeats_at_review(vouchers: &[&Voucher]) -> Vec<Option<VoucherId>> {
        let history: Vec<EngagementRecord> =
            vouchers.iter().filter_map(|voucher| EngagementRecord::of(voucher)).collect();
        vouchers
            .iter()
            .map(|voucher| {
                let reservation = voucher.reservation().unwrap();
                repeat_limit_conflict(
                    &history,
                    voucher,
                    &reservation.partner_id,
                    reservation.engagement,
                    reservation.repeat_exception,
                )
                .map(|earlier| earlier.voucher_id.clone())
            })
            .collect()
    }

    #[test]
    fn an_exception_declared_by_the_later_engagement_clears_both_in_either_order() {
        let exception = Some(RepeatException::DifferentDivisionOrLegalEntity);
        // A without an exception, then B declaring one against A: neither is a repeat, at
        // reservation or when the review checks each again against the other.
        let a = reserve_fifteen_days("1111111111", None, &[]).unwrap();
        let b = reserve_fifteen_days("2222222222", exception, &[EngagementRecord::of(&a).unwrap()]).unwrap();
        assert_eq!(EngagementRecord::of(&b).unwrap().repeat_exception, exception);
        assert_eq!(repeats_at_review(&[&a, &b]), [None, None]);
        // B with the exception reserved first, then A without: A is not refused.
        let b = reserve_fifteen_days("2222222222", exception, &[]).unwrap();
        let a = reserve_fifteen_days("1111111111", None, &[EngagementRecord::of(&b).unwrap()]).unwrap();
        assert_eq!(repeats_at_review(&[&b, &a]), [None, None]);
    }

    #[test]
    fn two_fifteen_day_engagements_without_an_exception_are_still_a_repeat() {
        let a = reserve_fifteen_days("1111111111", None, &[]).unwrap();
        let error = reserve_fifteen_days("2222222222", None, &[EngagementRecord::of(&a).unwrap()]).unwrap_err();
        assert_eq!(
            error,
            VoucherError::RepeatLimitReached {
                engagement: EngagementId::ExchangeDeploymentPlanning,
                earlier_voucher_id: a.id.clone(),
            }
        );
        // Reserved without seeing each other (as imported data may be), the review flags both.
        let b = reserve_fifteen_days("2222222222", None, &[]).unwrap();
        assert_eq!(repeats_at_review(&[&a, &b]), [Some(b.id.clone()), Some(a.id.clone())]);
    }

    #[test]
    fn rescheduling_keeps_within_validity_and_the_future() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let moved = reschedule_engagement(
            &reserved,
            &partner_admin(),
            date("2021-01-20"),
            date("2021-06-29"),
            date("2021-07-03"),
        )
        .unwrap();
        assert_eq!(moved.voucher.reservation().unwrap().starts_on, date("2021-06-29"));
        assert_eq!(
            reschedule_engagement(
                &reserved,
                &partner_admin(),
                date("2021-01-20"),
                date("2021-06-30"),
                date("2021-07-04")
            ),
            Err(VoucherError::ScheduleBeyondExpiry { ends_on: date("2021-07-04"), expires_on: date("2021-07-03") })
        );
        assert_eq!(
            reschedule_engagement(
                &reserved,
                &partner_admin(),
                date("2021-01-20"),
                date("2021-01-20"),
                date("2021-01-22")
            ),
            Err(VoucherError::StartNotAfterToday { starts_on: date("2021-01-20") })
        );
    }

    #[test]
    fn a_completion_report_needs_the_deliverable_and_a_finished_delivery() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let mut without = report("2021-02-01", "2021-02-05", 5);
        without.deliverable_document_ids = vec!["  ".into()];
        let error = file(&reserved, &partner_admin(), "2021-02-06", without).unwrap_err();
        assert_bilingual(
            &error,
            "Upload the customer deliverable with the completion report; without it the voucher is not payable.",
        );
        assert_eq!(
            file(&reserved, &partner_admin(), "2021-02-04", report("2021-02-01", "2021-02-05", 5)),
            Err(VoucherError::DeliveryNotFinished { delivered_through: date("2021-02-05") })
        );
        assert_eq!(
            file(&reserved, &partner_admin(), "2021-02-06", report("2021-02-01", "2021-02-05", 6)),
            Err(VoucherError::DaysDeliveredOutOfRange { days_delivered: 6, service_level: 5 })
        );
        let mut offsite = report("2021-02-01", "2021-02-05", 5);
        offsite.offsite_days = 4;
        assert_eq!(
            file(&reserved, &partner_admin(), "2021-02-06", offsite),
            Err(VoucherError::TooManyOffsiteDays { offsite_days: 4 })
        );
        let consultant = Actor::Consultant { partner_id: "contoso".into(), consultant_id: "kim".into() };
        assert!(file(&reserved, &consultant, "2021-02-05", report("2021-02-01", "2021-02-05", 5)).is_ok());
    }

    #[test]
    fn a_delivery_country_the_program_does_not_pay_is_refused_at_reservation() {
        let voucher = created("2021-01-04", 5);
        let mut request = exchange_request("2021-02-01", "2021-02-05");
        request.delivery_country = CountryCode::parse("CH").unwrap();
        let error = reserve(&voucher, "2021-01-10", &request).unwrap_err();
        assert_eq!(error, VoucherError::DeliveryCountryNotPaid { country: CountryCode::parse("CH").unwrap() });
        assert_bilingual(
            &error,
            "The program pays no daily rate for engagements delivered in CH, so a voucher delivered there could \
             never be paid; choose a delivery country the program pays for.",
        );
        // With a rate for the country, the same reservation goes on to the other checks.
        assert!(reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).is_ok());
    }

    #[test]
    fn the_delivery_lies_within_the_reserved_dates_on_both_ends() {
        // Reserved for 2021-02-01..2021-02-05 (the voucher was assigned 2021-01-04, before it).
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let refusal =
            VoucherError::DeliveryOutsideReservation { starts_on: date("2021-02-01"), ends_on: date("2021-02-05") };
        let outside = Err(refusal.clone());
        assert_eq!(file(&reserved, &partner_admin(), "2021-02-10", report("2021-01-31", "2021-02-04", 5)), outside);
        assert_eq!(file(&reserved, &partner_admin(), "2021-02-10", report("2021-02-01", "2021-02-06", 5)), outside);
        // Before the assignment is before the reservation too.
        assert_eq!(file(&reserved, &partner_admin(), "2021-02-10", report("2021-01-03", "2021-02-05", 5)), outside);
        assert!(file(&reserved, &partner_admin(), "2021-02-10", report("2021-02-01", "2021-02-05", 5)).is_ok());
        assert_bilingual(
            &refusal,
            "The delivery dates must lie within the reserved engagement dates, February 1, 2021 to February 5, 2021.",
        );
    }

    #[test]
    fn the_days_delivered_fit_the_delivery_dates() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        // Three calendar days hold three days of delivery, not four.
        assert!(file(&reserved, &partner_admin(), "2021-02-10", report("2021-02-01", "2021-02-03", 3)).is_ok());
        let error = file(&reserved, &partner_admin(), "2021-02-10", report("2021-02-01", "2021-02-03", 4)).unwrap_err();
        assert_eq!(error, VoucherError::DaysDeliveredAboveDates { days_delivered: 4, span_days: 3 });
        assert_bilingual(
            &error,
            "4 days cannot be delivered in 3 calendar days; check the days delivered and the delivery dates.",
        );
    }

    #[test]
    fn the_consultant_named_in_the_report_must_be_qualified_when_it_is_filed() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let mut stranger = report("2021-02-01", "2021-02-05", 5);
        stranger.consultant_id = "nobody".into();
        let error = file(&reserved, &partner_admin(), "2021-02-06", stranger).unwrap_err();
        assert!(matches!(
            error,
            VoucherError::NotEligible { requirement: Requirement::DeliveringConsultant { .. }, .. }
        ));
        // The same check as at reservation: a consultant without a qualifying exam is refused.
        let mut partner = contoso();
        partner.consultants.iter_mut().for_each(|consultant| consultant.passed_exams.clear());
        let error = submit_completion_report(
            &reserved,
            &partner_admin(),
            date("2021-02-06"),
            report("2021-02-01", "2021-02-05", 5),
            &partner,
        )
        .unwrap_err();
        assert!(matches!(error, VoucherError::NotEligible { finding: Finding::ConsultantNotQualified { .. }, .. }));
    }

    #[test]
    fn a_report_carries_one_to_ten_deliverables_and_reads_the_single_one_stored_before() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let mut two = report("2021-02-01", "2021-02-05", 5);
        two.deliverable_document_ids = vec!["doc-1".into(), "doc-2".into()];
        let filed = file(&reserved, &partner_admin(), "2021-02-06", two).unwrap().voucher;
        assert_eq!(filed.completion_report().unwrap().deliverable_document_ids, ["doc-1", "doc-2"]);
        let mut eleven = report("2021-02-01", "2021-02-05", 5);
        eleven.deliverable_document_ids = (0..11).map(|index| format!("doc-{index}")).collect();
        assert_eq!(
            file(&reserved, &partner_admin(), "2021-02-06", eleven),
            Err(VoucherError::TooManyDeliverables { count: 11 })
        );
        // A report stored with the single field of earlier versions reads as a list of one.
        let mut json = serde_json::to_value(filed.completion_report().unwrap()).unwrap();
        let object = json.as_object_mut().unwrap();
        object.remove("deliverable_document_ids");
        object.insert("deliverable_document_id".into(), "doc-0".into());
        let old: CompletionReport = serde_json::from_value(json).unwrap();
        assert_eq!(old.deliverable_document_ids, ["doc-0"]);
    }

    #[test]
    fn redemption_needs_the_completion_report() {
        let voucher = created("2021-01-04", 5);
        let reserved = reserve(&voucher, "2021-01-10", &exchange_request("2021-02-01", "2021-02-05")).unwrap().voucher;
        let error = redeem_voucher(&reserved, &partner_admin(), date("2021-02-06"), &test_timeline()).unwrap_err();
        assert_bilingual(&error, "Submit the completion report with the deliverable before redeeming the voucher.");
    }

    #[test]
    fn a_voucher_is_redeemable_on_day_180_but_not_on_day_181() {
        let timeline = test_timeline();
        let voucher = reported();
        let redeemed = redeem_voucher(&voucher, &partner_admin(), date("2021-07-03"), &timeline).unwrap();
        assert_eq!(redeemed.voucher.status(), VoucherStatus::Redeemed);
        assert_eq!(
            redeemed.events,
            vec![VoucherEvent::Redeemed { voucher_id: voucher.id.clone(), payment_deadline: date("2021-09-01") }]
        );
        assert_eq!(
            redeem_voucher(&voucher, &partner_admin(), date("2021-07-04"), &timeline),
            Err(VoucherError::VoucherExpired { expires_on: date("2021-07-03") })
        );
    }

    #[test]
    fn redemption_is_open_on_2022_01_01_and_closed_on_2022_01_02() {
        let timeline = test_timeline();
        // A voucher whose life runs past the program end (as a COVID-extended one could).
        let voucher = Voucher { expires_on: date("2022-03-01"), ..reported() };
        assert!(redeem_voucher(&voucher, &partner_admin(), date("2022-01-01"), &timeline).is_ok());
        let error = redeem_voucher(&voucher, &partner_admin(), date("2022-01-02"), &timeline).unwrap_err();
        assert_bilingual(
            &error,
            "Vouchers can no longer be redeemed; the last day was January 1, 2022 (end of day UTC).",
        );
    }

    #[test]
    fn only_the_reserving_partner_s_admins_redeem() {
        let timeline = test_timeline();
        let global = Actor::PartnerGlobalAdmin { partner_id: "contoso".into() };
        assert!(redeem_voucher(&reported(), &global, date("2021-02-10"), &timeline).is_ok());
        let consultant = Actor::Consultant { partner_id: "contoso".into(), consultant_id: "kim".into() };
        let error = redeem_voucher(&reported(), &consultant, date("2021-02-10"), &timeline).unwrap_err();
        assert_bilingual(&error, "The Consultant role cannot redeem a voucher.");
        let rival = Actor::MpnPartnerAdmin { partner_id: "northwind".into() };
        assert_eq!(
            redeem_voucher(&reported(), &rival, date("2021-02-10"), &timeline),
            Err(VoucherError::NotYourVoucher)
        );
    }

    #[test]
    fn a_claim_is_accepted_on_day_60_after_redemption_and_refused_on_day_61() {
        let timeline = test_timeline();
        let redeemed = redeemed_on("2021-02-10");
        let claimed = claim_voucher(&redeemed, &partner_admin(), date("2021-04-11"), &timeline, "PR-1").unwrap();
        assert_eq!(claimed.voucher.status(), VoucherStatus::Claimed);
        let error = claim_voucher(&redeemed, &partner_admin(), date("2021-04-12"), &timeline, "PR-1").unwrap_err();
        assert_bilingual(
            &error,
            "Payment must be requested within 60 days of redemption on February 10, 2021; the last day was April 11, 2021 (end of day UTC).",
        );
        let again =
            claim_voucher(&claimed.voucher, &partner_admin(), date("2021-03-01"), &timeline, "PR-2").unwrap_err();
        assert_bilingual(&again, "This voucher is already in payment request PR-1.");
    }

    #[test]
    fn a_claimed_voucher_is_paid_or_released_only_through_its_own_request() {
        let timeline = test_timeline();
        let claimed =
            claim_voucher(&redeemed_on("2021-02-10"), &partner_admin(), date("2021-03-01"), &timeline, "PR-1")
                .unwrap()
                .voucher;
        assert_eq!(
            mark_voucher_paid(&claimed, &Actor::ProgramOperator, date("2021-03-20"), "PR-2"),
            Err(VoucherError::NotInThisPaymentRequest)
        );
        assert_eq!(
            mark_voucher_paid(&claimed, &partner_admin(), date("2021-03-20"), "PR-1"),
            Err(VoucherError::RoleNotAllowed { role: Role::MpnPartnerAdmin, action: Action::MarkPaid })
        );
        let paid = mark_voucher_paid(&claimed, &Actor::ProgramOperator, date("2021-03-20"), "PR-1").unwrap().voucher;
        assert_eq!(paid.status(), VoucherStatus::Paid);
        let released =
            release_claim(&claimed, &Actor::ProgramOperator, "PR-1", date("2021-03-01"), date("2021-03-20"), &timeline)
                .unwrap()
                .voucher;
        assert_eq!(released.status(), VoucherStatus::Redeemed);
    }

    #[test]
    fn expiry_returns_days_while_the_enrollment_is_active_and_before_removal() {
        let timeline = test_timeline();
        // Created 2021-01-01, valid through 2021-06-30, expired on 2021-07-01: the removal day.
        let late = created("2021-01-01", 5);
        let removed = expire_voucher(&late, &pool(), date("2021-07-01"), &timeline).unwrap();
        assert_eq!((removed.pool.remaining_days, removed.voucher.status()), (30, VoucherStatus::Expired));
        // Created a day earlier: expired on 2021-06-30, before removal: days come back.
        let early = created("2020-12-31", 5);
        let returned = expire_voucher(&early, &pool(), date("2021-07-05"), &timeline).unwrap();
        assert_eq!(returned.pool.remaining_days, 35);
        assert_eq!(returned.voucher.state, VoucherState::Expired { expired_on: date("2021-06-30"), days_returned: 5 });
        assert_eq!(returned.pool.remaining_on(date("2021-07-05"), &timeline), 0);
        // The enrollment ended the day before expiry: days are lost.
        let ended = DayPool { enrollment_ends_on: date("2021-06-29"), ..pool() };
        assert_eq!(expire_voucher(&early, &ended, date("2021-07-05"), &timeline).unwrap().pool.remaining_days, 30);
        let on_last_day = DayPool { enrollment_ends_on: date("2021-06-30"), ..pool() };
        assert_eq!(
            expire_voucher(&early, &on_last_day, date("2021-07-05"), &timeline).unwrap().pool.remaining_days,
            35
        );
    }

    #[test]
    fn a_voucher_does_not_expire_before_day_181_nor_after_redemption() {
        let timeline = test_timeline();
        let voucher = created("2021-01-04", 5);
        let error = expire_voucher(&voucher, &pool(), date("2021-07-03"), &timeline).unwrap_err();
        assert_bilingual(&error, "The voucher is valid through July 3, 2021 (end of day UTC) and has not expired.");
        assert!(expire_voucher(&voucher, &pool(), date("2021-07-04"), &timeline).is_ok());
        let error = expire_voucher(&redeemed_on("2021-02-10"), &pool(), date("2021-12-01"), &timeline).unwrap_err();
        assert_bilingual(&error, "A voucher that is Redeemed does not expire.");
    }

    #[test]
    fn wrong_status_names_the_status_and_the_action() {
        let voucher = created("2021-01-04", 5);
        let error = cancel_reservation(&voucher, &partner_admin()).unwrap_err();
        assert_bilingual(&error, "The voucher is Assigned; you cannot cancel a reservation in that status.");
        assert!(error.message(Locale::Ko).contains("할당됨"));
    }

    #[test]
    fn vouchers_round_trip_through_json_with_their_state() {
        let voucher = redeemed_on("2021-02-10");
        let json = serde_json::to_value(&voucher).unwrap();
        assert!(json["state"].get("redeemed").is_some(), "{json}");
        assert_eq!(json["offering"], "SEDPS");
        let back: Voucher = serde_json::from_value(json).unwrap();
        assert_eq!(back, voucher);
        let error = VoucherError::CreationClosed { last_day: date("2021-06-30") };
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["creation_closed"]["last_day"], "2021-06-30");
    }
}

/// A property test: random sequences of operations on one voucher agree with a small reference
/// model that states each rule in the plainest way (native only: proptest needs an OS RNG).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod state_machine_tests {
    use chrono::Days;
    use proptest::prelude::*;

    use super::tests::{customer_admin, exchange_request, new_voucher, partner_admin};
    use super::*;
    use crate::eligibility::tests::{contoso, date};
    use crate::timeline::test_timeline;

    /// A day worth landing on exactly: each rule's last day and the day after.
    #[derive(Debug, Clone, Copy)]
    enum Landmark {
        LastValidDay,
        LastCreationDay,
        ScheduleEnd,
        PaymentDeadline,
        LastRedemptionDay,
    }

    #[derive(Debug, Clone)]
    enum Operation {
        Advance(u64),
        /// Moves to the landmark plus 0 or 1 days, if that is not in the past.
        JumpTo(Landmark, u64),
        Create,
        Reserve {
            start_in: u64,
            length: u64,
        },
        Reschedule {
            start_in: u64,
            length: u64,
        },
        Cancel,
        Report {
            days: u8,
        },
        Redeem,
        Claim,
        Release,
        Pay,
        Expire,
        /// The next step of the forward path from the model's state, resolved before applying.
        Forward,
    }

    /// Weighted towards the lifecycle's forward path so that long chains (create, reserve, report,
    /// redeem, claim) happen often, with landmark jumps to hit every boundary exactly.
    fn operation() -> impl Strategy<Value = Operation> {
        let landmark = prop_oneof![
            Just(Landmark::LastValidDay),
            Just(Landmark::LastCreationDay),
            Just(Landmark::ScheduleEnd),
            Just(Landmark::PaymentDeadline),
            Just(Landmark::LastRedemptionDay),
        ];
        prop_oneof![
            2 => (0u64..45).prop_map(Operation::Advance),
            5 => (landmark, 0u64..2).prop_map(|(landmark, extra)| Operation::JumpTo(landmark, extra)),
            3 => Just(Operation::Create),
            4 => (0u64..20, 0u64..6).prop_map(|(start_in, length)| Operation::Reserve { start_in, length }),
            1 => (0u64..20, 0u64..6).prop_map(|(start_in, length)| Operation::Reschedule { start_in, length }),
            1 => Just(Operation::Cancel),
            4 => prop_oneof![3 => Just(DAYS), 1 => 0u8..7].prop_map(|days| Operation::Report { days }),
            4 => Just(Operation::Redeem),
            3 => Just(Operation::Claim),
            1 => Just(Operation::Release),
            1 => Just(Operation::Pay),
            2 => Just(Operation::Expire),
            8 => Just(Operation::Forward),
        ]
    }

    /// The reference model: the rules restated over plain fields.
    #[derive(Debug, Clone)]
    struct Model {
        today: NaiveDate,
        pool: u32,
        status: Option<VoucherStatus>,
        expires_on: NaiveDate,
        schedule: (NaiveDate, NaiveDate),
        report: bool,
        /// The last day to request payment (redemption + 60, moved by a rejection).
        payment_deadline: NaiveDate,
        claimed_on: NaiveDate,
    }

    const DAYS: u8 = 5;

    fn plus(day: NaiveDate, days: u64) -> NaiveDate {
        day.checked_add_days(Days::new(days)).unwrap()
    }

    impl Model {
        /// The concrete operation that moves the voucher one step forward.
        fn resolve(&self, operation: &Operation) -> Operation {
            if !matches!(operation, Operation::Forward) {
                return operation.clone();
            }
            match self.status {
                None => Operation::Create,
                Some(VoucherStatus::Assigned) => Operation::Reserve { start_in: 1, length: 2 },
                Some(VoucherStatus::Reserved) if !self.report && self.today < self.schedule.1 => {
                    Operation::JumpTo(Landmark::ScheduleEnd, 0)
                }
                Some(VoucherStatus::Reserved) if !self.report => Operation::Report { days: DAYS },
                Some(VoucherStatus::Reserved) => Operation::Redeem,
                Some(VoucherStatus::Redeemed) => Operation::Claim,
                Some(VoucherStatus::Claimed) => Operation::Pay,
                Some(VoucherStatus::Paid | VoucherStatus::Expired) => Operation::Advance(1),
            }
        }

        /// Applies the operation and says whether the model accepts it.
        fn apply(&mut self, operation: &Operation) -> bool {
            let status = self.status;
            let today = self.today;
            let valid = today <= self.expires_on;
            match *operation {
                Operation::Advance(days) => {
                    self.today = plus(today, days);
                    true
                }
                Operation::Forward => unreachable!("resolved before applying"),
                Operation::JumpTo(landmark, extra) => {
                    let target = match landmark {
                        Landmark::LastValidDay => self.expires_on,
                        Landmark::LastCreationDay => date("2021-06-30"),
                        Landmark::ScheduleEnd => self.schedule.1,
                        Landmark::PaymentDeadline => self.payment_deadline,
                        Landmark::LastRedemptionDay => date("2022-01-01"),
                    };
                    self.today = self.today.max(plus(target, extra));
                    true
                }
                Operation::Create => {
                    let ok = status.is_none() && today <= date("2021-06-30") && self.pool >= u32::from(DAYS);
                    if ok {
                        self.status = Some(VoucherStatus::Assigned);
                        self.expires_on = plus(today, 180);
                        self.pool -= u32::from(DAYS);
                    }
                    ok
                }
                Operation::Reserve { start_in, length } => {
                    let (starts_on, ends_on) = (plus(today, start_in), plus(today, start_in + length));
                    let ok = status == Some(VoucherStatus::Assigned)
                        && valid
                        && today <= date("2021-12-27")
                        && start_in > 0
                        && ends_on <= self.expires_on;
                    if ok {
                        self.status = Some(VoucherStatus::Reserved);
                        self.schedule = (starts_on, ends_on);
                        self.report = false;
                    }
                    ok
                }
                Operation::Reschedule { start_in, length } => {
                    let (starts_on, ends_on) = (plus(today, start_in), plus(today, start_in + length));
                    let ok = status == Some(VoucherStatus::Reserved)
                        && valid
                        && !self.report
                        && start_in > 0
                        && ends_on <= self.expires_on;
                    if ok {
                        self.schedule = (starts_on, ends_on);
                    }
                    ok
                }
                Operation::Cancel => {
                    let ok = status == Some(VoucherStatus::Reserved);
                    if ok {
                        self.status = Some(VoucherStatus::Assigned);
                        self.report = false;
                    }
                    ok
                }
                Operation::Report { days } => {
                    let ok = status == Some(VoucherStatus::Reserved)
                        && !self.report
                        && valid
                        && self.schedule.1 <= today
                        && (1..=DAYS).contains(&days)
                        && i64::from(days) <= (self.schedule.1 - self.schedule.0).num_days() + 1;
                    self.report |= ok;
                    ok
                }
                Operation::Redeem => {
                    let ok =
                        status == Some(VoucherStatus::Reserved) && self.report && valid && today <= date("2022-01-01");
                    if ok {
                        self.status = Some(VoucherStatus::Redeemed);
                        self.payment_deadline = plus(today, 60);
                    }
                    ok
                }
                Operation::Claim => {
                    let ok = status == Some(VoucherStatus::Redeemed) && today <= self.payment_deadline;
                    if ok {
                        self.status = Some(VoucherStatus::Claimed);
                        self.claimed_on = today;
                    }
                    ok
                }
                Operation::Release | Operation::Pay => {
                    let ok = status == Some(VoucherStatus::Claimed);
                    if ok {
                        let paid = matches!(operation, Operation::Pay);
                        self.status = Some(if paid { VoucherStatus::Paid } else { VoucherStatus::Redeemed });
                        if !paid {
                            // The clock stood still while claimed; at least 14 days after release.
                            let left = (self.payment_deadline - self.claimed_on).num_days().max(14);
                            self.payment_deadline = plus(today, left as u64);
                        }
                    }
                    ok
                }
                Operation::Expire => {
                    let open = matches!(status, Some(VoucherStatus::Assigned | VoucherStatus::Reserved));
                    let ok = open && !valid;
                    if ok {
                        self.status = Some(VoucherStatus::Expired);
                        if plus(self.expires_on, 1) < date("2021-07-01") {
                            self.pool += u32::from(DAYS);
                        }
                    }
                    ok
                }
            }
        }
    }

    /// Applies the operation to the real machine; `None` when it refuses.
    fn run(
        voucher: &Option<Voucher>,
        pool: &DayPool,
        today: NaiveDate,
        operation: &Operation,
    ) -> Option<(Voucher, DayPool)> {
        let mut partner = contoso();
        partner.renewal_due_on = Some(date("2030-12-31"));
        for held in &mut partner.competencies {
            held.expires_on = date("2030-12-31");
        }
        let policy = EligibilityPolicy::published();
        let timeline = test_timeline();
        let context = ReservationContext { partner: &partner, policy: &policy, history: &[], timeline: &timeline };
        let admin = partner_admin();
        let same_pool = |transition: Transition| (transition.voucher, pool.clone());
        if let Operation::Create = operation {
            let created = create_voucher(
                pool,
                &customer_admin(),
                today,
                &timeline,
                new_voucher("1234567890", OfferingCode::Sedps, DAYS),
            );
            return match voucher {
                Some(_) => None,
                None => created.ok().map(|transition| (transition.voucher, transition.pool)),
            };
        }
        let voucher = voucher.as_ref()?;
        let request = |start_in: u64, length: u64| {
            let (starts_on, ends_on) = (plus(today, start_in), plus(today, start_in + length));
            ReservationRequest { starts_on, ends_on, ..exchange_request("2021-01-01", "2021-01-01") }
        };
        match *operation {
            Operation::Advance(_) | Operation::JumpTo(..) | Operation::Create | Operation::Forward => {
                unreachable!("handled by the caller")
            }
            Operation::Reserve { start_in, length } => {
                reserve_voucher(voucher, &admin, today, &request(start_in, length), &context).ok().map(same_pool)
            }
            Operation::Reschedule { start_in, length } => {
                let request = request(start_in, length);
                reschedule_engagement(voucher, &admin, today, request.starts_on, request.ends_on).ok().map(same_pool)
            }
            Operation::Cancel => cancel_reservation(voucher, &admin).ok().map(same_pool),
            Operation::Report { days } => {
                let (delivered_from, delivered_through) = voucher
                    .reservation()
                    .map_or((today, today), |reservation| (reservation.starts_on, reservation.ends_on));
                let input = CompletionReportInput {
                    consultant_id: "kim".into(),
                    delivered_from,
                    delivered_through,
                    days_delivered: days,
                    offsite_days: 0,
                    deliverable_document_ids: vec!["doc".into()],
                };
                submit_completion_report(voucher, &admin, today, input, &contoso()).ok().map(same_pool)
            }
            Operation::Redeem => redeem_voucher(voucher, &admin, today, &timeline).ok().map(same_pool),
            Operation::Claim => claim_voucher(voucher, &admin, today, &timeline, "PR-1").ok().map(same_pool),
            Operation::Release => {
                let claimed_on = match &voucher.state {
                    VoucherState::Claimed { claimed_on, .. } => claimed_on.unwrap_or(today),
                    _ => today,
                };
                release_claim(voucher, &Actor::ProgramOperator, "PR-1", claimed_on, today, &timeline)
                    .ok()
                    .map(same_pool)
            }
            Operation::Pay => mark_voucher_paid(voucher, &Actor::ProgramOperator, today, "PR-1").ok().map(same_pool),
            Operation::Expire => expire_voucher(voucher, pool, today, &timeline)
                .ok()
                .map(|transition| (transition.voucher, transition.pool)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        #[test]
        fn the_voucher_machine_agrees_with_the_reference_model(
            // 61 lands on 2021-01-01: that voucher expires on the day unused days are removed.
            start in prop_oneof![3 => 0u64..240, 1 => Just(61u64), 1 => Just(60u64)],
            initial_days in 0u32..12,
            operations in prop::collection::vec(operation(), 1..60),
        ) {
            let today = plus(date("2020-11-01"), start);
            let mut model = Model {
                today,
                pool: initial_days,
                status: None,
                expires_on: today,
                schedule: (today, today),
                report: false,
                payment_deadline: today,
                claimed_on: today,
            };
            let mut pool = DayPool { remaining_days: initial_days, enrollment_ends_on: date("2030-12-31"), ..super::tests::pool() };
            let mut voucher: Option<Voucher> = None;
            for operation in &operations {
                let operation = &model.resolve(operation);
                let day = model.today;
                let expected = model.apply(operation);
                if matches!(operation, Operation::Advance(_) | Operation::JumpTo(..)) {
                    continue;
                }
                let actual = run(&voucher, &pool, day, operation);
                prop_assert_eq!(actual.is_some(), expected, "{:?} on {} with model {:?}", operation, day, model);
                if let Some((next, next_pool)) = actual {
                    voucher = Some(next);
                    pool = next_pool;
                }
                prop_assert_eq!(voucher.as_ref().map(Voucher::status), model.status);
                prop_assert_eq!(pool.remaining_days, model.pool);
                if let Some(voucher) = &voucher {
                    prop_assert_eq!(voucher.expires_on, model.expires_on);
                }
            }
        }
    }
}

#[cfg(test)]
mod activation_tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_benefit_can_be_activated_through_the_last_day_of_the_enrollment() {
        let ends_on: NaiveDate = "2021-09-30".parse().unwrap();
        assert_eq!(check_benefit_activation(ends_on, ends_on), Ok(()));
        let error = check_benefit_activation(ends_on, "2021-10-01".parse().unwrap()).unwrap_err();
        assert_eq!(error, VoucherError::EnrollmentEnded { ended_on: ends_on });
        assert_ne!(error.message(Locale::Ko), error.message(Locale::En));
    }
}

#[cfg(test)]
mod event_message_tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_assignment_notification_carries_the_voucher_number_and_expiry() {
        let event = VoucherEvent::Created {
            voucher_id: VoucherId::parse("123456789012").unwrap(),
            days_deducted: 5,
            expires_on: "2021-12-27".parse().unwrap(),
        };
        let english = event.message(Locale::En);
        assert!(english.starts_with("Voucher 123456789012 was created and assigned: 5 days"), "{english}");
        let korean = event.message(Locale::Ko);
        assert!(korean.contains("123456789012") && korean.contains("2021년 12월 27일"), "{korean}");
    }

    #[test]
    fn an_expiry_says_whether_the_days_came_back() {
        let voucher_id = VoucherId::parse("123456789012").unwrap();
        let lost = VoucherEvent::Expired { voucher_id: voucher_id.clone(), days_returned: 0 };
        let returned = VoucherEvent::Expired { voucher_id, days_returned: 3 };
        assert_eq!(lost.message(Locale::En), "Voucher 123456789012 expired; its days could not return to the pool.");
        assert_eq!(returned.message(Locale::En), "Voucher 123456789012 expired; 3 days returned to the pool.");
    }
}
