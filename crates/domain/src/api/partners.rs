//! Partner-side wire types and paths: eligibility data, enrollment, business profile, directory.
//!
//! Everything under `/api/v1/partner/` concerns the caller's own partner organization (taken
//! from the session, never from the path), so no request can name another company's data. The
//! directory under `/api/v1/directory/` is public and shows published business profiles only.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{CompetencyId, CompetencyLevel, OfferingCode};
use crate::eligibility::{Consultant, HeldCompetency, PartnerLocation, PartnerProfile, PassedExam, SignedAgreement};
use crate::parse::{CountryCode, LocationId};
use crate::profile::CustomerSize;

/// `GET`: the caller's partner program data ([`PartnerProgram`]); every partner role.
pub const PARTNER_PROGRAM: &str = "/api/v1/partner/program";

/// `GET`: the caller's [`crate::EligibilityReport`] on the program date; every partner role.
pub const PARTNER_ELIGIBILITY: &str = "/api/v1/partner/eligibility";

/// `POST` [`SignAgreement`]: signs the program agreement (Global Admin).
pub const PARTNER_AGREEMENT: &str = "/api/v1/partner/agreement";

/// `POST` (no body): renews the yearly membership from the program date (Global Admin).
pub const PARTNER_RENEWAL: &str = "/api/v1/partner/renewal";

/// `POST` (no body): records that the company completed the compliance training (Global Admin).
pub const PARTNER_COMPLIANCE_TRAINING: &str = "/api/v1/partner/compliance-training";

/// `POST` [`EnrollInOffering`]: enrolls the company in an offering (Global Admin).
pub const PARTNER_ENROLLMENTS: &str = "/api/v1/partner/enrollments";

/// `DELETE`: withdraws the company from one offering (Global Admin).
pub const PARTNER_ENROLLMENT_ROUTE: &str = "/api/v1/partner/enrollments/{offering}";

/// `POST` [`NewLocation`]: adds an MPN location (Global Admin).
pub const PARTNER_LOCATIONS: &str = "/api/v1/partner/locations";

/// `DELETE`: removes an MPN location not used by any voucher (Global Admin).
pub const PARTNER_LOCATION_ROUTE: &str = "/api/v1/partner/locations/{location_id}";

/// `POST` [`NewConsultant`]: adds a consultant (Global Admin).
pub const PARTNER_CONSULTANTS: &str = "/api/v1/partner/consultants";

/// `GET` the company's [`BusinessProfile`] (every partner role), `PUT` [`BusinessProfileUpdate`]
/// (Global Admin).
pub const PARTNER_BUSINESS_PROFILE: &str = "/api/v1/partner/business-profile";

/// `GET` with [`DirectoryQuery`] parameters: published profiles ([`DirectoryPage`]); no sign-in.
pub const DIRECTORY_PARTNERS: &str = "/api/v1/directory/partners";

/// `GET`: one published profile ([`PublicPartnerProfile`]); no sign-in.
pub const DIRECTORY_PARTNER_ROUTE: &str = "/api/v1/directory/partners/{partner_id}";

/// Directory results per page unless the query asks for another size.
pub const DIRECTORY_DEFAULT_PAGE_SIZE: u32 = 20;

/// The largest page the directory serves.
pub const DIRECTORY_MAX_PAGE_SIZE: u32 = 50;

/// The address of [`PARTNER_ENROLLMENT_ROUTE`] for one offering.
pub fn partner_enrollment_path(offering: OfferingCode) -> String {
    format!("/api/v1/partner/enrollments/{}", offering_key(offering))
}

/// The address of [`PARTNER_LOCATION_ROUTE`] for one location.
pub fn partner_location_path(location_id: &LocationId) -> String {
    format!("/api/v1/partner/locations/{location_id}")
}

/// The address of [`DIRECTORY_PARTNER_ROUTE`] for one partner.
pub fn directory_partner_path(partner_id: i64) -> String {
    format!("/api/v1/directory/partners/{partner_id}")
}

