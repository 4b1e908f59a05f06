//! A partner's own program data over HTTP: eligibility report, the Global Admin's edits and
//! enrollment, the business profile, and that no company sees or changes another's data.

use planning_domain::api::partners::{
    partner_enrollment_path, partner_location_path, BusinessProfile, PartnerProgram, PARTNER_AGREEMENT,
    PARTNER_BUSINESS_PROFILE, PARTNER_COMPLIANCE_TRAINING, PARTNER_CONSULTANTS, PARTNER_ELIGIBILITY,
    PARTNER_ENROLLMENTS, PARTNER_LOCATIONS, PARTNER_PROGRAM, PARTNER_RENEWAL,
};
use planning_domain::api::{User, USERS};
use planning_domain::eligibility::{EligibilityReport, EligibilityStatus, Finding, Requirement};
use planning_domain::profile::ProfileError;
use planning_domain::{CompetencyId, DomainError, EngagementId, ErrorBody, ErrorCode, Locale, Localize, OfferingCode};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, SignedIn, TestApp};

async fn report(app: &TestApp, user: &SignedIn) -> EligibilityReport {
    let response = user.request(app, Method::GET, PARTNER_ELIGIBILITY).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn program(app: &TestApp, user: &SignedIn) -> PartnerProgram {
    let response = user.request(app, Method::GET, PARTNER_PROGRAM).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn error_of(response: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

#[tokio::test]
async fn contoso_sees_green_checks_for_the_engagements_it_qualifies_for() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let report = report(&app, &admin).await;
    assert_eq!(report.evaluated_on.to_string(), "2021-07-15");
    assert!(report.company.iter().all(|check| check.met), "{:?}", report.company);
    for engagement in [
        EngagementId::WindowsAndOfficeDeploymentPlanning,
        EngagementId::ExchangeDeploymentPlanning,
        EngagementId::SharepointDeploymentPlanning,
        EngagementId::WindowsServerPlatformModernization,
    ] {
        let checklist = report.engagement(engagement).unwrap();
        assert!(checklist.eligible && checklist.checks.iter().all(|check| check.met), "{engagement:?}");
    }
    assert_eq!(report.offering(OfferingCode::Sedps).unwrap().status, EligibilityStatus::Active);
    let exchange = report.engagement(EngagementId::ExchangeDeploymentPlanning).unwrap();
    assert_eq!(exchange.checks[0].finding.message(Locale::En), "Gold Messaging competency held until March 31, 2022.");
    // Not enrolled in DYDPS: the offering is not active.
    assert_ne!(report.offering(OfferingCode::Dydps).unwrap().status, EligibilityStatus::Active);
}

#[tokio::test]
async fn the_program_data_lists_locations_and_consultants_linked_to_their_users() {
    let app = spawn_app().await;
    let consultant = app.sign_in("consultant@contoso.example").await;
    let program = program(&app, &consultant).await;
    assert_eq!(program.name, "Contoso Consulting");
    assert_eq!(program.partner_id, consultant.session.user.organization.id);
    let locations: Vec<_> = program.locations.iter().map(|location| location.location_id.as_str()).collect();
    assert_eq!(locations, ["1000001", "1000002"]);
    assert_eq!(
        program.enrolled_offerings,
        [OfferingCode::Ddps, OfferingCode::Pvdps, OfferingCode::Sdps, OfferingCode::Sedps]
    );
    let linked = program.consultants.iter().find(|record| record.user_id == Some(consultant.session.user.id));
    let exams: Vec<_> = linked.unwrap().passed_exams.iter().map(|exam| exam.exam.as_str()).collect();
    assert_eq!(exams, ["MD-100", "MS-203"]);
}

#[tokio::test]
async fn fabrikam_sees_the_missing_and_the_expired_competency_with_their_reasons() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@fabrikam.example").await;
    let report = report(&app, &admin).await;
    assert!(report.engagement(EngagementId::WindowsAndOfficeDeploymentPlanning).unwrap().eligible);
    let security = report.engagement(EngagementId::ModernItEnterpriseSecurityProofOfConcept).unwrap();
    assert!(!security.eligible);
    assert_eq!(
        security.checks[0].requirement.message(Locale::En),
        "Silver or Gold Enterprise Mobility Management competency"
    );
    assert!(!security.checks[0].met);
    assert_eq!(
        security.checks[0].finding.message(Locale::En),
        "The company holds none of the qualifying competencies; attain one of them."
    );
    let sedps = report.offering(OfferingCode::Sedps).unwrap();
    assert_eq!(
        sedps.checks[1].finding.message(Locale::En),
        "The Silver Messaging competency expired on March 31, 2021; renew it in Partner Center."
    );
}

/// Every edit endpoint with a valid body, to check who may call it.
fn edits() -> Vec<(Method, String, Option<serde_json::Value>)> {
    vec![
        (
            Method::POST,
            PARTNER_LOCATIONS.to_owned(),
            Some(json!({ "location_id": "3000001", "country": "KR", "city": "Busan" })),
        ),
        (Method::DELETE, partner_location_path(&planning_domain::LocationId::parse("1000002").unwrap()), None),
        (
            Method::POST,
            PARTNER_CONSULTANTS.to_owned(),
            Some(json!({ "display_name": "New Person", "email": "new@contoso.example" })),
        ),
        (Method::POST, PARTNER_COMPLIANCE_TRAINING.to_owned(), None),
        (Method::POST, PARTNER_AGREEMENT.to_owned(), Some(json!({ "version": 1 }))),
        (Method::POST, PARTNER_RENEWAL.to_owned(), None),
        (Method::POST, PARTNER_ENROLLMENTS.to_owned(), Some(json!({ "offering": "DYDPS" }))),
        (Method::DELETE, partner_enrollment_path(OfferingCode::Ddps), None),
    ]
}

#[tokio::test]
async fn a_consultant_only_reads_the_program_and_the_business_profile() {
    let app = spawn_app().await;
    let user = app.sign_in("consultant@contoso.example").await;
    assert_eq!(user.request(&app, Method::GET, PARTNER_ELIGIBILITY).send().await.unwrap().status(), 200);
    assert_eq!(user.request(&app, Method::GET, PARTNER_BUSINESS_PROFILE).send().await.unwrap().status(), 200);
    for (method, path, body) in edits() {
        let mut request = user.request(&app, method.clone(), &path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let error = error_of(request.send().await.unwrap(), 403).await;
        assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::PartnerAdminsOnly)), "{method} {path}");
        assert_eq!(
            error.message,
            "Only your company's Global Admin or MPN Partner Admin can change its program data, enrollment and \
             business profile."
        );
    }
    let profile = json!({
        "country": "KR", "description": "x", "website": "https://contoso.example", "industries": [],
        "products": [], "service_types": [], "target_customer_size": "small", "allow_endorsement": true,
        "published": true
    });
    let response = user.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&profile).send().await.unwrap();
    assert_eq!(response.status(), 403);
    let unchanged = program(&app, &app.sign_in("ga@contoso.example").await).await;
    assert_eq!(unchanged.locations.len(), 2);
    assert!(unchanged.enrolled_offerings.contains(&OfferingCode::Ddps));
}

