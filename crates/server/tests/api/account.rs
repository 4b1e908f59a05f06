//! The user's own account over HTTP: password change, reset by emailed link, two-step sign-in
//! (TOTP, RFC 6238) with its code windows, recovery codes and the policy switch. The TOTP and
//! reset clock is fixed (`WallClock::fixed`), so the boundaries are exact.

use std::time::Duration;

use chrono::{DateTime, Utc};
use planning_domain::account::{AccountError, RECOVERY_CODES};
use planning_domain::api::account::{
    RecoveryCodes, TotpEnrolment, TotpStatus, ACCOUNT_PASSWORD, ACCOUNT_RECOVERY_CODES, ACCOUNT_TOTP,
    ACCOUNT_TOTP_ENROLMENT, ACCOUNT_TOTP_REMOVAL, PASSWORD_RESETS, PASSWORD_RESET_COMPLETION, SESSION_SECOND_FACTOR,
};
use planning_domain::api::{Session, SESSION};
use planning_domain::{DomainError, ErrorBody, ErrorCode};
use planning_server::clock::WallClock;
use planning_server::seed::DEMO_PASSWORD;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, SignedIn, TestApp};
use crate::mail::SmtpServer;

const NEW_PASSWORD: &str = "a long new sentence to remember";
/// A time at the start of a 30-second step (1_800_000_000 is a multiple of 30).
const STEP_START: i64 = 1_800_000_000;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

async fn error_of(response: reqwest::Response) -> ErrorBody {
    response.json().await.unwrap()
}

fn field_rule<'a>(body: &'a ErrorBody, field: &str) -> Option<&'a DomainError> {
    body.fields.iter().find(|error| error.field == field).map(|error| &error.error)
}

async fn status_of(app: &TestApp, who: &SignedIn) -> u16 {
    who.request(app, Method::GET, SESSION).send().await.unwrap().status().as_u16()
}

