//! The Planning Services catalog as data: offerings, engagements, competencies, service levels,
//! retired cloud types and the demo daily payment rates (DOMAIN.md §5, §6, §11.2).
//!
//! Everything here is a static table so the browser and the server read the same catalog
//! without a round trip. Choices where DOMAIN.md marks a fact unconfirmed:
//! - Per-engagement maximum days (§6.3): 15 for every engagement except the Modern IT
//!   Enterprise Security proof of concept, which gets 10. The data sheets were not retrieved; the
//!   one lower value is an assumption that keeps the per-engagement rule visible. Change the
//!   `max_days` column when real values are known.
//! - Offering-level competency (§5): a partner qualifies for an offering when it holds the
//!   competency of at least one of the offering's engagements.
//! - Retired cloud types (§6.1): Microsoft's "retired engagements" list was not retrieved, so only
//!   the Azure family (AZDPS, one engagement) is modelled. Cloud types take no new vouchers from
//!   [`ProgramTimeline::cloud_engagements_retired`]; vouchers created earlier keep their life.
//! - Daily payment rates (§11.2): the rate table is DEMO data invented for this portal, not
//!   Microsoft's rates. Amounts are integer minor units of the country's currency.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::locale::{Locale, Localize};
use crate::parse::{CountryCode, Money};
use crate::timeline::{ProgramTimeline, TimelineError};

/// Picks the text of `locale` from an English and Korean pair.
pub(crate) fn pick(locale: Locale, en: &str, ko: &str) -> String {
    match locale {
        Locale::En => en.to_owned(),
        Locale::Ko => ko.to_owned(),
    }
}

/// A competency level. Declared in rank order, so `Gold > Silver` and Gold satisfies Silver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompetencyLevel {
    Silver,
    Gold,
}

impl CompetencyLevel {
    /// Whether a competency held at this level meets a requirement of `required` level.
    pub fn satisfies(self, required: CompetencyLevel) -> bool {
        self >= required
    }
}

impl Localize for CompetencyLevel {
    fn message(&self, locale: Locale) -> String {
        match self {
            CompetencyLevel::Silver => pick(locale, "Silver", "실버"),
            CompetencyLevel::Gold => pick(locale, "Gold", "골드"),
        }
    }
}

/// An MPN competency that some engagement requires. The order matches [`COMPETENCIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompetencyId {
    WindowsAndDevices,
    EnterpriseMobilityManagement,
    CloudBusinessApplications,
    CloudCustomerRelationshipManagement,
    EnterpriseResourcePlanning,
    Datacenter,
    CollaborationAndContent,
    ProjectAndPortfolioManagement,
    Messaging,
    Communications,
    DataAnalytics,
    DataPlatform,
    CloudPlatform,
}

/// A competency's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Competency {
    pub id: CompetencyId,
    pub name_en: &'static str,
    pub name_ko: &'static str,
}

/// Every competency the catalog refers to, in [`CompetencyId`] order (Microsoft's Korean names).
pub const COMPETENCIES: &[Competency] = &[
    Competency {
        id: CompetencyId::WindowsAndDevices, name_en: "Windows and Devices", name_ko: "Windows 및 디바이스"
    },
    Competency {
        id: CompetencyId::EnterpriseMobilityManagement,
        name_en: "Enterprise Mobility Management",
        name_ko: "엔터프라이즈 모빌리티 관리",
    },
    Competency {
        id: CompetencyId::CloudBusinessApplications,
        name_en: "Cloud Business Applications",
        name_ko: "클라우드 비즈니스 애플리케이션",
    },
    Competency {
        id: CompetencyId::CloudCustomerRelationshipManagement,
        name_en: "Cloud Customer Relationship Management",
        name_ko: "클라우드 고객 관계 관리(CRM)",
    },
    Competency {
        id: CompetencyId::EnterpriseResourcePlanning,
        name_en: "Enterprise Resource Planning (ERP)",
        name_ko: "전사적 자원 관리(ERP)",
    },
    Competency { id: CompetencyId::Datacenter, name_en: "Datacenter", name_ko: "데이터 센터" },
    Competency {
        id: CompetencyId::CollaborationAndContent,
        name_en: "Collaboration and Content",
        name_ko: "공동 작업 및 콘텐츠",
    },
    Competency {
        id: CompetencyId::ProjectAndPortfolioManagement,
        name_en: "Project and Portfolio Management",
        name_ko: "프로젝트 및 포트폴리오 관리",
    },
    Competency { id: CompetencyId::Messaging, name_en: "Messaging", name_ko: "메시징" },
    Competency { id: CompetencyId::Communications, name_en: "Communications", name_ko: "커뮤니케이션" },
    Competency { id: CompetencyId::DataAnalytics, name_en: "Data Analytics", name_ko: "데이터 분석" },
    Competency { id: CompetencyId::DataPlatform, name_en: "Data Platform", name_ko: "데이터 플랫폼" },
    Competency { id: CompetencyId::CloudPlatform, name_en: "Cloud Platform", name_ko: "클라우드 플랫폼" },
];

