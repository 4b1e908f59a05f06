//! Partner eligibility (DOMAIN.md §5): a checklist per offering and per engagement, each item met
//! or unmet with the reason, so the UI can show a green check per satisfied requirement.
//!
//! Layers, all evaluated on `today` (an argument; nothing here reads a clock):
//! company (program agreement at the required version, yearly renewal and compliance training
//! when the policy switches them on, at least one location), offering (enrolled; holds a competency of one of its engagements),
//! engagement (holds one of the engagement's competency alternatives; some consultant passed an
//! exam of one of them). A competency is valid through its expiry date; the yearly renewal is
//! overdue when `today` is after the renewal date.
//!
//! Choices where DOMAIN.md is open: compliance training is a policy flag, off in
//! [`EligibilityPolicy::published`] because the docs dropped it in December 2020 (turn it on to
//! model the historical rule). Exams map to competencies through the data given
//! ([`PassedExam::counts_toward`]); the consultant rule needs no competency level.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{
    alternatives_message, pick, CompetencyId, CompetencyLevel, Engagement, EngagementId, OfferingCode,
};
use crate::locale::{Locale, Localize};
use crate::parse::{format_date, CountryCode, LocationId};

/// The program agreement the company signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedAgreement {
    pub version: u32,
    pub signed_on: NaiveDate,
}

/// A competency the company holds, valid through `expires_on` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldCompetency {
    pub competency: CompetencyId,
    pub level: CompetencyLevel,
    pub expires_on: NaiveDate,
}

/// An MPN location of the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerLocation {
    pub location_id: LocationId,
    pub country: CountryCode,
}

/// An exam or technical assessment a consultant passed, and the competency it counts toward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassedExam {
    pub exam: String,
    pub counts_toward: CompetencyId,
}

/// A consultant who may lead engagements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consultant {
    pub consultant_id: String,
    pub passed_exams: Vec<PassedExam>,
}

impl Consultant {
    /// The first exam that qualifies this consultant for `engagement`.
    pub fn qualifying_exam(&self, engagement: EngagementId) -> Option<&PassedExam> {
        let mask = engagement.competency_mask();
        self.passed_exams.iter().find(|exam| exam.counts_toward.bit() & mask != 0)
    }
}

/// What the rules need to know about a partner organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerProfile {
    pub partner_id: String,
    pub agreement: Option<SignedAgreement>,
    /// The yearly renewal date; the membership is overdue from the day after.
    pub renewal_due_on: Option<NaiveDate>,
    pub compliance_training_completed: bool,
    pub enrolled_offerings: Vec<OfferingCode>,
    pub competencies: Vec<HeldCompetency>,
    pub locations: Vec<PartnerLocation>,
    pub consultants: Vec<Consultant>,
}

impl PartnerProfile {
    pub fn location(&self, location_id: &LocationId) -> Option<&PartnerLocation> {
        self.locations.iter().find(|location| &location.location_id == location_id)
    }

    pub fn consultant(&self, consultant_id: &str) -> Option<&Consultant> {
        self.consultants.iter().find(|consultant| consultant.consultant_id == consultant_id)
    }
}

/// The configurable part of the eligibility rules (the `[eligibility]` table of the server's
/// `config/program.toml`). The compliance training and the yearly renewal are requirements of
/// the older program document that the newer one no longer names (DOMAIN.md §5): both are
/// switches, treated alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EligibilityPolicy {
    /// The program agreement version partners must have signed.
    pub required_agreement_version: u32,
    /// Whether the company compliance training of the older document is required.
    pub compliance_training_required: bool,
    /// Whether the yearly membership renewal of the older document is required.
    pub annual_renewal_required: bool,
}

impl EligibilityPolicy {
    /// The rules as in the final docs revision: agreement version 1, neither the compliance
    /// training nor the yearly renewal.
    pub fn published() -> Self {
        EligibilityPolicy {
            required_agreement_version: 1,
            compliance_training_required: false,
            annual_renewal_required: false,
        }
    }
}

/// What is required: its localized text says what would satisfy it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    ProgramAgreement { version: u32 },
    AnnualRenewal,
    ComplianceTraining,
    LocationOnRecord,
    OfferingEnrollment { offering: OfferingCode },
    OfferingCompetency { offering: OfferingCode },
    EngagementCompetency { engagement: EngagementId },
    QualifiedConsultant { engagement: EngagementId },
    DeliveryLocation { country: CountryCode },
    DeliveringConsultant { consultant_id: String },
}