async fn change_password(app: &TestApp, who: &SignedIn, current: &str, new: &str) -> reqwest::Response {
    who.request(app, Method::PUT, ACCOUNT_PASSWORD)
        .json(&json!({ "current_password": current, "new_password": new }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions_but_this_one() {
    let app = spawn_app().await;
    let email = "consultant@contoso.example";
    let here = app.sign_in(email).await;
    let elsewhere = app.sign_in(email).await;

    let wrong = change_password(&app, &here, "not my password at all", NEW_PASSWORD).await;
    assert_eq!(wrong.status(), 422);
    let body = error_of(wrong).await;
    assert_eq!(
        field_rule(&body, "current_password"),
        Some(&DomainError::Account(AccountError::CurrentPasswordIncorrect))
    );
    let short = change_password(&app, &here, DEMO_PASSWORD, "short").await;
    assert_eq!(short.status(), 422);
    let body = error_of(short).await;
    assert_eq!(
        field_rule(&body, "new_password"),
        Some(&DomainError::Account(AccountError::PasswordTooShort { min: 12 }))
    );
    assert_eq!(status_of(&app, &elsewhere).await, 200, "a refused change ends nothing");

    assert_eq!(change_password(&app, &here, DEMO_PASSWORD, NEW_PASSWORD).await.status(), 204);
    assert_eq!(status_of(&app, &here).await, 200, "this session stays");
    assert_eq!(status_of(&app, &elsewhere).await, 401, "the other session ended");
    assert_eq!(app.try_sign_in(email, DEMO_PASSWORD).await.err().map(|r| r.status().as_u16()), Some(401));
    let signed_in = app.try_sign_in(email, NEW_PASSWORD).await.expect("the new password signs in");
    let inbox: serde_json::Value =
        signed_in.request(&app, Method::GET, "/api/v1/inbox").send().await.unwrap().json().await.unwrap();
    assert!(inbox.to_string().contains("Your password was changed"), "{inbox}");
}

/// The reset link of the newest reset email to `email`.
async fn reset_link(smtp: &SmtpServer, email: &str, seen: usize) -> String {
    let email = email.to_owned();
    for _ in 0..200 {
        let links: Vec<String> = smtp
            .messages()
            .iter()
            .filter(|message| message.recipients == [email.clone()])
            .filter_map(|message| {
                message.body.split_whitespace().find(|word| word.contains("#reset=")).map(str::to_owned)
            })
            .collect();
        if links.len() > seen {
            return links[links.len() - 1].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no reset email to {email}");
}

async fn spawn_mailing_app(clock: Option<WallClock>) -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = spawn_app_with("2021-07-15", |settings| {
        settings.smtp_url = Some(url.parse().unwrap());
        settings.smtp_poll_interval = Duration::from_millis(100);
        settings.public_url = Some("https://portal.example/".parse().unwrap());
        if let Some(clock) = clock {
            settings.wall_clock = clock;
        }
    })
    .await;
    (app, smtp)
}

async fn request_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.client.post(app.url(PASSWORD_RESETS)).json(&json!({ "email": email })).send().await.unwrap()
}

async fn complete_reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url(PASSWORD_RESET_COMPLETION))
        .json(&json!({ "token": token, "new_password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reset_link_is_emailed_works_once_ends_every_session_and_the_answer_never_tells_who_exists() {
    let (app, smtp) = spawn_mailing_app(None).await;
    let email = "pm@northwind.example";
    let session = app.sign_in(email).await;

    let known = request_reset(&app, email).await;
    let unknown = request_reset(&app, "nobody@northwind.example").await;
    assert_eq!((known.status(), unknown.status()), (reqwest::StatusCode::ACCEPTED, reqwest::StatusCode::ACCEPTED));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let invalid = request_reset(&app, "not an address").await;
    assert_eq!(invalid.status(), 422);

    let link = reset_link(&smtp, email, 0).await;
    let token = link.strip_prefix("https://portal.example/sign-in#reset=").expect(&link).to_owned();
    assert!(smtp.messages().iter().all(|message| message.recipients != ["nobody@northwind.example"]));
    // Only the token's hash is stored; neither the outbox (the inbox) nor any table holds it.
    let hashes: Vec<(Option<String>,)> = app.fetch_rows("SELECT token_hash FROM password_resets").await;
    assert_eq!(hashes, [(Some(planning_server::auth::token_hash(&token)),)]);
    let events: Vec<(String,)> = app.fetch_rows("SELECT event FROM outbox").await;
    assert!(events.iter().all(|(event,)| !event.contains(&token)));
    let inbox = session.request(&app, Method::GET, "/api/v1/inbox").send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains("A password reset was requested") && !inbox.contains(&token), "{inbox}");

    let weak = complete_reset(&app, &token, "password1234").await;
    assert_eq!(weak.status(), 422, "the policy applies; the link is not used up");
    assert_eq!(complete_reset(&app, &token, NEW_PASSWORD).await.status(), 204);
    assert_eq!(status_of(&app, &session).await, 401, "every session ended");
    assert!(app.try_sign_in(email, DEMO_PASSWORD).await.is_err());
    assert!(app.try_sign_in(email, NEW_PASSWORD).await.is_ok());

    let again = complete_reset(&app, &token, "yet another long sentence").await;
    assert_eq!(again.status(), 422);
    assert_eq!(error_of(again).await.rule, Some(DomainError::Account(AccountError::ResetLinkInvalid { minutes: 30 })));
    let made_up = complete_reset(&app, "made-up-token", "yet another long sentence").await;
    assert_eq!(made_up.status(), 422);
}

#[tokio::test]
async fn a_reset_link_works_for_30_minutes_and_not_a_second_more() {
    let clock = WallClock::fixed(at(STEP_START));
    let (app, smtp) = spawn_mailing_app(Some(clock.clone())).await;
    let email = "benefits@woodgrove.example";

    assert_eq!(request_reset(&app, email).await.status(), 202);
    let late = reset_link(&smtp, email, 0).await;
    clock.set(at(STEP_START + 30 * 60));
    let token = late.split("#reset=").nth(1).unwrap();
    assert_eq!(complete_reset(&app, token, NEW_PASSWORD).await.status(), 422, "at 30 minutes it has expired");

    assert_eq!(request_reset(&app, email).await.status(), 202);
    let in_time = reset_link(&smtp, email, 1).await;
    clock.set(at(STEP_START + 30 * 60 + 30 * 60 - 1));
    let token = in_time.split("#reset=").nth(1).unwrap();
    assert_eq!(complete_reset(&app, token, NEW_PASSWORD).await.status(), 204, "one second before, it works");
    assert!(app.try_sign_in(email, NEW_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_account_whether_or_not_it_exists() {
    let app = spawn_app().await;
    for email in ["ga@fabrikam.example", "nobody@fabrikam.example"] {
        for _ in 0..3 {
            assert_eq!(request_reset(&app, email).await.status(), 202, "{email}");
        }
        let limited = request_reset(&app, email).await;
        assert_eq!(limited.status(), 429, "{email}");
        assert!(limited.headers().contains_key("retry-after"));
    }
}

// --- Two-step sign-in ------------------------------------------------------------------------

fn code(secret: &str, step: i64) -> String {
    planning_server::totp::code_at_step(secret, step).unwrap()
}

/// Enrols `who` at the clock's current step; the secret and the recovery codes.
async fn enrol(app: &TestApp, who: &SignedIn, clock: &WallClock) -> (String, Vec<String>) {
    let response = who.request(app, Method::POST, ACCOUNT_TOTP_ENROLMENT).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let enrolment: TotpEnrolment = response.json().await.unwrap();
    assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/") && enrolment.otpauth_uri.contains(&enrolment.secret));
    assert!(enrolment.qr_code.starts_with("data:image/svg+xml;base64,"));
    let step = planning_server::totp::step_of(clock.now());
    let response = who
        .request(app, Method::POST, ACCOUNT_TOTP)
        .json(&json!({ "code": code(&enrolment.secret, step) }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let codes: RecoveryCodes = response.json().await.unwrap();
    (enrolment.secret, codes.codes)
}

/// Signs in with the password; the second-step cookie from the 401 `second_factor_required`.
async fn password_step(app: &TestApp, email: &str, password: &str) -> String {
    let response = app.try_sign_in(email, password).await.err().expect("a second step is asked for");
    assert_eq!(response.status(), 401);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("portal_sign_in="), "{cookie}");
    let body = error_of(response).await;
    assert_eq!(body.code, ErrorCode::SecondFactorRequired);
    cookie
}

async fn second_step(app: &TestApp, cookie: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url(SESSION_SECOND_FACTOR))
        .header("cookie", cookie)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}

async fn spawn_clocked_app(clock: &WallClock, require: bool) -> TestApp {
    let clock = clock.clone();
    spawn_app_with("2021-07-15", move |settings| {
        settings.wall_clock = clock;
        settings.require_second_factor = require;
    })
    .await
}

#[tokio::test]
async fn enrolment_needs_a_current_code_and_then_sign_in_asks_for_one_after_the_password() {
    let clock = WallClock::fixed(at(STEP_START + 7));
    let app = spawn_clocked_app(&clock, false).await;
    let email = "admin@contoso.example";
    let who = app.sign_in(email).await;
    let status: TotpStatus = who.request(&app, Method::GET, ACCOUNT_TOTP).send().await.unwrap().json().await.unwrap();
    assert_eq!(status, TotpStatus { enabled: false, required: false, recovery_codes_left: 0 });
    let early = who.request(&app, Method::POST, ACCOUNT_TOTP).json(&json!({ "code": "123456" })).send().await.unwrap();
    assert_eq!(early.status(), 409, "nothing to confirm before an enrolment starts");

    let response = who.request(&app, Method::POST, ACCOUNT_TOTP_ENROLMENT).send().await.unwrap();
    let enrolment: TotpEnrolment = response.json().await.unwrap();
    let step = planning_server::totp::step_of(clock.now());
    let wrong = who
        .request(&app, Method::POST, ACCOUNT_TOTP)
        .json(&json!({ "code": code(&enrolment.secret, step + 2) }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let unreadable =
        who.request(&app, Method::POST, ACCOUNT_TOTP).json(&json!({ "code": "12 34" })).send().await.unwrap();
    assert_eq!(unreadable.status(), 422);
    let confirmed = who
        .request(&app, Method::POST, ACCOUNT_TOTP)
        .json(&json!({ "code": code(&enrolment.secret, step) }))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let codes: RecoveryCodes = confirmed.json().await.unwrap();
    assert_eq!(codes.codes.len(), RECOVERY_CODES);
    let status: TotpStatus = who.request(&app, Method::GET, ACCOUNT_TOTP).send().await.unwrap().json().await.unwrap();
    assert_eq!(status, TotpStatus { enabled: true, required: false, recovery_codes_left: 10 });
    let again = who.request(&app, Method::POST, ACCOUNT_TOTP_ENROLMENT).send().await.unwrap();
    assert_eq!(again.status(), 409, "a confirmed authenticator is not replaced");

    // The password alone no longer signs in; the confirming code is not accepted a second time.
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &code(&enrolment.secret, step)).await.status(), 422);
    clock.set(at(STEP_START + 30 + 7));
    let response = second_step(&app, &cookie, &code(&enrolment.secret, step + 1)).await;
    assert_eq!(response.status(), 200);
    let cookies: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|value| value.to_str().unwrap().to_owned()).collect();
    assert!(cookies.iter().any(|cookie| cookie.starts_with("portal_session=")), "{cookies:?}");
    assert!(cookies.iter().any(|cookie| cookie.starts_with("portal_sign_in=;")), "{cookies:?}");
    let session: Session = response.json().await.unwrap();
    assert_eq!(session.user.email, email);
    assert!(session.totp_enabled);
    assert_eq!(second_step(&app, &cookie, &code(&enrolment.secret, step + 1)).await.status(), 401, "used up");
    assert_eq!(second_step(&app, "portal_sign_in=made-up", "123456").await.status(), 401);
}

#[tokio::test]
async fn codes_one_step_either_side_are_accepted_two_steps_away_refused_and_none_twice() {
    let clock = WallClock::fixed(at(STEP_START));
    let app = spawn_clocked_app(&clock, false).await;
    let email = "consultant@contoso.example";
    let who = app.sign_in(email).await;
    // Enrolled in an early step, so later steps are all still unused.
    clock.set(at(STEP_START - 300));
    let (secret, _) = enrol(&app, &who, &clock).await;
    let step = STEP_START / 30;

    // The last second of step - 1: step + 1 is two steps ahead, step - 3 two behind.
    clock.set(at(STEP_START - 1));
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    for refused in [step + 1, step - 3] {
        let response = second_step(&app, &cookie, &code(&secret, refused)).await;
        assert_eq!(response.status(), 422, "step {refused}");
        let body = error_of(response).await;
        assert_eq!(field_rule(&body, "code"), Some(&DomainError::Account(AccountError::SecondFactorCodeIncorrect)));
    }
    assert_eq!(second_step(&app, &cookie, &code(&secret, step - 2)).await.status(), 200, "one step behind");
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &code(&secret, step - 2)).await.status(), 422, "not twice");

    // The first second of `step`: step - 1 is one behind, step + 1 one ahead.
    clock.set(at(STEP_START));
    assert_eq!(second_step(&app, &cookie, &code(&secret, step - 1)).await.status(), 200, "one step behind");
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &code(&secret, step + 1)).await.status(), 200, "one step ahead");
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &code(&secret, step + 1)).await.status(), 422, "not twice");
    assert_eq!(second_step(&app, &cookie, &code(&secret, step)).await.status(), 422, "nor an earlier step's");
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let clock = WallClock::fixed(at(STEP_START));
    let app = spawn_clocked_app(&clock, false).await;
    let email = "ga@fabrikam.example";
    let who = app.sign_in(email).await;
    let (_, codes) = enrol(&app, &who, &clock).await;

    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &codes[3].to_lowercase()).await.status(), 200);
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &codes[3]).await.status(), 422, "used once");
    let response = second_step(&app, &cookie, &codes[4]).await;
    assert_eq!(response.status(), 200);
    let session_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|cookie| cookie.starts_with("portal_session="))
        .unwrap();
    let signed_in = SignedIn { cookie: session_cookie, session: response.json().await.unwrap() };
    let status: TotpStatus =
        signed_in.request(&app, Method::GET, ACCOUNT_TOTP).send().await.unwrap().json().await.unwrap();
    assert_eq!(status.recovery_codes_left, 8);
}

