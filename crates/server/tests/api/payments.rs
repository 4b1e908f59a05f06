//! SAVB payments over HTTP: registration, drafts priced at the country rate, submission with an
//! Idempotency-Key (64 concurrent retries, one request), the 60-day window, the operator's review
//! (checklist, approve, reject with a reason, hold, resume, paid), roles and visibility.

use planning_domain::api::payments::{
    approval_path, hold_path, payment_audit_path, payment_path, payment_request_path, payment_submission_path,
    rejection_path, resumption_path, review_path, PayableVoucher, PaymentAuditEntry, PaymentRequestView,
    ReviewedPaymentRequest, IDEMPOTENCY_KEY_HEADER, PAYABLE_VOUCHERS, PAYMENT_REGISTRATIONS, PAYMENT_REQUESTS,
    REVIEW_QUEUE,
};
use planning_domain::api::qualifications::operator_competency_path;
use planning_domain::api::vouchers::{redemption_path, voucher_audit_path, voucher_path, AuditEntry, VoucherView};
use planning_domain::api::vouchers::{Notification, NotificationEvent, INBOX};
use planning_domain::payment::{IdempotencyError, PaymentEvent, ReviewCheck, SavbRegistration, MAX_REASON_LENGTH};
use planning_domain::voucher::{VoucherError, VoucherEvent, VoucherStatus};
use planning_domain::{
    CompetencyId, CountryCode, DomainError, ErrorBody, ErrorCode, OfferingCode, PaymentError, PaymentStatus,
    ReferenceNumber,
};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, SignedIn, TestApp};

/// Demo voucher redeemed by Contoso on 2021-07-01 (DDPS, KR, 3 days): payable until 2021-08-30.
const REDEEMED_DDPS: &str = "210301000105";
/// Demo voucher redeemed by Contoso on 2021-04-20 (S-EDPS, US): its window closed 2021-06-19.
const WINDOW_CLOSED_SEDPS: &str = "210115000106";
/// Demo voucher in the submitted demo request PSR-2021-000002.
const DEMO_CLAIMED: &str = "210310000108";
/// Demo voucher of the paid demo request PSR-2021-000001.
const DEMO_PAID: &str = "210305000109";
/// Demo voucher reserved by Contoso, delivered and reported (PVDPS, US, 5 days): ready to redeem.
const READY_TO_REDEEM_PVDPS: &str = "210401000104";

async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{status}: {error}: {text}"))
}

async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.unwrap()
}

async fn error_of(response: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(response.status(), status);
    json(response).await
}

async fn draft(app: &TestApp, partner: &SignedIn, program: &str, voucher_ids: &[&str]) -> reqwest::Response {
    let body = json!({ "program": program, "voucher_ids": voucher_ids });
    send(partner.request(app, Method::POST, PAYMENT_REQUESTS).json(&body)).await
}

async fn submit(app: &TestApp, partner: &SignedIn, request: &PaymentRequestView, key: &str) -> reqwest::Response {
    send(
        partner
            .request(app, Method::POST, &payment_submission_path(&request.request.id))
            .header(IDEMPOTENCY_KEY_HEADER, key)
            .json(&json!({ "version": request.version })),
    )
    .await
}

/// A submitted request for the redeemed DDPS voucher.
async fn submitted_ddps(app: &TestApp, partner: &SignedIn) -> PaymentRequestView {
    let drafted: PaymentRequestView = json(draft(app, partner, "DDPS", &[REDEEMED_DDPS]).await).await;
    let response = submit(app, partner, &drafted, &format!("key-{}", drafted.request.id)).await;
    assert_eq!(response.status(), 200);
    json(response).await
}

async fn voucher_status(app: &TestApp, partner: &SignedIn, voucher_id: &str) -> VoucherStatus {
    let view: VoucherView = json(send(partner.request(app, Method::GET, &voucher_path(voucher_id))).await).await;
    view.status
}

async fn detail(app: &TestApp, partner: &SignedIn, request_id: &str) -> PaymentRequestView {
    json(send(partner.request(app, Method::GET, &payment_request_path(request_id))).await).await
}

/// The daily rate of `country` in the program configuration the test servers run with.
fn daily_rate(country: CountryCode) -> Option<planning_domain::Money> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/program.toml");
    planning_server::startup::load_timeline(std::path::Path::new(path)).unwrap().daily_rates.rate(country)
}

fn korean_rate_times(days: i64) -> planning_domain::Money {
    daily_rate(CountryCode::parse("KR").unwrap()).unwrap().checked_mul(days).unwrap()
}