#[tokio::test]
async fn the_mpn_partner_admin_takes_every_program_step_a_global_admin_takes() {
    // A partner whose only admin is the MPN Partner Admin is not stuck: every edit succeeds.
    let app = spawn_app().await;
    let admin = app.sign_in("admin@contoso.example").await;
    for (method, path, body) in edits() {
        let mut request = admin.request(&app, method.clone(), &path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        // Admitted: done, or refused by the rule itself (enrolling needs the competency), never 403.
        let status = request.send().await.unwrap().status();
        assert!(status.is_success() || status == 422, "{method} {path}: {status}");
    }
    let profile = json!({
        "country": "KR", "description": "Planning services in Seoul", "website": "https://contoso.example",
        "industries": [], "products": [], "service_types": [], "target_customer_size": "small",
        "allow_endorsement": true, "published": true
    });
    let response = admin.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&profile).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn customers_and_the_operator_are_refused_and_strangers_must_sign_in() {
    let app = spawn_app().await;
    for email in ["benefits@northwind.example", "pm@woodgrove.example", "operator@microsoft.example"] {
        let user = app.sign_in(email).await;
        for path in [PARTNER_ELIGIBILITY, PARTNER_PROGRAM, PARTNER_BUSINESS_PROFILE] {
            let error = error_of(user.request(&app, Method::GET, path).send().await.unwrap(), 403).await;
            assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::NotAPartner)));
            assert_eq!(error.message, "Only users of a partner organization can see or change partner program data.");
        }
        for (method, path, body) in edits() {
            let mut request = user.request(&app, method.clone(), &path);
            if let Some(body) = body {
                request = request.json(&body);
            }
            assert_eq!(request.send().await.unwrap().status(), 403, "{email} {method} {path}");
        }
    }
    for (method, path, body) in edits() {
        let mut request = app.client.request(method.clone(), app.url(&path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        assert_eq!(request.send().await.unwrap().status(), 401, "{method} {path}");
    }
    assert_eq!(app.get(PARTNER_ELIGIBILITY).await.status(), 401);
}

#[tokio::test]
async fn every_invalid_field_of_a_location_is_reported_in_the_rule_words() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let body = json!({ "location_id": "12345", "country": "XX", "city": " " });
    let response = admin.request(&app, Method::POST, PARTNER_LOCATIONS).json(&body).send().await.unwrap();
    let error = error_of(response, 422).await;
    assert_eq!(error.code, ErrorCode::ValidationFailed);
    let fields: Vec<_> = error.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["location_id", "country", "city"]);
    assert_eq!(error.fields[0].messages.en, "An MPN location ID has exactly 7 digits; this one has 5.");
    assert_eq!(error.fields[1].messages.en, "\"XX\" is not an ISO country code; use a code like KR or US.");
    assert_eq!(error.fields[2].messages.en, "This field is required.");
}