/// The wire name of an offering, as in paths ("SEDPS").
pub fn offering_key(offering: OfferingCode) -> &'static str {
    match offering {
        OfferingCode::Ddps => "DDPS",
        OfferingCode::Dydps => "DYDPS",
        OfferingCode::Pvdps => "PVDPS",
        OfferingCode::Sdps => "SDPS",
        OfferingCode::Sedps => "SEDPS",
        OfferingCode::Ssdps => "SSDPS",
        OfferingCode::Azdps => "AZDPS",
    }
}

/// The wire name of a competency, as in paths ("collaboration_and_content").
pub fn competency_key(competency: CompetencyId) -> &'static str {
    match competency {
        CompetencyId::WindowsAndDevices => "windows_and_devices",
        CompetencyId::EnterpriseMobilityManagement => "enterprise_mobility_management",
        CompetencyId::CloudBusinessApplications => "cloud_business_applications",
        CompetencyId::CloudCustomerRelationshipManagement => "cloud_customer_relationship_management",
        CompetencyId::EnterpriseResourcePlanning => "enterprise_resource_planning",
        CompetencyId::Datacenter => "datacenter",
        CompetencyId::CollaborationAndContent => "collaboration_and_content",
        CompetencyId::ProjectAndPortfolioManagement => "project_and_portfolio_management",
        CompetencyId::Messaging => "messaging",
        CompetencyId::Communications => "communications",
        CompetencyId::DataAnalytics => "data_analytics",
        CompetencyId::DataPlatform => "data_platform",
        CompetencyId::CloudPlatform => "cloud_platform",
    }
}

/// A partner organization's program data: what the eligibility rules read, with the names a
/// person needs beside the ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerProgram {
    /// The organization id.
    pub partner_id: i64,
    pub name: String,
    pub agreement: Option<SignedAgreement>,
    /// The yearly renewal date; the membership is overdue from the day after.
    pub renewal_due_on: Option<NaiveDate>,
    pub compliance_training_completed: bool,
    pub enrolled_offerings: Vec<OfferingCode>,
    pub competencies: Vec<HeldCompetency>,
    pub locations: Vec<PartnerLocationRecord>,
    pub consultants: Vec<ConsultantRecord>,
}

impl PartnerProgram {
    /// The data the eligibility rules take: ids as decimal strings.
    pub fn eligibility_profile(&self) -> PartnerProfile {
        PartnerProfile {
            partner_id: self.partner_id.to_string(),
            agreement: self.agreement,
            renewal_due_on: self.renewal_due_on,
            compliance_training_completed: self.compliance_training_completed,
            enrolled_offerings: self.enrolled_offerings.clone(),
            competencies: self.competencies.clone(),
            locations: self
                .locations
                .iter()
                .map(|location| PartnerLocation {
                    location_id: location.location_id.clone(),
                    country: location.country,
                })
                .collect(),
            consultants: self
                .consultants
                .iter()
                .map(|consultant| Consultant {
                    consultant_id: consultant.consultant_id.to_string(),
                    passed_exams: consultant.passed_exams.clone(),
                })
                .collect(),
        }
    }
}

/// An MPN location with the place a person recognises it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerLocationRecord {
    pub location_id: LocationId,
    pub country: CountryCode,
    pub city: String,
}

/// A consultant of the company, optionally linked to their portal user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultantRecord {
    pub consultant_id: i64,
    pub display_name: String,
    pub email: String,
    /// The portal user (role consultant) this consultant signs in as, if any.
    pub user_id: Option<i64>,
    pub passed_exams: Vec<PassedExam>,
}

/// The body of `POST` [`PARTNER_AGREEMENT`]: the version the signer read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignAgreement {
    pub version: u32,
}

/// The body of `POST` [`PARTNER_ENROLLMENTS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollInOffering {
    pub offering: OfferingCode,
}

/// The body of `PUT` [`super::qualifications::OPERATOR_COMPETENCY_ROUTE`] (program operator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetCompetency {
    pub level: CompetencyLevel,
    /// `YYYY-MM-DD`; the competency is valid through this day.
    pub expires_on: String,
}

/// The body of `POST` [`PARTNER_LOCATIONS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLocation {
    pub location_id: String,
    pub country: String,
    pub city: String,
}

/// The body of `POST` [`PARTNER_CONSULTANTS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewConsultant {
    pub display_name: String,
    pub email: String,
    /// A consultant user of the company to link, if the consultant signs in to the portal.
    #[serde(default)]
    pub user_id: Option<i64>,
}

