//! Every endpoint × every demo user: the allowed get through to the rules (any answer but
//! 401/403/404), everyone else is refused (403, or 404 where the resource is another
//! organization's), and without a session every non-public endpoint answers 401.
//!
//! Bodies are chosen so that an allowed caller is stopped by a rule or by validation (409/422)
//! rather than changing anything: the cases run against one database, in any order.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, SignedIn, TestApp};

const CONTOSO: [&str; 3] = ["ga@contoso.example", "admin@contoso.example", "consultant@contoso.example"];
const EVERYONE: [&str; 10] = [
    "ga@contoso.example",
    "admin@contoso.example",
    "consultant@contoso.example",
    "ga@fabrikam.example",
    "admin@fabrikam.example",
    "benefits@northwind.example",
    "pm@northwind.example",
    "benefits@woodgrove.example",
    "pm@woodgrove.example",
    "operator@microsoft.example",
];
const ADMINISTRATORS: [&str; 5] = [
    "ga@contoso.example",
    "ga@fabrikam.example",
    "benefits@northwind.example",
    "benefits@woodgrove.example",
    "operator@microsoft.example",
];
const PARTNERS: [&str; 5] = [
    "ga@contoso.example",
    "admin@contoso.example",
    "consultant@contoso.example",
    "ga@fabrikam.example",
    "admin@fabrikam.example",
];
/// Both partner admin roles of both partners: every partner step is theirs (`Role::may`).
const PARTNER_ADMINS: [&str; 4] =
    ["ga@contoso.example", "admin@contoso.example", "ga@fabrikam.example", "admin@fabrikam.example"];
/// The partners' Global Admins: how their organization signs in is theirs alone.
const GLOBAL_ADMINS: [&str; 2] = ["ga@contoso.example", "ga@fabrikam.example"];
const CONTOSO_ADMINS: [&str; 2] = ["ga@contoso.example", "admin@contoso.example"];
const OPERATOR: [&str; 1] = ["operator@microsoft.example"];
/// The demo deliverable's content hash (see seed_vouchers.rs).
fn demo_document_id() -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(planning_server::seed_vouchers::DEMO_DELIVERABLE).iter().map(|byte| format!("{byte:02x}")).collect()
}

struct Case {
    method: Method,
    /// `{self}` stands for the caller's own user id.
    path: String,
    body: Option<Value>,
    multipart: bool,
    allowed: Vec<&'static str>,
    /// Deleting something that does not exist: allowed callers get 404, so the refused must
    /// get exactly 403 to tell them apart.
    allowed_may_be_not_found: bool,
    headers: Vec<(&'static str, &'static str)>,
}