impl CompetencyId {
    pub fn details(self) -> &'static Competency {
        &COMPETENCIES[self as usize]
    }

    /// A one-bit mask of this competency, for fast set tests over a partner's consultants.
    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl Localize for CompetencyId {
    fn message(&self, locale: Locale) -> String {
        let details = self.details();
        pick(locale, details.name_en, details.name_ko)
    }
}

/// One acceptable way to meet a competency requirement: this competency at this level or above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequiredCompetency {
    pub competency: CompetencyId,
    pub min_level: CompetencyLevel,
}

impl Localize for RequiredCompetency {
    /// "Silver or Gold Messaging" / "Gold Data Platform".
    fn message(&self, locale: Locale) -> String {
        let name = self.competency.message(locale);
        match (self.min_level, locale) {
            (CompetencyLevel::Silver, Locale::En) => format!("Silver or Gold {name}"),
            (CompetencyLevel::Silver, Locale::Ko) => format!("{name} 실버 또는 골드"),
            (CompetencyLevel::Gold, Locale::En) => format!("Gold {name}"),
            (CompetencyLevel::Gold, Locale::Ko) => format!("{name} 골드"),
        }
    }
}

/// Renders a list of alternatives: "Silver or Gold A or Gold B competency".
pub(crate) fn alternatives_message(alternatives: &[RequiredCompetency], locale: Locale) -> String {
    let parts: Vec<String> = alternatives.iter().map(|alternative| alternative.message(locale)).collect();
    match locale {
        Locale::En => format!("{} competency", parts.join(", or ")),
        Locale::Ko => format!("{} 역량", parts.join(" 또는 ")),
    }
}

/// A Planning Services offering (voucher/program type). On the wire: "DDPS", "SEDPS", ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum OfferingCode {
    Ddps,
    Dydps,
    Pvdps,
    Sdps,
    Sedps,
    Ssdps,
    /// Azure Deployment Planning Services: a retired cloud family, kept for historical vouchers.
    Azdps,
}

/// An offering's names and whether it is a cloud type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offering {
    pub code: OfferingCode,
    /// The code as partners read it ("S-EDPS").
    pub label: &'static str,
    pub name_en: &'static str,
    pub name_ko: &'static str,
    /// Cloud types take no new vouchers from the cloud retirement date.
    pub cloud: bool,
}

/// Every offering, in [`OfferingCode`] order.
pub const OFFERINGS: &[Offering] = &[
    Offering {
        code: OfferingCode::Ddps,
        label: "DDPS",
        name_en: "Desktop Deployment Planning Services",
        name_ko: "데스크톱 배포 계획 서비스",
        cloud: false,
    },
    Offering {
        code: OfferingCode::Dydps,
        label: "DYDPS",
        name_en: "Dynamics Deployment Planning Services",
        name_ko: "Dynamics 배포 계획 서비스",
        cloud: false,
    },
    Offering {
        code: OfferingCode::Pvdps,
        label: "PVDPS",
        name_en: "Private Cloud, Management, and Virtualization Planning Services",
        name_ko: "프라이빗 클라우드, 관리 및 가상화 계획 서비스",
        cloud: false,
    },
    Offering {
        code: OfferingCode::Sdps,
        label: "SDPS",
        name_en: "SharePoint Deployment Planning Services",
        name_ko: "SharePoint 배포 계획 서비스",
        cloud: false,
    },
    Offering {
        code: OfferingCode::Sedps,
        label: "S-EDPS",
        name_en: "Skype for Business and Exchange Deployment Planning Services",
        name_ko: "비즈니스용 Skype 및 Exchange 배포 계획 서비스",
        cloud: false,
    },
    Offering {
        code: OfferingCode::Ssdps,
        label: "SSDPS",
        name_en: "SQL Server Deployment Planning Services",
        name_ko: "SQL Server 배포 계획 서비스",
        cloud: false,
    },
    Offering {
        code: OfferingCode::Azdps,
        label: "AZDPS",
        name_en: "Azure Deployment Planning Services",
        name_ko: "Azure 배포 계획 서비스",
        cloud: true,
    },
];