impl Localize for Requirement {
    fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (Requirement::ProgramAgreement { version }, Locale::En) => {
                format!("Program agreement signed (version {version} or later)")
            }
            (Requirement::ProgramAgreement { version }, Locale::Ko) => {
                format!("프로그램 계약 서명(버전 {version} 이상)")
            }
            (Requirement::AnnualRenewal, _) => pick(locale, "Yearly membership renewal", "연간 멤버십 갱신"),
            (Requirement::ComplianceTraining, _) => {
                pick(locale, "Planning Services compliance training", "계획 서비스 규정 준수 교육 이수")
            }
            (Requirement::LocationOnRecord, _) => pick(locale, "At least one MPN location ID", "MPN 위치 ID 1개 이상"),
            (Requirement::OfferingEnrollment { offering }, Locale::En) => {
                format!("Enrolled in {}", offering.details().label)
            }
            (Requirement::OfferingEnrollment { offering }, Locale::Ko) => {
                format!("{} 프로그램 등록", offering.details().label)
            }
            (Requirement::OfferingCompetency { offering }, Locale::En) => {
                format!("A competency that qualifies for an engagement of {}", offering.details().label)
            }
            (Requirement::OfferingCompetency { offering }, Locale::Ko) => {
                format!("{} 참여 유형 중 하나의 자격 요건 역량", offering.details().label)
            }
            (Requirement::EngagementCompetency { engagement }, _) => {
                alternatives_message(engagement.details().requirement, locale)
            }
            (Requirement::QualifiedConsultant { .. }, _) => pick(
                locale,
                "A consultant who passed an exam of a qualifying competency",
                "자격 요건 역량의 시험에 합격한 컨설턴트",
            ),
            (Requirement::DeliveryLocation { country }, Locale::En) => format!("A location ID in {country}"),
            (Requirement::DeliveryLocation { country }, Locale::Ko) => format!("{country}에 있는 위치 ID"),
            (Requirement::DeliveringConsultant { consultant_id }, Locale::En) => {
                format!("Consultant {consultant_id} qualified for this engagement")
            }
            (Requirement::DeliveringConsultant { consultant_id }, Locale::Ko) => {
                format!("이 참여에 자격을 갖춘 컨설턴트 {consultant_id}")
            }
        }
    }
}

/// Why a requirement is met or not; unmet findings say what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    AgreementSigned { version: u32, signed_on: NaiveDate },
    AgreementMissing,
    AgreementOutdated { signed_version: u32, required_version: u32 },
    RenewedUntil { renewal_due_on: NaiveDate },
    RenewalOverdue { renewal_due_on: NaiveDate },
    RenewalMissing,
    TrainingCompleted,
    TrainingMissing,
    LocationsOnRecord { count: usize },
    NoLocations,
    Enrolled { offering: OfferingCode },
    NotEnrolled { offering: OfferingCode },
    CompetencyHeld { competency: CompetencyId, level: CompetencyLevel, expires_on: NaiveDate },
    CompetencyLevelTooLow { competency: CompetencyId, held: CompetencyLevel, required: CompetencyLevel },
    CompetencyExpired { competency: CompetencyId, level: CompetencyLevel, expired_on: NaiveDate },
    CompetencyMissing,
    ConsultantsQualified { count: usize },
    NoQualifiedConsultant,
    ConsultantQualified { consultant_id: String, exam: String },
    ConsultantNotQualified { consultant_id: String },
    ConsultantUnknown { consultant_id: String },
    LocationInCountry { location_id: LocationId, country: CountryCode },
    LocationUnknown { location_id: LocationId },
    LocationInOtherCountry { location_id: LocationId, location_country: CountryCode, delivery_country: CountryCode },
}

