//! The voucher workflow over HTTP: create and assign, validate, reserve (and lose a race),
//! report with a deliverable, redeem; the rules' refusals in their own words.

use planning_domain::api::vouchers::{
    completion_report_path, enrollment_history_path, redemption_path, reservation_path, voucher_path,
    voucher_validation_path, Document, Enrollment, Notification, NotificationEvent, PoolChange, PoolEntry,
    RedemptionOutcome, RedemptionResult, VoucherPage, VoucherPreview, VoucherView, DOCUMENTS, ENROLLMENTS, INBOX,
    REDEMPTIONS, VOUCHERS,
};
use planning_domain::voucher::{VoucherError, VoucherEvent, VoucherStatus};
use planning_domain::{DomainError, ErrorBody, ErrorCode};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_on, SignedIn, TestApp};

/// Demo voucher assigned to pm@northwind.example, not yet reserved (S-EDPS, 3 days).
pub(crate) const ASSIGNED_SEDPS: &str = "210628000101";
/// Demo voucher reserved by Contoso, delivered and reported: ready to redeem.
const READY_TO_REDEEM: &str = "210401000104";
/// Demo voucher reserved by Contoso with the engagement still ahead (no report).
const RESERVED_NO_REPORT: &str = "210510000103";

pub(crate) async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{status}: {error}: {text}"))
}

pub(crate) async fn create(
    app: &TestApp,
    customer: &SignedIn,
    enrollment: &str,
    days: u8,
    assignee: &str,
) -> reqwest::Response {
    let body =
        json!({ "enrollment_id": enrollment, "offering": "SEDPS", "service_level": days, "assignee_email": assignee });
    customer.request(app, Method::POST, VOUCHERS).json(&body).send().await.unwrap()
}

/// Contoso's Korean location and first consultant, read from a voucher it reserved.
pub(crate) async fn contoso_delivery(app: &TestApp, partner: &SignedIn) -> (String, String) {
    let view: VoucherView =
        json(partner.request(app, Method::GET, &voucher_path(RESERVED_NO_REPORT)).send().await.unwrap()).await;
    let reservation = view.voucher.reservation().unwrap().clone();
    (reservation.location_id.as_str().to_owned(), reservation.consultant_id)
}

pub(crate) fn reservation_body(
    location: &str,
    country: &str,
    consultant: &str,
    starts_on: &str,
    ends_on: &str,
) -> serde_json::Value {
    json!({
        "voucher_admin_email": "pm@northwind.example",
        "engagement": "exchange_deployment_planning",
        "location_id": location,
        "delivery_country": country,
        "consultant_id": consultant,
        "starts_on": starts_on,
        "ends_on": ends_on
    })
}

#[tokio::test]
async fn a_benefit_administrator_creates_and_assigns_a_voucher_from_the_pool() {
    let app = spawn_app_on("2021-06-15").await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let before: Vec<Enrollment> = json(customer.request(&app, Method::GET, ENROLLMENTS).send().await.unwrap()).await;
    let response = create(&app, &customer, "67001234", 5, "PM@Northwind.example").await;
    assert_eq!(response.status(), 201);
    let created: VoucherView = json(response).await;
    assert_eq!(created.status, VoucherStatus::Assigned);
    assert_eq!(created.voucher.expires_on.to_string(), "2021-12-12");
    let after: Vec<Enrollment> = json(customer.request(&app, Method::GET, ENROLLMENTS).send().await.unwrap()).await;
    assert_eq!(after[0].remaining_days, before[0].remaining_days - 5);
    let history: Vec<PoolEntry> =
        json(customer.request(&app, Method::GET, &enrollment_history_path("67001234")).send().await.unwrap()).await;
    let entry = history.iter().find(|entry| entry.voucher_id.as_deref() == Some(created.voucher.id.as_str())).unwrap();
    assert_eq!((entry.change_days, entry.reason), (-5, PoolChange::VoucherCreated));
    // The project manager is told the voucher number, to pass on to a partner.
    let manager = app.sign_in("pm@northwind.example").await;
    let inbox: Vec<Notification> = json(manager.request(&app, Method::GET, INBOX).send().await.unwrap()).await;
    let created_event = &inbox[0].event;
    assert!(
        matches!(created_event, NotificationEvent::Voucher(VoucherEvent::Created { voucher_id, .. }) if *voucher_id == created.voucher.id)
    );
}