#[tokio::test]
async fn the_demo_registers_contoso_for_ddps_and_sedps() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let registrations: Vec<SavbRegistration> =
        json(send(partner.request(&app, Method::GET, PAYMENT_REGISTRATIONS)).await).await;
    let programs: Vec<OfferingCode> = registrations.iter().map(|registration| registration.program).collect();
    assert_eq!(programs, [OfferingCode::Ddps, OfferingCode::Sedps]);
}

#[tokio::test]
async fn the_demo_has_a_paid_request_and_a_submitted_one_waiting_for_review() {
    let app = spawn_app().await;
    let partner = app.sign_in("ga@contoso.example").await;
    let requests: Vec<PaymentRequestView> =
        json(send(partner.request(&app, Method::GET, PAYMENT_REQUESTS)).await).await;
    let summary: Vec<(PaymentStatus, String)> = requests
        .iter()
        .map(|request| {
            (request.status, request.reference_number.map(|reference| reference.to_string()).unwrap_or_default())
        })
        .collect();
    assert_eq!(
        summary,
        [(PaymentStatus::Submitted, "PSR-2021-000002".to_owned()), (PaymentStatus::Paid, "PSR-2021-000001".to_owned())]
    );
    assert_eq!(voucher_status(&app, &partner, DEMO_CLAIMED).await, VoucherStatus::Claimed);
    assert_eq!(voucher_status(&app, &partner, DEMO_PAID).await, VoucherStatus::Paid);
    let trail: Vec<PaymentAuditEntry> =
        json(send(partner.request(&app, Method::GET, &payment_audit_path(&requests[1].request.id))).await).await;
    let steps: Vec<(Option<PaymentStatus>, PaymentStatus)> =
        trail.iter().map(|entry| (entry.from_status, entry.to_status)).collect();
    assert_eq!(
        steps,
        [
            (None, PaymentStatus::Draft),
            (Some(PaymentStatus::Draft), PaymentStatus::Submitted),
            (Some(PaymentStatus::Submitted), PaymentStatus::Approved),
            (Some(PaymentStatus::Approved), PaymentStatus::Paid),
        ]
    );
    // The operator's queue holds the submitted one, all checks met; new references follow on.
    let operator = app.sign_in("operator@microsoft.example").await;
    let queue: Vec<ReviewedPaymentRequest> = json(send(operator.request(&app, Method::GET, REVIEW_QUEUE)).await).await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].request.request.id, requests[0].request.id);
    assert!(queue[0].approvable, "{:?}", queue[0].checklist);
    let submitted = submitted_ddps(&app, &partner).await;
    assert_eq!(submitted.reference_number.map(|reference| reference.to_string()).as_deref(), Some("PSR-2021-000003"));
}

#[tokio::test]
async fn registration_needs_a_redeemed_voucher_of_the_program_and_a_partner_admin() {
    let app = spawn_app().await;
    let global_admin = app.sign_in("ga@contoso.example").await;
    let partner_admin = app.sign_in("admin@contoso.example").await;
    let register = |signed_in: &SignedIn| {
        send(signed_in.request(&app, Method::POST, PAYMENT_REGISTRATIONS).json(&json!({ "program": "PVDPS" })))
    };
    // Contoso's PVDPS voucher is reported but not redeemed yet.
    let error = error_of(register(&global_admin).await, 422).await;
    assert_eq!(
        error.rule,
        Some(DomainError::Payment(PaymentError::NoRedeemedVoucher { program: OfferingCode::Pvdps }))
    );
    assert_eq!(
        error.message,
        "Registering for PVDPS payments needs at least one redeemed PVDPS voucher; redeem one first."
    );
    // The MPN Partner Admin is refused for the same rule, not for the role.
    let error = error_of(register(&partner_admin).await, 422).await;
    assert!(matches!(error.rule, Some(DomainError::Payment(PaymentError::NoRedeemedVoucher { .. }))));
    let consultant = app.sign_in("consultant@contoso.example").await;
    assert_eq!(register(&consultant).await.status(), 403);
    // The Global Admin redeems (every partner step is both admins'), the MPN Partner Admin registers.
    let redeemed = send(global_admin.request(&app, Method::POST, &redemption_path(READY_TO_REDEEM_PVDPS))).await;
    assert_eq!(redeemed.status(), 200);
    let response = register(&partner_admin).await;
    assert_eq!(response.status(), 201);
    let registration: SavbRegistration = json(response).await;
    assert_eq!(
        (registration.program, registration.registered_on.to_string()),
        (OfferingCode::Pvdps, "2021-07-15".into())
    );
    let error = error_of(register(&global_admin).await, 409).await;
    assert_eq!(
        error.rule,
        Some(DomainError::Payment(PaymentError::AlreadyRegistered { program: OfferingCode::Pvdps }))
    );
    // The draft's total is the US daily rate times the voucher's 5 days.
    let drafted: PaymentRequestView = json(draft(&app, &partner_admin, "PVDPS", &[READY_TO_REDEEM_PVDPS]).await).await;
    let us_rate = daily_rate(CountryCode::parse("US").unwrap()).unwrap();
    assert_eq!(drafted.request.total, us_rate.checked_mul(5).unwrap());
    assert_eq!((drafted.status, drafted.reference_number), (PaymentStatus::Draft, None));
}