impl OfferingCode {
    /// The six offerings of the final catalog (DOMAIN.md §6.1), in display order.
    pub const ACTIVE: [OfferingCode; 6] = [
        OfferingCode::Ddps,
        OfferingCode::Dydps,
        OfferingCode::Pvdps,
        OfferingCode::Sdps,
        OfferingCode::Sedps,
        OfferingCode::Ssdps,
    ];

    pub fn details(self) -> &'static Offering {
        &OFFERINGS[self as usize]
    }

    pub fn is_cloud(self) -> bool {
        self.details().cloud
    }

    /// The engagements of this offering, in catalog order.
    pub fn engagements(self) -> impl Iterator<Item = &'static Engagement> {
        ENGAGEMENTS.iter().filter(move |engagement| engagement.offering == self)
    }

    /// The longest service level an engagement of this offering can take: a longer voucher
    /// could never be reserved, and its days would be stranded.
    pub fn largest_usable_days(self) -> u8 {
        largest_usable_days(self, ENGAGEMENTS)
    }

    /// The day this offering stops taking new vouchers, if it is a retired (cloud) type.
    pub fn retired_on(self, timeline: &ProgramTimeline) -> Option<NaiveDate> {
        self.is_cloud().then_some(timeline.cloud_engagements_retired)
    }

    /// Whether a customer may still create a voucher of this type on `today` as far as
    /// retirement of the type goes (the general creation deadline is checked separately).
    pub fn accepts_new_vouchers(self, timeline: &ProgramTimeline, today: NaiveDate) -> bool {
        self.retired_on(timeline).is_none_or(|retired_on| today < retired_on)
    }
}

impl Localize for OfferingCode {
    /// "DDPS (Desktop Deployment Planning Services)".
    fn message(&self, locale: Locale) -> String {
        let details = self.details();
        format!("{} ({})", details.label, pick(locale, details.name_en, details.name_ko))
    }
}

/// A specific engagement. The snake_case names are the stable ids on the wire and in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EngagementId {
    WindowsAndOfficeDeploymentPlanning,
    MobileProductivityDeploymentPlanning,
    ModernItEnterpriseSecurityProofOfConcept,
    Dynamics365CustomerEngagementUpgrade,
    Dynamics365CustomerEngagementMigration,
    Dynamics365FinanceAndOperationsUpgrade,
    WindowsServerPlatformModernization,
    SharepointDeploymentPlanning,
    ProjectAndPortfolioManagementSolutionPlanning,
    ExchangeDeploymentPlanning,
    SkypeForBusinessDeploymentPlanning,
    DataEstateModernization,
    AzureDeploymentPlanning,
}

/// One engagement: its offering, names, qualifying competencies and maximum length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Engagement {
    pub id: EngagementId,
    pub offering: OfferingCode,
    pub name_en: &'static str,
    pub name_ko: &'static str,
    /// Any one of these satisfies the company-level competency requirement.
    pub requirement: &'static [RequiredCompetency],
    /// The longest service level a voucher for this engagement may carry (≤ 15).
    pub max_days: u8,
}

const fn silver(competency: CompetencyId) -> RequiredCompetency {
    RequiredCompetency { competency, min_level: CompetencyLevel::Silver }
}