#[tokio::test]
async fn a_location_id_belongs_to_one_company_and_locations_can_be_added_and_removed() {
    let app = spawn_app().await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let taken = json!({ "location_id": "1000001", "country": "KR", "city": "Seoul" });
    let response = fabrikam.request(&app, Method::POST, PARTNER_LOCATIONS).json(&taken).send().await.unwrap();
    let error = error_of(response, 409).await;
    assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::LocationIdTaken)));
    let new = json!({ "location_id": "2000002", "country": "ca", "city": "Vancouver" });
    let response = fabrikam.request(&app, Method::POST, PARTNER_LOCATIONS).json(&new).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let created: PartnerProgram = response.json().await.unwrap();
    let vancouver = created.locations.iter().find(|location| location.location_id.as_str() == "2000002").unwrap();
    assert_eq!((vancouver.country.as_str(), vancouver.city.as_str()), ("CA", "Vancouver"));
    let path = partner_location_path(&vancouver.location_id);
    assert_eq!(fabrikam.request(&app, Method::DELETE, &path).send().await.unwrap().status(), 204);
    assert_eq!(program(&app, &fabrikam).await.locations.len(), 1);
}

#[tokio::test]
async fn enrolling_without_a_competency_of_the_offering_is_refused_with_the_rule() {
    let app = spawn_app().await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let body = json!({ "offering": "SEDPS" });
    let response = fabrikam.request(&app, Method::POST, PARTNER_ENROLLMENTS).json(&body).send().await.unwrap();
    let error = error_of(response, 422).await;
    let Some(DomainError::Profile(ProfileError::EnrollmentRefused { offering, requirement, finding })) = &error.rule
    else {
        panic!("unexpected rule {:?}", error.rule);
    };
    assert_eq!(*offering, OfferingCode::Sedps);
    assert_eq!(*requirement, Requirement::OfferingCompetency { offering: OfferingCode::Sedps });
    assert!(matches!(finding, Finding::CompetencyExpired { competency: CompetencyId::Messaging, .. }));
    assert_eq!(
        error.message,
        "The company cannot enroll in S-EDPS yet. The Silver Messaging competency expired on March 31, 2021; renew it \
         in Partner Center."
    );
    assert!(!program(&app, &fabrikam).await.enrolled_offerings.contains(&OfferingCode::Sedps));
    let contoso = app.sign_in("ga@contoso.example").await;
    let again = json!({ "offering": "DDPS" });
    let response = contoso.request(&app, Method::POST, PARTNER_ENROLLMENTS).json(&again).send().await.unwrap();
    let error = error_of(response, 409).await;
    assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::AlreadyEnrolled { offering: OfferingCode::Ddps })));
    let retired = json!({ "offering": "AZDPS" });
    let response = contoso.request(&app, Method::POST, PARTNER_ENROLLMENTS).json(&retired).send().await.unwrap();
    assert_eq!(error_of(response, 422).await.message, "AZDPS is retired and takes no new enrollments.");
}