#[tokio::test]
async fn a_draft_is_priced_at_the_country_rate_and_stays_editable_until_submitted() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let payable: Vec<PayableVoucher> =
        json(send(partner.request(&app, Method::GET, &format!("{PAYABLE_VOUCHERS}?program=DDPS&country=KR"))).await)
            .await;
    let listed = payable.iter().find(|voucher| voucher.voucher_id == REDEEMED_DDPS).expect("payable");
    assert_eq!((listed.days, listed.amount), (3, Some(korean_rate_times(3))));
    assert_eq!(listed.payment_deadline.to_string(), "2021-08-30");
    let elsewhere: Vec<PayableVoucher> =
        json(send(partner.request(&app, Method::GET, &format!("{PAYABLE_VOUCHERS}?program=DDPS&country=US"))).await)
            .await;
    assert!(elsewhere.is_empty());
    let response = draft(&app, &partner, "DDPS", &[REDEEMED_DDPS]).await;
    assert_eq!(response.status(), 201);
    let drafted: PaymentRequestView = json(response).await;
    assert_eq!(drafted.request.total, korean_rate_times(3));
    assert_eq!(drafted.request.lines[0].daily_rate, daily_rate(CountryCode::parse("KR").unwrap()).unwrap());
    // A draft claims nothing.
    assert_eq!(voucher_status(&app, &partner, REDEEMED_DDPS).await, VoucherStatus::Redeemed);
    // Editing: an empty selection is refused with the rule, the same one is accepted.
    let path = payment_request_path(&drafted.request.id);
    let error =
        error_of(send(partner.request(&app, Method::PUT, &path).json(&json!({ "voucher_ids": [] }))).await, 422).await;
    assert_eq!(error.rule, Some(DomainError::Payment(PaymentError::NoVouchers)));
    let revised: PaymentRequestView =
        json(send(partner.request(&app, Method::PUT, &path).json(&json!({ "voucher_ids": [REDEEMED_DDPS] }))).await)
            .await;
    assert_eq!(revised.version, drafted.version + 1);
    // Submitting the version read before the edit is refused; the current one is accepted.
    let stale = submit(&app, &partner, &drafted, "stale-version").await;
    assert_eq!(stale.status(), 409);
    let response = submit(&app, &partner, &revised, "current-version").await;
    assert_eq!(response.status(), 200);
    let submitted: PaymentRequestView = json(response).await;
    let reference = submitted.reference_number.expect("a reference number");
    assert_eq!(ReferenceNumber::parse(&reference.to_string()), Ok(reference));
    assert!(reference.to_string().starts_with("PSR-2021-"), "{reference}");
    assert_eq!(submitted.status, PaymentStatus::Submitted);
    assert_eq!(voucher_status(&app, &partner, REDEEMED_DDPS).await, VoucherStatus::Claimed);
    // Submitted requests are read-only.
    let error = error_of(
        send(partner.request(&app, Method::PUT, &path).json(&json!({ "voucher_ids": [REDEEMED_DDPS] }))).await,
        409,
    )
    .await;
    assert!(matches!(error.rule, Some(DomainError::Payment(PaymentError::WrongStatus { .. }))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_idempotency_key_sent_64_times_concurrently_submits_once_with_identical_responses() {
    let app = spawn_app().await;
    let partner = app.sign_in("ga@contoso.example").await;
    let drafted: PaymentRequestView = json(draft(&app, &partner, "DDPS", &[REDEEMED_DDPS]).await).await;
    let path = payment_submission_path(&drafted.request.id);
    let body = json!({ "version": drafted.version });
    let attempts = (0..64).map(|_| {
        partner
            .request(&app, Method::POST, &path)
            .header(IDEMPOTENCY_KEY_HEADER, "2f1c7e0a-submit-once")
            .json(&body)
            .send()
    });
    let handles: Vec<_> = attempts.map(tokio::spawn).collect();
    let mut responses = Vec::with_capacity(handles.len());
    for handle in handles {
        let response = handle.await.unwrap().unwrap();
        let status = response.status().as_u16();
        responses.push((status, response.bytes().await.unwrap()));
    }
    let (first_status, first_body) = responses[0].clone();
    assert_eq!(first_status, 200, "{}", String::from_utf8_lossy(&first_body));
    for (index, (status, body)) in responses.iter().enumerate() {
        assert_eq!((*status, body), (first_status, &first_body), "response {index}");
    }
    let submitted: PaymentRequestView = serde_json::from_slice(&first_body).unwrap();
    assert_eq!(submitted.status, PaymentStatus::Submitted);
    // One request, submitted once: one audit row, one claim of the voucher.
    let requests: Vec<PaymentRequestView> =
        json(send(partner.request(&app, Method::GET, PAYMENT_REQUESTS)).await).await;
    let ours: Vec<_> = requests.iter().filter(|request| request.request.id == drafted.request.id).collect();
    assert_eq!(ours.len(), 1);
    let trail: Vec<PaymentAuditEntry> =
        json(send(partner.request(&app, Method::GET, &payment_audit_path(&drafted.request.id))).await).await;
    let submissions = trail.iter().filter(|entry| matches!(entry.event, PaymentEvent::Submitted { .. })).count();
    assert_eq!(submissions, 1);
    let admin = app.sign_in("admin@contoso.example").await;
    let voucher_trail: Vec<AuditEntry> =
        json(send(admin.request(&app, Method::GET, &voucher_audit_path(REDEEMED_DDPS))).await).await;
    let claims = voucher_trail.iter().filter(|entry| matches!(entry.event, VoucherEvent::Claimed { .. })).count();
    assert_eq!(claims, 1);
    // A later retry is still the first response, byte for byte.
    let retry = send(
        partner.request(&app, Method::POST, &path).header(IDEMPOTENCY_KEY_HEADER, "2f1c7e0a-submit-once").json(&body),
    )
    .await;
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.bytes().await.unwrap(), first_body);
    // The same key with another body is refused.
    let reused = send(
        partner
            .request(&app, Method::POST, &path)
            .header(IDEMPOTENCY_KEY_HEADER, "2f1c7e0a-submit-once")
            .json(&json!({ "version": drafted.version + 7 })),
    )
    .await;
    let error = error_of(reused, 422).await;
    assert_eq!(error.rule, Some(DomainError::Idempotency(IdempotencyError::ReusedWithOtherRequest)));
    // No key, or an unusable one, is a 400.
    let missing = send(partner.request(&app, Method::POST, &path).json(&body)).await;
    let error = error_of(missing, 400).await;
    assert_eq!(error.rule, Some(DomainError::Idempotency(IdempotencyError::Missing)));
    let too_long =
        send(partner.request(&app, Method::POST, &path).header(IDEMPOTENCY_KEY_HEADER, "k".repeat(256)).json(&body))
            .await;
    assert_eq!(too_long.status(), 400);
    // A new key for an already submitted request gets the rule's refusal.
    let error = error_of(
        send(partner.request(&app, Method::POST, &path).header(IDEMPOTENCY_KEY_HEADER, "another-key").json(&body))
            .await,
        409,
    )
    .await;
    assert!(matches!(error.rule, Some(DomainError::Payment(PaymentError::WrongStatus { .. }))));
}

#[tokio::test]
async fn a_request_after_the_60_day_window_is_refused_with_the_rule() {
    let app = spawn_app().await;
    let partner = app.sign_in("ga@contoso.example").await;
    let error = error_of(draft(&app, &partner, "SEDPS", &[WINDOW_CLOSED_SEDPS]).await, 422).await;
    let Some(DomainError::Payment(PaymentError::Voucher {
        error: VoucherError::PaymentWindowClosed { deadline, .. },
        ..
    })) = &error.rule
    else {
        panic!("{error:?}");
    };
    assert_eq!(deadline.to_string(), "2021-06-19");
    assert_eq!(
        error.message,
        "Voucher 210115000106: Payment must be requested within 60 days of redemption on April 20, 2021; the last day was \
         June 19, 2021 (end of day UTC)."
    );
    let payable: Vec<PayableVoucher> =
        json(send(partner.request(&app, Method::GET, &format!("{PAYABLE_VOUCHERS}?program=SEDPS"))).await).await;
    assert!(payable.iter().all(|voucher| voucher.voucher_id != WINDOW_CLOSED_SEDPS));
}

#[tokio::test]
async fn the_operator_rejects_with_a_reason_and_the_partner_sees_it_with_the_vouchers_released() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let submitted = submitted_ddps(&app, &partner).await;
    let id = submitted.request.id.clone();
    let queue: Vec<ReviewedPaymentRequest> = json(send(operator.request(&app, Method::GET, REVIEW_QUEUE)).await).await;
    let reviewed = queue.iter().find(|entry| entry.request.request.id == id).expect("in the queue");
    assert!(reviewed.approvable, "{:?}", reviewed.checklist);
    assert_eq!(reviewed.checklist.items.len(), 8);
    // Each finding comes in words too, in both languages: what the browser shows.
    for item in &reviewed.checklist.items {
        assert_eq!(item.finding_text, planning_domain::LocalizedText::of(&item.finding));
    }
    let reject = |reason: String| {
        send(operator.request(&app, Method::POST, &rejection_path(&id)).json(&json!({ "reason": reason })))
    };
    let error = error_of(reject("   ".into()).await, 422).await;
    assert_eq!(error.message, "Reason: This field is required.");
    assert_eq!(reject("x".repeat(MAX_REASON_LENGTH + 1)).await.status(), 422);
    let response = reject("The deliverable is a blank template.".into()).await;
    assert_eq!(response.status(), 200);
    let seen = detail(&app, &partner, &id).await;
    assert_eq!(seen.status, PaymentStatus::Rejected);
    assert_eq!(seen.reject_reason.as_deref(), Some("The deliverable is a blank template."));
    assert_eq!(voucher_status(&app, &partner, REDEEMED_DDPS).await, VoucherStatus::Redeemed);
    // The partner's administrators were told of each status change.
    let global_admin = app.sign_in("ga@contoso.example").await;
    let inbox: Vec<Notification> = json(send(global_admin.request(&app, Method::GET, INBOX)).await).await;
    let rejected = &inbox[0].event;
    assert!(
        matches!(rejected, NotificationEvent::Payment(PaymentEvent::Rejected { request_id, .. }) if *request_id == id)
    );
    assert!(inbox
        .iter()
        .any(|notification| matches!(notification.event, NotificationEvent::Payment(PaymentEvent::Submitted { .. }))));
    // Rejection is final, and the released voucher may join a new request.
    let error = error_of(reject("again".into()).await, 409).await;
    assert!(matches!(error.rule, Some(DomainError::Payment(PaymentError::WrongStatus { .. }))));
    let again = submitted_ddps(&app, &partner).await;
    assert_ne!(again.reference_number, submitted.reference_number);
}