impl Localize for Finding {
    fn message(&self, locale: Locale) -> String {
        let date = |date: &NaiveDate| format_date(*date, locale);
        let held = |competency: &CompetencyId, level: &CompetencyLevel| match locale {
            Locale::En => format!("{} {}", level.message(locale), competency.message(locale)),
            Locale::Ko => format!("{} {}", competency.message(locale), level.message(locale)),
        };
        let label = |offering: &OfferingCode| offering.details().label;
        match (self, locale) {
            (Finding::AgreementSigned { version, signed_on }, Locale::En) => {
                format!("Program agreement version {version} signed on {}.", date(signed_on))
            }
            (Finding::AgreementSigned { version, signed_on }, Locale::Ko) => {
                format!("{}에 프로그램 계약 버전 {version}에 서명했습니다.", date(signed_on))
            }
            (Finding::AgreementMissing, _) => pick(
                locale,
                "The program agreement is not signed; a Global Admin signs it when enrolling in Partner Center.",
                "프로그램 계약에 서명하지 않았습니다. 전역 관리자가 파트너 센터에서 등록하면서 서명합니다.",
            ),
            (Finding::AgreementOutdated { signed_version, required_version }, Locale::En) => format!(
                "Agreement version {signed_version} is signed but version {required_version} is required; a Global \
                 Admin must accept the current agreement in Partner Center."
            ),
            (Finding::AgreementOutdated { signed_version, required_version }, Locale::Ko) => format!(
                "계약 버전 {signed_version}에 서명했지만 버전 {required_version}이(가) 필요합니다. 전역 관리자가 파트너 \
                 센터에서 최신 계약에 동의해야 합니다."
            ),
            (Finding::RenewedUntil { renewal_due_on }, Locale::En) => {
                format!("Membership renewed; the next renewal is due on {}.", date(renewal_due_on))
            }
            (Finding::RenewedUntil { renewal_due_on }, Locale::Ko) => {
                format!("멤버십이 갱신되었습니다. 다음 갱신 기한은 {}입니다.", date(renewal_due_on))
            }
            (Finding::RenewalOverdue { renewal_due_on }, Locale::En) => format!(
                "The yearly renewal was due on {}; renew the Planning Services membership in Partner Center.",
                date(renewal_due_on)
            ),
            (Finding::RenewalOverdue { renewal_due_on }, Locale::Ko) => format!(
                "연간 갱신 기한({})이 지났습니다. 파트너 센터에서 계획 서비스 멤버십을 갱신하세요.",
                date(renewal_due_on)
            ),
            (Finding::RenewalMissing, _) => pick(
                locale,
                "No yearly renewal is on record; renew the Planning Services membership in Partner Center.",
                "연간 갱신 기록이 없습니다. 파트너 센터에서 계획 서비스 멤버십을 갱신하세요.",
            ),
            (Finding::TrainingCompleted, _) => {
                pick(locale, "Compliance training completed.", "규정 준수 교육을 이수했습니다.")
            }
            (Finding::TrainingMissing, _) => pick(
                locale,
                "The company has not completed the compliance training; participants take it on Partner University.",
                "회사가 규정 준수 교육을 이수하지 않았습니다. 참가자가 Partner University에서 교육을 이수하세요.",
            ),
            (Finding::LocationsOnRecord { count }, Locale::En) => format!("{count} location ID(s) on record."),
            (Finding::LocationsOnRecord { count }, Locale::Ko) => format!("위치 ID {count}개가 등록되어 있습니다."),
            (Finding::NoLocations, _) => pick(
                locale,
                "No MPN location ID is on record; create one through MPN or regional support.",
                "등록된 MPN 위치 ID가 없습니다. MPN 또는 지역 지원 센터를 통해 만드세요.",
            ),
            (Finding::Enrolled { offering }, Locale::En) => format!("Enrolled in {}.", label(offering)),
            (Finding::Enrolled { offering }, Locale::Ko) => format!("{} 프로그램에 등록되어 있습니다.", label(offering)),
            (Finding::NotEnrolled { offering }, Locale::En) => format!(
                "Not enrolled in {}; a Global Admin enrolls the company in Partner Center.",
                label(offering)
            ),
            (Finding::NotEnrolled { offering }, Locale::Ko) => format!(
                "{} 프로그램에 등록되어 있지 않습니다. 전역 관리자가 파트너 센터에서 회사를 등록해야 합니다.",
                label(offering)
            ),
            (Finding::CompetencyHeld { competency, level, expires_on }, Locale::En) => {
                format!("{} competency held until {}.", held(competency, level), date(expires_on))
            }
            (Finding::CompetencyHeld { competency, level, expires_on }, Locale::Ko) => {
                format!("{} 역량을 {}까지 보유하고 있습니다.", held(competency, level), date(expires_on))
            }
            (Finding::CompetencyLevelTooLow { competency, held: level, required }, Locale::En) => format!(
                "The company holds {} but {} is required; attain the {} level.",
                held(competency, level),
                held(competency, required),
                required.message(locale)
            ),
            (Finding::CompetencyLevelTooLow { competency, held: level, required }, Locale::Ko) => format!(
                "회사는 {} 역량을 보유하고 있지만 {} 역량이 필요합니다. {} 등급을 취득하세요.",
                held(competency, level),
                held(competency, required),
                required.message(locale)
            ),
            (Finding::CompetencyExpired { competency, level, expired_on }, Locale::En) => format!(
                "The {} competency expired on {}; renew it in Partner Center.",
                held(competency, level),
                date(expired_on)
            ),
            (Finding::CompetencyExpired { competency, level, expired_on }, Locale::Ko) => format!(
                "{} 역량이 {}에 만료되었습니다. 파트너 센터에서 갱신하세요.",
                held(competency, level),
                date(expired_on)
            ),
            (Finding::CompetencyMissing, _) => pick(
                locale,
                "The company holds none of the qualifying competencies; attain one of them.",
                "회사가 자격 요건 역량을 하나도 보유하고 있지 않습니다. 그중 하나를 취득하세요.",
            ),
            (Finding::ConsultantsQualified { count }, Locale::En) => {
                format!("{count} consultant(s) passed a qualifying exam.")
            }
            (Finding::ConsultantsQualified { count }, Locale::Ko) => {
                format!("컨설턴트 {count}명이 자격 시험에 합격했습니다.")
            }
            (Finding::NoQualifiedConsultant, _) => pick(
                locale,
                "No consultant has passed an exam of a qualifying competency; one must pass before delivering.",
                "자격 요건 역량의 시험에 합격한 컨설턴트가 없습니다. 수행 전에 한 명 이상 합격해야 합니다.",
            ),
            (Finding::ConsultantQualified { consultant_id, exam }, Locale::En) => {
                format!("Consultant {consultant_id} passed {exam}.")
            }
            (Finding::ConsultantQualified { consultant_id, exam }, Locale::Ko) => {
                format!("컨설턴트 {consultant_id}이(가) {exam} 시험에 합격했습니다.")
            }
            (Finding::ConsultantNotQualified { consultant_id }, Locale::En) => format!(
                "Consultant {consultant_id} has not passed an exam of a qualifying competency; choose a qualified \
                 consultant."
            ),
            (Finding::ConsultantNotQualified { consultant_id }, Locale::Ko) => format!(
                "컨설턴트 {consultant_id}은(는) 자격 요건 역량의 시험에 합격하지 않았습니다. 자격을 갖춘 컨설턴트를 \
                 선택하세요."
            ),
            (Finding::ConsultantUnknown { consultant_id }, Locale::En) => {
                format!("Consultant {consultant_id} is not one of the company's consultants.")
            }
            (Finding::ConsultantUnknown { consultant_id }, Locale::Ko) => {
                format!("컨설턴트 {consultant_id}은(는) 이 회사의 컨설턴트가 아닙니다.")
            }
            (Finding::LocationInCountry { location_id, country }, Locale::En) => {
                format!("Location {location_id} is in {country}.")
            }
            (Finding::LocationInCountry { location_id, country }, Locale::Ko) => {
                format!("위치 {location_id}은(는) {country}에 있습니다.")
            }
            (Finding::LocationUnknown { location_id }, Locale::En) => {
                format!("Location ID {location_id} does not belong to the company; choose one of its location IDs.")
            }
            (Finding::LocationUnknown { location_id }, Locale::Ko) => {
                format!("위치 ID {location_id}은(는) 이 회사의 위치가 아닙니다. 회사의 위치 ID 중에서 선택하세요.")
            }
            (Finding::LocationInOtherCountry { location_id, location_country, delivery_country }, Locale::En) => {
                format!(
                    "Location {location_id} is in {location_country} but the engagement is delivered in \
                     {delivery_country}; reserve under a location ID in {delivery_country}."
                )
            }
            (Finding::LocationInOtherCountry { location_id, location_country, delivery_country }, Locale::Ko) => {
                format!(
                    "위치 {location_id}은(는) {location_country}에 있지만 참여는 {delivery_country}에서 수행됩니다. \
                     {delivery_country}에 있는 위치 ID로 예약하세요."
                )
            }
        }
    }
}