#[tokio::test]
async fn five_wrong_codes_end_the_pending_sign_in_and_count_as_failed_sign_ins() {
    let clock = WallClock::fixed(at(STEP_START));
    let app = spawn_clocked_app(&clock, false).await;
    let email = "admin@fabrikam.example";
    let who = app.sign_in(email).await;
    let (secret, _) = enrol(&app, &who, &clock).await;
    clock.set(at(STEP_START + 60));

    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(second_step(&app, &cookie, "000000").await.status(), 422);
    }
    let response = second_step(&app, &cookie, &code(&secret, STEP_START / 30 + 2)).await;
    assert_eq!(response.status(), 401);
    assert_eq!(error_of(response).await.rule, Some(DomainError::Account(AccountError::SignInExpired)));
    // Five failures on the account from this address: the password step is refused for a while.
    let limited = app.try_sign_in(email, DEMO_PASSWORD).await.err().unwrap();
    assert_eq!(limited.status(), 429);
}

#[tokio::test]
async fn with_the_policy_on_a_global_admin_must_enrol_before_anything_else() {
    let clock = WallClock::fixed(at(STEP_START));
    let app = spawn_clocked_app(&clock, true).await;
    let admin = app.sign_in("ga@contoso.example").await;
    assert!(admin.session.must_enrol_totp);
    let refused = admin.request(&app, Method::GET, "/api/v1/vouchers").send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(error_of(refused).await.code, ErrorCode::SecondFactorEnrolmentRequired);
    let session: Session = admin.request(&app, Method::GET, SESSION).send().await.unwrap().json().await.unwrap();
    assert!(session.must_enrol_totp);
    let status: TotpStatus = admin.request(&app, Method::GET, ACCOUNT_TOTP).send().await.unwrap().json().await.unwrap();
    assert!(status.required && !status.enabled);

    enrol(&app, &admin, &clock).await;
    assert_eq!(admin.request(&app, Method::GET, "/api/v1/vouchers").send().await.unwrap().status(), 200);
    let session: Session = admin.request(&app, Method::GET, SESSION).send().await.unwrap().json().await.unwrap();
    assert!(!session.must_enrol_totp && session.totp_enabled);

    // Roles the policy does not name sign in as before; so does the operator, who must enrol.
    let consultant = app.sign_in("consultant@contoso.example").await;
    assert!(!consultant.session.must_enrol_totp);
    assert_eq!(consultant.request(&app, Method::GET, "/api/v1/vouchers").send().await.unwrap().status(), 200);
    assert!(app.sign_in("operator@microsoft.example").await.session.must_enrol_totp);
}