/// The voucher's payment deadline as the partner sees it.
async fn payment_deadline(app: &TestApp, partner: &SignedIn, voucher_id: &str) -> String {
    let view: VoucherView = json(send(partner.request(app, Method::GET, &voucher_path(voucher_id))).await).await;
    view.payment_deadline.expect("redeemed").to_string()
}

#[tokio::test]
async fn a_rejection_gives_back_the_payment_days_left_on_submission_and_at_least_fourteen() {
    // REDEEMED_DDPS may be requested through 2021-08-30; submitted 2021-07-15 with 46 days left.
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    assert_eq!(payment_deadline(&app, &partner, REDEEMED_DDPS).await, "2021-08-30");
    let submitted = submitted_ddps(&app, &partner).await;
    // Microsoft takes until 2021-08-25 (on hold meanwhile), then rejects: 46 days from then.
    let later = app.same_data_on("2021-08-25").await;
    let hold = json!({ "reason": "Checking the deliverable" });
    let path = hold_path(&submitted.request.id);
    assert_eq!(send(operator.request(&later, Method::POST, &path).json(&hold)).await.status(), 200);
    let reject = json!({ "reason": "The deliverable is a blank template." });
    let path = rejection_path(&submitted.request.id);
    assert_eq!(send(operator.request(&later, Method::POST, &path).json(&reject)).await.status(), 200);
    assert_eq!(payment_deadline(&later, &partner, REDEEMED_DDPS).await, "2021-10-10");
    // Submitted again on 2021-10-08 with 2 days left and rejected 2021-10-20: 14 days, not 2.
    let resubmit_day = later.same_data_on("2021-10-08").await;
    let again = submitted_ddps(&resubmit_day, &partner).await;
    let decision_day = later.same_data_on("2021-10-20").await;
    let path = rejection_path(&again.request.id);
    assert_eq!(send(operator.request(&decision_day, Method::POST, &path).json(&reject)).await.status(), 200);
    assert_eq!(payment_deadline(&decision_day, &partner, REDEEMED_DDPS).await, "2021-11-03");
    // The day after that, the voucher can no longer be requested.
    let too_late = later.same_data_on("2021-11-04").await;
    let error = error_of(draft(&too_late, &partner, "DDPS", &[REDEEMED_DDPS]).await, 422).await;
    assert!(error.message.contains("the last day was November 3, 2021 (end of day UTC)"), "{}", error.message);
}

