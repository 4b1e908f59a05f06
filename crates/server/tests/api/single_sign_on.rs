//! Single sign-on's server side without a provider: what the sign-in page is told, the start
//! and the callback when the provider is off or unreachable, and the organization's switch that
//! turns local passwords off (only its Global Admin; the password sign-in then refuses its
//! users with the domain's message; a server without single sign-on refuses the switch, since
//! nobody could sign in afterwards). The whole flow against a real OpenID provider is
//! `tests/e2e/specs/sso.spec.ts`.

use planning_domain::account::AccountError;
use planning_domain::api::account::{
    OrganizationSignIn, SignInProviders, ORGANIZATION_SIGN_IN, SESSION_OIDC_CALLBACK, SESSION_OIDC_START,
    SESSION_PROVIDERS,
};
use planning_domain::{DomainError, ErrorBody, ErrorCode, Locale, Localize};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

/// An application whose provider is an address nothing listens on.
async fn spawn_app_with_unreachable_provider() -> TestApp {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    spawn_app_with("2021-07-15", |settings| {
        settings.oidc_issuer = Some(issuer);
        settings.oidc_client_id = Some("portal".to_owned());
    })
    .await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn without_the_flags_single_sign_on_is_off_and_its_start_returns_to_the_sign_in_page() {
    let app = spawn_app().await;
    let providers: SignInProviders = app.get(SESSION_PROVIDERS).await.json().await.unwrap();
    assert_eq!(providers, SignInProviders { single_sign_on: false });
    let start = app.get(SESSION_OIDC_START).await;
    assert_eq!(start.status(), 303);
    assert_eq!(location(&start), "/sign-in?sso_error=sso_unavailable");
    assert!(start
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|cookie| !cookie.to_str().unwrap().contains("portal_session=")));
}

#[tokio::test]
async fn an_unreachable_provider_is_reported_as_unavailable_and_a_callback_without_its_start_signs_in_nobody() {
    let app = spawn_app_with_unreachable_provider().await;
    let providers: SignInProviders = app.get(SESSION_PROVIDERS).await.json().await.unwrap();
    assert!(providers.single_sign_on);
    let start = app.get(SESSION_OIDC_START).await;
    assert_eq!(start.status(), 303);
    assert_eq!(location(&start), "/sign-in?sso_error=sso_unavailable");
    // A made-up code and state, from a browser that started nothing: refused before the
    // provider is asked anything, and no session cookie.
    let callback = app.get(&format!("{SESSION_OIDC_CALLBACK}?code=made-up&state=made-up")).await;
    assert_eq!(callback.status(), 303);
    assert_eq!(location(&callback), "/sign-in?sso_error=sso_failed");
    let cookies: Vec<String> =
        callback.headers().get_all("set-cookie").iter().map(|cookie| cookie.to_str().unwrap().to_owned()).collect();
    assert!(cookies.iter().all(|cookie| !cookie.starts_with("portal_session=")), "{cookies:?}");
    assert!(
        cookies.iter().any(|cookie| cookie.starts_with("portal_sso=;") && cookie.contains("Max-Age=0")),
        "{cookies:?}"
    );
    // A cookie that names no stored start is refused the same way.
    let forged = app
        .client
        .get(app.url(&format!("{SESSION_OIDC_CALLBACK}?code=made-up&state=made-up")))
        .header("cookie", "portal_sso=not-a-start")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forged), "/sign-in?sso_error=sso_failed");
}

