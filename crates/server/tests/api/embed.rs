//! Embed tokens and the widget's reads over HTTP: create, list and revoke; what a token can read
//! (its scope), when it stops working (revoked, expired), malformed and unknown tokens, the CORS
//! rules (the token's origins only, preflight, `Vary: Origin`, no credentials), no cookies, and
//! the widget's static files.

use planning_domain::api::embed::{
    embed_partner_path, embed_token_path, embed_voucher_path, CreatedEmbedToken, EmbedEligibilityBadge, EmbedTarget,
    EmbedToken, EmbedTokenState, EmbedVoucherCard, EMBED_TOKENS, WIDGET_SCRIPT,
};
use planning_domain::embed::{DeadlineKind, EmbedError, StepState, WorkflowStep};
use planning_domain::{DomainError, ErrorBody, VoucherStatus};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, SignedIn, TestApp, WIDGET_LOADER};

/// Demo voucher of Northwind, reserved by Contoso with the engagement ahead.
pub(crate) const RESERVED: &str = "210510000103";
/// Another demo voucher of Northwind (assigned).
const OTHER_NORTHWIND: &str = "210620000102";
/// A voucher of Woodgrove, which Northwind's users may not see.
const WOODGROVE: &str = "210401000104";
pub(crate) const INTRANET: &str = "https://intranet.example";
const ELSEWHERE: &str = "https://elsewhere.example";

pub(crate) async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{status}: {error}: {text}"))
}

async fn create(app: &TestApp, user: &SignedIn, body: serde_json::Value) -> reqwest::Response {
    user.request(app, Method::POST, EMBED_TOKENS).json(&body).send().await.unwrap()
}

pub(crate) async fn voucher_token(app: &TestApp, user: &SignedIn, voucher_id: &str) -> CreatedEmbedToken {
    let body = json!({ "target": { "voucher": voucher_id }, "allowed_origins": [INTRANET], "expires_in_days": 30 });
    let response = create(app, user, body).await;
    assert_eq!(response.status(), 201);
    json(response).await
}

/// A widget read as a browser on `origin` makes it (no cookies).
pub(crate) async fn read(app: &TestApp, path: &str, secret: &str, origin: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path)).header("authorization", format!("Bearer {secret}"));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|value| value.to_str().unwrap())
}

async fn refusal(response: reqwest::Response, status: u16, rule: EmbedError) {
    assert_eq!(response.status(), status);
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    let body: ErrorBody = json(response).await;
    assert_eq!(body.messages.en, planning_domain::Localize::message(&rule, planning_domain::Locale::En));
    assert_eq!(body.rule, Some(DomainError::Embed(rule)));
}

