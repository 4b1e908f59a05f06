//! Competencies and passed exams are the program's records (issue 17 item 5): only the program
//! operator writes them, each change with an audit row and a history version; partners read
//! them; the payment review judges a delivered engagement by the records of its delivery days.

use chrono::NaiveDate;
use planning_domain::api::partners::{PartnerProgram, PARTNER_ELIGIBILITY, PARTNER_PROGRAM};
use planning_domain::api::payments::{review_path, ReviewedPaymentRequest};
use planning_domain::api::qualifications::{
    operator_competency_path, operator_exam_path, operator_exams_path, operator_partner_audit_path,
    operator_partner_path, operator_partners_path,
};
use planning_domain::api::vouchers::{voucher_path, AuditLine, VoucherView};
use planning_domain::api::Organization;
use planning_domain::eligibility::{EligibilityReport, Finding};
use planning_domain::payment::{ReviewCheck, ReviewFinding, ReviewItem};
use planning_domain::profile::ProfileError;
use planning_domain::{CompetencyId, CompetencyLevel, DomainError, EngagementId, ErrorBody};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, SignedIn, TestApp};

async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("request sent")
}

async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response, status: u16) -> T {
    assert_eq!(response.status(), status);
    response.json().await.expect("a JSON body")
}

async fn program(app: &TestApp, user: &SignedIn) -> PartnerProgram {
    json(send(user.request(app, Method::GET, PARTNER_PROGRAM)).await, 200).await
}

/// What the operator reads of a partner: its program data and the audit trail of its records.
struct Records {
    program: PartnerProgram,
    audit: Vec<AuditLine>,
}