#[tokio::test]
async fn renewing_a_competency_allows_enrolling_and_withdrawing_removes_the_enrollment() {
    let app = spawn_app().await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    // The program operator records the renewed competency; the partner then enrolls.
    let renewed = json!({ "level": "silver", "expires_on": "2022-06-30" });
    let fabrikam_id = program(&app, &fabrikam).await.partner_id;
    let path = planning_domain::api::qualifications::operator_competency_path(fabrikam_id, CompetencyId::Messaging);
    let operator = app.sign_in("operator@microsoft.example").await;
    assert_eq!(operator.request(&app, Method::PUT, &path).json(&renewed).send().await.unwrap().status(), 200);
    let body = json!({ "offering": "SEDPS" });
    let response = fabrikam.request(&app, Method::POST, PARTNER_ENROLLMENTS).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let enrolled: PartnerProgram = response.json().await.unwrap();
    assert_eq!(enrolled.enrolled_offerings, [OfferingCode::Ddps, OfferingCode::Sedps]);
    let report = report(&app, &fabrikam).await;
    assert_eq!(
        report.offering(OfferingCode::Sedps).unwrap().checks[0].finding,
        Finding::Enrolled { offering: OfferingCode::Sedps }
    );
    let withdraw = partner_enrollment_path(OfferingCode::Sedps);
    assert_eq!(fabrikam.request(&app, Method::DELETE, &withdraw).send().await.unwrap().status(), 204);
    let error = error_of(fabrikam.request(&app, Method::DELETE, &withdraw).send().await.unwrap(), 404).await;
    assert_eq!(error.message, "The company is not enrolled in S-EDPS.");
    assert_eq!(program(&app, &fabrikam).await.enrolled_offerings, [OfferingCode::Ddps]);
}

#[tokio::test]
async fn the_agreement_renewal_and_training_are_recorded_on_the_program_date() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let response = admin.request(&app, Method::POST, PARTNER_AGREEMENT).json(&json!({ "version": 2 })).send().await;
    let error = error_of(response.unwrap(), 422).await;
    assert_eq!(error.fields[0].field, "version");
    assert_eq!(
        error.fields[0].messages.en,
        "Agreement version 2 cannot be signed; the program requires version 1. Reload the page to read the current \
         agreement."
    );
    let response = admin.request(&app, Method::POST, PARTNER_AGREEMENT).json(&json!({ "version": 1 })).send().await;
    let signed: PartnerProgram = response.unwrap().json().await.unwrap();
    let agreement = signed.agreement.unwrap();
    assert_eq!((agreement.version, agreement.signed_on.to_string().as_str()), (1, "2021-07-15"));
    // The membership year was already running: signing again does not move the renewal date.
    assert_eq!(signed.renewal_due_on.unwrap().to_string(), "2022-03-01");
    let renewed: PartnerProgram =
        admin.request(&app, Method::POST, PARTNER_RENEWAL).send().await.unwrap().json().await.unwrap();
    assert_eq!(renewed.renewal_due_on.unwrap().to_string(), "2022-07-15");
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    assert!(!program(&app, &fabrikam).await.compliance_training_completed);
    let trained: PartnerProgram =
        fabrikam.request(&app, Method::POST, PARTNER_COMPLIANCE_TRAINING).send().await.unwrap().json().await.unwrap();
    assert!(trained.compliance_training_completed);
}