#[tokio::test]
async fn approval_is_refused_while_a_checklist_item_is_unmet_and_while_on_hold() {
    let app = spawn_app().await;
    let partner = app.sign_in("ga@contoso.example").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let submitted = submitted_ddps(&app, &partner).await;
    let id = submitted.request.id.clone();
    // The program removes the competency Windows and Office planning needs, on the first
    // delivery day (a server on that program date): the review judges by the records then.
    let view: VoucherView = json(send(partner.request(&app, Method::GET, &voucher_path(REDEEMED_DDPS))).await).await;
    let redemption = view.voucher.redemption().unwrap();
    let delivered_from = redemption.completion_report.delivered_from;
    let contoso_id: i64 = redemption.reservation.partner_id.parse().unwrap();
    let then = app.same_data_on(&delivered_from.to_string()).await;
    let operator_then = then.sign_in("operator@microsoft.example").await;
    let path = operator_competency_path(contoso_id, CompetencyId::WindowsAndDevices);
    let removed = send(operator_then.request(&then, Method::DELETE, &path)).await;
    assert_eq!(removed.status(), 204);
    let reviewed: ReviewedPaymentRequest =
        json(send(operator.request(&app, Method::GET, &review_path(&id))).await).await;
    assert!(!reviewed.approvable);
    let unmet: Vec<_> = reviewed.checklist.items.iter().filter(|item| !item.met).collect();
    assert_eq!(unmet.len(), 1);
    assert_eq!(unmet[0].check, ReviewCheck::CompanyCompetencyHeld);
    let error = error_of(send(operator.request(&app, Method::POST, &approval_path(&id))).await, 422).await;
    assert_eq!(error.rule, Some(DomainError::Payment(PaymentError::ReviewIncomplete { unmet: 1 })));
    assert_eq!(detail(&app, &partner, &id).await.status, PaymentStatus::Submitted);
    // On hold, then resumed.
    let held: PaymentRequestView = json(
        send(
            operator.request(&app, Method::POST, &hold_path(&id)).json(&json!({ "reason": "Checking the competency" })),
        )
        .await,
    )
    .await;
    assert_eq!((held.status, held.hold_reason.as_deref()), (PaymentStatus::OnHold, Some("Checking the competency")));
    let error = error_of(send(operator.request(&app, Method::POST, &approval_path(&id))).await, 409).await;
    assert!(matches!(error.rule, Some(DomainError::Payment(PaymentError::WrongStatus { .. }))));
    let resumed: PaymentRequestView =
        json(send(operator.request(&app, Method::POST, &resumption_path(&id))).await).await;
    assert_eq!(resumed.status, PaymentStatus::Submitted);
}

