//! Administrators manage the users of their own organization, and only those.

use planning_domain::account::AccountError;
use planning_domain::api::{user_disable_path, User, SESSION, USERS};
use planning_domain::{DomainError, ErrorBody, ErrorCode, Role};
use reqwest::Method;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_global_admin_lists_only_the_users_of_their_organization() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let users: Vec<User> = admin.request(&app, Method::GET, USERS).send().await.unwrap().json().await.unwrap();
    let mut emails: Vec<_> = users.iter().map(|user| user.email.as_str()).collect();
    emails.sort();
    assert_eq!(emails, ["admin@contoso.example", "consultant@contoso.example", "ga@contoso.example"]);
}

#[tokio::test]
async fn a_non_administrator_may_not_manage_users() {
    let app = spawn_app().await;
    let mpn_admin = app.sign_in("admin@contoso.example").await;
    let response = mpn_admin.request(&app, Method::GET, USERS).send().await.unwrap();
    assert_eq!(response.status(), 403);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.rule, Some(DomainError::Account(AccountError::NotAnAdministrator)));
}

#[tokio::test]
async fn an_added_user_can_sign_in_with_the_first_password() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let body = serde_json::json!({
        "email": "New.Consultant@Contoso.example",
        "display_name": "Ha-eun Yoon",
        "role": "consultant",
        "password": "a long first password"
    });
    let response = admin.request(&app, Method::POST, USERS).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let user: User = response.json().await.unwrap();
    assert_eq!((user.email.as_str(), user.role), ("new.consultant@contoso.example", Role::Consultant));
    let signed_in = app.try_sign_in("new.consultant@contoso.example", "a long first password").await.ok().unwrap();
    assert_eq!(signed_in.session.user.organization.name, "Contoso Consulting");
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once_in_the_rule_words() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let body = serde_json::json!({
        "email": "not-an-email",
        "display_name": "",
        "role": "program_operator",
        "password": "short"
    });
    let response = admin.request(&app, Method::POST, USERS).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let error: ErrorBody = response.json().await.unwrap();
    let fields: Vec<_> = error.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["email", "display_name", "role", "password"]);
    let password = &error.fields[3].error;
    assert_eq!(password.to_string(), "Use at least 12 characters. A short sentence is easy to remember.");
}

#[tokio::test]
async fn an_email_already_in_use_is_a_conflict() {
    let app = spawn_app().await;
    let admin = app.sign_in("benefits@northwind.example").await;
    let body = serde_json::json!({
        "email": "pm@woodgrove.example",
        "display_name": "Someone",
        "role": "customer_project_manager",
        "password": "a long first password"
    });
    let response = admin.request(&app, Method::POST, USERS).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 409);
    let error: ErrorBody = response.json().await.unwrap();
    assert_eq!(error.rule, Some(DomainError::Account(AccountError::EmailTaken)));
}

async fn user_id(app: &crate::helpers::TestApp, admin: &crate::helpers::SignedIn, email: &str) -> i64 {
    let users: Vec<User> = admin.request(app, Method::GET, USERS).send().await.unwrap().json().await.unwrap();
    users.into_iter().find(|user| user.email == email).unwrap().id
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_blocks_sign_in() {
    let app = spawn_app().await;
    let admin = app.sign_in("ga@contoso.example").await;
    let consultant = app.sign_in("consultant@contoso.example").await;
    let id = user_id(&app, &admin, "consultant@contoso.example").await;
    let response = admin.request(&app, Method::POST, &user_disable_path(id)).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(consultant.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 401);
    let refused = app.try_sign_in("consultant@contoso.example", "planning-demo-2021").await.err().unwrap();
    assert_eq!(refused.status(), 401);
    let users: Vec<User> = admin.request(&app, Method::GET, USERS).send().await.unwrap().json().await.unwrap();
    assert!(users.iter().find(|user| user.id == id).unwrap().disabled);
}

#[tokio::test]
async fn users_of_another_organization_cannot_be_disabled_or_seen() {
    let app = spawn_app().await;
    let contoso = app.sign_in("ga@contoso.example").await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let fabrikam_admin = user_id(&app, &fabrikam, "admin@fabrikam.example").await;
    let response = contoso.request(&app, Method::POST, &user_disable_path(fabrikam_admin)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    app.sign_in("admin@fabrikam.example").await;
}

#[tokio::test]
async fn an_administrator_cannot_disable_themselves() {
    let app = spawn_app().await;
    let admin = app.sign_in("operator@microsoft.example").await;
    let id = admin.session.user.id;
    let response = admin.request(&app, Method::POST, &user_disable_path(id)).send().await.unwrap();
    assert_eq!(response.status(), 409);
    let error: ErrorBody = response.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::Conflict);
}