#[tokio::test]
async fn the_global_admin_turns_local_passwords_off_and_the_password_sign_in_refuses_the_organizations_users() {
    let app = spawn_app_with_unreachable_provider().await;
    let ga = app.sign_in("ga@contoso.example").await;
    let policy: OrganizationSignIn =
        ga.request(&app, Method::GET, ORGANIZATION_SIGN_IN).send().await.unwrap().json().await.unwrap();
    assert!(policy.local_passwords_allowed, "on by default");
    let turned_off = ga
        .request(&app, Method::PUT, ORGANIZATION_SIGN_IN)
        .json(&json!({ "local_passwords_allowed": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(turned_off.status(), 200);
    let policy: OrganizationSignIn =
        ga.request(&app, Method::GET, ORGANIZATION_SIGN_IN).send().await.unwrap().json().await.unwrap();
    assert!(!policy.local_passwords_allowed);

    // The right password of a Contoso user is refused with the domain's words, in both languages.
    let refused = app
        .try_sign_in("consultant@contoso.example", planning_server::seed::DEMO_PASSWORD)
        .await
        .err()
        .expect("refused");
    assert_eq!(refused.status(), 403);
    let body: ErrorBody = refused.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::Forbidden);
    assert_eq!(body.rule, Some(DomainError::Account(AccountError::LocalPasswordsTurnedOff)));
    assert_eq!(body.message, AccountError::LocalPasswordsTurnedOff.message(Locale::En));
    // A wrong password is still just wrong: the policy is told only to whoever knows the password.
    let wrong = app.try_sign_in("consultant@contoso.example", "not the password").await.err().expect("refused");
    assert_eq!(wrong.status(), 401);
    // Another organization is not affected.
    app.sign_in("admin@fabrikam.example").await;

    // The switch is in the audit log, with who turned it, and turning it back on lets them in.
    let rows: Vec<(String, String, String)> = app
        .fetch_rows(
            "SELECT subject_id, actor_name, to_status FROM audit_log WHERE subject_kind = 'organization_sign_in'",
        )
        .await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, ga.session.user.organization.id.to_string());
    assert_eq!(rows[0].1, ga.session.user.display_name);
    assert_eq!(rows[0].2, "local_passwords_turned_off");
    let turned_on = ga
        .request(&app, Method::PUT, ORGANIZATION_SIGN_IN)
        .json(&json!({ "local_passwords_allowed": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(turned_on.status(), 200);
    app.sign_in("consultant@contoso.example").await;
}

#[tokio::test]
async fn only_the_organizations_global_admin_reads_or_changes_how_it_signs_in() {
    let app = spawn_app_with_unreachable_provider().await;
    for email in [
        "admin@contoso.example",
        "consultant@contoso.example",
        "benefits@northwind.example",
        "operator@microsoft.example",
    ] {
        let caller = app.sign_in(email).await;
        let change = caller
            .request(&app, Method::PUT, ORGANIZATION_SIGN_IN)
            .json(&json!({ "local_passwords_allowed": false }))
            .send()
            .await
            .unwrap();
        assert_eq!(change.status(), 403, "{email}");
        let body: ErrorBody = change.json().await.unwrap();
        assert_eq!(body.rule, Some(DomainError::Account(AccountError::NotTheGlobalAdmin)), "{email}");
        assert_eq!(caller.request(&app, Method::GET, ORGANIZATION_SIGN_IN).send().await.unwrap().status(), 403);
    }
    // Fabrikam's Global Admin changes Fabrikam only: Contoso still signs in with passwords.
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let change = fabrikam
        .request(&app, Method::PUT, ORGANIZATION_SIGN_IN)
        .json(&json!({ "local_passwords_allowed": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(change.status(), 200);
    app.sign_in("consultant@contoso.example").await;
    assert!(app.try_sign_in("admin@fabrikam.example", planning_server::seed::DEMO_PASSWORD).await.is_err());
    // Without a session: 401.
    assert_eq!(app.get(ORGANIZATION_SIGN_IN).await.status(), 401);
}

#[tokio::test]
async fn without_single_sign_on_local_passwords_cannot_be_turned_off() {
    let app = spawn_app().await;
    let ga = app.sign_in("ga@contoso.example").await;
    let refused = ga
        .request(&app, Method::PUT, ORGANIZATION_SIGN_IN)
        .json(&json!({ "local_passwords_allowed": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: ErrorBody = refused.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    assert_eq!(body.rule, Some(DomainError::Account(AccountError::NoSingleSignOnToRelyOn)));
    assert_eq!(body.message, AccountError::NoSingleSignOnToRelyOn.message(Locale::En));
    // Nothing changed and nothing was written to the audit log; everyone still signs in.
    let policy: OrganizationSignIn =
        ga.request(&app, Method::GET, ORGANIZATION_SIGN_IN).send().await.unwrap().json().await.unwrap();
    assert!(policy.local_passwords_allowed);
    let rows: Vec<(String,)> =
        app.fetch_rows("SELECT to_status FROM audit_log WHERE subject_kind = 'organization_sign_in'").await;
    assert!(rows.is_empty(), "{rows:?}");
    app.sign_in("consultant@contoso.example").await;
}