#[tokio::test]
async fn approval_then_payment_makes_the_vouchers_paid() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let submitted = submitted_ddps(&app, &partner).await;
    let id = submitted.request.id.clone();
    // Not yet approved: payment is refused.
    let error = error_of(send(operator.request(&app, Method::POST, &payment_path(&id))).await, 409).await;
    assert!(matches!(error.rule, Some(DomainError::Payment(PaymentError::WrongStatus { .. }))));
    let approved: PaymentRequestView =
        json(send(operator.request(&app, Method::POST, &approval_path(&id))).await).await;
    assert_eq!(approved.status, PaymentStatus::Approved);
    let paid: PaymentRequestView = json(send(operator.request(&app, Method::POST, &payment_path(&id))).await).await;
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert_eq!(voucher_status(&app, &partner, REDEEMED_DDPS).await, VoucherStatus::Paid);
    let seen = detail(&app, &partner, &id).await;
    assert_eq!((seen.status, seen.reference_number), (PaymentStatus::Paid, submitted.reference_number));
    let queue: Vec<ReviewedPaymentRequest> = json(send(operator.request(&app, Method::GET, REVIEW_QUEUE)).await).await;
    assert!(queue.iter().all(|entry| entry.request.request.id != id));
    let trail: Vec<PaymentAuditEntry> =
        json(send(partner.request(&app, Method::GET, &payment_audit_path(&id))).await).await;
    let statuses: Vec<PaymentStatus> = trail.iter().map(|entry| entry.to_status).collect();
    assert_eq!(
        statuses,
        [PaymentStatus::Draft, PaymentStatus::Submitted, PaymentStatus::Approved, PaymentStatus::Paid]
    );
}