const fn gold(competency: CompetencyId) -> RequiredCompetency {
    RequiredCompetency { competency, min_level: CompetencyLevel::Gold }
}

/// Every engagement, in [`EngagementId`] order: the twelve of DOMAIN.md §6.2, then the retired
/// Azure engagement. `max_days`: see the module documentation.
pub const ENGAGEMENTS: &[Engagement] = &[
    // DDPS
    Engagement {
        id: EngagementId::WindowsAndOfficeDeploymentPlanning,
        offering: OfferingCode::Ddps,
        name_en: "Windows and Office Deployment Planning",
        name_ko: "Windows 및 Office 배포 계획",
        requirement: &[silver(CompetencyId::WindowsAndDevices)],
        max_days: 15,
    },
    Engagement {
        id: EngagementId::MobileProductivityDeploymentPlanning,
        offering: OfferingCode::Ddps,
        name_en: "Mobile Productivity Deployment Planning",
        name_ko: "모바일 생산성 배포 계획",
        requirement: &[silver(CompetencyId::EnterpriseMobilityManagement), silver(CompetencyId::WindowsAndDevices)],
        max_days: 15,
    },
    Engagement {
        id: EngagementId::ModernItEnterpriseSecurityProofOfConcept,
        offering: OfferingCode::Ddps,
        name_en: "Modern IT Enterprise Security Proof of Concept",
        name_ko: "최신 IT 엔터프라이즈 보안 개념 증명(PoC)",
        requirement: &[silver(CompetencyId::EnterpriseMobilityManagement)],
        max_days: 10,
    },
    // DYDPS
    Engagement {
        id: EngagementId::Dynamics365CustomerEngagementUpgrade,
        offering: OfferingCode::Dydps,
        name_en: "Upgrading Microsoft Dynamics 365 for Customer Engagement",
        name_ko: "Microsoft Dynamics 365 for Customer Engagement 업그레이드",
        requirement: &[
            silver(CompetencyId::CloudBusinessApplications),
            silver(CompetencyId::CloudCustomerRelationshipManagement),
        ],
        max_days: 15,
    },
    Engagement {
        id: EngagementId::Dynamics365CustomerEngagementMigration,
        offering: OfferingCode::Dydps,
        name_en: "Migrating to Microsoft Dynamics 365 for Customer Engagement",
        name_ko: "Microsoft Dynamics 365 for Customer Engagement로 마이그레이션",
        requirement: &[
            silver(CompetencyId::CloudBusinessApplications),
            silver(CompetencyId::CloudCustomerRelationshipManagement),
        ],
        max_days: 15,
    },
    Engagement {
        id: EngagementId::Dynamics365FinanceAndOperationsUpgrade,
        offering: OfferingCode::Dydps,
        name_en: "Upgrading Microsoft Dynamics 365 for Finance and Operations",
        name_ko: "Microsoft Dynamics 365 for Finance and Operations 업그레이드",
        requirement: &[gold(CompetencyId::EnterpriseResourcePlanning)],
        max_days: 15,
    },
    // PVDPS
    Engagement {
        id: EngagementId::WindowsServerPlatformModernization,
        offering: OfferingCode::Pvdps,
        name_en: "Modernizing Your Windows Server Platform",
        name_ko: "Windows Server 플랫폼 현대화",
        requirement: &[silver(CompetencyId::Datacenter)],
        max_days: 15,
    },
    // SDPS
    Engagement {
        id: EngagementId::SharepointDeploymentPlanning,
        offering: OfferingCode::Sdps,
        name_en: "SharePoint Deployment Planning",
        name_ko: "SharePoint 배포 계획",
        requirement: &[silver(CompetencyId::CollaborationAndContent)],
        max_days: 15,
    },
    Engagement {
        id: EngagementId::ProjectAndPortfolioManagementSolutionPlanning,
        offering: OfferingCode::Sdps,
        name_en: "Project and Portfolio Management (PPM) Solution Planning",
        name_ko: "프로젝트 및 포트폴리오 관리(PPM) 솔루션 계획",
        requirement: &[silver(CompetencyId::ProjectAndPortfolioManagement)],
        max_days: 15,
    },
    // S-EDPS
    Engagement {
        id: EngagementId::ExchangeDeploymentPlanning,
        offering: OfferingCode::Sedps,
        name_en: "Exchange Deployment Planning",
        name_ko: "Exchange 배포 계획",
        requirement: &[silver(CompetencyId::Messaging)],
        max_days: 15,
    },
    Engagement {
        id: EngagementId::SkypeForBusinessDeploymentPlanning,
        offering: OfferingCode::Sedps,
        name_en: "Skype for Business Deployment Planning",
        name_ko: "비즈니스용 Skype 배포 계획",
        requirement: &[silver(CompetencyId::Communications)],
        max_days: 15,
    },
    // SSDPS
    Engagement {
        id: EngagementId::DataEstateModernization,
        offering: OfferingCode::Ssdps,
        name_en: "Data Estate Modernization",
        name_ko: "데이터 자산 현대화",
        requirement: &[gold(CompetencyId::DataAnalytics), gold(CompetencyId::DataPlatform)],
        max_days: 15,
    },
    // AZDPS (retired cloud family; the requirement follows the legacy "Azure" competency)
    Engagement {
        id: EngagementId::AzureDeploymentPlanning,
        offering: OfferingCode::Azdps,
        name_en: "Azure Deployment Planning",
        name_ko: "Azure 배포 계획",
        requirement: &[silver(CompetencyId::CloudPlatform)],
        max_days: 15,
    },
];