#[tokio::test]
async fn a_customer_creates_lists_and_revokes_a_voucher_token_and_the_card_follows() {
    let app = spawn_app().await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let created = voucher_token(&app, &customer, RESERVED).await;
    assert!(created.secret.starts_with("pwt_"), "{}", created.secret);
    assert_eq!(created.token.target, EmbedTarget::Voucher(RESERVED.into()));
    assert_eq!(created.token.allowed_origins, vec![INTRANET.to_owned()]);
    assert_eq!(created.token.state, EmbedTokenState::Active);
    assert!(created
        .snippet
        .contains(&format!("<script type=\"module\" src=\"{}{WIDGET_SCRIPT}\"></script>", app.address)));
    assert!(created.snippet.contains(&format!("voucher=\"{RESERVED}\"")));
    assert!(created.snippet.contains(&format!("token=\"{}\"", created.secret)));

    let listed: Vec<EmbedToken> = json(customer.request(&app, Method::GET, EMBED_TOKENS).send().await.unwrap()).await;
    assert_eq!(listed, vec![created.token.clone()]);
    // Only the hash is stored: the secret appears in no listing.
    let listing = customer.request(&app, Method::GET, EMBED_TOKENS).send().await.unwrap().text().await.unwrap();
    assert!(!listing.contains(&created.secret));

    let response = read(&app, &embed_voucher_path(RESERVED), &created.secret, Some(INTRANET)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "access-control-allow-origin"), Some(INTRANET));
    assert_eq!(header(&response, "vary"), Some("Origin"));
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    let card: EmbedVoucherCard = json(response).await;
    assert_eq!(card.voucher_id, RESERVED);
    assert_eq!(card.status, VoucherStatus::Reserved);
    assert_eq!(card.customer_name, "Northwind Traders");
    assert_eq!(card.partner_name.as_deref(), Some("Contoso Consulting"));
    assert_eq!(card.today.to_string(), "2021-07-15");
    let states: Vec<(WorkflowStep, StepState)> = card.steps.iter().map(|step| (step.step, step.state)).collect();
    assert_eq!(
        states,
        [
            (WorkflowStep::CreateAndAssign, StepState::Done),
            (WorkflowStep::Reserve, StepState::Done),
            (WorkflowStep::DeliverAndReport, StepState::Current),
            (WorkflowStep::Redeem, StepState::Upcoming),
            (WorkflowStep::RequestPayment, StepState::Upcoming),
        ]
    );
    assert_eq!(card.deadlines.len(), 1);
    assert_eq!(card.deadlines[0].kind, DeadlineKind::VoucherExpires);
    assert_eq!(card.deadlines[0].days_left, (card.deadlines[0].date - card.today).num_days());
    assert!(card.deadlines[0].days_left > 0);

    // Another user cannot revoke it; its owner can, once and for good.
    let colleague = app.sign_in("pm@northwind.example").await;
    let path = embed_token_path(created.token.id);
    assert_eq!(colleague.request(&app, Method::DELETE, &path).send().await.unwrap().status(), 404);
    let revoked: EmbedToken = json(customer.request(&app, Method::DELETE, &path).send().await.unwrap()).await;
    assert_eq!(revoked.state, EmbedTokenState::Revoked);
    assert!(revoked.revoked_at.is_some());
    let again: EmbedToken = json(customer.request(&app, Method::DELETE, &path).send().await.unwrap()).await;
    assert_eq!(again.revoked_at, revoked.revoked_at);
    let response = read(&app, &embed_voucher_path(RESERVED), &created.secret, Some(INTRANET)).await;
    // The widget on the token's own page can read why.
    assert_eq!(header(&response, "access-control-allow-origin"), Some(INTRANET));
    refusal(response, 401, EmbedError::TokenRevoked).await;
    let listed: Vec<EmbedToken> = json(customer.request(&app, Method::GET, EMBED_TOKENS).send().await.unwrap()).await;
    assert_eq!(listed[0].state, EmbedTokenState::Revoked);
}

#[tokio::test]
async fn creating_checks_origins_life_and_what_the_creator_may_see() {
    let app = spawn_app().await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let bad = json!({ "target": { "voucher": RESERVED }, "allowed_origins": ["https://x.example/page", "*"], "expires_in_days": 0 });
    let response = create(&app, &customer, bad).await;
    assert_eq!(response.status(), 422);
    let body: ErrorBody = json(response).await;
    let fields: Vec<&str> = body.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["allowed_origins", "expires_in_days"]);
    let none = json!({ "target": { "voucher": RESERVED }, "allowed_origins": [], "expires_in_days": 7 });
    assert_eq!(create(&app, &customer, none).await.status(), 422);
    // Another customer's voucher and an unknown one are both "not found".
    for voucher_id in [WOODGROVE, "999999999999"] {
        let body = json!({ "target": { "voucher": voucher_id }, "allowed_origins": [INTRANET], "expires_in_days": 7 });
        assert_eq!(create(&app, &customer, body).await.status(), 404, "{voucher_id}");
    }
    // A customer has no partner profile; a partner only its own.
    let partner = app.sign_in("ga@contoso.example").await;
    let own = partner.session.user.organization.id;
    let body = json!({ "target": { "partner": own }, "allowed_origins": [INTRANET], "expires_in_days": 7 });
    let response = create(&app, &customer, body.clone()).await;
    refusal(response, 403, EmbedError::NotYourPartnerProfile).await;
    let other = json!({ "target": { "partner": own + 1 }, "allowed_origins": [INTRANET], "expires_in_days": 7 });
    assert_eq!(create(&app, &partner, other).await.status(), 403);
    assert_eq!(create(&app, &partner, body).await.status(), 201);
    // Without a session or the anti-forgery token nothing is created.
    let anonymous = app.client.post(app.url(EMBED_TOKENS)).json(&json!({})).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_voucher_token_reads_its_voucher_only() {
    let app = spawn_app().await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let token = voucher_token(&app, &customer, RESERVED).await;
    // Voucher B exists and the creator may see it, but the token is for voucher A.
    for voucher_id in [OTHER_NORTHWIND, WOODGROVE, "999999999999", "not-a-voucher"] {
        let response = read(&app, &embed_voucher_path(voucher_id), &token.secret, Some(INTRANET)).await;
        let text_status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(text_status, 404, "{voucher_id}: {body}");
        assert!(!body.contains("Northwind Traders") && !body.contains(voucher_id), "{body}");
    }
    let partner_id = app.sign_in("ga@contoso.example").await.session.user.organization.id;
    let response = read(&app, &embed_partner_path(partner_id), &token.secret, Some(INTRANET)).await;
    refusal(response, 404, EmbedError::NotThisTokensSubject).await;
}

