//! Demo partner program data, stored right after the demo organizations: Contoso Consulting
//! (KR), eligible for several engagements on the demo date 2021-07-15, and Fabrikam Advisory
//! (US), enrolled in DDPS but without the Enterprise Mobility Management competency that the
//! Modern IT Enterprise Security proof of concept needs, and with an expired Messaging
//! competency. Both have a published business profile.
//!
//! Location ids and exam codes are invented for the demo (7-digit MPN-like ids; Microsoft exam
//! codes of the era). The consultant ids other features see are the database ids.

use chrono::NaiveDate;
use planning_domain::eligibility::{HeldCompetency, PassedExam, SignedAgreement};
use planning_domain::profile::CustomerSize;
use planning_domain::{CompetencyId, CompetencyLevel, CountryCode, LocationId, OfferingCode};

use crate::clock::wall_time;
use crate::store::partners::{NewPartnerLocation, ProfileFields, SeedConsultant, SeedPartnerProgram};
use crate::store::Store;

/// Contoso's office in Seoul.
pub const CONTOSO_SEOUL_LOCATION: &str = "1000001";
/// Contoso's office in Redmond.
pub const CONTOSO_REDMOND_LOCATION: &str = "1000002";
/// Fabrikam's office in Seattle.
pub const FABRIKAM_SEATTLE_LOCATION: &str = "2000001";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("demo dates are valid")
}

fn location(location_id: &str, country: &str, city: &str) -> NewPartnerLocation {
    NewPartnerLocation {
        location_id: LocationId::parse(location_id).expect("demo location ids are valid"),
        country: CountryCode::parse(country).expect("demo countries are valid"),
        city: city.to_owned(),
    }
}

fn held(competency: CompetencyId, level: CompetencyLevel, expires_on: &str) -> HeldCompetency {
    HeldCompetency { competency, level, expires_on: day(expires_on) }
}

fn exam(code: &str, counts_toward: CompetencyId) -> PassedExam {
    PassedExam { exam: code.to_owned(), counts_toward }
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|tag| (*tag).to_owned()).collect()
}

/// The demo partners' program data.
pub fn demo_partner_programs() -> Vec<SeedPartnerProgram> {
    use CompetencyId::*;
    use CompetencyLevel::{Gold, Silver};
    let contoso = SeedPartnerProgram {
        organization_name: "Contoso Consulting".to_owned(),
        agreement: Some(SignedAgreement { version: 1, signed_on: day("2020-03-02") }),
        renewal_due_on: Some(day("2022-03-01")),
        compliance_training_completed: true,
        enrolled_offerings: vec![
            (OfferingCode::Ddps, day("2020-03-02")),
            (OfferingCode::Sedps, day("2020-03-02")),
            (OfferingCode::Sdps, day("2020-03-02")),
            (OfferingCode::Pvdps, day("2020-09-14")),
        ],
        competencies: vec![
            held(Messaging, Gold, "2022-03-31"),
            held(WindowsAndDevices, Silver, "2022-03-31"),
            held(CollaborationAndContent, Gold, "2022-06-30"),
            held(Datacenter, Silver, "2021-11-30"),
        ],
        // The program recorded the competencies and exams when the agreement was signed.
        records_since: day("2020-03-02"),
        locations: vec![
            location(CONTOSO_SEOUL_LOCATION, "KR", "Seoul"),
            location(CONTOSO_REDMOND_LOCATION, "US", "Redmond"),
        ],
        consultants: vec![
            SeedConsultant {
                display_name: "Seo-yeon Lee".to_owned(),
                email: "consultant@contoso.example".to_owned(),
                linked_user_email: Some("consultant@contoso.example".to_owned()),
                passed_exams: vec![exam("MS-203", Messaging), exam("MD-100", WindowsAndDevices)],
            },
            SeedConsultant {
                display_name: "Tae-yang Han".to_owned(),
                email: "tae-yang.han@contoso.example".to_owned(),
                linked_user_email: None,
                passed_exams: vec![exam("MS-300", CollaborationAndContent), exam("70-742", Datacenter)],
            },
        ],
        business_profile: Some(ProfileFields {
            country: CountryCode::parse("KR").expect("valid"),
            description: "Contoso Consulting plans Exchange, SharePoint, Windows and Windows Server deployments \
                          for enterprises in Korea and the United States, onsite in Seoul and Redmond."
                .to_owned(),
            website: "https://www.contoso.example".to_owned(),
            linkedin_page: Some("https://www.linkedin.com/company/contoso-consulting".to_owned()),
            industries: tags(&["Financial services", "Manufacturing"]),
            products: tags(&["Exchange Server", "SharePoint", "Windows", "Windows Server"]),
            service_types: tags(&["Deployment planning", "Migration"]),
            target_customer_size: CustomerSize::Medium,
            allow_endorsement: true,
            published: true,
        }),
    };
    let fabrikam = SeedPartnerProgram {
        organization_name: "Fabrikam Advisory".to_owned(),
        agreement: Some(SignedAgreement { version: 1, signed_on: day("2020-05-11") }),
        renewal_due_on: Some(day("2022-01-31")),
        compliance_training_completed: false,
        enrolled_offerings: vec![(OfferingCode::Ddps, day("2020-05-11"))],
        competencies: vec![held(WindowsAndDevices, Silver, "2022-02-28"), held(Messaging, Silver, "2021-03-31")],
        records_since: day("2020-05-11"),
        locations: vec![location(FABRIKAM_SEATTLE_LOCATION, "US", "Seattle")],
        consultants: vec![SeedConsultant {
            display_name: "Priya Natarajan".to_owned(),
            email: "priya.natarajan@fabrikam.example".to_owned(),
            linked_user_email: None,
            passed_exams: vec![exam("MD-101", WindowsAndDevices)],
        }],
        business_profile: Some(ProfileFields {
            country: CountryCode::parse("US").expect("valid"),
            description: "Fabrikam Advisory helps retailers in the Pacific Northwest plan Windows and Office \
                          deployments."
                .to_owned(),
            website: "https://fabrikam.example".to_owned(),
            linkedin_page: None,
            industries: tags(&["Retail"]),
            products: tags(&["Windows", "Office"]),
            service_types: tags(&["Deployment planning"]),
            target_customer_size: CustomerSize::Small,
            allow_endorsement: false,
            published: true,
        }),
    };
    vec![contoso, fabrikam]
}

