//! Sign-in, sessions, sign-out and the anti-forgery checks.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use planning_domain::api::{Session, SESSION};
use planning_domain::{ErrorBody, ErrorCode, LocalizedText, Role};
use planning_server::seed::DEMO_PASSWORD;
use reqwest::Method;

use crate::helpers::{client_from, spawn_app};

#[tokio::test]
async fn a_demo_user_signs_in_and_gets_an_httponly_strict_cookie() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url(SESSION))
        .json(&serde_json::json!({ "email": "Admin@Contoso.example ", "password": "planning-demo-2021" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    assert!(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"));
    let session: Session = response.json().await.unwrap();
    assert_eq!(session.user.role, Role::MpnPartnerAdmin);
    assert_eq!(session.user.organization.name, "Contoso Consulting");
    assert_eq!(session.csrf_token.len(), 43);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong_password = app.try_sign_in("admin@contoso.example", "not the password").await.err().unwrap();
    let unknown_account = app.try_sign_in("nobody@contoso.example", "not the password").await.err().unwrap();
    assert_eq!((wrong_password.status().as_u16(), unknown_account.status().as_u16()), (401, 401));
    let mut first: ErrorBody = wrong_password.json().await.unwrap();
    let mut second: ErrorBody = unknown_account.json().await.unwrap();
    assert_eq!(first.message, "The email address or password is incorrect.");
    first.request_id = None;
    second.request_id = None;
    assert_eq!(first, second);
}

#[tokio::test]
async fn the_sixth_failed_attempt_on_an_account_from_one_address_is_rate_limited() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let response = app.try_sign_in("ga@contoso.example", "guessing wrong").await.err().unwrap();
        assert_eq!(response.status(), 401);
    }
    let limited = app.try_sign_in("ga@contoso.example", "planning-demo-2021").await.err().unwrap();
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after));
    let body: ErrorBody = limited.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
    // Other accounts are not locked by it.
    app.sign_in("admin@contoso.example").await;
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another() {
    let app = spawn_app().await;
    let attacker = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let owner = client_from(Ipv4Addr::new(127, 0, 0, 3));
    for _ in 0..5 {
        let response = app.try_sign_in_with(&attacker, "ga@contoso.example", "guessing wrong").await.err().unwrap();
        assert_eq!(response.status(), 401);
    }
    // The attacker's address is limited for the account, even with the right password…
    let limited = app.try_sign_in_with(&attacker, "ga@contoso.example", DEMO_PASSWORD).await.err().unwrap();
    assert_eq!(limited.status(), 429);
    let body: ErrorBody = limited.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
    // …and the owner, from their own address, signs in: slowed down (the account's first
    // delay, 0.25 s), not refused.
    let started = Instant::now();
    let signed_in = app.try_sign_in_with(&owner, "ga@contoso.example", DEMO_PASSWORD).await;
    assert!(signed_in.is_ok(), "the owner is refused: {:?}", signed_in.err().map(|response| response.status()));
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_account_guessed_from_many_addresses_is_slowed_more_for_each_failure_but_never_refused() {
    let app = spawn_app().await;
    let first = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let second = client_from(Ipv4Addr::new(127, 0, 0, 3));
    let owner = client_from(Ipv4Addr::new(127, 0, 0, 4));
    for _ in 0..5 {
        let response = app.try_sign_in_with(&first, "ga@contoso.example", "guessing wrong").await.err().unwrap();
        assert_eq!(response.status(), 401);
    }
    // Failures 6 and 7 come from a second address: answered (401, not 429) after 0.25 s and 0.5 s.
    for expected in [250, 500] {
        let started = Instant::now();
        let response = app.try_sign_in_with(&second, "ga@contoso.example", "guessing wrong").await.err().unwrap();
        assert_eq!(response.status(), 401);
        assert!(started.elapsed() >= Duration::from_millis(expected), "{:?}", started.elapsed());
    }
    // After seven failures the owner waits 1 s, and is signed in.
    let started = Instant::now();
    assert!(app.try_sign_in_with(&owner, "ga@contoso.example", DEMO_PASSWORD).await.is_ok());
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_session_endpoint_needs_a_session() {
    let app = spawn_app().await;
    let response = app.get(SESSION).await;
    assert_eq!(response.status(), 401);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn the_session_endpoint_returns_the_signed_in_user() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("operator@microsoft.example").await;
    let response = signed_in.request(&app, Method::GET, SESSION).send().await.unwrap();
    let session: Session = response.json().await.unwrap();
    assert_eq!(session, signed_in.session);
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("pm@northwind.example").await;
    let response = signed_in.request(&app, Method::DELETE, SESSION).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let after = signed_in.request(&app, Method::GET, SESSION).send().await.unwrap();
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn signing_in_again_replaces_the_session_the_browser_had() {
    let app = spawn_app().await;
    let first = app.sign_in("ga@fabrikam.example").await;
    let response = app
        .client
        .post(app.url(SESSION))
        .header("cookie", &first.cookie)
        .json(&serde_json::json!({ "email": "ga@fabrikam.example", "password": "planning-demo-2021" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let second_cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_ne!(second_cookie, first.cookie);
    assert_eq!(first.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn a_state_change_without_the_anti_forgery_token_is_refused() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("ga@contoso.example").await;
    for token in [None, Some("forged")] {
        let mut request = app.client.delete(app.url(SESSION)).header("cookie", &signed_in.cookie);
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{token:?}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::CrossSiteRequest);
    }
    // The session survived both attempts.
    assert_eq!(signed_in.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_cross_site_request_is_refused_before_it_reaches_a_handler() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("ga@contoso.example").await;
    // A valid session and anti-forgery token, from another site: told by `Sec-Fetch-Site`, or
    // (older browsers) only by an `Origin` that is not this server's.
    let from_another_site: [&[(&str, &str)]; 2] = [
        &[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")],
        &[("origin", "https://evil.example")],
    ];
    for headers in from_another_site {
        let mut request = signed_in.request(&app, Method::DELETE, SESSION);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{headers:?}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::CrossSiteRequest, "{headers:?}");
        assert_eq!(body.message, "The request was refused because it came from another site.");
        assert_eq!(body.messages, LocalizedText::of(&ErrorCode::CrossSiteRequest));
        assert!(body.request_id.is_some());
    }
    assert_eq!(signed_in.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 200);
    // This server's own origin passes the check and reaches the handler.
    let own_origin = app.address.clone();
    let response = signed_in.request(&app, Method::DELETE, SESSION).header("origin", own_origin).send().await.unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn malformed_and_unexpected_bodies_are_400_or_415_never_500() {
    let app = spawn_app().await;
    let cases: [(&str, Option<&str>, u16, ErrorCode); 4] = [
        ("{not json", Some("application/json"), 400, ErrorCode::MalformedBody),
        (r#"{"email": "a@b.example"}"#, Some("application/json"), 400, ErrorCode::MalformedBody),
        (
            r#"{"email": "a@b.example", "password": "x", "admin": true}"#,
            Some("application/json"),
            400,
            ErrorCode::MalformedBody,
        ),
        (r#"{"email": "a@b.example", "password": "x"}"#, None, 415, ErrorCode::UnsupportedMediaType),
    ];
    for (body, content_type, status, code) in cases {
        let mut request = app.client.post(app.url(SESSION)).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{body}");
        let error: ErrorBody = response.json().await.unwrap();
        assert_eq!(error.code, code, "{body}");
    }
}

#[tokio::test]
async fn the_cleanup_job_deletes_abandoned_sessions_and_expired_sign_in_rows_and_keeps_live_ones() {
    let app = crate::helpers::spawn_app_with("2021-07-15", |settings| {
        settings.cleanup_interval = Duration::from_millis(100);
    })
    .await;
    let abandoned = app.sign_in("admin@contoso.example").await;
    let old = app.sign_in("consultant@contoso.example").await;
    let live = app.sign_in("benefits@northwind.example").await;
    // Behind the server's back: one session idle since 2021, one created 13 hours ago (past
    // the absolute timeout, though seen a moment ago), and rows of the other tables long expired
    // beside ones still alive.
    let thirteen_hours_ago = (chrono::Utc::now() - chrono::Duration::hours(13)).to_rfc3339();
    app.execute_sql(&format!(
        "UPDATE sessions SET last_seen_at = '2021-07-15T09:00:00+00:00' WHERE user_id = {};
         UPDATE sessions SET created_at = '{thirteen_hours_ago}' WHERE user_id = {};
         INSERT INTO oidc_sign_ins (browser_hash, state, nonce, pkce_verifier, expires_at)
             VALUES ('gone', 's', 'n', 'v', '2021-07-15T09:10:00.000Z'),
                    ('alive', 's', 'n', 'v', '2999-01-01T00:00:00.000Z');
         INSERT INTO sign_in_challenges (token_hash, user_id, expires_at)
             VALUES ('gone', {}, '2021-07-15T09:05:00.000Z'), ('alive', {}, '2999-01-01T00:00:00.000Z');
         INSERT INTO password_resets (user_id, token_hash, created_at, expires_at)
             VALUES ({}, 'gone', '2021-07-15T09:00:00.000Z', '2021-07-15T09:30:00.000Z'),
                    ({}, 'alive', '2999-01-01T00:00:00.000Z', '2999-01-01T00:30:00.000Z');",
        abandoned.session.user.id,
        old.session.user.id,
        live.session.user.id,
        live.session.user.id,
        live.session.user.id,
        live.session.user.id,
    ))
    .await;
    let left = || async {
        let mut names: Vec<String> = Vec::new();
        for (table, key) in
            [("oidc_sign_ins", "browser_hash"), ("sign_in_challenges", "token_hash"), ("password_resets", "token_hash")]
        {
            let rows: Vec<(String,)> = app.fetch_rows(&format!("SELECT {key} FROM {table}")).await;
            names.extend(rows.into_iter().map(|(name,)| format!("{table}:{name}")));
        }
        let sessions: Vec<(i64,)> = app.fetch_rows("SELECT user_id FROM sessions ORDER BY user_id").await;
        (sessions.into_iter().map(|(id,)| id).collect::<Vec<_>>(), names)
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let (sessions, names) = loop {
        let (sessions, names) = left().await;
        // One pass deletes table after table: wait for the whole pass, not its first statement.
        if (sessions.len() == 1 && names.len() == 3) || Instant::now() > deadline {
            break (sessions, names);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(sessions, vec![live.session.user.id]);
    let mut names = names;
    names.sort();
    assert_eq!(names, ["oidc_sign_ins:alive", "password_resets:alive", "sign_in_challenges:alive"]);
    // The live session still works.
    let response = live.request(&app, Method::GET, SESSION).send().await.unwrap();
    assert_eq!(response.status(), 200);
}
