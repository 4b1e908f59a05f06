//! What a partner records about itself: its program data (agreement, renewal, enrollment,
//! consultants' exams; DOMAIN.md §4 steps 1–2, §5) and its business profile for the partner
//! directory (§4 step 3, §12), with the rules that guard each edit.
//!
//! Choices where DOMAIN.md is open:
//! - Roles: every partner role reads its company's program data; the Global Admin and the MPN
//!   Partner Admin change it and edit the business profile (the documents name both roles for
//!   every partner step; the portal has no separate "business profile admin" role).
//! - Signing the agreement starts the membership year when no renewal date is on record;
//!   renewing sets the next renewal date one year (12 calendar months) after the program date.
//! - One business profile per company, for one country where it has a location (the directory
//!   requires a location in each country of delivery, §12). Logos are not modelled.
//! - Exam codes look like Microsoft's: two or three letters or digits, a hyphen and three digits
//!   ("MS-203", "70-742"); which exam counts toward which competency is data the partner gives.
//! - Products are Microsoft products only (§12), from [`MICROSOFT_PRODUCTS`]; industries and
//!   service types are free tags. At most 10 tags per kind, 40 characters each.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::actor::{Action, Role};
use crate::catalog::{pick, CompetencyId, OfferingCode, COMPETENCIES};
use crate::eligibility::{enrollment_blocker, EligibilityPolicy, Finding, PartnerProfile, Requirement};
use crate::locale::{Locale, Localize};
use crate::parse::CountryCode;

/// The longest business profile description, in characters (DOMAIN.md §12).
pub const DESCRIPTION_MAX_LENGTH: usize = 2_500;
/// The longest web address accepted.
pub const WEB_ADDRESS_MAX_LENGTH: usize = 2_000;
/// The most tags of one kind (industries, products, service types).
pub const TAGS_MAX_COUNT: usize = 10;
/// The longest tag, in characters.
pub const TAG_MAX_LENGTH: usize = 40;

/// The Microsoft products a profile may name (DOMAIN.md §12: "Microsoft products only").
pub const MICROSOFT_PRODUCTS: &[&str] = &[
    "Azure",
    "Dynamics 365",
    "Exchange Server",
    "Intune",
    "Microsoft 365",
    "Office",
    "Project",
    "SharePoint",
    "Skype for Business",
    "SQL Server",
    "System Center",
    "Teams",
    "Windows",
    "Windows Server",
];

/// Whether `role` may read its company's partner program data and business profile.
pub fn check_partner_reader(role: Role) -> Result<(), ProfileError> {
    match role {
        Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin | Role::Consultant => Ok(()),
        _ => Err(ProfileError::NotAPartner),
    }
}

/// Whether `role` may change its company's program data, enrollment and business profile.
pub fn check_partner_editor(role: Role) -> Result<(), ProfileError> {
    check_partner_reader(role)?;
    if role.may(Action::ManagePartnerProgram) {
        Ok(())
    } else {
        Err(ProfileError::PartnerAdminsOnly)
    }
}

/// Checks that the agreement being signed is the one the program requires now.
pub fn check_agreement_version(policy: &EligibilityPolicy, offered: u32) -> Result<u32, ProfileError> {
    let required = policy.required_agreement_version;
    if offered == required {
        Ok(offered)
    } else {
        Err(ProfileError::AgreementVersionNotCurrent { offered, required })
    }
}

/// The renewal date of a membership renewed on `today`: one year later (28 February when
/// renewed on 29 February).
pub fn next_renewal_due_on(today: NaiveDate) -> NaiveDate {
    today.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX)
}

/// Renewing needs a signed agreement: the membership renews together with it (DOMAIN.md §3).
pub fn check_renewal(partner: &PartnerProfile, today: NaiveDate) -> Result<NaiveDate, ProfileError> {
    if partner.agreement.is_none() {
        return Err(ProfileError::AgreementNotSigned);
    }
    Ok(next_renewal_due_on(today))
}

/// Whether the company may enroll in `offering` on `today`: an active offering it is not yet
/// enrolled in, with every company-level check and the offering-level competency met.
pub fn check_enrollment(
    partner: &PartnerProfile,
    policy: &EligibilityPolicy,
    offering: OfferingCode,
    today: NaiveDate,
) -> Result<(), ProfileError> {
    if !OfferingCode::ACTIVE.contains(&offering) {
        return Err(ProfileError::OfferingRetired { offering });
    }
    if partner.enrolled_offerings.contains(&offering) {
        return Err(ProfileError::AlreadyEnrolled { offering });
    }
    match enrollment_blocker(partner, policy, offering, today) {
        Some(check) => {
            Err(ProfileError::EnrollmentRefused { offering, requirement: check.requirement, finding: check.finding })
        }
        None => Ok(()),
    }
}

/// Whether the company could enroll in `offering` again on `today` if it withdrew from it now:
/// the confirmation before withdrawing says so when it could not (a lapsed competency, an
/// overdue renewal), because until it enrolls again the company cannot reserve that offering's
/// vouchers.
pub fn check_reenrollment(
    partner: &PartnerProfile,
    policy: &EligibilityPolicy,
    offering: OfferingCode,
    today: NaiveDate,
) -> Result<(), ProfileError> {
    let mut withdrawn = partner.clone();
    withdrawn.enrolled_offerings.retain(|&enrolled| enrolled != offering);
    check_enrollment(&withdrawn, policy, offering, today)
}