#[tokio::test]
async fn new_recovery_codes_replace_the_old_and_a_current_code_turns_two_step_sign_in_off() {
    let clock = WallClock::fixed(at(STEP_START - 300));
    let app = spawn_clocked_app(&clock, false).await;
    let email = "consultant@contoso.example";
    let who = app.sign_in(email).await;
    let (secret, old_codes) = enrol(&app, &who, &clock).await;
    let step = STEP_START / 30;
    clock.set(at(STEP_START + 7));
    let post = |path: &'static str, code: String| who.request(&app, Method::POST, path).json(&json!({ "code": code }));

    // A code that is not the current one changes nothing, told at the field.
    let wrong = post(ACCOUNT_RECOVERY_CODES, code(&secret, step + 3)).send().await.unwrap();
    assert_eq!(wrong.status(), 422);
    let body = error_of(wrong).await;
    assert_eq!(body.fields[0].field, "code");
    // The current code makes new recovery codes; the old ones stop working.
    let renewed = post(ACCOUNT_RECOVERY_CODES, code(&secret, step)).send().await.unwrap();
    assert_eq!(renewed.status(), 200);
    let new_codes: RecoveryCodes = renewed.json().await.unwrap();
    assert_eq!(new_codes.codes.len(), RECOVERY_CODES);
    assert!(new_codes.codes.iter().all(|code| !old_codes.contains(code)));
    let cookie = password_step(&app, email, DEMO_PASSWORD).await;
    assert_eq!(second_step(&app, &cookie, &old_codes[0]).await.status(), 422, "an old recovery code");
    assert_eq!(second_step(&app, &cookie, &new_codes.codes[0]).await.status(), 200, "a new one");

    // Turning it off with a recovery code (the phone is lost): signing in asks only for the password.
    let off = post(ACCOUNT_TOTP_REMOVAL, new_codes.codes[1].clone()).send().await.unwrap();
    assert_eq!(off.status(), 204);
    let status: TotpStatus = who.request(&app, Method::GET, ACCOUNT_TOTP).send().await.unwrap().json().await.unwrap();
    assert_eq!(status, TotpStatus { enabled: false, required: false, recovery_codes_left: 0 });
    let again = app.sign_in(email).await;
    assert!(!again.session.totp_enabled);
    let twice = post(ACCOUNT_TOTP_REMOVAL, "123456".to_owned()).send().await.unwrap();
    assert_eq!(twice.status(), 409);
    assert_eq!(error_of(twice).await.rule, Some(DomainError::Account(AccountError::TwoFactorOff)));
    // The user was told of each change, in the inbox and by email.
    let events: Vec<(String,)> = app
        .fetch_rows(&format!("SELECT event FROM outbox WHERE recipient_user_id = {} ORDER BY id", who.session.user.id))
        .await;
    let events: Vec<&str> = events.iter().map(|(event,)| event.as_str()).collect();
    assert!(events.iter().any(|event| event.contains("recovery_codes_renewed")), "{events:?}");
    assert!(events.last().is_some_and(|event| event.contains("two_factor_disabled")), "{events:?}");
}

#[tokio::test]
async fn a_role_the_deployment_requires_it_of_cannot_turn_two_step_sign_in_off() {
    let clock = WallClock::fixed(at(STEP_START));
    let app = spawn_clocked_app(&clock, true).await;
    let admin = app.sign_in("ga@contoso.example").await;
    let (secret, _) = enrol(&app, &admin, &clock).await;
    clock.set(at(STEP_START + 30 + 7));
    let refused = admin
        .request(&app, Method::POST, ACCOUNT_TOTP_REMOVAL)
        .json(&json!({ "code": code(&secret, STEP_START / 30 + 1) }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(error_of(refused).await.rule, Some(DomainError::Account(AccountError::TwoFactorRequired)));
    let status: TotpStatus = admin.request(&app, Method::GET, ACCOUNT_TOTP).send().await.unwrap().json().await.unwrap();
    assert!(status.enabled && status.required);
}