async fn records(app: &TestApp, operator: &SignedIn, partner_id: i64) -> Records {
    let program = json(send(operator.request(app, Method::GET, &operator_partner_path(partner_id))).await, 200).await;
    let audit =
        json(send(operator.request(app, Method::GET, &operator_partner_audit_path(partner_id))).await, 200).await;
    Records { program, audit }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[tokio::test]
async fn the_operator_records_competencies_and_exams_with_an_audit_trail_and_partners_read_them() {
    let app = spawn_app().await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let partner = app.sign_in("ga@fabrikam.example").await;
    let fabrikam = program(&app, &partner).await;
    let security = EngagementId::ModernItEnterpriseSecurityProofOfConcept;
    let seeded = records(&app, &operator, fabrikam.partner_id).await;
    // The demo records were written as the program did: with audit rows of their own.
    assert!(seeded.audit.iter().all(|entry| entry.actor_name == "Demo data"));
    assert_eq!(seeded.audit.len(), 2 + fabrikam.consultants.iter().map(|c| c.passed_exams.len()).sum::<usize>());

    let path = operator_competency_path(fabrikam.partner_id, CompetencyId::EnterpriseMobilityManagement);
    let body = json!({ "level": "silver", "expires_on": "2022-06-30" });
    assert_eq!(send(operator.request(&app, Method::PUT, &path).json(&body)).await.status(), 200);
    let answer = records(&app, &operator, fabrikam.partner_id).await;
    let newest = &answer.audit[0];
    assert_eq!(newest.actor_name, "Robin Chen");
    assert_eq!(newest.program_date, day("2021-07-15"));
    assert_eq!(
        newest.messages.en,
        "Recorded the Silver Enterprise Mobility Management competency, valid through June 30, 2022."
    );
    assert!(newest.messages.ko.contains("2022년 6월 30일"), "{}", newest.messages.ko);
    assert!(chrono::DateTime::parse_from_rfc3339(&newest.at).is_ok(), "{}", newest.at);
    let report: EligibilityReport =
        json(send(partner.request(&app, Method::GET, PARTNER_ELIGIBILITY)).await, 200).await;
    let checklist = report.engagement(security).unwrap();
    assert!(checklist.checks[0].met);
    assert_eq!(checklist.checks[1].finding, Finding::NoQualifiedConsultant);

    let consultant = &fabrikam.consultants[0];
    let exams = operator_exams_path(fabrikam.partner_id, consultant.consultant_id);
    let exam = json!({ "exam": "ms-500", "counts_toward": "enterprise_mobility_management" });
    assert_eq!(send(operator.request(&app, Method::POST, &exams).json(&exam)).await.status(), 201);
    let answer = records(&app, &operator, fabrikam.partner_id).await;
    assert_eq!(
        answer.audit[0].messages.en,
        format!(
            "Recorded that {} passed MS-500, counting toward Enterprise Mobility Management.",
            consultant.display_name
        )
    );
    let report: EligibilityReport =
        json(send(partner.request(&app, Method::GET, PARTNER_ELIGIBILITY)).await, 200).await;
    assert!(report.engagement(security).unwrap().eligible);

    let exam_path = operator_exam_path(fabrikam.partner_id, consultant.consultant_id, "MS-500");
    assert_eq!(send(operator.request(&app, Method::DELETE, &exam_path)).await.status(), 204);
    let answer = records(&app, &operator, fabrikam.partner_id).await;
    assert!(answer.audit[0].messages.en.starts_with("Removed the MS-500 exam of "));
    assert_eq!(send(operator.request(&app, Method::DELETE, &exam_path)).await.status(), 404);
    assert_eq!(send(operator.request(&app, Method::DELETE, &path)).await.status(), 204);
    let answer = records(&app, &operator, fabrikam.partner_id).await;
    assert_eq!(
        answer.audit[0].messages.en,
        "Removed the Silver Enterprise Mobility Management competency, valid through June 30, 2022."
    );
    assert_eq!(answer.audit.len(), seeded.audit.len() + 4);
    assert_eq!(send(operator.request(&app, Method::DELETE, &path)).await.status(), 404);
    let report: EligibilityReport =
        json(send(partner.request(&app, Method::GET, PARTNER_ELIGIBILITY)).await, 200).await;
    assert!(!report.engagement(security).unwrap().checks[0].met);
    // The partner's program data is the operator's view of it.
    assert_eq!(program(&app, &partner).await, records(&app, &operator, fabrikam.partner_id).await.program);
}

#[tokio::test]
async fn a_change_of_level_replaces_the_record_closes_its_version_and_says_from_what() {
    let app = spawn_app().await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let contoso = program(&app, &app.sign_in("consultant@contoso.example").await).await;
    let path = operator_competency_path(contoso.partner_id, CompetencyId::Datacenter);
    let body = json!({ "level": "gold", "expires_on": "2022-11-30" });
    assert_eq!(send(operator.request(&app, Method::PUT, &path).json(&body)).await.status(), 200);
    let answer = records(&app, &operator, contoso.partner_id).await;
    let datacenter: Vec<_> =
        answer.program.competencies.iter().filter(|held| held.competency == CompetencyId::Datacenter).collect();
    assert_eq!(datacenter.len(), 1);
    assert_eq!((datacenter[0].level, datacenter[0].expires_on), (CompetencyLevel::Gold, day("2022-11-30")));
    assert_eq!(
        answer.audit[0].messages.en,
        "Changed the Silver Datacenter competency, valid through November 30, 2021, to Gold Datacenter, valid \
         through November 30, 2022."
    );
    // A second change on the same program date replaces the version that was never in force.
    let again = json!({ "level": "gold", "expires_on": "2022-12-31" });
    assert_eq!(send(operator.request(&app, Method::PUT, &path).json(&again)).await.status(), 200);
    let versions: Vec<(String, String, Option<String>)> = app
        .fetch_rows(&format!(
            "SELECT level, valid_from, valid_until FROM partner_competency_history \
             WHERE organization_id = {} AND competency = 'datacenter' ORDER BY id",
            contoso.partner_id
        ))
        .await;
    assert_eq!(
        versions,
        [
            ("silver".to_owned(), "2020-03-02".to_owned(), Some("2021-07-15".to_owned())),
            ("gold".to_owned(), "2021-07-15".to_owned(), None),
        ]
    );
}

#[tokio::test]
async fn only_the_operator_may_use_the_records_endpoints_and_partners_no_longer_write_them() {
    let app = spawn_app().await;
    let partner = app.sign_in("ga@contoso.example").await;
    let contoso = program(&app, &partner).await;
    let consultant = contoso.consultants[0].consultant_id;
    let writes = [
        (
            Method::PUT,
            operator_competency_path(contoso.partner_id, CompetencyId::Communications),
            Some(json!({ "level": "gold", "expires_on": "2022-01-01" })),
        ),
        (Method::DELETE, operator_competency_path(contoso.partner_id, CompetencyId::Messaging), None),
        (
            Method::POST,
            operator_exams_path(contoso.partner_id, consultant),
            Some(json!({ "exam": "MS-700", "counts_toward": "messaging" })),
        ),
        (Method::DELETE, operator_exam_path(contoso.partner_id, consultant, "MS-203"), None),
        (Method::GET, operator_partner_path(contoso.partner_id), None),
        (Method::GET, operator_partner_audit_path(contoso.partner_id), None),
        (Method::GET, operator_partners_path("con"), None),
    ];
    for email in [
        "ga@contoso.example",
        "admin@contoso.example",
        "consultant@contoso.example",
        "ga@fabrikam.example",
        "benefits@northwind.example",
        "pm@northwind.example",
    ] {
        let user = app.sign_in(email).await;
        for (method, path, body) in &writes {
            let mut request = user.request(&app, method.clone(), path);
            if let Some(body) = body {
                request = request.json(body);
            }
            assert_eq!(send(request).await.status(), 403, "{email} {method} {path}");
        }
    }
    for (method, path, _) in &writes {
        assert_eq!(send(app.client.request(method.clone(), app.url(path))).await.status(), 401, "{method} {path}");
    }
    // The partner-side writes are gone.
    let old_competency = "/api/v1/partner/competencies/messaging";
    let body = json!({ "level": "gold", "expires_on": "2022-01-01" });
    let status = send(partner.request(&app, Method::PUT, old_competency).json(&body)).await.status().as_u16();
    assert!(matches!(status, 404 | 405), "{status}");
    let old_exams = format!("/api/v1/partner/consultants/{consultant}/exams");
    let exam = json!({ "exam": "MS-700", "counts_toward": "messaging" });
    let status = send(partner.request(&app, Method::POST, &old_exams).json(&exam)).await.status().as_u16();
    assert!(matches!(status, 404 | 405), "{status}");
    assert_eq!(program(&app, &partner).await, contoso);
}

#[tokio::test]
async fn bad_input_is_a_field_error_and_unknown_things_are_not_found() {
    let app = spawn_app().await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let contoso = program(&app, &app.sign_in("ga@contoso.example").await).await;
    let fabrikam = program(&app, &app.sign_in("ga@fabrikam.example").await).await;
    let path = operator_competency_path(contoso.partner_id, CompetencyId::Messaging);
    let bad_date = json!({ "level": "gold", "expires_on": "2022-02-30" });
    let error: ErrorBody = json(send(operator.request(&app, Method::PUT, &path).json(&bad_date)).await, 422).await;
    assert_eq!(error.fields[0].field, "expires_on");
    assert_eq!(error.fields[0].messages.en, "2022-02-30 is not a date in the calendar; check the month and day.");
    let platinum = json!({ "level": "platinum", "expires_on": "2022-01-01" });
    assert_eq!(send(operator.request(&app, Method::PUT, &path).json(&platinum)).await.status(), 400);
    let good = json!({ "level": "gold", "expires_on": "2022-01-01" });
    let cooking = format!("/api/v1/operations/partners/{}/competencies/cooking", contoso.partner_id);
    assert_eq!(send(operator.request(&app, Method::PUT, &cooking).json(&good)).await.status(), 404);
    assert_eq!(
        send(
            operator
                .request(&app, Method::PUT, &operator_competency_path(999_999, CompetencyId::Messaging))
                .json(&good)
        )
        .await
        .status(),
        404
    );
    assert_eq!(send(operator.request(&app, Method::GET, &operator_partner_path(999_999))).await.status(), 404);
    // Exams: the code is checked, another partner's consultant is not found, twice is a conflict.
    let exams = operator_exams_path(contoso.partner_id, contoso.consultants[0].consultant_id);
    let bad = json!({ "exam": "MS700", "counts_toward": "messaging" });
    let error: ErrorBody = json(send(operator.request(&app, Method::POST, &exams).json(&bad)).await, 422).await;
    assert_eq!(error.fields[0].messages.en, "Enter the exam code as printed on the transcript, like MS-203 or 70-742.");
    let exam = json!({ "exam": "MS-700", "counts_toward": "messaging" });
    let stranger = operator_exams_path(fabrikam.partner_id, contoso.consultants[0].consultant_id);
    assert_eq!(send(operator.request(&app, Method::POST, &stranger).json(&exam)).await.status(), 404);
    assert_eq!(send(operator.request(&app, Method::POST, &exams).json(&exam)).await.status(), 201);
    let error: ErrorBody = json(send(operator.request(&app, Method::POST, &exams).json(&exam)).await, 409).await;
    assert_eq!(error.rule, Some(DomainError::Profile(ProfileError::ExamAlreadyRecorded)));
    let malformed = format!("/api/v1/operations/partners/{}/consultants/abc/exams", contoso.partner_id);
    assert_eq!(send(operator.request(&app, Method::POST, &malformed).json(&exam)).await.status(), 400);
    let not_an_exam = operator_exam_path(contoso.partner_id, contoso.consultants[0].consultant_id, "nothing");
    assert_eq!(send(operator.request(&app, Method::DELETE, &not_an_exam)).await.status(), 404);
    // Nothing refused was written.
    let audit = records(&app, &operator, contoso.partner_id).await.audit;
    assert_eq!(audit.iter().filter(|entry| entry.actor_name == "Robin Chen").count(), 1);
}

#[tokio::test]
async fn partners_are_found_by_part_of_their_name() {
    let app = spawn_app().await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let found: Vec<Organization> =
        json(send(operator.request(&app, Method::GET, &operator_partners_path("FABRIK"))).await, 200).await;
    assert_eq!(found.iter().map(|partner| partner.name.as_str()).collect::<Vec<_>>(), ["Fabrikam Advisory"]);
    let all: Vec<Organization> =
        json(send(operator.request(&app, Method::GET, &operator_partners_path(""))).await, 200).await;
    assert_eq!(
        all.iter().map(|partner| partner.name.as_str()).collect::<Vec<_>>(),
        ["Contoso Consulting", "Fabrikam Advisory"]
    );
    // A control character is a field error, as in every name.
    let error: ErrorBody =
        json(send(operator.request(&app, Method::GET, &operator_partners_path("fab\u{0}"))).await, 422).await;
    assert_eq!(error.fields[0].field, "name");
    // Customers are not partners; LIKE's own characters are taken literally.
    for name in ["Northwind", "%", "_"] {
        let none: Vec<Organization> =
            json(send(operator.request(&app, Method::GET, &operator_partners_path(name))).await, 200).await;
        assert!(none.is_empty(), "{name}: {none:?}");
    }
}

/// The review line of `check` for the demo request waiting for review.
async fn review_item(app: &TestApp, operator: &SignedIn, check: ReviewCheck) -> ReviewItem {
    let path = review_path(planning_server::seed_payments::DEMO_SUBMITTED_REQUEST);
    let reviewed: ReviewedPaymentRequest = json(send(operator.request(app, Method::GET, &path)).await, 200).await;
    reviewed.checklist.items.into_iter().find(|item| item.check == check).unwrap()
}

/// The demo claimed voucher's partner, delivery days, the competency that qualified it and the
/// consultant's exam, as the review first finds them (all met).
struct Delivery {
    partner_id: i64,
    delivered_from: NaiveDate,
    delivered_through: NaiveDate,
    competency: CompetencyId,
    consultant_id: i64,
    exam: String,
}

async fn delivery(app: &TestApp, operator: &SignedIn) -> Delivery {
    let path = voucher_path(planning_server::seed_payments::DEMO_CLAIMED_VOUCHER);
    let view: VoucherView = json(send(operator.request(app, Method::GET, &path)).await, 200).await;
    let redemption = view.voucher.redemption().unwrap();
    let competency = match review_item(app, operator, ReviewCheck::CompanyCompetencyHeld).await.finding {
        ReviewFinding::Eligibility { finding: Finding::CompetencyHeld { competency, .. } } => competency,
        other => panic!("{other:?}"),
    };
    let (consultant_id, exam) = match review_item(app, operator, ReviewCheck::ConsultantQualified).await.finding {
        ReviewFinding::Eligibility { finding: Finding::ConsultantQualified { consultant_id, exam } } => {
            (consultant_id.parse().unwrap(), exam)
        }
        other => panic!("{other:?}"),
    };
    Delivery {
        partner_id: redemption.reservation.partner_id.parse().unwrap(),
        delivered_from: redemption.completion_report.delivered_from,
        delivered_through: redemption.completion_report.delivered_through,
        competency,
        consultant_id,
        exam,
    }
}

#[tokio::test]
async fn records_removed_the_day_after_delivery_do_not_fail_the_review() {
    let app = spawn_app().await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let delivery = delivery(&app, &operator).await;
    assert!(delivery.delivered_from <= delivery.delivered_through);
    // The program removes the competency and the exam the day after the last delivery day.
    let next_day = delivery.delivered_through.succ_opt().unwrap().to_string();
    let later = app.same_data_on(&next_day).await;
    let operator_later = later.sign_in("operator@microsoft.example").await;
    let competency = operator_competency_path(delivery.partner_id, delivery.competency);
    assert_eq!(send(operator_later.request(&later, Method::DELETE, &competency)).await.status(), 204);
    let exam = operator_exam_path(delivery.partner_id, delivery.consultant_id, &delivery.exam);
    assert_eq!(send(operator_later.request(&later, Method::DELETE, &exam)).await.status(), 204);
    let now = records(&app, &operator, delivery.partner_id).await;
    assert!(now.program.competencies.iter().all(|held| held.competency != delivery.competency));
    assert_eq!(now.audit[0].program_date, delivery.delivered_through.succ_opt().unwrap());
    for check in [ReviewCheck::CompanyCompetencyHeld, ReviewCheck::ConsultantQualified] {
        let item = review_item(&app, &operator, check).await;
        assert!(item.met, "{item:?}");
    }
}

#[tokio::test]
async fn records_removed_on_the_last_delivery_day_fail_and_recording_them_later_does_not_help() {
    let app = spawn_app().await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let delivery = delivery(&app, &operator).await;
    let last_day = app.same_data_on(&delivery.delivered_through.to_string()).await;
    let operator_then = last_day.sign_in("operator@microsoft.example").await;
    let competency = operator_competency_path(delivery.partner_id, delivery.competency);
    assert_eq!(send(operator_then.request(&last_day, Method::DELETE, &competency)).await.status(), 204);
    let exam = operator_exam_path(delivery.partner_id, delivery.consultant_id, &delivery.exam);
    assert_eq!(send(operator_then.request(&last_day, Method::DELETE, &exam)).await.status(), 204);
    let item = review_item(&app, &operator, ReviewCheck::CompanyCompetencyHeld).await;
    assert!(!item.met);
    assert_eq!(
        item.finding,
        ReviewFinding::OnDeliveryDay { day: delivery.delivered_through, finding: Finding::CompetencyMissing }
    );
    let consultant = review_item(&app, &operator, ReviewCheck::ConsultantQualified).await;
    assert!(!consultant.met);
    // Recorded again today (after delivery): the partner holds it now, the review still fails.
    let body = json!({ "level": "gold", "expires_on": "2022-12-31" });
    assert_eq!(send(operator.request(&app, Method::PUT, &competency).json(&body)).await.status(), 200);
    let exams = operator_exams_path(delivery.partner_id, delivery.consultant_id);
    let exam_body = json!({ "exam": delivery.exam, "counts_toward": delivery.competency });
    assert_eq!(send(operator.request(&app, Method::POST, &exams).json(&exam_body)).await.status(), 201);
    let now = records(&app, &operator, delivery.partner_id).await;
    assert!(now.program.competencies.iter().any(|held| held.competency == delivery.competency));
    assert!(!review_item(&app, &operator, ReviewCheck::CompanyCompetencyHeld).await.met);
    assert!(!review_item(&app, &operator, ReviewCheck::ConsultantQualified).await.met);
    let path = review_path(planning_server::seed_payments::DEMO_SUBMITTED_REQUEST);
    let reviewed: ReviewedPaymentRequest = json(send(operator.request(&app, Method::GET, &path)).await, 200).await;
    assert!(!reviewed.approvable);
}