/// One checklist line: the requirement, whether it is met, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequirementCheck {
    pub requirement: Requirement,
    pub met: bool,
    pub finding: Finding,
}

impl RequirementCheck {
    fn new(requirement: Requirement, met: bool, finding: Finding) -> Self {
        RequirementCheck { requirement, met, finding }
    }
}

/// The legacy Partner Center status of an offering (DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EligibilityStatus {
    /// No requirement met yet.
    NotStarted,
    /// Some requirements met.
    InProgress,
    /// Everything met for at least one engagement: the partner may deliver.
    Active,
}

impl Localize for EligibilityStatus {
    fn message(&self, locale: Locale) -> String {
        match self {
            EligibilityStatus::NotStarted => pick(locale, "Not started", "시작 전"),
            EligibilityStatus::InProgress => pick(locale, "In progress", "진행 중"),
            EligibilityStatus::Active => pick(locale, "Active", "활성"),
        }
    }
}

/// The checklist of one engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EngagementChecklist {
    pub engagement: EngagementId,
    /// Company, offering and engagement requirements all met.
    pub eligible: bool,
    pub checks: Vec<RequirementCheck>,
}

/// The checklist of one offering and its engagements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferingChecklist {
    pub offering: OfferingCode,
    pub status: EligibilityStatus,
    pub checks: Vec<RequirementCheck>,
    pub engagements: Vec<EngagementChecklist>,
}

/// The whole eligibility picture of a partner on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EligibilityReport {
    pub evaluated_on: NaiveDate,
    pub company: Vec<RequirementCheck>,
    pub offerings: Vec<OfferingChecklist>,
}

impl EligibilityReport {
    pub fn offering(&self, offering: OfferingCode) -> Option<&OfferingChecklist> {
        self.offerings.iter().find(|checklist| checklist.offering == offering)
    }

    pub fn engagement(&self, engagement: EngagementId) -> Option<&EngagementChecklist> {
        self.offering(engagement.details().offering)?.engagements.iter().find(|item| item.engagement == engagement)
    }
}

/// The checklist of one reservation: may this partner deliver this engagement in this country
/// from this location with this consultant?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryCheck {
    pub checks: Vec<RequirementCheck>,
}

impl DeliveryCheck {
    pub fn is_clear(&self) -> bool {
        self.checks.iter().all(|check| check.met)
    }

    pub fn first_unmet(&self) -> Option<&RequirementCheck> {
        self.checks.iter().find(|check| !check.met)
    }
}

/// Evaluates every active offering and engagement for `partner` on `today`.
pub fn evaluate_eligibility(
    partner: &PartnerProfile,
    policy: &EligibilityPolicy,
    today: NaiveDate,
) -> EligibilityReport {
    let company = company_checks(partner, policy, today);
    let company_met = company.iter().all(|check| check.met);
    let consultant_masks = consultant_masks(partner);
    let offerings = OfferingCode::ACTIVE
        .iter()
        .map(|&offering| offering_checklist(partner, offering, &company, company_met, &consultant_masks, today))
        .collect();
    EligibilityReport { evaluated_on: today, company, offerings }
}

/// The company-level checks, in display order.
pub fn company_checks(partner: &PartnerProfile, policy: &EligibilityPolicy, today: NaiveDate) -> Vec<RequirementCheck> {
    let required_version = policy.required_agreement_version;
    let agreement = match partner.agreement {
        None => (false, Finding::AgreementMissing),
        Some(agreement) if agreement.version < required_version => {
            (false, Finding::AgreementOutdated { signed_version: agreement.version, required_version })
        }
        Some(agreement) => {
            (true, Finding::AgreementSigned { version: agreement.version, signed_on: agreement.signed_on })
        }
    };
    let locations = match partner.locations.len() {
        0 => (false, Finding::NoLocations),
        count => (true, Finding::LocationsOnRecord { count }),
    };
    let mut checks = vec![RequirementCheck::new(
        Requirement::ProgramAgreement { version: required_version },
        agreement.0,
        agreement.1,
    )];
    if policy.annual_renewal_required {
        let (met, finding) = match partner.renewal_due_on {
            None => (false, Finding::RenewalMissing),
            Some(renewal_due_on) if today > renewal_due_on => (false, Finding::RenewalOverdue { renewal_due_on }),
            Some(renewal_due_on) => (true, Finding::RenewedUntil { renewal_due_on }),
        };
        checks.push(RequirementCheck::new(Requirement::AnnualRenewal, met, finding));
    }
    if policy.compliance_training_required {
        let (met, finding) = if partner.compliance_training_completed {
            (true, Finding::TrainingCompleted)
        } else {
            (false, Finding::TrainingMissing)
        };
        checks.push(RequirementCheck::new(Requirement::ComplianceTraining, met, finding));
    }
    checks.push(RequirementCheck::new(Requirement::LocationOnRecord, locations.0, locations.1));
    checks
}