#[tokio::test]
async fn roles_are_refused_and_other_organizations_requests_do_not_exist() {
    let app = spawn_app().await;
    let contoso = app.sign_in("admin@contoso.example").await;
    let submitted = submitted_ddps(&app, &contoso).await;
    let id = submitted.request.id.clone();
    for email in ["benefits@northwind.example", "pm@northwind.example", "consultant@contoso.example"] {
        let outsider = app.sign_in(email).await;
        for path in [PAYMENT_REQUESTS.to_owned(), payment_request_path(&id), PAYMENT_REGISTRATIONS.to_owned()] {
            assert_eq!(send(outsider.request(&app, Method::GET, &path)).await.status(), 403, "{email} {path}");
        }
        assert_eq!(draft(&app, &outsider, "DDPS", &[REDEEMED_DDPS]).await.status(), 403, "{email}");
    }
    // Partners are not the operator.
    for (method, path) in [(Method::GET, REVIEW_QUEUE.to_owned()), (Method::POST, approval_path(&id))] {
        assert_eq!(send(contoso.request(&app, method, &path)).await.status(), 403);
    }
    let operator = app.sign_in("operator@microsoft.example").await;
    assert_eq!(draft(&app, &operator, "DDPS", &[REDEEMED_DDPS]).await.status(), 403);
    // Another partner sees nothing of Contoso's request, nor uses its vouchers.
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    assert_eq!(send(fabrikam.request(&app, Method::GET, &payment_request_path(&id))).await.status(), 404);
    assert_eq!(send(fabrikam.request(&app, Method::GET, &payment_audit_path(&id))).await.status(), 404);
    let put = fabrikam.request(&app, Method::PUT, &payment_request_path(&id)).json(&json!({ "voucher_ids": [] }));
    assert_eq!(send(put).await.status(), 404);
    assert_eq!(submit(&app, &fabrikam, &submitted, "fabrikam-key").await.status(), 404);
    assert_eq!(draft(&app, &fabrikam, "DDPS", &[REDEEMED_DDPS]).await.status(), 404);
    let listed: Vec<PaymentRequestView> = json(send(fabrikam.request(&app, Method::GET, PAYMENT_REQUESTS)).await).await;
    assert!(listed.is_empty());
    assert_eq!(send(operator.request(&app, Method::GET, &review_path("PR-0000000000"))).await.status(), 404);
}

#[tokio::test]
async fn malformed_bodies_are_400_never_500() {
    let app = spawn_app().await;
    let partner = app.sign_in("ga@contoso.example").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    for body in [
        json!({ "program": "DDPS", "voucher_ids": "210301000105" }),
        json!({ "program": "NOPE", "voucher_ids": [] }),
        json!({ "program": "DDPS" }),
        json!({ "program": "DDPS", "voucher_ids": [], "total": 1 }),
        json!([1, 2]),
    ] {
        let response = send(partner.request(&app, Method::POST, PAYMENT_REQUESTS).json(&body)).await;
        assert_eq!(response.status(), 400, "{body}");
        let error: ErrorBody = json(response).await;
        assert_eq!(error.code, ErrorCode::MalformedBody);
    }
    let not_json =
        partner.request(&app, Method::POST, PAYMENT_REQUESTS).header("content-type", "application/json").body("{");
    assert_eq!(send(not_json).await.status(), 400);
    let registration = partner.request(&app, Method::POST, PAYMENT_REGISTRATIONS).json(&json!({ "program": 7 }));
    assert_eq!(send(registration).await.status(), 400);
    // A voucher number that is not one is the field's rule, 422.
    let error = error_of(draft(&app, &partner, "DDPS", &["not-a-number"]).await, 422).await;
    assert_eq!(error.fields[0].field, "voucher_ids");
    let drafted: PaymentRequestView = json(draft(&app, &partner, "DDPS", &[REDEEMED_DDPS]).await).await;
    let id = drafted.request.id.clone();
    for body in [json!({}), json!({ "version": "one" }), json!({ "version": 1, "extra": true })] {
        let response = send(
            partner
                .request(&app, Method::POST, &payment_submission_path(&id))
                .header(IDEMPOTENCY_KEY_HEADER, "k")
                .json(&body),
        )
        .await;
        assert_eq!(response.status(), 400, "{body}");
    }
    for body in [json!({}), json!({ "reason": 5 }), json!({ "reason": "x", "note": "y" })] {
        let response = send(operator.request(&app, Method::POST, &rejection_path(&id)).json(&body)).await;
        assert_eq!(response.status(), 400, "{body}");
    }
    for query in ["program=NOPE", "country=KR", "program=DDPS&extra=1"] {
        let response = send(partner.request(&app, Method::GET, &format!("{PAYABLE_VOUCHERS}?{query}"))).await;
        assert_eq!(response.status(), 400, "{query}");
    }
    let error = error_of(
        send(partner.request(&app, Method::GET, &format!("{PAYABLE_VOUCHERS}?program=DDPS&country=Korea"))).await,
        422,
    )
    .await;
    assert_eq!(error.fields[0].field, "country");
}