/// The largest `max_days` among the engagements of `offering` in `engagements` (0 if it has
/// none): [`OfferingCode::largest_usable_days`] over any table, so the rule is testable against
/// maxima the catalog does not (yet) have.
pub fn largest_usable_days(offering: OfferingCode, engagements: &[Engagement]) -> u8 {
    engagements
        .iter()
        .filter(|engagement| engagement.offering == offering)
        .map(|engagement| engagement.max_days)
        .max()
        .unwrap_or(0)
}

impl EngagementId {
    pub fn details(self) -> &'static Engagement {
        &ENGAGEMENTS[self as usize]
    }

    /// The bit mask of every competency that qualifies for this engagement.
    pub(crate) fn competency_mask(self) -> u16 {
        self.details().requirement.iter().fold(0, |mask, alternative| mask | alternative.competency.bit())
    }
}

impl Localize for EngagementId {
    fn message(&self, locale: Locale) -> String {
        let details = self.details();
        pick(locale, details.name_en, details.name_ko)
    }
}

/// The number of days a voucher carries: one of 1, 3, 5, 10 or 15 (DOMAIN.md §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "openapi", schema(value_type = u8, examples(1, 3, 5, 10, 15)))]
pub struct ServiceLevel(u8);

impl ServiceLevel {
    pub const ALL: [ServiceLevel; 5] =
        [ServiceLevel(1), ServiceLevel(3), ServiceLevel(5), ServiceLevel(10), ServiceLevel(15)];
    /// The longest engagement; the repeat limit applies to it.
    pub const FIFTEEN_DAYS: ServiceLevel = ServiceLevel(15);

    pub fn days(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for ServiceLevel {
    type Error = ServiceLevelError;

    fn try_from(days: u8) -> Result<Self, Self::Error> {
        if ServiceLevel::ALL.iter().any(|level| level.0 == days) {
            Ok(ServiceLevel(days))
        } else {
            Err(ServiceLevelError::NotOffered { days })
        }
    }
}

impl From<ServiceLevel> for u8 {
    fn from(level: ServiceLevel) -> u8 {
        level.0
    }
}

/// A number of days that is not a service level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevelError {
    #[error("{}", self.message(Locale::En))]
    NotOffered { days: u8 },
}

impl Localize for ServiceLevelError {
    fn message(&self, locale: Locale) -> String {
        let ServiceLevelError::NotOffered { days } = self;
        match locale {
            Locale::En => format!("A voucher carries 1, 3, 5, 10 or 15 days, not {days}."),
            Locale::Ko => format!("바우처 일수는 1, 3, 5, 10, 15일 중 하나여야 합니다({days}일은 선택할 수 없습니다)."),
        }
    }
}

/// A currency of the rate table. On the wire: the ISO 4217 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Usd,
    Krw,
    Gbp,
    Eur,
    Jpy,
    Inr,
    Aud,
    Cad,
    Brl,
    Sgd,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Krw => "KRW",
            Currency::Gbp => "GBP",
            Currency::Eur => "EUR",
            Currency::Jpy => "JPY",
            Currency::Inr => "INR",
            Currency::Aud => "AUD",
            Currency::Cad => "CAD",
            Currency::Brl => "BRL",
            Currency::Sgd => "SGD",
        }
    }

    /// Digits after the decimal point (ISO 4217 minor unit): 0 for won and yen, else 2.
    pub fn minor_digits(self) -> u8 {
        match self {
            Currency::Krw | Currency::Jpy => 0,
            _ => 2,
        }
    }
}