#[tokio::test]
async fn another_companys_data_is_never_visible_or_changeable() {
    let app = spawn_app().await;
    let contoso = app.sign_in("ga@contoso.example").await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let contoso_program = program(&app, &contoso).await;
    let fabrikam_program = program(&app, &fabrikam).await;
    assert_eq!(fabrikam_program.name, "Fabrikam Advisory");
    assert!(fabrikam_program.consultants.iter().all(|consultant| consultant.email.ends_with("@fabrikam.example")));
    assert!(fabrikam_program.locations.iter().all(|location| location.location_id.as_str().starts_with('2')));
    let seoul = partner_location_path(&contoso_program.locations[0].location_id);
    assert_eq!(fabrikam.request(&app, Method::DELETE, &seoul).send().await.unwrap().status(), 404);
    let fabrikam_profile: BusinessProfile =
        fabrikam.request(&app, Method::GET, PARTNER_BUSINESS_PROFILE).send().await.unwrap().json().await.unwrap();
    assert_eq!(fabrikam_profile.name, "Fabrikam Advisory");
    assert_eq!(program(&app, &contoso).await, contoso_program);
}

#[tokio::test]
async fn consultants_link_only_to_consultant_users_of_the_company_and_exams_are_checked() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let users: Vec<User> = admin.request(&app, Method::GET, USERS).send().await.unwrap().json().await.unwrap();
    let mpn_admin = users.iter().find(|user| user.email == "admin@contoso.example").unwrap().id;
    let fabrikam_admin = app.sign_in("admin@fabrikam.example").await.session.user.id;
    for user_id in [mpn_admin, fabrikam_admin] {
        let body = json!({ "display_name": "Ha-eun Yoon", "email": "ha-eun@contoso.example", "user_id": user_id });
        let response = admin.request(&app, Method::POST, PARTNER_CONSULTANTS).json(&body).send().await.unwrap();
        let error = error_of(response, 422).await;
        assert_eq!(error.fields[0].field, "user_id");
        assert_eq!(error.fields[0].messages.en, "The linked user must be an enabled consultant of your company.");
    }
    let body = json!({ "display_name": "Ha-eun Yoon", "email": "Ha-eun@Contoso.example" });
    let response = admin.request(&app, Method::POST, PARTNER_CONSULTANTS).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let created: PartnerProgram = response.json().await.unwrap();
    let new = created.consultants.iter().find(|consultant| consultant.display_name == "Ha-eun Yoon").unwrap();
    assert_eq!(new.email, "ha-eun@contoso.example");
    let response = admin.request(&app, Method::POST, PARTNER_CONSULTANTS).json(&body).send().await.unwrap();
    let error = error_of(response, 409).await;
    assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::ConsultantAlreadyRecorded)));
}

/// The operator records exams of a consultant the partner added: the code is checked, stored
/// upper-case, and recorded once.
#[tokio::test]
async fn exams_of_a_new_consultant_are_recorded_by_the_program_and_checked() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let body = json!({ "display_name": "Ha-eun Yoon", "email": "ha-eun@contoso.example" });
    let response = admin.request(&app, Method::POST, PARTNER_CONSULTANTS).json(&body).send().await.unwrap();
    let created: PartnerProgram = response.json().await.unwrap();
    let new = created.consultants.iter().find(|consultant| consultant.display_name == "Ha-eun Yoon").unwrap();
    let path = planning_domain::api::qualifications::operator_exams_path(created.partner_id, new.consultant_id);
    let operator = app.sign_in("operator@microsoft.example").await;
    let bad = json!({ "exam": "MS700", "counts_toward": "messaging" });
    let error = error_of(operator.request(&app, Method::POST, &path).json(&bad).send().await.unwrap(), 422).await;
    assert_eq!(error.fields[0].field, "exam");
    assert_eq!(error.fields[0].messages.en, "Enter the exam code as printed on the transcript, like MS-203 or 70-742.");
    let good = json!({ "exam": " ms-700 ", "counts_toward": "messaging" });
    let response = operator.request(&app, Method::POST, &path).json(&good).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let added = program(&app, &admin).await;
    let exams = &added.consultants.iter().find(|consultant| consultant.consultant_id == new.consultant_id).unwrap();
    assert_eq!(exams.passed_exams[0].exam, "MS-700");
    let error = error_of(operator.request(&app, Method::POST, &path).json(&good).send().await.unwrap(), 409).await;
    assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::ExamAlreadyRecorded)));
}