/// The body of `POST` [`super::qualifications::OPERATOR_EXAMS_ROUTE`] (program operator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPassedExam {
    pub exam: String,
    pub counts_toward: CompetencyId,
}

/// The body of `PUT` [`PARTNER_BUSINESS_PROFILE`]: the whole profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BusinessProfileUpdate {
    pub country: String,
    pub description: String,
    pub website: String,
    #[serde(default)]
    pub linkedin_page: Option<String>,
    pub industries: Vec<String>,
    pub products: Vec<String>,
    pub service_types: Vec<String>,
    pub target_customer_size: CustomerSize,
    /// "Allow Microsoft to endorse my areas of expertise".
    pub allow_endorsement: bool,
    /// Whether the directory shows the profile.
    pub published: bool,
}

/// The company's business profile as its users see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessProfile {
    pub partner_id: i64,
    pub name: String,
    pub country: CountryCode,
    pub description: String,
    pub website: String,
    pub linkedin_page: Option<String>,
    pub industries: Vec<String>,
    pub products: Vec<String>,
    pub service_types: Vec<String>,
    pub target_customer_size: CustomerSize,
    pub allow_endorsement: bool,
    pub published: bool,
    pub updated_at: DateTime<Utc>,
}

/// The query of `GET` [`DIRECTORY_PARTNERS`]; every filter is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DirectoryQuery {
    /// ISO country code of the profile.
    #[serde(default)]
    pub country: Option<String>,
    /// An offering the partner is enrolled in ("DDPS", "S-EDPS").
    #[serde(default)]
    pub offering: Option<String>,
    /// A competency the partner holds, unexpired on the program date.
    #[serde(default)]
    pub competency: Option<String>,
    /// Words searched in the company name and expertise tags (not the description).
    #[serde(default)]
    pub q: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// 1 to [`DIRECTORY_MAX_PAGE_SIZE`]; [`DIRECTORY_DEFAULT_PAGE_SIZE`] when absent.
    #[serde(default)]
    pub page_size: Option<u32>,
}

/// One page of directory results, ordered by company name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryPage {
    pub partners: Vec<PublicPartnerProfile>,
    pub page: u32,
    pub page_size: u32,
    /// Matching profiles on all pages.
    pub total: u64,
}

/// A published business profile as customers see it, with the earned tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicPartnerProfile {
    pub partner_id: i64,
    pub name: String,
    pub country: CountryCode,
    pub description: String,
    pub website: String,
    pub linkedin_page: Option<String>,
    pub industries: Vec<String>,
    pub products: Vec<String>,
    pub service_types: Vec<String>,
    pub target_customer_size: CustomerSize,
    /// Competencies held and unexpired on the program date (earned tags).
    pub competencies: Vec<EarnedCompetency>,
    /// Offerings the partner is enrolled in.
    pub offerings: Vec<OfferingCode>,
    pub locations: Vec<PublicLocation>,
}

/// A competency tag on a public profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarnedCompetency {
    pub competency: CompetencyId,
    pub level: CompetencyLevel,
}

/// Where a partner has an office, as customers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicLocation {
    pub country: CountryCode,
    pub city: String,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::catalog::{COMPETENCIES, OFFERINGS};

    #[test]
    fn path_keys_are_the_wire_names() {
        for competency in COMPETENCIES {
            let wire = serde_json::to_value(competency.id).unwrap();
            assert_eq!(wire, competency_key(competency.id));
        }
        for offering in OFFERINGS {
            let wire = serde_json::to_value(offering.code).unwrap();
            assert_eq!(wire, offering_key(offering.code));
        }
        assert_eq!(partner_enrollment_path(OfferingCode::Sedps), "/api/v1/partner/enrollments/SEDPS");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let body = r#"{"version": 1, "extra": true}"#;
        assert!(serde_json::from_str::<SignAgreement>(body).is_err());
        let consultant: NewConsultant =
            serde_json::from_str(r#"{"display_name": "A", "email": "a@b.example"}"#).unwrap();
        assert_eq!(consultant.user_id, None);
    }
}