/// What Microsoft pays per delivered day in one country: one row of [`DailyRates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DailyRate {
    pub country: CountryCode,
    pub currency: Currency,
    /// Per day, in minor units of `currency` (cents; whole won and yen).
    pub minor_units_per_day: i64,
}

impl DailyRate {
    pub fn per_day(&self) -> Money {
        Money::from_minor_units(self.minor_units_per_day, self.currency)
    }
}

/// The countries the program pays for and at what daily rate. Configuration, like the
/// milestones (the server's `config/program.toml`): DOMAIN.md §11.2 found no published table, so
/// the shipped one is a demo. A country without a rate cannot be delivered in, since a voucher
/// delivered there could never be paid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct DailyRates(pub Vec<DailyRate>);

impl DailyRates {
    /// The daily rate paid for engagements delivered in `country`, if the program pays there.
    pub fn rate(&self, country: CountryCode) -> Option<Money> {
        self.0.iter().find(|rate| rate.country == country).map(DailyRate::per_day)
    }

    /// The countries the program pays for, in the table's order.
    pub fn countries(&self) -> impl Iterator<Item = CountryCode> + '_ {
        self.0.iter().map(|rate| rate.country)
    }

    /// Checks a configured table: each country once, each rate above zero.
    pub fn validate(&self) -> Result<(), TimelineError> {
        for (index, rate) in self.0.iter().enumerate() {
            if rate.minor_units_per_day <= 0 {
                return Err(TimelineError::RateNotPositive { country: rate.country });
            }
            if self.0[..index].iter().any(|earlier| earlier.country == rate.country) {
                return Err(TimelineError::DuplicateRate { country: rate.country });
            }
        }
        Ok(())
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
    fn tables_are_in_the_order_of_their_ids() {
        for (index, competency) in COMPETENCIES.iter().enumerate() {
            assert_eq!(competency.id as usize, index);
        }
        for (index, offering) in OFFERINGS.iter().enumerate() {
            assert_eq!(offering.code as usize, index);
        }
        for (index, engagement) in ENGAGEMENTS.iter().enumerate() {
            assert_eq!(engagement.id as usize, index);
        }
    }

    #[test]
    fn the_six_active_offerings_hold_the_twelve_engagements() {
        let count: usize = OfferingCode::ACTIVE.iter().map(|offering| offering.engagements().count()).sum();
        assert_eq!(count, 12);
        assert_eq!(OfferingCode::Ddps.engagements().count(), 3);
        assert_eq!(OfferingCode::Pvdps.engagements().count(), 1);
        assert!(OfferingCode::ACTIVE.iter().all(|offering| !offering.is_cloud()));
    }

    #[test]
    fn every_engagement_lasts_at_most_fifteen_days_and_names_both_languages() {
        for engagement in ENGAGEMENTS {
            assert!(engagement.max_days <= 15 && engagement.max_days >= 1);
            assert!(!engagement.requirement.is_empty());
            assert_ne!(engagement.name_en, engagement.name_ko);
        }
    }

    #[test]
    fn offering_codes_travel_as_upper_case_and_engagements_as_snake_case() {
        assert_eq!(serde_json::to_value(OfferingCode::Sedps).unwrap(), "SEDPS");
        assert_eq!(
            serde_json::to_value(EngagementId::Dynamics365FinanceAndOperationsUpgrade).unwrap(),
            "dynamics365_finance_and_operations_upgrade"
        );
        assert_eq!(serde_json::to_value(CompetencyId::WindowsAndDevices).unwrap(), "windows_and_devices");
    }

    #[test]
    fn gold_satisfies_silver_but_silver_does_not_satisfy_gold() {
        assert!(CompetencyLevel::Gold.satisfies(CompetencyLevel::Silver));
        assert!(CompetencyLevel::Gold.satisfies(CompetencyLevel::Gold));
        assert!(CompetencyLevel::Silver.satisfies(CompetencyLevel::Silver));
        assert!(!CompetencyLevel::Silver.satisfies(CompetencyLevel::Gold));
    }

    #[test]
    fn service_levels_are_exactly_one_three_five_ten_and_fifteen_days() {
        let accepted: Vec<u8> = (0..=255u8).filter(|days| ServiceLevel::try_from(*days).is_ok()).collect();
        assert_eq!(accepted, vec![1, 3, 5, 10, 15]);
        let error = ServiceLevel::try_from(4).unwrap_err();
        assert_eq!(error.to_string(), "A voucher carries 1, 3, 5, 10 or 15 days, not 4.");
        assert!(!error.message(Locale::Ko).is_empty());
        assert_ne!(error.message(Locale::Ko), error.message(Locale::En));
        assert!(serde_json::from_str::<ServiceLevel>("4").is_err());
        assert_eq!(serde_json::from_str::<ServiceLevel>("10").unwrap().days(), 10);
    }

    #[test]
    fn cloud_types_stop_taking_vouchers_on_the_retirement_day() {
        let timeline = ProgramTimeline::published();
        assert!(OfferingCode::Azdps.accepts_new_vouchers(&timeline, date("2020-01-31")));
        assert!(!OfferingCode::Azdps.accepts_new_vouchers(&timeline, date("2020-02-01")));
        assert_eq!(OfferingCode::Azdps.retired_on(&timeline), Some(date("2020-02-01")));
        assert!(OfferingCode::Ddps.accepts_new_vouchers(&timeline, date("2021-06-30")));
        assert_eq!(OfferingCode::Ddps.retired_on(&timeline), None);
    }

    #[test]
    fn requirement_alternatives_read_naturally_in_both_languages() {
        let requirement = EngagementId::DataEstateModernization.details().requirement;
        assert_eq!(
            alternatives_message(requirement, Locale::En),
            "Gold Data Analytics, or Gold Data Platform competency"
        );
        assert_eq!(alternatives_message(requirement, Locale::Ko), "데이터 분석 골드 또는 데이터 플랫폼 골드 역량");
        let silver = EngagementId::ExchangeDeploymentPlanning.details().requirement;
        assert_eq!(alternatives_message(silver, Locale::En), "Silver or Gold Messaging competency");
    }

    #[test]
    fn a_rate_table_answers_per_country_and_refuses_duplicates_and_zero() {
        let country = |code| CountryCode::parse(code).unwrap();
        let korea = DailyRate { country: country("KR"), currency: Currency::Krw, minor_units_per_day: 1_300_000 };
        let rates = DailyRates(vec![korea]);
        let rate = rates.rate(country("KR")).unwrap();
        assert_eq!((rate.minor_units(), rate.currency()), (1_300_000, Currency::Krw));
        assert_eq!(rates.rate(country("CH")), None);
        assert_eq!(rates.validate(), Ok(()));
        let twice = DailyRates(vec![korea, korea]).validate().unwrap_err();
        assert_eq!(twice.to_string(), "The daily rates list KR twice");
        let free = DailyRate { minor_units_per_day: 0, ..korea };
        let zero = DailyRates(vec![free]).validate().unwrap_err();
        assert_eq!(zero.to_string(), "The daily rate of KR must be above zero");
    }

    #[test]
    fn offering_names_carry_the_code_in_both_languages() {
        assert_eq!(
            OfferingCode::Sedps.message(Locale::En),
            "S-EDPS (Skype for Business and Exchange Deployment Planning Services)"
        );
        assert!(OfferingCode::Sedps.message(Locale::Ko).starts_with("S-EDPS ("));
    }
}