#[tokio::test]
async fn malformed_or_unknown_bodies_and_paths_are_client_errors_never_server_errors() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let bodies = [
        json!({ "offering": "DDPS", "extra": true }),
        json!({ "offering": "NOPE" }),
        json!({ "offering": 7 }),
        json!([]),
    ];
    for body in bodies {
        let response = admin.request(&app, Method::POST, PARTNER_ENROLLMENTS).json(&body).send().await.unwrap();
        let error = error_of(response, 400).await;
        assert_eq!(error.code, ErrorCode::MalformedBody, "{body}");
    }
    let response = admin
        .request(&app, Method::POST, PARTNER_LOCATIONS)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let profile = json!({ "country": "KR", "published": true, "unknown": 1 });
    let response = admin.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&profile).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        admin.request(&app, Method::DELETE, "/api/v1/partner/enrollments/XYZ").send().await.unwrap().status(),
        404
    );
    assert_eq!(admin.request(&app, Method::DELETE, "/api/v1/partner/locations/12").send().await.unwrap().status(), 404);
}

fn valid_profile() -> serde_json::Value {
    json!({
        "country": "US",
        "description": "Contoso plans Exchange and SharePoint deployments.\nOnsite in Redmond.",
        "website": "https://www.contoso.example/planning",
        "linkedin_page": "https://www.linkedin.com/company/contoso-consulting",
        "industries": ["Healthcare"],
        "products": ["exchange server", "SharePoint"],
        "service_types": ["Deployment planning"],
        "target_customer_size": "large",
        "allow_endorsement": false,
        "published": true
    })
}

#[tokio::test]
async fn the_business_profile_is_validated_field_by_field_and_saved_whole() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let seeded: BusinessProfile =
        admin.request(&app, Method::GET, PARTNER_BUSINESS_PROFILE).send().await.unwrap().json().await.unwrap();
    assert_eq!((seeded.country.as_str(), seeded.published), ("KR", true));
    let mut invalid = valid_profile();
    invalid["country"] = json!("JP");
    invalid["description"] = json!("a".repeat(2_501));
    invalid["website"] = json!("contoso.example");
    invalid["linkedin_page"] = json!("https://www.linkedin.com/in/someone");
    invalid["products"] = json!(["Slack"]);
    invalid["industries"] = json!(["Retail", "retail"]);
    let response = admin.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&invalid).send().await.unwrap();
    let error = error_of(response, 422).await;
    let fields: Vec<_> = error.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["country", "description", "website", "linkedin_page", "industries", "products"]);
    let message = |field: &str| error.fields.iter().find(|error| error.field == field).unwrap().messages.en.clone();
    assert_eq!(
        message("country"),
        "The company has no location in JP; a business profile is for a country with a location ID."
    );
    assert_eq!(message("description"), "A description has at most 2,500 characters; this one has 2,501.");
    assert_eq!(message("website"), "Start the web address with https:// (or http://), like https://www.example.com.");
    assert_eq!(
        message("products"),
        "\"Slack\" is not a Microsoft product of the list; profiles name Microsoft products only."
    );
    let mut at_limit = valid_profile();
    at_limit["description"] = json!("가".repeat(2_500));
    let response = admin.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&at_limit).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let response = admin.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&valid_profile()).send().await;
    let saved: BusinessProfile = response.unwrap().json().await.unwrap();
    assert_eq!(saved.country.as_str(), "US");
    assert_eq!(saved.products, ["Exchange Server", "SharePoint"]);
    assert_eq!(saved.industries, ["Healthcare"]);
    assert_eq!(saved.target_customer_size, planning_domain::profile::CustomerSize::Large);
    let read: BusinessProfile =
        admin.request(&app, Method::GET, PARTNER_BUSINESS_PROFILE).send().await.unwrap().json().await.unwrap();
    assert_eq!(read, saved);
    let mut without_linkedin = valid_profile();
    without_linkedin.as_object_mut().unwrap().remove("linkedin_page");
    let response = admin.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&without_linkedin).send().await;
    let saved: BusinessProfile = response.unwrap().json().await.unwrap();
    assert_eq!(saved.linkedin_page, None);
}