#[tokio::test]
async fn creating_after_the_last_creation_day_is_refused_with_the_date() {
    let app = spawn_app_on("2021-07-01").await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let response = create(&app, &customer, "67001234", 1, "pm@northwind.example").await;
    assert_eq!(response.status(), 422);
    let error: ErrorBody = json(response).await;
    assert!(matches!(error.rule, Some(DomainError::Voucher(VoucherError::CreationClosed { .. }))));
    assert_eq!(error.message, "Vouchers can no longer be created; the last day was June 30, 2021 (end of day UTC).");
}

#[tokio::test]
async fn more_days_than_the_pool_holds_is_refused() {
    let app = spawn_app_on("2021-06-15").await;
    let customer = app.sign_in("benefits@woodgrove.example").await;
    // 30 accrued, 9 on demo vouchers: 21 left, so 15 twice is too much.
    assert_eq!(create(&app, &customer, "67005678", 15, "pm@woodgrove.example").await.status(), 201);
    let response = create(&app, &customer, "67005678", 15, "pm@woodgrove.example").await;
    assert_eq!(response.status(), 422);
    let error: ErrorBody = json(response).await;
    assert_eq!(error.rule, Some(DomainError::Voucher(VoucherError::NotEnoughDays { requested: 15, remaining: 6 })));
}

#[tokio::test]
async fn a_voucher_goes_only_to_a_project_manager_of_the_company() {
    let app = spawn_app_on("2021-06-15").await;
    let customer = app.sign_in("benefits@northwind.example").await;
    for assignee in ["pm@woodgrove.example", "benefits@northwind.example", "nobody@northwind.example"] {
        let response = create(&app, &customer, "67001234", 1, assignee).await;
        assert_eq!(response.status(), 422, "{assignee}");
        let error: ErrorBody = json(response).await;
        assert_eq!(error.fields[0].field, "assignee_email");
    }
    // Another customer's enrollment does not exist for this one.
    assert_eq!(create(&app, &customer, "67005678", 1, "pm@northwind.example").await.status(), 404);
}