/// Stores the demo partners' program data in one transaction of its own.
pub async fn seed_partner_programs(store: &dyn Store) -> anyhow::Result<()> {
    store.seed_partner_programs(demo_partner_programs(), wall_time()).await?;
    tracing::info!("demo partner programs created");
    Ok(())
}

#[cfg(test)]
mod tests {
    use planning_domain::api::partners::{ConsultantRecord, PartnerLocationRecord, PartnerProgram};
    use planning_domain::{evaluate_eligibility, EligibilityPolicy, EngagementId};

    use super::*;

    /// The seed as the eligibility rules will read it back.
    fn as_program(seed: &SeedPartnerProgram) -> PartnerProgram {
        PartnerProgram {
            partner_id: 1,
            name: seed.organization_name.clone(),
            agreement: seed.agreement,
            renewal_due_on: seed.renewal_due_on,
            compliance_training_completed: seed.compliance_training_completed,
            enrolled_offerings: seed.enrolled_offerings.iter().map(|(offering, _)| *offering).collect(),
            competencies: seed.competencies.clone(),
            locations: seed
                .locations
                .iter()
                .map(|location| PartnerLocationRecord {
                    location_id: location.location_id.clone(),
                    country: location.country,
                    city: location.city.clone(),
                })
                .collect(),
            consultants: seed
                .consultants
                .iter()
                .enumerate()
                .map(|(index, consultant)| ConsultantRecord {
                    consultant_id: index as i64 + 1,
                    display_name: consultant.display_name.clone(),
                    email: consultant.email.clone(),
                    user_id: None,
                    passed_exams: consultant.passed_exams.clone(),
                })
                .collect(),
        }
    }

    #[test]
    fn contoso_is_eligible_for_several_engagements_and_fabrikam_misses_enterprise_mobility() {
        let programs = demo_partner_programs();
        let today = day("2021-07-15");
        let policy = EligibilityPolicy::published();
        let contoso = evaluate_eligibility(&as_program(&programs[0]).eligibility_profile(), &policy, today);
        for engagement in [
            EngagementId::WindowsAndOfficeDeploymentPlanning,
            EngagementId::ExchangeDeploymentPlanning,
            EngagementId::SharepointDeploymentPlanning,
            EngagementId::WindowsServerPlatformModernization,
        ] {
            assert!(contoso.engagement(engagement).unwrap().eligible, "{engagement:?}");
        }
        let fabrikam = evaluate_eligibility(&as_program(&programs[1]).eligibility_profile(), &policy, today);
        assert!(fabrikam.engagement(EngagementId::WindowsAndOfficeDeploymentPlanning).unwrap().eligible);
        assert!(!fabrikam.engagement(EngagementId::ModernItEnterpriseSecurityProofOfConcept).unwrap().eligible);
    }
}