/// Whether the partner is enrolled in `offering`.
pub fn enrollment_check(partner: &PartnerProfile, offering: OfferingCode) -> RequirementCheck {
    let enrolled = partner.enrolled_offerings.contains(&offering);
    let finding = if enrolled { Finding::Enrolled { offering } } else { Finding::NotEnrolled { offering } };
    RequirementCheck::new(Requirement::OfferingEnrollment { offering }, enrolled, finding)
}

/// Whether the company holds one of the engagement's competency alternatives on `on`.
///
/// When none is met the finding is the closest miss: a valid competency at too low a level,
/// then the most recently expired one, then "none held".
pub fn engagement_competency_check(
    partner: &PartnerProfile,
    engagement: EngagementId,
    on: NaiveDate,
) -> RequirementCheck {
    let (met, finding) = competency_finding(partner, engagement.details(), on);
    RequirementCheck::new(Requirement::EngagementCompetency { engagement }, met, finding)
}

fn competency_finding(partner: &PartnerProfile, engagement: &Engagement, on: NaiveDate) -> (bool, Finding) {
    let mut too_low: Option<Finding> = None;
    let mut expired: Option<(NaiveDate, Finding)> = None;
    for alternative in engagement.requirement {
        for held in partner.competencies.iter().filter(|held| held.competency == alternative.competency) {
            let valid = held.expires_on >= on;
            if valid && held.level.satisfies(alternative.min_level) {
                let finding = Finding::CompetencyHeld {
                    competency: held.competency,
                    level: held.level,
                    expires_on: held.expires_on,
                };
                return (true, finding);
            }
            if valid {
                too_low.get_or_insert(Finding::CompetencyLevelTooLow {
                    competency: held.competency,
                    held: held.level,
                    required: alternative.min_level,
                });
            } else if held.level.satisfies(alternative.min_level)
                && expired.as_ref().is_none_or(|(latest, _)| held.expires_on > *latest)
            {
                let finding = Finding::CompetencyExpired {
                    competency: held.competency,
                    level: held.level,
                    expired_on: held.expires_on,
                };
                expired = Some((held.expires_on, finding));
            }
        }
    }
    let finding = too_low.or(expired.map(|(_, finding)| finding)).unwrap_or(Finding::CompetencyMissing);
    (false, finding)
}

/// One bit per competency each consultant passed an exam of.
fn consultant_masks(partner: &PartnerProfile) -> Vec<u16> {
    partner
        .consultants
        .iter()
        .map(|consultant| consultant.passed_exams.iter().fold(0, |mask, exam| mask | exam.counts_toward.bit()))
        .collect()
}

fn consultants_check(consultant_masks: &[u16], engagement: EngagementId) -> RequirementCheck {
    let mask = engagement.competency_mask();
    let count = consultant_masks.iter().filter(|consultant| *consultant & mask != 0).count();
    let finding = if count == 0 { Finding::NoQualifiedConsultant } else { Finding::ConsultantsQualified { count } };
    RequirementCheck::new(Requirement::QualifiedConsultant { engagement }, count > 0, finding)
}

fn offering_checklist(
    partner: &PartnerProfile,
    offering: OfferingCode,
    company: &[RequirementCheck],
    company_met: bool,
    consultant_masks: &[u16],
    today: NaiveDate,
) -> OfferingChecklist {
    let enrollment = enrollment_check(partner, offering);
    let engagements: Vec<EngagementChecklist> = offering
        .engagements()
        .map(|engagement| {
            let checks = vec![
                engagement_competency_check(partner, engagement.id, today),
                consultants_check(consultant_masks, engagement.id),
            ];
            let eligible = company_met && enrollment.met && checks.iter().all(|check| check.met);
            EngagementChecklist { engagement: engagement.id, eligible, checks }
        })
        .collect();
    let offering_competency =
        offering_competency_from(offering, engagements.iter().map(|checklist| &checklist.checks[0]));
    let checks = vec![enrollment, offering_competency];
    let any_met = company.iter().chain(&checks).any(|check| check.met);
    let status = if engagements.iter().any(|checklist| checklist.eligible) {
        EligibilityStatus::Active
    } else if any_met {
        EligibilityStatus::InProgress
    } else {
        EligibilityStatus::NotStarted
    };
    OfferingChecklist { offering, status, checks, engagements }
}

/// The offering-level rule (DOMAIN.md §5): the company holds, on `on`, a competency that
/// qualifies for at least one engagement of `offering`.
pub fn offering_competency_check(partner: &PartnerProfile, offering: OfferingCode, on: NaiveDate) -> RequirementCheck {
    let checks: Vec<RequirementCheck> =
        offering.engagements().map(|engagement| engagement_competency_check(partner, engagement.id, on)).collect();
    offering_competency_from(offering, checks.iter())
}

