//! Every failure under /api leaves in the shared error shape, with the request id.

use planning_domain::{ErrorBody, ErrorCode};

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_with_the_request_id() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/no-such-thing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::NotFound);
    assert_eq!(body.message, "Nothing was found at this address.");
    assert_eq!(body.request_id.as_deref(), Some(request_id.as_str()));
}

#[tokio::test]
async fn the_bare_api_prefix_is_a_json_404_not_the_app() {
    let app = spawn_app().await;
    let response = app.get("/api").await;
    assert_eq!(response.status(), 404);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/api/v1/program")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::MethodNotAllowed);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_json_413() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/api/v1/health", "/api/v1/missing", "/", "/vouchers/123"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{path}: {policy}");
        assert!(policy.contains("object-src 'none'"), "{path}");
        assert!(!policy.contains("unsafe-inline"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
}