#[tokio::test]
async fn a_partner_badge_shows_enrolled_offerings_with_eligible_engagements() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let partner_id = partner.session.user.organization.id;
    let body = json!({ "target": { "partner": partner_id }, "allowed_origins": [INTRANET], "expires_in_days": 90 });
    let created: CreatedEmbedToken = json(create(&app, &partner, body).await).await;
    assert!(created.snippet.contains(&format!("kind=\"eligibility\" partner=\"{partner_id}\"")));
    let response = read(&app, &embed_partner_path(partner_id), &created.secret, Some(INTRANET)).await;
    assert_eq!(response.status(), 200);
    let badge: EmbedEligibilityBadge = json(response).await;
    assert_eq!(badge.partner_name, "Contoso Consulting");
    assert!(!badge.offerings.is_empty());
    assert!(badge.offerings.iter().flat_map(|offering| &offering.engagements).any(|engagement| engagement.eligible));
    // The badge is public-safe: no findings, consultants or locations.
    let text = read(&app, &embed_partner_path(partner_id), &created.secret, None).await.text().await.unwrap();
    assert!(!text.contains("consultant") && !text.contains("location") && !text.contains("finding"), "{text}");
    // Another partner's id, with this token: nothing.
    let response = read(&app, &embed_partner_path(partner_id + 1), &created.secret, Some(INTRANET)).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn expired_malformed_unknown_and_missing_tokens_are_refused_with_401() {
    let app = spawn_app().await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let token = voucher_token(&app, &customer, RESERVED).await;
    let path = embed_voucher_path(RESERVED);
    for malformed in ["nonsense", "pwt_short", &token.secret[..token.secret.len() - 1], &format!("{}x", token.secret)] {
        refusal(read(&app, &path, malformed, Some(INTRANET)).await, 401, EmbedError::TokenMalformed).await;
    }
    let unknown = format!("pwt_{}", "A".repeat(43));
    let response = read(&app, &path, &unknown, Some(INTRANET)).await;
    // A live token allows this origin, so the widget may read the refusal.
    assert_eq!(header(&response, "access-control-allow-origin"), Some(INTRANET));
    refusal(response, 401, EmbedError::TokenUnknown).await;
    let missing = app.client.get(app.url(&path)).header("origin", INTRANET).send().await.unwrap();
    refusal(missing, 401, EmbedError::TokenMissing).await;

    app.expire_embed_tokens().await;
    let response = read(&app, &path, &token.secret, Some(INTRANET)).await;
    assert_eq!(header(&response, "access-control-allow-origin"), Some(INTRANET));
    refusal(response, 401, EmbedError::TokenExpired).await;
    let listed: Vec<EmbedToken> = json(customer.request(&app, Method::GET, EMBED_TOKENS).send().await.unwrap()).await;
    assert_eq!(listed[0].state, EmbedTokenState::Expired);
    // No live token allows the origin any more: unknown tokens get no CORS header either.
    let response = read(&app, &path, &unknown, Some(INTRANET)).await;
    assert_eq!(header(&response, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn an_origin_not_on_the_token_is_refused_without_cors_headers() {
    let app = spawn_app().await;
    let customer = app.sign_in("benefits@northwind.example").await;
    let token = voucher_token(&app, &customer, RESERVED).await;
    let path = embed_voucher_path(RESERVED);
    for origin in [ELSEWHERE, "null", "http://intranet.example", "https://intranet.example:8443"] {
        let response = read(&app, &path, &token.secret, Some(origin)).await;
        assert_eq!(header(&response, "access-control-allow-origin"), None, "{origin}");
        assert_eq!(header(&response, "vary"), Some("Origin"));
        refusal(response, 403, EmbedError::OriginNotAllowed).await;
    }
    // The same origin in another spelling is the same origin.
    let response = read(&app, &path, &token.secret, Some("HTTPS://Intranet.Example")).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn preflights_succeed_only_for_origins_of_live_tokens() {
    let app = spawn_app().await;
    let path = embed_voucher_path(RESERVED);
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.url(&path))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    // Before any token exists, nobody may.
    let response = preflight(INTRANET).await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(header(&response, "access-control-allow-origin"), None);

    let customer = app.sign_in("benefits@northwind.example").await;
    let token = voucher_token(&app, &customer, RESERVED).await;
    let response = preflight(INTRANET).await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(header(&response, "access-control-allow-origin"), Some(INTRANET));
    assert_eq!(header(&response, "access-control-allow-methods"), Some("GET"));
    assert!(header(&response, "access-control-allow-headers").unwrap().contains("authorization"));
    assert_eq!(header(&response, "vary"), Some("Origin"));
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    let response = preflight(ELSEWHERE).await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(header(&response, "access-control-allow-origin"), None);

    // Revoked, the token allows its origin no more.
    customer.request(&app, Method::DELETE, &embed_token_path(token.token.id)).send().await.unwrap();
    assert_eq!(preflight(INTRANET).await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_token_shows_only_what_its_creator_may_still_see() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let token = voucher_token(&app, &partner, RESERVED).await;
    let path = embed_voucher_path(RESERVED);
    assert_eq!(read(&app, &path, &token.secret, Some(INTRANET)).await.status(), 200);
    // Contoso cancels its reservation: the voucher is no longer its to show.
    let cancel = planning_domain::api::vouchers::reservation_path(RESERVED);
    assert_eq!(partner.request(&app, Method::DELETE, &cancel).send().await.unwrap().status(), 200);
    refusal(read(&app, &path, &token.secret, Some(INTRANET)).await, 404, EmbedError::NotThisTokensSubject).await;
}

#[tokio::test]
async fn a_disabled_creators_tokens_stop_working() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let consultant = app.sign_in("consultant@contoso.example").await;
    let partner_id = consultant.session.user.organization.id;
    let body = json!({ "target": { "partner": partner_id }, "allowed_origins": [INTRANET], "expires_in_days": 30 });
    let created: CreatedEmbedToken = json(create(&app, &consultant, body).await).await;
    let path = embed_partner_path(partner_id);
    assert_eq!(read(&app, &path, &created.secret, Some(INTRANET)).await.status(), 200);
    let disable = planning_domain::api::user_disable_path(consultant.session.user.id);
    assert_eq!(admin.request(&app, Method::POST, &disable).send().await.unwrap().status(), 204);
    refusal(read(&app, &path, &created.secret, Some(INTRANET)).await, 401, EmbedError::TokenRevoked).await;
}

#[tokio::test]
async fn the_widget_reads_take_no_cookies() {
    let app = spawn_app().await;
    let customer = app.sign_in("benefits@northwind.example").await;
    voucher_token(&app, &customer, RESERVED).await;
    // A signed-in visitor's session cookie (and anti-forgery token) gives the widget nothing.
    let response = customer
        .request(&app, Method::GET, &embed_voucher_path(RESERVED))
        .header("origin", INTRANET)
        .send()
        .await
        .unwrap();
    refusal(response, 401, EmbedError::TokenMissing).await;
}

#[tokio::test]
async fn the_widget_files_are_served_to_any_origin_without_the_app_fallback() {
    let app = spawn_app().await;
    let response = app.client.get(app.url(WIDGET_SCRIPT)).header("origin", ELSEWHERE).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&response, "cross-origin-resource-policy"), Some("cross-origin"));
    assert_eq!(header(&response, "cache-control"), Some("no-cache"));
    assert!(header(&response, "content-type").unwrap().contains("javascript"));
    assert_eq!(response.text().await.unwrap(), WIDGET_LOADER);
    let missing = app.get("/widget/missing.js").await;
    assert_eq!(missing.status(), 404);
}