/// Sums up the engagement competency checks of one offering: met when any is met; otherwise
/// the closest miss (a level too low or an expiry) rather than "none held".
fn offering_competency_from<'a>(
    offering: OfferingCode,
    engagement_checks: impl Iterator<Item = &'a RequirementCheck> + Clone,
) -> RequirementCheck {
    let mut candidates = engagement_checks.clone();
    candidates
        .find(|check| check.met)
        .or_else(|| engagement_checks.clone().find(|check| check.finding != Finding::CompetencyMissing))
        .or_else(|| engagement_checks.clone().next())
        .map(|check| {
            RequirementCheck::new(Requirement::OfferingCompetency { offering }, check.met, check.finding.clone())
        })
        .unwrap_or_else(|| {
            RequirementCheck::new(Requirement::OfferingCompetency { offering }, false, Finding::CompetencyMissing)
        })
}

/// What stands in the way of enrolling in `offering` on `today` (DOMAIN.md §4 step 2: eligibility
/// is verified before enrolling): the first unmet company-level check, then the offering-level
/// competency. `None` when the company may enroll. Enrollment itself and consultants are not
/// checked here: they matter per engagement, at delivery.
pub fn enrollment_blocker(
    partner: &PartnerProfile,
    policy: &EligibilityPolicy,
    offering: OfferingCode,
    today: NaiveDate,
) -> Option<RequirementCheck> {
    company_checks(partner, policy, today)
        .into_iter()
        .find(|check| !check.met)
        .or_else(|| Some(offering_competency_check(partner, offering, today)).filter(|check| !check.met))
}

/// Whether `partner` may deliver `engagement` in `delivery_country`, reserved under
/// `location_id` and led by `consultant_id`, on `today`: the eligibility guard of a reservation.
pub fn check_delivery(
    partner: &PartnerProfile,
    policy: &EligibilityPolicy,
    engagement: EngagementId,
    location_id: &LocationId,
    delivery_country: CountryCode,
    consultant_id: &str,
    today: NaiveDate,
) -> DeliveryCheck {
    let mut checks = company_checks(partner, policy, today);
    checks.push(enrollment_check(partner, engagement.details().offering));
    checks.push(engagement_competency_check(partner, engagement, today));
    let (met, finding) = match partner.location(location_id) {
        None => (false, Finding::LocationUnknown { location_id: location_id.clone() }),
        Some(location) if location.country != delivery_country => (
            false,
            Finding::LocationInOtherCountry {
                location_id: location_id.clone(),
                location_country: location.country,
                delivery_country,
            },
        ),
        Some(location) => {
            (true, Finding::LocationInCountry { location_id: location_id.clone(), country: location.country })
        }
    };
    checks.push(RequirementCheck::new(Requirement::DeliveryLocation { country: delivery_country }, met, finding));
    checks.push(consultant_check(partner, engagement, consultant_id));
    DeliveryCheck { checks }
}

/// Whether the named consultant passed an exam of one of the engagement's competencies.
pub fn consultant_check(partner: &PartnerProfile, engagement: EngagementId, consultant_id: &str) -> RequirementCheck {
    let consultant_id = consultant_id.to_owned();
    let (met, finding) = match partner.consultant(&consultant_id) {
        None => (false, Finding::ConsultantUnknown { consultant_id: consultant_id.clone() }),
        Some(consultant) => match consultant.qualifying_exam(engagement) {
            Some(exam) => {
                (true, Finding::ConsultantQualified { consultant_id: consultant_id.clone(), exam: exam.exam.clone() })
            }
            None => (false, Finding::ConsultantNotQualified { consultant_id: consultant_id.clone() }),
        },
    };
    RequirementCheck::new(Requirement::DeliveringConsultant { consultant_id }, met, finding)
}