/// A server whose program configuration switches the older document's requirements as given.
async fn app_with_policy(training: bool, renewal: bool) -> TestApp {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/program.toml")).unwrap();
    let text = text
        .replace("compliance_training_required = false", &format!("compliance_training_required = {training}"))
        .replace("annual_renewal_required = false", &format!("annual_renewal_required = {renewal}"));
    let directory = tempfile::TempDir::new().unwrap();
    let path = directory.path().join("program.toml");
    std::fs::write(&path, text).unwrap();
    let app = crate::helpers::spawn_app_with("2021-07-15", |settings| settings.program_config = path).await;
    // The configuration is read at start; the file may go.
    drop(directory);
    app
}

/// The company requirements of Contoso's checklist on a server with the given switches.
async fn company_requirements(app: &TestApp) -> Vec<Requirement> {
    let admin = app.sign_in("ga@contoso.example").await;
    report(app, &admin).await.company.into_iter().map(|check| check.requirement).collect()
}

#[tokio::test]
async fn the_training_and_the_renewal_are_switches_of_the_program_configuration() {
    // Off (the shipped configuration, following the newer document): neither is a requirement.
    let off = spawn_app().await;
    let requirements = company_requirements(&off).await;
    assert!(!requirements.contains(&Requirement::ComplianceTraining), "{requirements:?}");
    assert!(!requirements.contains(&Requirement::AnnualRenewal), "{requirements:?}");
    let program: planning_domain::api::Program = off.get(planning_domain::api::PROGRAM).await.json().await.unwrap();
    assert!(!program.eligibility.compliance_training_required && !program.eligibility.annual_renewal_required);
    // Each on by itself, then both: the checklist lists exactly what is switched on.
    for (training, renewal) in [(true, false), (false, true), (true, true)] {
        let app = app_with_policy(training, renewal).await;
        let requirements = company_requirements(&app).await;
        assert_eq!(requirements.contains(&Requirement::ComplianceTraining), training, "{requirements:?}");
        assert_eq!(requirements.contains(&Requirement::AnnualRenewal), renewal, "{requirements:?}");
        let program: planning_domain::api::Program = app.get(planning_domain::api::PROGRAM).await.json().await.unwrap();
        assert_eq!(
            (program.eligibility.compliance_training_required, program.eligibility.annual_renewal_required),
            (training, renewal)
        );
    }
}

#[tokio::test]
async fn with_the_training_switched_on_a_company_without_it_cannot_enroll() {
    // Fabrikam has not completed the training; with the switch on, enrolling says so.
    let app = app_with_policy(true, false).await;
    let admin = app.sign_in("admin@fabrikam.example").await;
    let trained = program(&app, &admin).await.compliance_training_completed;
    assert!(!trained);
    let response = admin
        .request(&app, Method::POST, PARTNER_ENROLLMENTS)
        .json(&json!({ "offering": "SEDPS" }))
        .send()
        .await
        .unwrap();
    let error = error_of(response, 422).await;
    assert!(
        matches!(
            error.rule,
            Some(DomainError::Profile(ProfileError::EnrollmentRefused { finding: Finding::TrainingMissing, .. }))
        ),
        "{error:?}"
    );
}
