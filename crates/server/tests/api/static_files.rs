//! The built app: one page for every app path, cache headers, precompressed assets, and a CSP
//! that hashes its inline loader.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app, INLINE_SCRIPT};

#[tokio::test]
async fn any_app_route_gets_index_html_revalidated_on_every_visit() {
    let app = spawn_app().await;
    for path in ["/", "/sign-in", "/vouchers", "/vouchers/12345", "/partner/profile", "/deeply/nested/route"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(response.text().await.unwrap().contains(INLINE_SCRIPT), "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year() {
    let app = spawn_app().await;
    let response = app.get("/planning-portal-0123456789abcdef.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn the_csp_allows_exactly_the_inline_loader_by_hash() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let policy = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE_SCRIPT.as_bytes()));
    assert!(policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'")), "{policy}");
}

#[tokio::test]
async fn precompressed_assets_are_sent_in_the_best_encoding_the_browser_accepts() {
    let app = spawn_app().await;
    let asset = "/planning-portal-0123456789abcdef_bg.wasm";
    for (accepted, encoding, body) in [
        ("br, gzip", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "wasm bytes"),
    ] {
        let response = app.client.get(app.url(asset)).header("accept-encoding", accepted).send().await.unwrap();
        assert_eq!(response.status(), 200, "{accepted}");
        let sent = response.headers().get("content-encoding").and_then(|value| value.to_str().ok());
        assert_eq!(sent, encoding, "{accepted}");
        assert_eq!(response.headers()["content-type"], "application/wasm", "{accepted}");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable", "{accepted}");
        assert_eq!(response.bytes().await.unwrap(), body.as_bytes(), "{accepted}");
    }
}