#[tokio::test]
async fn a_partner_validates_then_reserves_and_the_customer_is_told() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let wrong = partner
        .request(&app, Method::POST, &voucher_validation_path(ASSIGNED_SEDPS))
        .json(&json!({ "voucher_admin_email": "someone@northwind.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let error: ErrorBody = json(wrong).await;
    assert_eq!(error.rule, Some(DomainError::Voucher(VoucherError::VoucherAdminEmailMismatch)));
    let preview: VoucherPreview = json(
        partner
            .request(&app, Method::POST, &voucher_validation_path(ASSIGNED_SEDPS))
            .json(&json!({ "voucher_admin_email": "pm@northwind.example" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((preview.service_level_days, preview.customer_name.as_str()), (3, "Northwind Traders"));
    let (location, consultant) = contoso_delivery(&app, &partner).await;
    let response = partner
        .request(&app, Method::POST, &reservation_path(ASSIGNED_SEDPS))
        .json(&reservation_body(&location, "KR", &consultant, "2021-08-02", "2021-08-04"))
        .send()
        .await
        .unwrap();
    let reserved: VoucherView = json(response).await;
    assert_eq!(
        (reserved.status, reserved.partner_name.as_deref()),
        (VoucherStatus::Reserved, Some("Contoso Consulting"))
    );
    let customer = app.sign_in("benefits@northwind.example").await;
    let inbox: Vec<Notification> = json(customer.request(&app, Method::GET, INBOX).send().await.unwrap()).await;
    assert!(matches!(inbox[0].event, NotificationEvent::Voucher(VoucherEvent::Reserved { .. })));
}

#[tokio::test]
async fn a_location_in_another_country_than_the_delivery_is_refused() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let (korean_location, consultant) = contoso_delivery(&app, &partner).await;
    let response = partner
        .request(&app, Method::POST, &reservation_path(ASSIGNED_SEDPS))
        .json(&reservation_body(&korean_location, "US", &consultant, "2021-08-02", "2021-08-04"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: ErrorBody = json(response).await;
    assert!(matches!(error.rule, Some(DomainError::Voucher(VoucherError::NotEligible { .. }))), "{error:?}");
    // Nothing was written: the voucher is still assigned.
    let view: VoucherView = json(
        app.sign_in("benefits@northwind.example")
            .await
            .request(&app, Method::GET, &voucher_path(ASSIGNED_SEDPS))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(view.status, VoucherStatus::Assigned);
}

#[tokio::test]
async fn a_delivery_country_the_program_does_not_pay_is_refused_at_reservation() {
    // Switzerland is not in the configured rate table: a voucher delivered there could never be paid.
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let (korean_location, consultant) = contoso_delivery(&app, &partner).await;
    let response = partner
        .request(&app, Method::POST, &reservation_path(ASSIGNED_SEDPS))
        .json(&reservation_body(&korean_location, "CH", &consultant, "2021-08-02", "2021-08-04"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: ErrorBody = json(response).await;
    assert!(matches!(error.rule, Some(DomainError::Voucher(VoucherError::DeliveryCountryNotPaid { .. }))));
    assert_eq!(
        error.message,
        "The program pays no daily rate for engagements delivered in CH, so a voucher delivered there could never \
         be paid; choose a delivery country the program pays for."
    );
    // The program's countries are what the browser offers.
    let program: planning_domain::api::Program = json(app.get(planning_domain::api::PROGRAM).await).await;
    assert!(program.daily_rates.rate(planning_domain::CountryCode::parse("KR").unwrap()).is_some());
    assert!(program.daily_rates.rate(planning_domain::CountryCode::parse("CH").unwrap()).is_none());
}

#[tokio::test]
async fn bad_dates_and_ids_are_field_errors_not_server_errors() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let response = partner
        .request(&app, Method::POST, &reservation_path(ASSIGNED_SEDPS))
        .json(&reservation_body("12", "Korea", "1", "2021-02-30", "next week"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: ErrorBody = json(response).await;
    let fields: Vec<_> = error.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["location_id", "delivery_country", "starts_on", "ends_on"]);
}

#[tokio::test]
async fn vouchers_of_other_organizations_are_not_found() {
    let app = spawn_app().await;
    let fabrikam = app.sign_in("admin@fabrikam.example").await;
    assert_eq!(
        fabrikam.request(&app, Method::GET, &voucher_path(RESERVED_NO_REPORT)).send().await.unwrap().status(),
        404
    );
    let woodgrove_pm = app.sign_in("pm@woodgrove.example").await;
    assert_eq!(
        woodgrove_pm.request(&app, Method::GET, &voucher_path(RESERVED_NO_REPORT)).send().await.unwrap().status(),
        404
    );
    let listed: VoucherPage = json(fabrikam.request(&app, Method::GET, VOUCHERS).send().await.unwrap()).await;
    assert!(listed.vouchers.is_empty());
    assert_eq!(listed.next, None);
    let redeem = fabrikam.request(&app, Method::POST, &redemption_path(READY_TO_REDEEM)).send().await.unwrap();
    assert_eq!(redeem.status(), 404);
}

#[tokio::test]
async fn redeeming_without_a_completion_report_is_refused() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let response = partner.request(&app, Method::POST, &redemption_path(RESERVED_NO_REPORT)).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let error: ErrorBody = json(response).await;
    assert_eq!(error.rule, Some(DomainError::Voucher(VoucherError::CompletionReportMissing)));
}

#[tokio::test]
async fn bulk_redemption_reports_each_voucher() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let body = json!({ "voucher_ids": [READY_TO_REDEEM, RESERVED_NO_REPORT, "999999999999"] });
    let outcomes: Vec<RedemptionOutcome> =
        json(partner.request(&app, Method::POST, REDEMPTIONS).json(&body).send().await.unwrap()).await;
    let RedemptionResult::Redeemed(redeemed) = &outcomes[0].result else { panic!("{:?}", outcomes[0]) };
    assert_eq!(redeemed.status, VoucherStatus::Redeemed);
    assert_eq!(redeemed.payment_deadline.unwrap().to_string(), "2021-09-13");
    let refused = |index: usize| match &outcomes[index].result {
        RedemptionResult::Refused(error) => error.code,
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(1), ErrorCode::ValidationFailed);
    assert_eq!(refused(2), ErrorCode::NotFound);
}

pub(crate) async fn upload(app: &TestApp, partner: &SignedIn, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    partner.request(app, Method::POST, DOCUMENTS).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn the_whole_partner_path_reserve_deliver_report_redeem() {
    let before = spawn_app_on("2021-06-15").await;
    let partner = before.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&before, &partner).await;
    let reserve = partner
        .request(&before, Method::POST, &reservation_path(ASSIGNED_SEDPS))
        .json(&reservation_body(&location, "KR", &consultant, "2021-06-21", "2021-06-23"))
        .send()
        .await
        .unwrap();
    assert_eq!(reserve.status(), 200, "{}", reserve.text().await.unwrap());
    // Weeks later, after the engagement.
    let after = before.same_data_on("2021-07-15").await;
    let partner = after.sign_in("admin@contoso.example").await;
    let rejected = upload(&after, &partner, "deliverable.pdf", b"MZ not a pdf".to_vec()).await;
    assert_eq!(rejected.status(), 422);
    let document: Document = json(upload(&after, &partner, "Exchange plan.pdf", b"%PDF-1.7 plan".to_vec()).await).await;
    let report = json!({
        "consultant_id": consultant,
        "delivered_from": "2021-06-21",
        "delivered_through": "2021-06-23",
        "days_delivered": 3,
        "offsite_days": 1,
        "deliverable_document_ids": [document.document_id]
    });
    let reported = partner
        .request(&after, Method::POST, &completion_report_path(ASSIGNED_SEDPS))
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 200, "{}", reported.text().await.unwrap());
    let redeemed: VoucherView =
        json(partner.request(&after, Method::POST, &redemption_path(ASSIGNED_SEDPS)).send().await.unwrap()).await;
    assert_eq!(redeemed.status, VoucherStatus::Redeemed);
    // The customer's project manager downloads the deliverable.
    let manager = after.sign_in("pm@northwind.example").await;
    let download = manager
        .request(&after, Method::GET, &format!("/api/v1/documents/{}", document.document_id))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.7 plan");
    let other_customer = after.sign_in("pm@woodgrove.example").await;
    let refused = other_customer
        .request(&after, Method::GET, &format!("/api/v1/documents/{}", document.document_id))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}

#[tokio::test]
async fn a_completion_report_is_checked_against_the_reservation_and_may_carry_several_deliverables() {
    let before = spawn_app_on("2021-06-15").await;
    let partner = before.sign_in("ga@contoso.example").await;
    let (location, consultant) = contoso_delivery(&before, &partner).await;
    let reserve = partner
        .request(&before, Method::POST, &reservation_path(ASSIGNED_SEDPS))
        .json(&reservation_body(&location, "KR", &consultant, "2021-06-21", "2021-06-23"))
        .send()
        .await
        .unwrap();
    assert_eq!(reserve.status(), 200, "{}", reserve.text().await.unwrap());
    let after = before.same_data_on("2021-07-15").await;
    let plan: Document = json(upload(&after, &partner, "Exchange plan.pdf", b"%PDF-1.7 plan".to_vec()).await).await;
    let deck: Document = json(upload(&after, &partner, "Findings.pdf", b"%PDF-1.7 findings".to_vec()).await).await;
    let file = |from: &str, through: &str, days: u8, consultant: &str| {
        let body = json!({
            "consultant_id": consultant, "delivered_from": from, "delivered_through": through,
            "days_delivered": days, "offsite_days": 0,
            "deliverable_document_ids": [plan.document_id, deck.document_id]
        });
        partner.request(&after, Method::POST, &completion_report_path(ASSIGNED_SEDPS)).json(&body).send()
    };
    // Before the reserved start, after its end, more days than the dates hold, an unknown consultant.
    for (from, through, days, who, expected) in [
        ("2021-06-20", "2021-06-23", 3, consultant.as_str(), "The delivery dates must lie within"),
        ("2021-06-21", "2021-06-24", 3, consultant.as_str(), "The delivery dates must lie within"),
        ("2021-06-21", "2021-06-22", 3, consultant.as_str(), "3 days cannot be delivered in 2 calendar days"),
        ("2021-06-21", "2021-06-23", 3, "9999", "The partner may not deliver this engagement"),
    ] {
        let response = file(from, through, days, who).await.unwrap();
        assert_eq!(response.status(), 422, "{from} {through} {days} {who}");
        let error: ErrorBody = json(response).await;
        assert!(error.message.starts_with(expected), "{}", error.message);
    }
    let reported: VoucherView = json(file("2021-06-21", "2021-06-23", 3, &consultant).await.unwrap()).await;
    let report = reported.voucher.completion_report().unwrap();
    assert_eq!(report.deliverable_document_ids, [plan.document_id.clone(), deck.document_id.clone()]);
    // The customer's project manager may download both.
    let manager = after.sign_in("pm@northwind.example").await;
    for document in [&plan, &deck] {
        let path = format!("/api/v1/documents/{}", document.document_id);
        assert_eq!(manager.request(&after, Method::GET, &path).send().await.unwrap().status(), 200);
    }
}

/// How many rounds the contention tests run (the issue asks for 200).
pub(crate) fn rounds() -> usize {
    std::env::var("CONTENTION_ROUNDS").ok().and_then(|value| value.parse().ok()).unwrap_or(200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_64_concurrent_reservations_exactly_one_wins_every_round() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&app, &partner).await;
    let body = reservation_body(&location, "KR", &consultant, "2021-08-02", "2021-08-04");
    for round in 0..rounds() {
        let attempts =
            (0..64).map(|_| partner.request(&app, Method::POST, &reservation_path(ASSIGNED_SEDPS)).json(&body).send());
        let responses = futures_join_all(attempts).await;
        let statuses: Vec<u16> =
            responses.iter().map(|response| response.as_ref().unwrap().status().as_u16()).collect();
        let winners = statuses.iter().filter(|status| **status == 200).count();
        let conflicts = statuses.iter().filter(|status| **status == 409).count();
        assert_eq!((winners, conflicts), (1, 63), "round {round}: {statuses:?}");
        // Cancel, so the next round contests the same voucher again.
        let cancel = partner.request(&app, Method::DELETE, &reservation_path(ASSIGNED_SEDPS)).send().await.unwrap();
        assert_eq!(cancel.status(), 200, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_64_concurrent_redemptions_exactly_one_wins_every_round() {
    let before = spawn_app_on("2021-06-15").await;
    before.grant_days("67001234", 3 * rounds() as i64).await;
    let customer = before.sign_in("benefits@northwind.example").await;
    let partner_before = before.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&before, &partner_before).await;
    let after = before.same_data_on("2021-07-15").await;
    let partner_after = after.sign_in("admin@contoso.example").await;
    let document: Document = json(upload(&after, &partner_after, "plan.pdf", b"%PDF-1.7".to_vec()).await).await;
    for round in 0..rounds() {
        let created: VoucherView = json(create(&before, &customer, "67001234", 3, "pm@northwind.example").await).await;
        let id = created.voucher.id.as_str().to_owned();
        let reserve = partner_before
            .request(&before, Method::POST, &reservation_path(&id))
            .json(&reservation_body(&location, "KR", &consultant, "2021-06-21", "2021-06-23"))
            .send()
            .await
            .unwrap();
        assert_eq!(reserve.status(), 200, "round {round}");
        let report = json!({
            "consultant_id": consultant, "delivered_from": "2021-06-21", "delivered_through": "2021-06-23",
            "days_delivered": 3, "offsite_days": 0, "deliverable_document_ids": [document.document_id]
        });
        let reported = partner_after
            .request(&after, Method::POST, &completion_report_path(&id))
            .json(&report)
            .send()
            .await
            .unwrap();
        assert_eq!(reported.status(), 200, "round {round}");
        let attempts = (0..64).map(|_| partner_after.request(&after, Method::POST, &redemption_path(&id)).send());
        let statuses: Vec<u16> = futures_join_all(attempts)
            .await
            .iter()
            .map(|response| response.as_ref().unwrap().status().as_u16())
            .collect();
        let winners = statuses.iter().filter(|status| **status == 200).count();
        let conflicts = statuses.iter().filter(|status| **status == 409).count();
        assert_eq!((winners, conflicts), (1, 63), "round {round}: {statuses:?}");
    }
}

/// Runs the requests concurrently on the runtime and waits for all of them.
pub(crate) async fn futures_join_all<F>(requests: impl Iterator<Item = F>) -> Vec<reqwest::Result<reqwest::Response>>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
{
    let handles: Vec<_> = requests.map(tokio::spawn).collect();
    let mut responses = Vec::with_capacity(handles.len());
    for handle in handles {
        responses.push(handle.await.unwrap());
    }
    responses
}

#[tokio::test]
async fn an_expired_voucher_returns_its_days_only_before_unused_days_are_removed() {
    // Created 2020-12-01 (expires 2021-05-30, before 2021-07-01): its days come back.
    // Created 2021-01-15 (expires 2021-07-14, after unused days were removed): its days are lost.
    let december = spawn_app_on("2020-12-01").await;
    let customer = december.sign_in("benefits@woodgrove.example").await;
    let early: VoucherView = json(create(&december, &customer, "67005678", 3, "pm@woodgrove.example").await).await;
    let january = december.same_data_on("2021-01-15").await;
    let customer_january = january.sign_in("benefits@woodgrove.example").await;
    let late: VoucherView =
        json(create(&january, &customer_january, "67005678", 1, "pm@woodgrove.example").await).await;
    let before: Vec<Enrollment> =
        json(customer_january.request(&january, Method::GET, ENROLLMENTS).send().await.unwrap()).await;
    let woodgrove_pool = |enrollments: &[Enrollment]| {
        enrollments.iter().find(|enrollment| enrollment.enrollment_id == "67005678").unwrap().remaining_days
    };

    // June: the job at start expires the first voucher and gives its 3 days back.
    let june = december.same_data_on("2021-06-15").await;
    let customer_june = june.sign_in("benefits@woodgrove.example").await;
    let expired: VoucherView =
        json(customer_june.request(&june, Method::GET, &voucher_path(early.voucher.id.as_str())).send().await.unwrap())
            .await;
    assert_eq!(expired.status, VoucherStatus::Expired);
    let after: Vec<Enrollment> =
        json(customer_june.request(&june, Method::GET, ENROLLMENTS).send().await.unwrap()).await;
    // The demo voucher 210105000107 (1 day) expired on 2021-07-04 and the one created in January is
    // still valid, so only the 3 days of the December voucher came back.
    assert_eq!(woodgrove_pool(&after), woodgrove_pool(&before) + 3);
    let history: Vec<PoolEntry> =
        json(customer_june.request(&june, Method::GET, &enrollment_history_path("67005678")).send().await.unwrap())
            .await;
    assert!(history.iter().any(|entry| entry.reason == PoolChange::VoucherExpired
        && entry.change_days == 3
        && entry.voucher_id.as_deref() == Some(early.voucher.id.as_str())));
    let inbox: Vec<Notification> = json(customer_june.request(&june, Method::GET, INBOX).send().await.unwrap()).await;
    assert!(inbox.iter().any(|notification| matches!(&notification.event,
        NotificationEvent::Voucher(VoucherEvent::Expired { voucher_id, days_returned: 3 }) if *voucher_id == early.voucher.id)));

    // July 15: the second voucher is past its last day. Reads show it expired even before any job
    // ran, and its day is lost: the pool was emptied on 2021-07-01.
    let july = december.same_data_on("2021-07-15").await;
    let customer_july = july.sign_in("benefits@woodgrove.example").await;
    let lost: VoucherView =
        json(customer_july.request(&july, Method::GET, &voucher_path(late.voucher.id.as_str())).send().await.unwrap())
            .await;
    assert_eq!(lost.status, VoucherStatus::Expired);
    let history: Vec<PoolEntry> =
        json(customer_july.request(&july, Method::GET, &enrollment_history_path("67005678")).send().await.unwrap())
            .await;
    assert!(!history.iter().any(|entry| entry.voucher_id.as_deref() == Some(late.voucher.id.as_str())
        && entry.reason == PoolChange::VoucherExpired));
}

#[tokio::test]
async fn the_pool_history_shows_the_unused_days_removed_on_2021_07_01() {
    let june = spawn_app_on("2021-06-30").await;
    let customer = june.sign_in("benefits@northwind.example").await;
    let history_of = |app: &TestApp, customer: &SignedIn| {
        let request = customer.request(app, Method::GET, &enrollment_history_path("67001234"));
        async move { json::<Vec<PoolEntry>>(request.send().await.unwrap()).await }
    };
    let remaining_of = |app: &TestApp, customer: &SignedIn| {
        let request = customer.request(app, Method::GET, ENROLLMENTS);
        async move {
            let enrollments: Vec<Enrollment> = json(request.send().await.unwrap()).await;
            enrollments.into_iter().find(|enrollment| enrollment.enrollment_id == "67001234").unwrap().remaining_days
        }
    };
    let before = history_of(&june, &customer).await;
    let held = remaining_of(&june, &customer).await;
    assert!(held > 0);
    assert!(before.iter().all(|entry| entry.reason != PoolChange::UnusedDaysRemoved));
    assert_eq!(before.iter().map(|entry| i64::from(entry.change_days)).sum::<i64>(), i64::from(held));

    let july = june.same_data_on("2021-07-15").await;
    let customer = july.sign_in("benefits@northwind.example").await;
    let after = history_of(&july, &customer).await;
    assert_eq!(after.len(), before.len() + 1);
    let removal = after.last().unwrap();
    assert_eq!(removal.on_date.to_string(), "2021-07-01");
    assert_eq!((removal.change_days, removal.reason), (-i32::try_from(held).unwrap(), PoolChange::UnusedDaysRemoved));
    assert_eq!(removal.voucher_id, None);
    assert_eq!(remaining_of(&july, &customer).await, 0);
    assert_eq!(after.iter().map(|entry| i64::from(entry.change_days)).sum::<i64>(), 0);
}