/// Two 15-day Exchange engagements of Contoso for Northwind, reserved on 2021-06-15 in the order
/// given (each `(declares an exception)`), delivered 2021-06-16..2021-07-06, redeemed and requested
/// together on 2021-07-15: the repeat-limit item of each voucher in the operator's review.
async fn repeat_items_at_review(exceptions: [bool; 2]) -> Vec<(bool, bool)> {
    use crate::vouchers::{contoso_delivery, create, reservation_body, upload};
    use planning_domain::api::vouchers::{completion_report_path, reservation_path, Document};
    let before = crate::helpers::spawn_app_on("2021-06-15").await;
    before.grant_days("67001234", 30).await;
    let customer = before.sign_in("benefits@northwind.example").await;
    let partner = before.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&before, &partner).await;
    let mut voucher_ids = Vec::new();
    for exception in exceptions {
        let created: VoucherView = json(create(&before, &customer, "67001234", 15, "pm@northwind.example").await).await;
        let id = created.voucher.id.as_str().to_owned();
        let mut body = reservation_body(&location, "KR", &consultant, "2021-06-16", "2021-07-06");
        if exception {
            body["repeat_exception"] = json!("different_products");
        }
        let reserved = send(partner.request(&before, Method::POST, &reservation_path(&id)).json(&body)).await;
        assert_eq!(reserved.status(), 200, "{}", reserved.text().await.unwrap());
        voucher_ids.push((id, exception));
    }
    let after = before.same_data_on("2021-07-15").await;
    let partner = after.sign_in("admin@contoso.example").await;
    let document: Document = json(upload(&after, &partner, "Exchange plan.pdf", b"%PDF-1.7 plan".to_vec()).await).await;
    for (id, _) in &voucher_ids {
        let report = json!({
            "consultant_id": consultant,
            "delivered_from": "2021-06-16",
            "delivered_through": "2021-07-06",
            "days_delivered": 15,
            "offsite_days": 0,
            "deliverable_document_ids": [document.document_id]
        });
        let reported = send(partner.request(&after, Method::POST, &completion_report_path(id)).json(&report)).await;
        assert_eq!(reported.status(), 200, "{}", reported.text().await.unwrap());
        let redeemed: VoucherView = json(send(partner.request(&after, Method::POST, &redemption_path(id))).await).await;
        assert_eq!(redeemed.status, VoucherStatus::Redeemed);
    }
    let global_admin = after.sign_in("ga@contoso.example").await;
    let ids: Vec<&str> = voucher_ids.iter().map(|(id, _)| id.as_str()).collect();
    let drafted: PaymentRequestView = json(draft(&after, &global_admin, "SEDPS", &ids).await).await;
    let submitted = submit(&after, &global_admin, &drafted, "repeat-limit").await;
    assert_eq!(submitted.status(), 200);
    let operator = after.sign_in("operator@microsoft.example").await;
    let reviewed: ReviewedPaymentRequest =
        json(send(operator.request(&after, Method::GET, &review_path(&drafted.request.id))).await).await;
    voucher_ids
        .iter()
        .map(|(id, exception)| {
            let item = reviewed
                .checklist
                .items
                .iter()
                .find(|item| item.check == ReviewCheck::RepeatLimitRespected && item.voucher_id.as_str() == id)
                .expect("a repeat-limit item per voucher");
            (*exception, item.met)
        })
        .collect()
}

#[tokio::test]
async fn the_review_accepts_two_fifteen_day_engagements_when_the_later_declares_the_exception() {
    // A without an exception, then B with one: the review of A must not find B.
    assert_eq!(repeat_items_at_review([false, true]).await, [(false, true), (true, true)]);
}

#[tokio::test]
async fn the_review_accepts_a_fifteen_day_engagement_reserved_after_one_that_declared_the_exception() {
    // B with the exception first, then A without: A is reserved and passes the review.
    assert_eq!(repeat_items_at_review([true, false]).await, [(true, true), (false, true)]);
}

#[tokio::test]
async fn a_second_fifteen_day_engagement_without_an_exception_is_still_refused() {
    use crate::vouchers::{contoso_delivery, create, reservation_body};
    use planning_domain::api::vouchers::reservation_path;
    let app = crate::helpers::spawn_app_on("2021-06-15").await;
    app.grant_days("67001234", 30).await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let partner = app.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&app, &partner).await;
    let body = reservation_body(&location, "KR", &consultant, "2021-06-16", "2021-07-06");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let created: VoucherView = json(create(&app, &customer, "67001234", 15, "pm@northwind.example").await).await;
        ids.push(created.voucher.id.as_str().to_owned());
    }
    let first = send(partner.request(&app, Method::POST, &reservation_path(&ids[0])).json(&body)).await;
    assert_eq!(first.status(), 200);
    let error =
        error_of(send(partner.request(&app, Method::POST, &reservation_path(&ids[1])).json(&body)).await, 422).await;
    assert!(
        matches!(&error.rule, Some(DomainError::Voucher(VoucherError::RepeatLimitReached { earlier_voucher_id, .. }))
            if earlier_voucher_id.as_str() == ids[0]),
        "{error:?}"
    );
}