fn case(method: Method, path: &str, body: Option<Value>, allowed: &[&'static str]) -> Case {
    Case {
        method,
        path: path.to_owned(),
        body,
        multipart: false,
        allowed: allowed.to_vec(),
        allowed_may_be_not_found: false,
        headers: Vec::new(),
    }
}

fn delete_missing(path: &str, allowed: &[&'static str]) -> Case {
    Case { allowed_may_be_not_found: true, ..case(Method::DELETE, path, None, allowed) }
}

fn cases() -> Vec<Case> {
    let reserved = "210510000103"; // Northwind's, reserved by Contoso
    let redeemed = "210301000105"; // Northwind's, redeemed by Contoso
    let assigned = "210628000101"; // Northwind's, not reserved
    let contoso_and_northwind_and_operator: Vec<&str> = CONTOSO
        .iter()
        .copied()
        .chain(["benefits@northwind.example", "pm@northwind.example", "operator@microsoft.example"])
        .collect();
    let bad_dates = json!({ "starts_on": "2021-09-01", "ends_on": "2021-09-02" });
    let mut cases = vec![
        case(Method::GET, "/api/v1/users", None, &ADMINISTRATORS),
        case(
            Method::POST,
            "/api/v1/users",
            Some(json!({ "email": "x", "display_name": "", "role": "consultant", "password": "short" })),
            &ADMINISTRATORS,
        ),
        case(Method::POST, "/api/v1/users/{self}/disable", None, &ADMINISTRATORS),
        // The caller's own account: everyone, refused by a rule (wrong current password, no
        // enrolment to confirm). Starting an enrolment changes nothing sign-in looks at.
        case(
            Method::PUT,
            "/api/v1/account/password",
            Some(json!({ "current_password": "not the password", "new_password": "short" })),
            &EVERYONE,
        ),
        case(Method::GET, "/api/v1/account/totp", None, &EVERYONE),
        // How the caller's organization signs in: its Global Admin only. Allowing local passwords
        // (already allowed) changes nothing other cases look at.
        case(Method::GET, "/api/v1/organization/sign-in", None, &GLOBAL_ADMINS),
        case(
            Method::PUT,
            "/api/v1/organization/sign-in",
            Some(json!({ "local_passwords_allowed": true })),
            &GLOBAL_ADMINS,
        ),
        case(Method::POST, "/api/v1/account/totp", Some(json!({ "code": "12" })), &EVERYONE),
        case(Method::POST, "/api/v1/account/totp/enrolment", None, &EVERYONE),
        // An unreadable code: refused at its field, whoever asks, and nothing changes.
        case(Method::POST, "/api/v1/account/totp/removal", Some(json!({ "code": "12" })), &EVERYONE),
        case(Method::POST, "/api/v1/account/totp/recovery-codes", Some(json!({ "code": "12" })), &EVERYONE),
        case(
            Method::GET,
            "/api/v1/customer/enrollments",
            None,
            &[
                "benefits@northwind.example",
                "pm@northwind.example",
                "benefits@woodgrove.example",
                "pm@woodgrove.example",
            ],
        ),
        case(Method::POST, "/api/v1/customer/enrollments/67001234/activation", None, &["benefits@northwind.example"]),
        case(
            Method::GET,
            "/api/v1/customer/enrollments/67001234/history",
            None,
            &["benefits@northwind.example", "pm@northwind.example"],
        ),
        case(Method::GET, "/api/v1/vouchers", None, &EVERYONE),
        case(
            Method::POST,
            "/api/v1/vouchers",
            Some(
                json!({ "enrollment_id": "67001234", "offering": "DDPS", "service_level": 7, "assignee_email": "pm@northwind.example" }),
            ),
            &["benefits@northwind.example", "benefits@woodgrove.example"],
        ),
        case(Method::GET, &format!("/api/v1/vouchers/{reserved}"), None, &contoso_and_northwind_and_operator),
        case(Method::GET, &format!("/api/v1/vouchers/{reserved}/audit"), None, &contoso_and_northwind_and_operator),
        case(
            Method::POST,
            &format!("/api/v1/vouchers/{assigned}/validation"),
            Some(json!({ "voucher_admin_email": "pm@northwind.example" })),
            &PARTNER_ADMINS,
        ),
        case(
            Method::POST,
            &format!("/api/v1/vouchers/{assigned}/reservation"),
            Some(json!({
                "voucher_admin_email": "pm@northwind.example", "engagement": "exchange_deployment_planning",
                "location_id": "12", "delivery_country": "KR", "consultant_id": "1",
                "starts_on": "2021-08-02", "ends_on": "2021-08-03"
            })),
            &PARTNER_ADMINS,
        ),
        case(Method::PUT, &format!("/api/v1/vouchers/{redeemed}/reservation"), Some(bad_dates), &CONTOSO_ADMINS),
        case(Method::DELETE, &format!("/api/v1/vouchers/{redeemed}/reservation"), None, &CONTOSO_ADMINS),
        case(
            Method::POST,
            &format!("/api/v1/vouchers/{redeemed}/completion-report"),
            Some(json!({
                "consultant_id": "1", "delivered_from": "2021-06-14", "delivered_through": "2021-06-16",
                "days_delivered": 3, "offsite_days": 0, "deliverable_document_ids": []
            })),
            &CONTOSO,
        ),
        case(Method::POST, &format!("/api/v1/vouchers/{redeemed}/redemption"), None, &CONTOSO_ADMINS),
        case(Method::POST, "/api/v1/redemptions", Some(json!({ "voucher_ids": [redeemed] })), &PARTNER_ADMINS),
        case(
            Method::GET,
            &format!("/api/v1/documents/{}", demo_document_id()),
            None,
            &[
                "ga@contoso.example",
                "admin@contoso.example",
                "consultant@contoso.example",
                "benefits@northwind.example",
                "pm@northwind.example",
                "benefits@woodgrove.example",
                "pm@woodgrove.example",
                "operator@microsoft.example",
            ],
        ),
        case(Method::GET, "/api/v1/inbox", None, &EVERYONE),
        case(Method::GET, "/api/v1/session", None, &EVERYONE),
    ];
    cases.push(Case { multipart: true, ..case(Method::POST, "/api/v1/documents", None, &PARTNERS) });
    // The partner's own program data, eligibility and enrollment.
    cases.extend([
        case(Method::GET, "/api/v1/partner/program", None, &PARTNERS),
        case(Method::GET, "/api/v1/partner/eligibility", None, &PARTNERS),
        case(Method::POST, "/api/v1/partner/agreement", Some(json!({ "version": 99 })), &PARTNER_ADMINS),
        case(Method::POST, "/api/v1/partner/renewal", None, &PARTNER_ADMINS),
        case(Method::POST, "/api/v1/partner/compliance-training", None, &PARTNER_ADMINS),
        case(Method::POST, "/api/v1/partner/enrollments", Some(json!({ "offering": "AZDPS" })), &PARTNER_ADMINS),
        delete_missing("/api/v1/partner/enrollments/DYDPS", &PARTNER_ADMINS),
        case(
            Method::POST,
            "/api/v1/partner/locations",
            Some(json!({ "location_id": "12", "country": "Korea", "city": "" })),
            &PARTNER_ADMINS,
        ),
        delete_missing("/api/v1/partner/locations/9999999", &PARTNER_ADMINS),
        case(
            Method::POST,
            "/api/v1/partner/consultants",
            Some(json!({ "display_name": "", "email": "x" })),
            &PARTNER_ADMINS,
        ),
        case(Method::GET, "/api/v1/partner/business-profile", None, &PARTNERS),
        case(
            Method::PUT,
            "/api/v1/partner/business-profile",
            Some(json!({
                "country": "Atlantis", "description": "", "website": "not a site", "industries": [], "products": [],
                "service_types": [], "target_customer_size": "small", "allow_endorsement": true, "published": false
            })),
            &PARTNER_ADMINS,
        ),
    ]);
    // Payments (SAVB) and the operator's review. Demo request 1 is paid, 2 is submitted.
    let paid = planning_server::seed_payments::DEMO_PAID_REQUEST;
    let submitted = planning_server::seed_payments::DEMO_SUBMITTED_REQUEST;
    let contoso_and_operator: Vec<&str> = CONTOSO_ADMINS.iter().copied().chain(OPERATOR).collect();
    cases.extend([
        case(Method::GET, "/api/v1/payment-registrations", None, &PARTNER_ADMINS),
        case(Method::POST, "/api/v1/payment-registrations", Some(json!({ "program": "SSDPS" })), &PARTNER_ADMINS),
        case(Method::GET, "/api/v1/payable-vouchers?program=DDPS", None, &PARTNER_ADMINS),
        case(Method::GET, "/api/v1/payment-requests", None, &PARTNER_ADMINS),
        case(
            Method::POST,
            "/api/v1/payment-requests",
            Some(json!({ "program": "DDPS", "voucher_ids": [] })),
            &PARTNER_ADMINS,
        ),
        case(Method::GET, &format!("/api/v1/payment-requests/{submitted}"), None, &CONTOSO_ADMINS),
        case(
            Method::PUT,
            &format!("/api/v1/payment-requests/{submitted}"),
            Some(json!({ "voucher_ids": [] })),
            &CONTOSO_ADMINS,
        ),
        Case {
            headers: vec![("idempotency-key", "authorization-matrix-key")],
            ..case(
                Method::POST,
                &format!("/api/v1/payment-requests/{submitted}/submission"),
                Some(json!({ "version": 1 })),
                &CONTOSO_ADMINS,
            )
        },
        case(Method::GET, &format!("/api/v1/payment-requests/{paid}/audit"), None, &contoso_and_operator),
        case(Method::GET, "/api/v1/review/payment-requests", None, &OPERATOR),
        case(Method::GET, &format!("/api/v1/review/payment-requests/{submitted}"), None, &OPERATOR),
        case(Method::POST, &format!("/api/v1/review/payment-requests/{paid}/approval"), None, &OPERATOR),
        case(
            Method::POST,
            &format!("/api/v1/review/payment-requests/{submitted}/rejection"),
            Some(json!({ "reason": "" })),
            &OPERATOR,
        ),
        case(
            Method::POST,
            &format!("/api/v1/review/payment-requests/{submitted}/hold"),
            Some(json!({ "reason": "" })),
            &OPERATOR,
        ),
        case(Method::POST, &format!("/api/v1/review/payment-requests/{paid}/resumption"), None, &OPERATOR),
        case(Method::POST, &format!("/api/v1/review/payment-requests/{paid}/payment"), None, &OPERATOR),
        case(Method::GET, "/api/v1/operations/dashboard", None, &OPERATOR),
    ]);
    // The program's records of competencies and exams: the operator only (partner 1 is Contoso,
    // consultant 1 its first).
    cases.extend([
        case(Method::GET, "/api/v1/operations/partners?name=con", None, &OPERATOR),
        case(Method::GET, "/api/v1/operations/partners/1", None, &OPERATOR),
        case(Method::GET, "/api/v1/operations/partners/1/audit", None, &OPERATOR),
        case(
            Method::PUT,
            "/api/v1/operations/partners/1/competencies/messaging",
            Some(json!({ "level": "gold", "expires_on": "not a date" })),
            &OPERATOR,
        ),
        delete_missing("/api/v1/operations/partners/1/competencies/data_analytics", &OPERATOR),
        case(
            Method::POST,
            "/api/v1/operations/partners/1/consultants/1/exams",
            Some(json!({ "exam": "", "counts_toward": "messaging" })),
            &OPERATOR,
        ),
        delete_missing("/api/v1/operations/partners/1/consultants/1/exams/XX-999", &OPERATOR),
    ]);
    cases
}

fn request(app: &TestApp, who: Option<&SignedIn>, case: &Case) -> reqwest::RequestBuilder {
    let self_id = who.map(|signed_in| signed_in.session.user.id.to_string()).unwrap_or_else(|| "1".to_owned());
    let path = case.path.replace("{self}", &self_id);
    let mut builder = match who {
        Some(signed_in) => signed_in.request(app, case.method.clone(), &path),
        None => app.client.request(case.method.clone(), app.url(&path)),
    };
    if let Some(body) = &case.body {
        builder = builder.json(body);
    }
    for (name, value) in &case.headers {
        builder = builder.header(*name, *value);
    }
    if case.multipart {
        // Not a deliverable type: allowed callers get a 422 and nothing is stored.
        let part = reqwest::multipart::Part::bytes(b"not a pdf".to_vec()).file_name("notes.txt");
        builder = builder.multipart(reqwest::multipart::Form::new().part("file", part));
    }
    builder
}

#[tokio::test]
async fn every_endpoint_admits_exactly_its_roles() {
    let app = spawn_app().await;
    let mut signed_in = HashMap::new();
    for email in EVERYONE {
        signed_in.insert(email, app.sign_in(email).await);
    }
    let mut failures = Vec::new();
    for case in cases() {
        for email in EVERYONE {
            let status = request(&app, Some(&signed_in[email]), &case).send().await.unwrap().status().as_u16();
            let allowed = case.allowed.contains(&email);
            let ok = match (allowed, case.allowed_may_be_not_found) {
                (true, false) => !matches!(status, 401 | 403 | 404 | 500..=599),
                (true, true) => !matches!(status, 401 | 403 | 500..=599),
                (false, false) => matches!(status, 403 | 404),
                (false, true) => status == 403,
            };
            if !ok {
                failures.push(format!("{} {} as {email}: {status} (allowed: {allowed})", case.method, case.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn without_a_session_every_non_public_endpoint_is_401() {
    let app = spawn_app().await;
    for case in cases() {
        let status = request(&app, None, &case).send().await.unwrap().status().as_u16();
        assert_eq!(status, 401, "{} {}", case.method, case.path);
    }
    for public in [
        "/api/v1/health",
        "/api/v1/program",
        "/api/v1/directory/partners",
        "/api/v1/directory/partners/1",
        "/api/v1/session/providers",
    ] {
        assert_eq!(app.get(public).await.status(), 200, "{public}");
    }
    // The public account steps answer without a session: a reset request, its completion (a
    // made-up token is refused by its rule) and the second sign-in step (no pending sign-in: 401).
    let post = |path: &str, body: Value| app.client.post(app.url(path)).json(&body).send();
    assert_eq!(
        post("/api/v1/password-resets", json!({ "email": "nobody@contoso.example" })).await.unwrap().status(),
        202
    );
    let completion = json!({ "token": "made-up", "new_password": "a long enough sentence" });
    assert_eq!(post("/api/v1/password-resets/completion", completion).await.unwrap().status(), 422);
    assert_eq!(post("/api/v1/session/second-factor", json!({ "code": "123456" })).await.unwrap().status(), 401);
    // Single sign-on's start and callback are the browser's way in: without a provider (or a
    // start in this browser) both send it back to the sign-in page.
    for path in ["/api/v1/session/oidc/start", "/api/v1/session/oidc/callback?code=x&state=y"] {
        assert_eq!(app.get(path).await.status(), 303, "{path}");
    }
}