#[cfg(test)]
pub(crate) mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    pub(crate) fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A partner fully qualified for S-EDPS Exchange (Silver Messaging) and DYDPS CE work, in KR.
    pub(crate) fn contoso() -> PartnerProfile {
        PartnerProfile {
            partner_id: "contoso".to_owned(),
            agreement: Some(SignedAgreement { version: 1, signed_on: date("2020-03-01") }),
            renewal_due_on: Some(date("2021-12-31")),
            compliance_training_completed: false,
            enrolled_offerings: vec![OfferingCode::Sedps, OfferingCode::Dydps, OfferingCode::Ssdps],
            competencies: vec![
                HeldCompetency {
                    competency: CompetencyId::Messaging,
                    level: CompetencyLevel::Silver,
                    expires_on: date("2021-12-31"),
                },
                HeldCompetency {
                    competency: CompetencyId::CloudBusinessApplications,
                    level: CompetencyLevel::Gold,
                    expires_on: date("2021-12-31"),
                },
                HeldCompetency {
                    competency: CompetencyId::DataPlatform,
                    level: CompetencyLevel::Silver,
                    expires_on: date("2021-12-31"),
                },
            ],
            locations: vec![
                PartnerLocation {
                    location_id: LocationId::parse("1000001").unwrap(),
                    country: CountryCode::parse("KR").unwrap(),
                },
                PartnerLocation {
                    location_id: LocationId::parse("1000002").unwrap(),
                    country: CountryCode::parse("US").unwrap(),
                },
            ],
            consultants: vec![
                Consultant {
                    consultant_id: "kim".to_owned(),
                    passed_exams: vec![PassedExam {
                        exam: "MS-203".to_owned(),
                        counts_toward: CompetencyId::Messaging,
                    }],
                },
                Consultant {
                    consultant_id: "lee".to_owned(),
                    passed_exams: vec![PassedExam {
                        exam: "MB-200".to_owned(),
                        counts_toward: CompetencyId::CloudBusinessApplications,
                    }],
                },
            ],
        }
    }

    use crate::locale::test_support::assert_bilingual;

    #[test]
    fn a_fully_qualified_partner_is_active_for_the_offering_with_green_checks() {
        let report = evaluate_eligibility(&contoso(), &EligibilityPolicy::published(), date("2021-06-01"));
        assert!(report.company.iter().all(|check| check.met));
        let sedps = report.offering(OfferingCode::Sedps).unwrap();
        assert_eq!(sedps.status, EligibilityStatus::Active);
        let exchange = report.engagement(EngagementId::ExchangeDeploymentPlanning).unwrap();
        assert!(exchange.eligible);
        assert!(exchange.checks.iter().all(|check| check.met));
        assert_bilingual(&exchange.checks[0].requirement, "Silver or Gold Messaging competency");
        assert_bilingual(&exchange.checks[0].finding, "Silver Messaging competency held until December 31, 2021.");
        let skype = report.engagement(EngagementId::SkypeForBusinessDeploymentPlanning).unwrap();
        assert!(!skype.eligible);
        assert_eq!(skype.checks[0].finding, Finding::CompetencyMissing);
    }

    #[test]
    fn silver_does_not_satisfy_a_gold_requirement_and_says_which_level_is_needed() {
        let report = evaluate_eligibility(&contoso(), &EligibilityPolicy::published(), date("2021-06-01"));
        let data = report.engagement(EngagementId::DataEstateModernization).unwrap();
        assert!(!data.eligible);
        assert_eq!(
            data.checks[0].finding,
            Finding::CompetencyLevelTooLow {
                competency: CompetencyId::DataPlatform,
                held: CompetencyLevel::Silver,
                required: CompetencyLevel::Gold
            }
        );
        assert_bilingual(
            &data.checks[0].finding,
            "The company holds Silver Data Platform but Gold Data Platform is required; attain the Gold level.",
        );
        assert_eq!(report.offering(OfferingCode::Ssdps).unwrap().status, EligibilityStatus::InProgress);
    }

    #[test]
    fn gold_satisfies_a_silver_requirement() {
        let report = evaluate_eligibility(&contoso(), &EligibilityPolicy::published(), date("2021-06-01"));
        let upgrade = report.engagement(EngagementId::Dynamics365CustomerEngagementUpgrade).unwrap();
        assert!(upgrade.eligible);
    }

    #[test]
    fn a_competency_is_valid_through_its_expiry_day_and_expired_the_day_after() {
        let partner = contoso();
        let on_expiry =
            engagement_competency_check(&partner, EngagementId::ExchangeDeploymentPlanning, date("2021-12-31"));
        assert!(on_expiry.met);
        let after = engagement_competency_check(&partner, EngagementId::ExchangeDeploymentPlanning, date("2022-01-01"));
        assert!(!after.met);
        assert_bilingual(
            &after.finding,
            "The Silver Messaging competency expired on December 31, 2021; renew it in Partner Center.",
        );
        assert!(after.finding.message(Locale::Ko).contains("2021년 12월 31일"));
    }

    /// The older document's yearly renewal, switched on.
    fn with_renewal() -> EligibilityPolicy {
        EligibilityPolicy { annual_renewal_required: true, ..EligibilityPolicy::published() }
    }

    #[test]
    fn the_yearly_renewal_is_overdue_the_day_after_the_renewal_date() {
        let policy = with_renewal();
        let on_day = company_checks(&contoso(), &policy, date("2021-12-31"));
        assert!(on_day[1].met);
        let after = company_checks(&contoso(), &policy, date("2022-01-01"));
        assert!(!after[1].met);
        assert_bilingual(
            &after[1].finding,
            "The yearly renewal was due on December 31, 2021; renew the Planning Services membership in Partner Center.",
        );
    }

    #[test]
    fn the_renewal_and_the_training_are_switches_of_the_same_kind() {
        // Off (the newer document): neither is listed, so an overdue renewal blocks nothing.
        let mut partner = contoso();
        partner.renewal_due_on = Some(date("2020-12-31"));
        let off = company_checks(&partner, &EligibilityPolicy::published(), date("2021-06-01"));
        assert!(off
            .iter()
            .all(|check| !matches!(check.requirement, Requirement::AnnualRenewal | Requirement::ComplianceTraining)));
        assert!(off.iter().all(|check| check.met));
        // On (the older document): both are listed and both are unmet for this partner.
        let on = EligibilityPolicy { compliance_training_required: true, ..with_renewal() };
        let checks = company_checks(&partner, &on, date("2021-06-01"));
        for requirement in [Requirement::AnnualRenewal, Requirement::ComplianceTraining] {
            let check = checks.iter().find(|check| check.requirement == requirement).unwrap();
            assert!(!check.met, "{requirement:?}");
        }
    }

    #[test]
    fn an_outdated_or_missing_agreement_is_reported_with_the_version_needed() {
        let mut partner = contoso();
        let policy = EligibilityPolicy { required_agreement_version: 2, ..EligibilityPolicy::published() };
        let checks = company_checks(&partner, &policy, date("2021-06-01"));
        assert_bilingual(&checks[0].requirement, "Program agreement signed (version 2 or later)");
        assert_eq!(checks[0].finding, Finding::AgreementOutdated { signed_version: 1, required_version: 2 });
        partner.agreement = None;
        let report = evaluate_eligibility(&partner, &policy, date("2021-06-01"));
        assert!(report.offerings.iter().all(|offering| offering.status != EligibilityStatus::Active));
        assert_eq!(report.company[0].finding, Finding::AgreementMissing);
    }

    #[test]
    fn compliance_training_is_checked_only_when_the_policy_requires_it() {
        let partner = contoso();
        let without = company_checks(&partner, &EligibilityPolicy::published(), date("2021-06-01"));
        assert!(without.iter().all(|check| check.requirement != Requirement::ComplianceTraining));
        let policy = EligibilityPolicy { compliance_training_required: true, ..EligibilityPolicy::published() };
        let with = company_checks(&partner, &policy, date("2021-06-01"));
        let training = with.iter().find(|check| check.requirement == Requirement::ComplianceTraining).unwrap();
        assert!(!training.met);
        assert_eq!(training.finding, Finding::TrainingMissing);
    }

    #[test]
    fn a_partner_with_nothing_has_not_started() {
        let partner = PartnerProfile {
            partner_id: "new".to_owned(),
            agreement: None,
            renewal_due_on: None,
            compliance_training_completed: false,
            enrolled_offerings: vec![],
            competencies: vec![],
            locations: vec![],
            consultants: vec![],
        };
        let report = evaluate_eligibility(&partner, &EligibilityPolicy::published(), date("2021-06-01"));
        assert!(report.offerings.iter().all(|offering| offering.status == EligibilityStatus::NotStarted));
        assert_bilingual(
            &report.company[1].finding,
            "No MPN location ID is on record; create one through MPN or regional support.",
        );
    }

    #[test]
    fn delivery_needs_a_location_in_the_delivery_country_and_a_qualified_consultant() {
        let partner = contoso();
        let policy = EligibilityPolicy::published();
        let seoul = LocationId::parse("1000001").unwrap();
        let korea = CountryCode::parse("KR").unwrap();
        let clear = check_delivery(
            &partner,
            &policy,
            EngagementId::ExchangeDeploymentPlanning,
            &seoul,
            korea,
            "kim",
            date("2021-06-01"),
        );
        assert!(clear.is_clear());
        let japan = CountryCode::parse("JP").unwrap();
        let abroad = check_delivery(
            &partner,
            &policy,
            EngagementId::ExchangeDeploymentPlanning,
            &seoul,
            japan,
            "kim",
            date("2021-06-01"),
        );
        let unmet = abroad.first_unmet().unwrap();
        assert_bilingual(
            &unmet.finding,
            "Location 1000001 is in KR but the engagement is delivered in JP; reserve under a location ID in JP.",
        );
        let wrong_consultant = check_delivery(
            &partner,
            &policy,
            EngagementId::ExchangeDeploymentPlanning,
            &seoul,
            korea,
            "lee",
            date("2021-06-01"),
        );
        assert_eq!(
            wrong_consultant.first_unmet().unwrap().finding,
            Finding::ConsultantNotQualified { consultant_id: "lee".into() }
        );
        let unknown = LocationId::parse("9999999").unwrap();
        let nowhere = check_delivery(
            &partner,
            &policy,
            EngagementId::ExchangeDeploymentPlanning,
            &unknown,
            korea,
            "kim",
            date("2021-06-01"),
        );
        assert_eq!(nowhere.first_unmet().unwrap().finding, Finding::LocationUnknown { location_id: unknown });
    }

    #[test]
    fn enrollment_needs_the_company_checks_then_a_competency_of_the_offering() {
        let policy = EligibilityPolicy::published();
        let partner = contoso();
        assert_eq!(enrollment_blocker(&partner, &policy, OfferingCode::Sedps, date("2021-06-01")), None);
        let blocker = enrollment_blocker(&partner, &policy, OfferingCode::Pvdps, date("2021-06-01")).unwrap();
        assert_eq!(blocker.requirement, Requirement::OfferingCompetency { offering: OfferingCode::Pvdps });
        assert_eq!(blocker.finding, Finding::CompetencyMissing);
        let mut unsigned = contoso();
        unsigned.agreement = None;
        let blocker = enrollment_blocker(&unsigned, &policy, OfferingCode::Sedps, date("2021-06-01")).unwrap();
        assert_eq!(blocker.finding, Finding::AgreementMissing);
    }

    #[test]
    fn the_offering_competency_is_met_through_its_expiry_day_and_then_names_the_expiry() {
        let partner = contoso();
        assert!(offering_competency_check(&partner, OfferingCode::Sedps, date("2021-12-31")).met);
        let after = offering_competency_check(&partner, OfferingCode::Sedps, date("2022-01-01"));
        assert!(!after.met);
        assert_eq!(
            after.finding,
            Finding::CompetencyExpired {
                competency: CompetencyId::Messaging,
                level: CompetencyLevel::Silver,
                expired_on: date("2021-12-31")
            }
        );
        let too_low = offering_competency_check(&partner, OfferingCode::Ssdps, date("2021-06-01"));
        assert!(matches!(too_low.finding, Finding::CompetencyLevelTooLow { .. }));
    }

    #[test]
    fn the_report_round_trips_through_json() {
        let report = evaluate_eligibility(&contoso(), &EligibilityPolicy::published(), date("2021-06-01"));
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains("\"finding\":{\"competency_held\":"), "{json}");
        let back: EligibilityReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }
}