/// The business profile's country must be one where the company has a location (DOMAIN.md §12).
pub fn check_profile_country(partner: &PartnerProfile, country: CountryCode) -> Result<CountryCode, ProfileError> {
    if partner.locations.iter().any(|location| location.country == country) {
        Ok(country)
    } else {
        Err(ProfileError::NoLocationInCountry { country })
    }
}

/// An exam or assessment code such as "MS-203", upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExamCode(String);

impl ExamCode {
    pub fn parse(input: &str) -> Result<ExamCode, ProfileError> {
        let code = input.trim().to_ascii_uppercase();
        let Some((prefix, number)) = code.split_once('-') else {
            return Err(ProfileError::ExamCodeInvalid);
        };
        let prefix_ok = (2..=3).contains(&prefix.len()) && prefix.bytes().all(|byte| byte.is_ascii_alphanumeric());
        let number_ok = number.len() == 3 && number.bytes().all(|byte| byte.is_ascii_digit());
        if prefix_ok && number_ok {
            Ok(ExamCode(code))
        } else {
            Err(ProfileError::ExamCodeInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A business profile description: 1 to 2,500 characters (grapheme clusters) after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileDescription(String);

impl ProfileDescription {
    pub fn parse(input: &str) -> Result<ProfileDescription, ProfileError> {
        let text = input.trim();
        if has_control_characters(text, true) {
            return Err(ProfileError::DescriptionControlCharacter);
        }
        let length = text.graphemes(true).count();
        if length == 0 {
            return Err(ProfileError::DescriptionRequired);
        }
        if length > DESCRIPTION_MAX_LENGTH {
            return Err(ProfileError::DescriptionTooLong { max: DESCRIPTION_MAX_LENGTH, length });
        }
        Ok(ProfileDescription(text.to_owned()))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn has_control_characters(text: &str, line_breaks_allowed: bool) -> bool {
    text.chars()
        .any(|character| character.is_control() && !(line_breaks_allowed && matches!(character, '\n' | '\r' | '\t')))
}

/// An `http` or `https` address with a domain name as host; the scheme and host are stored in
/// lower case, the rest as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAddress {
    address: String,
    host: String,
    path: String,
}

impl WebAddress {
    pub fn parse(input: &str) -> Result<WebAddress, ProfileError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(ProfileError::WebsiteRequired);
        }
        if text.len() > WEB_ADDRESS_MAX_LENGTH {
            return Err(ProfileError::WebsiteTooLong { max: WEB_ADDRESS_MAX_LENGTH });
        }
        let lower = text.to_ascii_lowercase();
        let (scheme, rest) = if lower.starts_with("https://") {
            ("https", &text["https://".len()..])
        } else if lower.starts_with("http://") {
            ("http", &text["http://".len()..])
        } else {
            return Err(ProfileError::WebsiteMissingScheme);
        };
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (host, path) = rest.split_at(host_end);
        let host = host.to_ascii_lowercase();
        if !is_domain_name(&host) || path.chars().any(|character| character.is_whitespace() || character.is_control()) {
            return Err(ProfileError::WebsiteInvalid);
        }
        Ok(WebAddress { address: format!("{scheme}://{host}{path}"), host, path: path.to_owned() })
    }

    pub fn as_str(&self) -> &str {
        &self.address
    }

    pub fn into_string(self) -> String {
        self.address
    }
}

/// At least two letter-digit-hyphen labels and an alphabetic top-level label.
fn is_domain_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let top_level_ok =
        labels.last().is_some_and(|top| top.len() >= 2 && top.bytes().all(|byte| byte.is_ascii_alphabetic()));
    host.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && top_level_ok
}

/// A LinkedIn company page: `https://www.linkedin.com/company/<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedInPage(String);

impl LinkedInPage {
    /// Blank means "no page" (the field is optional).
    pub fn parse_optional(input: Option<&str>) -> Result<Option<LinkedInPage>, ProfileError> {
        match input.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => LinkedInPage::parse(text).map(Some),
        }
    }

    pub fn parse(input: &str) -> Result<LinkedInPage, ProfileError> {
        let address = WebAddress::parse(input).map_err(|_| ProfileError::LinkedInPageInvalid)?;
        let host_ok = address.host == "linkedin.com" || address.host.ends_with(".linkedin.com");
        let company = address.path.strip_prefix("/company/").map(|rest| rest.trim_end_matches('/')).unwrap_or("");
        let company_ok = !company.is_empty() && !company.contains(['/', '?', '#']);
        if host_ok && company_ok && address.address.starts_with("https://") {
            Ok(LinkedInPage(address.address))
        } else {
            Err(ProfileError::LinkedInPageInvalid)
        }
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The kinds of expertise tag (DOMAIN.md §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Industry,
    Product,
    ServiceType,
}

impl Localize for TagKind {
    fn message(&self, locale: Locale) -> String {
        match self {
            TagKind::Industry => pick(locale, "industry", "산업"),
            TagKind::Product => pick(locale, "product", "제품"),
            TagKind::ServiceType => pick(locale, "service type", "서비스 유형"),
        }
    }
}

/// Parses one kind of expertise tags: trimmed, non-empty, at most [`TAG_MAX_LENGTH`] characters,
/// no duplicates (ignoring case), at most [`TAGS_MAX_COUNT`]; products from [`MICROSOFT_PRODUCTS`]
/// in their catalog spelling.
pub fn parse_tags(kind: TagKind, inputs: &[String]) -> Result<Vec<String>, ProfileError> {
    if inputs.len() > TAGS_MAX_COUNT {
        return Err(ProfileError::TooManyTags { kind, max: TAGS_MAX_COUNT, count: inputs.len() });
    }
    let mut tags: Vec<String> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let text = input.trim();
        if text.is_empty() {
            return Err(ProfileError::TagRequired { kind });
        }
        if has_control_characters(text, false) {
            return Err(ProfileError::TagControlCharacter { kind });
        }
        let length = text.graphemes(true).count();
        if length > TAG_MAX_LENGTH {
            return Err(ProfileError::TagTooLong { kind, max: TAG_MAX_LENGTH, length });
        }
        let tag = if kind == TagKind::Product {
            let product = MICROSOFT_PRODUCTS.iter().find(|product| product.eq_ignore_ascii_case(text));
            product.ok_or_else(|| ProfileError::UnknownProduct { product: text.to_owned() })?.to_string()
        } else {
            text.to_owned()
        };
        if tags.iter().any(|earlier| earlier.to_lowercase() == tag.to_lowercase()) {
            return Err(ProfileError::DuplicateTag { kind, tag });
        }
        tags.push(tag);
    }
    Ok(tags)
}

/// The smallest customer a partner wants referrals from (DOMAIN.md §12: partners opt out of
/// referrals below their preferred size). Declared from smallest to largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerSize {
    /// Any size, from 1 employee.
    Small,
    /// From 50 employees.
    Medium,
    /// From 250 employees.
    Large,
    /// From 1,000 employees.
    Enterprise,
}

impl Localize for CustomerSize {
    fn message(&self, locale: Locale) -> String {
        match self {
            CustomerSize::Small => pick(locale, "Any size (1 employee or more)", "모든 규모(직원 1명 이상)"),
            CustomerSize::Medium => pick(locale, "50 employees or more", "직원 50명 이상"),
            CustomerSize::Large => pick(locale, "250 employees or more", "직원 250명 이상"),
            CustomerSize::Enterprise => pick(locale, "1,000 employees or more", "직원 1,000명 이상"),
        }
    }
}

/// Reads an offering from a directory filter: its code as on the wire ("SEDPS") or as partners
/// write it ("S-EDPS"), in any case. Retired offerings are not in the directory.
pub fn parse_offering_filter(input: &str) -> Result<OfferingCode, ProfileError> {
    let text = input.trim();
    let squeezed: String = text.chars().filter(|character| *character != '-' && *character != '&').collect();
    OfferingCode::ACTIVE
        .into_iter()
        .find(|offering| {
            let label: String = offering.details().label.chars().filter(|character| *character != '-').collect();
            label.eq_ignore_ascii_case(&squeezed)
        })
        .ok_or_else(|| ProfileError::UnknownOffering { offering: text.to_owned() })
}

/// Reads a competency from a directory filter: its English name ("Messaging") or its wire id
/// ("collaboration_and_content"), in any case.
pub fn parse_competency_filter(input: &str) -> Result<CompetencyId, ProfileError> {
    let text = input.trim();
    let spaced = text.replace('_', " ");
    COMPETENCIES
        .iter()
        .find(|competency| {
            competency.name_en.eq_ignore_ascii_case(&spaced) || competency.name_en.eq_ignore_ascii_case(text)
        })
        .map(|competency| competency.id)
        .ok_or_else(|| ProfileError::UnknownCompetency { competency: text.to_owned() })
}

/// Why a change to a partner's program data or business profile was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProfileError {
    #[error("{}", self.message(Locale::En))]
    NotAPartner,
    #[error("{}", self.message(Locale::En))]
    PartnerAdminsOnly,
    #[error("{}", self.message(Locale::En))]
    AgreementVersionNotCurrent { offered: u32, required: u32 },
    #[error("{}", self.message(Locale::En))]
    AgreementNotSigned,
    #[error("{}", self.message(Locale::En))]
    OfferingRetired { offering: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    AlreadyEnrolled { offering: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    NotEnrolled { offering: OfferingCode },
    #[error("{}", self.message(Locale::En))]
    EnrollmentRefused { offering: OfferingCode, requirement: Requirement, finding: Finding },
    #[error("{}", self.message(Locale::En))]
    LocationIdTaken,
    #[error("{}", self.message(Locale::En))]
    LocationInUse,
    #[error("{}", self.message(Locale::En))]
    NoLocationInCountry { country: CountryCode },
    #[error("{}", self.message(Locale::En))]
    NotAConsultantOfYourCompany,
    #[error("{}", self.message(Locale::En))]
    ConsultantAlreadyRecorded,
    #[error("{}", self.message(Locale::En))]
    ExamCodeInvalid,
    #[error("{}", self.message(Locale::En))]
    ExamAlreadyRecorded,
    #[error("{}", self.message(Locale::En))]
    DescriptionRequired,
    #[error("{}", self.message(Locale::En))]
    DescriptionTooLong { max: usize, length: usize },
    #[error("{}", self.message(Locale::En))]
    DescriptionControlCharacter,
    #[error("{}", self.message(Locale::En))]
    WebsiteRequired,
    #[error("{}", self.message(Locale::En))]
    WebsiteTooLong { max: usize },
    #[error("{}", self.message(Locale::En))]
    WebsiteMissingScheme,
    #[error("{}", self.message(Locale::En))]
    WebsiteInvalid,
    #[error("{}", self.message(Locale::En))]
    LinkedInPageInvalid,
    #[error("{}", self.message(Locale::En))]
    TooManyTags { kind: TagKind, max: usize, count: usize },
    #[error("{}", self.message(Locale::En))]
    TagRequired { kind: TagKind },
    #[error("{}", self.message(Locale::En))]
    TagTooLong { kind: TagKind, max: usize, length: usize },
    #[error("{}", self.message(Locale::En))]
    TagControlCharacter { kind: TagKind },
    #[error("{}", self.message(Locale::En))]
    DuplicateTag { kind: TagKind, tag: String },
    #[error("{}", self.message(Locale::En))]
    UnknownProduct { product: String },
    #[error("{}", self.message(Locale::En))]
    UnknownOffering { offering: String },
    #[error("{}", self.message(Locale::En))]
    UnknownCompetency { competency: String },
    #[error("{}", self.message(Locale::En))]
    PageSizeOutOfRange { max: u32 },
    #[error("{}", self.message(Locale::En))]
    PageOutOfRange,
}

impl Localize for ProfileError {
    fn message(&self, locale: Locale) -> String {
        let label = |offering: &OfferingCode| offering.details().label;
        match (self, locale) {
            (ProfileError::NotAPartner, _) => pick(
                locale,
                "Only users of a partner organization can see or change partner program data.",
                "파트너 조직의 사용자만 파트너 프로그램 정보를 보거나 변경할 수 있습니다.",
            ),
            (ProfileError::PartnerAdminsOnly, _) => pick(
                locale,
                "Only your company's Global Admin or MPN Partner Admin can change its program data, enrollment and \
                 business profile.",
                "회사의 전역 관리자 또는 MPN 파트너 관리자만 프로그램 정보, 등록 및 비즈니스 프로필을 변경할 수 있습니다.",
            ),
            (ProfileError::AgreementVersionNotCurrent { offered, required }, Locale::En) => format!(
                "Agreement version {offered} cannot be signed; the program requires version {required}. Reload \
                 the page to read the current agreement."
            ),
            (ProfileError::AgreementVersionNotCurrent { offered, required }, Locale::Ko) => format!(
                "계약 버전 {offered}에는 서명할 수 없습니다. 프로그램에는 버전 {required}이(가) 필요합니다. 페이지를 \
                 새로 고쳐 최신 계약을 읽으세요."
            ),
            (ProfileError::AgreementNotSigned, _) => pick(
                locale,
                "Sign the program agreement before renewing the membership.",
                "멤버십을 갱신하기 전에 프로그램 계약에 서명하세요.",
            ),
            (ProfileError::OfferingRetired { offering }, Locale::En) => {
                format!("{} is retired and takes no new enrollments.", label(offering))
            }
            (ProfileError::OfferingRetired { offering }, Locale::Ko) => {
                format!("{} 프로그램은 종료되어 새로 등록할 수 없습니다.", label(offering))
            }
            (ProfileError::AlreadyEnrolled { offering }, Locale::En) => {
                format!("The company is already enrolled in {}.", label(offering))
            }
            (ProfileError::AlreadyEnrolled { offering }, Locale::Ko) => {
                format!("회사가 이미 {} 프로그램에 등록되어 있습니다.", label(offering))
            }
            (ProfileError::NotEnrolled { offering }, Locale::En) => {
                format!("The company is not enrolled in {}.", label(offering))
            }
            (ProfileError::NotEnrolled { offering }, Locale::Ko) => {
                format!("회사가 {} 프로그램에 등록되어 있지 않습니다.", label(offering))
            }
            (ProfileError::EnrollmentRefused { offering, finding, .. }, Locale::En) => {
                format!("The company cannot enroll in {} yet. {}", label(offering), finding.message(locale))
            }
            (ProfileError::EnrollmentRefused { offering, finding, .. }, Locale::Ko) => {
                format!("회사가 아직 {} 프로그램에 등록할 수 없습니다. {}", label(offering), finding.message(locale))
            }
            (ProfileError::LocationIdTaken, _) => pick(
                locale,
                "This MPN location ID is already on record; each location ID belongs to one office.",
                "이 MPN 위치 ID는 이미 등록되어 있습니다. 위치 ID마다 하나의 지사에만 속합니다.",
            ),
            (ProfileError::LocationInUse, _) => pick(
                locale,
                "This location has vouchers reserved or redeemed under it and cannot be removed.",
                "이 위치로 예약되거나 상환된 바우처가 있어 삭제할 수 없습니다.",
            ),
            (ProfileError::NoLocationInCountry { country }, Locale::En) => format!(
                "The company has no location in {country}; a business profile is for a country with a location ID."
            ),
            (ProfileError::NoLocationInCountry { country }, Locale::Ko) => format!(
                "회사에 {country} 위치가 없습니다. 비즈니스 프로필은 위치 ID가 있는 국가에 대해서만 만들 수 있습니다."
            ),
            (ProfileError::NotAConsultantOfYourCompany, _) => pick(
                locale,
                "The linked user must be an enabled consultant of your company.",
                "연결할 사용자는 회사에서 사용 중인 컨설턴트 계정이어야 합니다.",
            ),
            (ProfileError::ConsultantAlreadyRecorded, _) => pick(
                locale,
                "A consultant with this email address or user account is already on record.",
                "이 이메일 주소 또는 사용자 계정의 컨설턴트가 이미 등록되어 있습니다.",
            ),
            (ProfileError::ExamCodeInvalid, _) => pick(
                locale,
                "Enter the exam code as printed on the transcript, like MS-203 or 70-742.",
                "시험 코드는 성적 증명서에 적힌 대로 MS-203 또는 70-742처럼 입력하세요.",
            ),
            (ProfileError::ExamAlreadyRecorded, _) => pick(
                locale,
                "This exam is already recorded for the consultant.",
                "이 시험은 이미 해당 컨설턴트에게 기록되어 있습니다.",
            ),
            (ProfileError::DescriptionRequired, _) => pick(
                locale,
                "Describe what the company offers to customers.",
                "회사가 고객에게 제공하는 서비스를 설명하세요.",
            ),
            (ProfileError::DescriptionTooLong { max, length }, Locale::En) => {
                format!(
                    "A description has at most {} characters; this one has {}.",
                    thousands(*max),
                    thousands(*length)
                )
            }
            (ProfileError::DescriptionTooLong { max, length }, Locale::Ko) => {
                format!("설명은 {}자 이하여야 합니다. 현재 {}자입니다.", thousands(*max), thousands(*length))
            }
            (ProfileError::DescriptionControlCharacter, _) => pick(
                locale,
                "Remove the invisible control characters (pasted formatting) from the description.",
                "설명에서 보이지 않는 제어 문자(붙여넣은 서식)를 지우세요.",
            ),
            (ProfileError::WebsiteRequired, _) => {
                pick(locale, "Enter the company's website address.", "회사 웹 사이트 주소를 입력하세요.")
            }
            (ProfileError::WebsiteTooLong { max }, Locale::En) => {
                format!("A web address has at most {} characters.", thousands(*max))
            }
            (ProfileError::WebsiteTooLong { max }, Locale::Ko) => {
                format!("웹 주소는 {}자 이하여야 합니다.", thousands(*max))
            }
            (ProfileError::WebsiteMissingScheme, _) => pick(
                locale,
                "Start the web address with https:// (or http://), like https://www.example.com.",
                "웹 주소는 https://www.example.com처럼 https://(또는 http://)로 시작해야 합니다.",
            ),
            (ProfileError::WebsiteInvalid, _) => pick(
                locale,
                "The web address needs a domain such as www.example.com and no spaces.",
                "웹 주소에는 www.example.com 같은 도메인이 있어야 하며 공백이 없어야 합니다.",
            ),
            (ProfileError::LinkedInPageInvalid, _) => pick(
                locale,
                "Enter the LinkedIn company page as https://www.linkedin.com/company/your-company, or leave it empty.",
                "LinkedIn 회사 페이지는 https://www.linkedin.com/company/회사이름 형식으로 입력하거나 비워 두세요.",
            ),
            (ProfileError::TooManyTags { kind, max, count }, Locale::En) => {
                format!("Choose at most {max} {} tags; there are {count}.", kind.message(locale))
            }
            (ProfileError::TooManyTags { kind, max, count }, Locale::Ko) => {
                format!("{} 태그는 최대 {max}개까지 선택할 수 있습니다. 현재 {count}개입니다.", kind.message(locale))
            }
            (ProfileError::TagRequired { kind }, Locale::En) => {
                format!("Remove the empty {} tag or fill it in.", kind.message(locale))
            }
            (ProfileError::TagRequired { kind }, Locale::Ko) => {
                format!("비어 있는 {} 태그를 지우거나 내용을 입력하세요.", kind.message(locale))
            }
            (ProfileError::TagTooLong { kind, max, length }, Locale::En) => {
                format!("A {} tag has at most {max} characters; one has {length}.", kind.message(locale))
            }
            (ProfileError::TagTooLong { kind, max, length }, Locale::Ko) => {
                format!("{} 태그는 {max}자 이하여야 합니다. {length}자인 태그가 있습니다.", kind.message(locale))
            }
            (ProfileError::TagControlCharacter { kind }, Locale::En) => {
                format!("Remove the invisible control characters from the {} tags.", kind.message(locale))
            }
            (ProfileError::TagControlCharacter { kind }, Locale::Ko) => {
                format!("{} 태그에서 보이지 않는 제어 문자를 지우세요.", kind.message(locale))
            }
            (ProfileError::DuplicateTag { kind, tag }, Locale::En) => {
                format!("The {} tag \"{tag}\" is listed twice; keep it once.", kind.message(locale))
            }
            (ProfileError::DuplicateTag { kind, tag }, Locale::Ko) => {
                format!("{} 태그 \"{tag}\"이(가) 두 번 있습니다. 하나만 남기세요.", kind.message(locale))
            }
            (ProfileError::UnknownProduct { product }, Locale::En) => {
                format!("\"{product}\" is not a Microsoft product of the list; profiles name Microsoft products only.")
            }
            (ProfileError::UnknownProduct { product }, Locale::Ko) => format!(
                "\"{product}\"은(는) 목록에 있는 Microsoft 제품이 아닙니다. 프로필에는 Microsoft 제품만 쓸 수 있습니다."
            ),
            (ProfileError::UnknownOffering { offering }, Locale::En) => {
                format!("\"{offering}\" is not a Planning Services offering; use a code like DDPS or S-EDPS.")
            }
            (ProfileError::UnknownOffering { offering }, Locale::Ko) => {
                format!("\"{offering}\"은(는) 계획 서비스 프로그램이 아닙니다. DDPS, S-EDPS 같은 코드를 사용하세요.")
            }
            (ProfileError::UnknownCompetency { competency }, Locale::En) => {
                format!("\"{competency}\" is not a competency of the program; use a name like Messaging.")
            }
            (ProfileError::UnknownCompetency { competency }, Locale::Ko) => {
                format!("\"{competency}\"은(는) 프로그램의 역량이 아닙니다. Messaging 같은 역량 이름을 사용하세요.")
            }
            (ProfileError::PageSizeOutOfRange { max }, Locale::En) => {
                format!("Ask for 1 to {max} partners per page.")
            }
            (ProfileError::PageSizeOutOfRange { max }, Locale::Ko) => {
                format!("한 페이지에 파트너를 1~{max}개까지 요청할 수 있습니다.")
            }
            (ProfileError::PageOutOfRange, _) => {
                pick(locale, "Pages are numbered from 1.", "페이지 번호는 1부터 시작합니다.")
            }
        }
    }
}

/// "2,500": the digit grouping both languages use.
fn thousands(number: usize) -> String {
    crate::locale::group_thousands(&number.to_string())
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::eligibility::tests::{contoso, date};

    use crate::locale::test_support::assert_bilingual;

    #[test]
    fn partner_roles_read_and_both_admin_roles_edit() {
        for role in [Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin, Role::Consultant] {
            assert_eq!(check_partner_reader(role), Ok(()));
        }
        assert_eq!(check_partner_editor(Role::PartnerGlobalAdmin), Ok(()));
        assert_eq!(check_partner_editor(Role::MpnPartnerAdmin), Ok(()));
        assert_eq!(check_partner_editor(Role::Consultant), Err(ProfileError::PartnerAdminsOnly));
        for role in [Role::CustomerBenefitAdministrator, Role::CustomerProjectManager, Role::ProgramOperator] {
            assert_eq!(check_partner_reader(role), Err(ProfileError::NotAPartner));
            assert_eq!(check_partner_editor(role), Err(ProfileError::NotAPartner));
        }
        assert_bilingual(
            &ProfileError::PartnerAdminsOnly,
            "Only your company's Global Admin or MPN Partner Admin can change its program data, enrollment and \
             business profile.",
        );
    }

    #[test]
    fn only_the_required_agreement_version_can_be_signed() {
        let policy = EligibilityPolicy::published();
        assert_eq!(check_agreement_version(&policy, 1), Ok(1));
        let error = check_agreement_version(&policy, 2).unwrap_err();
        assert_bilingual(
            &error,
            "Agreement version 2 cannot be signed; the program requires version 1. Reload the page to read the \
             current agreement.",
        );
        assert!(check_agreement_version(&policy, 0).is_err());
    }

    #[test]
    fn the_renewal_is_due_a_year_later_and_needs_a_signed_agreement() {
        assert_eq!(next_renewal_due_on(date("2021-07-15")), date("2022-07-15"));
        assert_eq!(next_renewal_due_on(date("2020-02-29")), date("2021-02-28"));
        assert_eq!(check_renewal(&contoso(), date("2021-07-15")), Ok(date("2022-07-15")));
        let mut unsigned = contoso();
        unsigned.agreement = None;
        assert_eq!(check_renewal(&unsigned, date("2021-07-15")), Err(ProfileError::AgreementNotSigned));
    }

    #[test]
    fn enrollment_is_refused_with_the_first_unmet_requirement() {
        let policy = EligibilityPolicy { annual_renewal_required: true, ..EligibilityPolicy::published() };
        let partner = contoso();
        assert_eq!(
            check_enrollment(&partner, &policy, OfferingCode::Sedps, date("2021-06-01")),
            Err(ProfileError::AlreadyEnrolled { offering: OfferingCode::Sedps })
        );
        assert_eq!(
            check_enrollment(&partner, &policy, OfferingCode::Azdps, date("2021-06-01")),
            Err(ProfileError::OfferingRetired { offering: OfferingCode::Azdps })
        );
        let error = check_enrollment(&partner, &policy, OfferingCode::Pvdps, date("2021-06-01")).unwrap_err();
        assert_bilingual(
            &error,
            "The company cannot enroll in PVDPS yet. The company holds none of the qualifying competencies; attain \
             one of them.",
        );
        let mut messaging_only = contoso();
        messaging_only.enrolled_offerings.clear();
        assert_eq!(check_enrollment(&messaging_only, &policy, OfferingCode::Sedps, date("2021-12-31")), Ok(()));
        let expired = check_enrollment(&messaging_only, &policy, OfferingCode::Sedps, date("2022-01-01")).unwrap_err();
        // The renewal (due 2021-12-31) is a company check, so it is reported before the competency.
        assert!(matches!(expired, ProfileError::EnrollmentRefused { finding: Finding::RenewalOverdue { .. }, .. }));
    }

    #[test]
    fn withdrawing_warns_when_the_company_could_not_enroll_again() {
        let policy = EligibilityPolicy { annual_renewal_required: true, ..EligibilityPolicy::published() };
        let partner = contoso();
        assert!(partner.enrolled_offerings.contains(&OfferingCode::Sedps));
        assert_eq!(check_reenrollment(&partner, &policy, OfferingCode::Sedps, date("2021-12-31")), Ok(()));
        // The day after the renewal date the membership is overdue: enrolling again is refused.
        let overdue = check_reenrollment(&partner, &policy, OfferingCode::Sedps, date("2022-01-01")).unwrap_err();
        assert!(matches!(overdue, ProfileError::EnrollmentRefused { finding: Finding::RenewalOverdue { .. }, .. }));
        // The profile itself is not changed.
        assert!(partner.enrolled_offerings.contains(&OfferingCode::Sedps));
    }

    #[test]
    fn the_profile_country_needs_a_location_there() {
        let partner = contoso();
        let korea = CountryCode::parse("KR").unwrap();
        assert_eq!(check_profile_country(&partner, korea), Ok(korea));
        let japan = CountryCode::parse("JP").unwrap();
        assert_bilingual(
            &check_profile_country(&partner, japan).unwrap_err(),
            "The company has no location in JP; a business profile is for a country with a location ID.",
        );
    }

    #[test]
    fn exam_codes_have_a_short_prefix_a_hyphen_and_three_digits() {
        assert_eq!(ExamCode::parse(" ms-203 ").unwrap().as_str(), "MS-203");
        assert_eq!(ExamCode::parse("70-742").unwrap().as_str(), "70-742");
        assert_eq!(ExamCode::parse("AZ1-104").unwrap().as_str(), "AZ1-104");
        for invalid in ["", "MS203", "M-203", "MSFT-203", "MS-20", "MS-2030", "MS-20A", "MS 203", "MS--203"] {
            assert_eq!(ExamCode::parse(invalid), Err(ProfileError::ExamCodeInvalid), "{invalid}");
        }
        assert_bilingual(
            &ProfileError::ExamCodeInvalid,
            "Enter the exam code as printed on the transcript, like MS-203 or 70-742.",
        );
    }

    #[test]
    fn a_description_has_one_to_2500_characters_counted_as_people_see_them() {
        let at_limit = "가".repeat(DESCRIPTION_MAX_LENGTH);
        assert!(ProfileDescription::parse(&at_limit).is_ok());
        let over = "a".repeat(DESCRIPTION_MAX_LENGTH + 1);
        let error = ProfileDescription::parse(&over).unwrap_err();
        assert_eq!(error, ProfileError::DescriptionTooLong { max: 2_500, length: 2_501 });
        assert_bilingual(&error, "A description has at most 2,500 characters; this one has 2,501.");
        // One flag emoji is one character, though it is several code points.
        let flags = "🇰🇷".repeat(DESCRIPTION_MAX_LENGTH);
        assert!(ProfileDescription::parse(&flags).is_ok());
        assert_eq!(ProfileDescription::parse("  \n "), Err(ProfileError::DescriptionRequired));
        assert!(ProfileDescription::parse("Line one\nLine two\tend").is_ok());
        assert_eq!(ProfileDescription::parse("bell\u{7}"), Err(ProfileError::DescriptionControlCharacter));
    }

    #[test]
    fn websites_are_http_or_https_addresses_with_a_domain() {
        let address = WebAddress::parse(" HTTPS://Contoso.Example/Planning?x=1 ").unwrap();
        assert_eq!(address.as_str(), "https://contoso.example/Planning?x=1");
        assert_eq!(WebAddress::parse("http://contoso.example").unwrap().as_str(), "http://contoso.example");
        assert_eq!(WebAddress::parse(""), Err(ProfileError::WebsiteRequired));
        assert_eq!(WebAddress::parse("contoso.example"), Err(ProfileError::WebsiteMissingScheme));
        assert_eq!(WebAddress::parse("ftp://contoso.example"), Err(ProfileError::WebsiteMissingScheme));
        assert_eq!(WebAddress::parse("https://contoso"), Err(ProfileError::WebsiteInvalid));
        assert_eq!(WebAddress::parse("https://user@contoso.example"), Err(ProfileError::WebsiteInvalid));
        assert_eq!(WebAddress::parse("https://contoso.example/a b"), Err(ProfileError::WebsiteInvalid));
        let long = format!("https://contoso.example/{}", "a".repeat(WEB_ADDRESS_MAX_LENGTH));
        assert_eq!(WebAddress::parse(&long), Err(ProfileError::WebsiteTooLong { max: 2_000 }));
        assert_bilingual(
            &ProfileError::WebsiteMissingScheme,
            "Start the web address with https:// (or http://), like https://www.example.com.",
        );
    }

    #[test]
    fn the_linkedin_page_is_optional_and_must_be_a_company_page() {
        assert_eq!(LinkedInPage::parse_optional(None), Ok(None));
        assert_eq!(LinkedInPage::parse_optional(Some("  ")), Ok(None));
        let page = LinkedInPage::parse("https://www.linkedin.com/company/contoso/").unwrap();
        assert_eq!(page.into_string(), "https://www.linkedin.com/company/contoso/");
        assert!(LinkedInPage::parse("https://kr.linkedin.com/company/contoso").is_ok());
        for invalid in [
            "https://www.linkedin.com/in/someone",
            "https://www.linkedin.com/company/",
            "https://linkedin.example/company/contoso",
            "https://notlinkedin.com/company/contoso",
            "http://www.linkedin.com/company/contoso",
            "www.linkedin.com/company/contoso",
        ] {
            assert_eq!(LinkedInPage::parse(invalid), Err(ProfileError::LinkedInPageInvalid), "{invalid}");
        }
    }

    #[test]
    fn tags_are_trimmed_unique_bounded_and_products_come_from_the_list() {
        let industries = parse_tags(TagKind::Industry, &[" Banking ".into(), "Retail".into()]).unwrap();
        assert_eq!(industries, ["Banking", "Retail"]);
        let products = parse_tags(TagKind::Product, &["sharepoint".into(), "EXCHANGE SERVER".into()]).unwrap();
        assert_eq!(products, ["SharePoint", "Exchange Server"]);
        let error = parse_tags(TagKind::Product, &["Slack".into()]).unwrap_err();
        assert_bilingual(
            &error,
            "\"Slack\" is not a Microsoft product of the list; profiles name Microsoft products only.",
        );
        let ten: Vec<String> = (0..TAGS_MAX_COUNT).map(|index| format!("Tag {index}")).collect();
        assert!(parse_tags(TagKind::ServiceType, &ten).is_ok());
        let eleven: Vec<String> = (0..=TAGS_MAX_COUNT).map(|index| format!("Tag {index}")).collect();
        let error = parse_tags(TagKind::ServiceType, &eleven).unwrap_err();
        assert_bilingual(&error, "Choose at most 10 service type tags; there are 11.");
        assert!(parse_tags(TagKind::Industry, &["a".repeat(TAG_MAX_LENGTH)]).is_ok());
        assert_eq!(
            parse_tags(TagKind::Industry, &["a".repeat(TAG_MAX_LENGTH + 1)]),
            Err(ProfileError::TagTooLong { kind: TagKind::Industry, max: 40, length: 41 })
        );
        assert_eq!(
            parse_tags(TagKind::Industry, &["Retail".into(), "retail".into()]),
            Err(ProfileError::DuplicateTag { kind: TagKind::Industry, tag: "retail".into() })
        );
        assert_eq!(
            parse_tags(TagKind::Industry, &[" ".into()]),
            Err(ProfileError::TagRequired { kind: TagKind::Industry })
        );
        assert_eq!(
            parse_tags(TagKind::Industry, &["Re\ntail".into()]),
            Err(ProfileError::TagControlCharacter { kind: TagKind::Industry })
        );
    }

    #[test]
    fn directory_filters_accept_codes_and_names_in_any_case() {
        assert_eq!(parse_offering_filter("s-edps"), Ok(OfferingCode::Sedps));
        assert_eq!(parse_offering_filter("SEDPS"), Ok(OfferingCode::Sedps));
        assert_eq!(parse_offering_filter(" ddps "), Ok(OfferingCode::Ddps));
        assert_eq!(parse_offering_filter("AZDPS"), Err(ProfileError::UnknownOffering { offering: "AZDPS".into() }));
        assert_eq!(parse_competency_filter("messaging"), Ok(CompetencyId::Messaging));
        assert_eq!(parse_competency_filter("collaboration_and_content"), Ok(CompetencyId::CollaborationAndContent));
        assert_eq!(parse_competency_filter("Windows and Devices"), Ok(CompetencyId::WindowsAndDevices));
        assert_bilingual(
            &parse_competency_filter("Cooking").unwrap_err(),
            "\"Cooking\" is not a competency of the program; use a name like Messaging.",
        );
    }

    #[test]
    fn customer_sizes_are_ordered_and_the_error_round_trips_through_json() {
        assert!(CustomerSize::Small < CustomerSize::Enterprise);
        assert_bilingual(&CustomerSize::Large, "250 employees or more");
        let error = ProfileError::TooManyTags { kind: TagKind::Product, max: 10, count: 12 };
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["too_many_tags"]["kind"], "product");
        assert_eq!(serde_json::from_value::<ProfileError>(json).unwrap(), error);
    }
}
