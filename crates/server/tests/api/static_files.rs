//! The built app: SPA fallback, cache headers, and a CSP that hashes its inline loader.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app, INLINE_SCRIPT, VOUCHERS_INLINE_SCRIPT, VOUCHER_INLINE_SCRIPT};

#[tokio::test]
async fn any_app_route_gets_index_html_revalidated_on_every_visit() {
    let app = spawn_app().await;
    for path in ["/", "/sign-in", "/deeply/nested/route"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(response.text().await.unwrap().contains(INLINE_SCRIPT), "{path}");
    }
}

#[tokio::test]
async fn each_app_path_gets_the_page_of_the_bundle_that_owns_it() {
    let app = spawn_app().await;
    for (path, script) in [("/vouchers", VOUCHERS_INLINE_SCRIPT), ("/vouchers/12345", VOUCHER_INLINE_SCRIPT)] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains(script) && !page.contains(INLINE_SCRIPT), "{path}");
    }
    // The policy allows every bundle's inline loader, and only those.
    let policy = app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_owned();
    for script in [INLINE_SCRIPT, VOUCHERS_INLINE_SCRIPT, VOUCHER_INLINE_SCRIPT] {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
        assert!(policy.contains(&format!("'sha256-{hash}'")), "{policy}");
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
