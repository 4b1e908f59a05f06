//! Serving the built app: hashed assets cached for a year, everything else revalidated, and
//! `index.html` for any path that is not a file, so the app's router handles it. The widget's
//! files (`dist/widget/`, from `scripts/build-widget`) are served apart: no fallback (a missing
//! file is a 404, not the app) and readable from any origin, since other sites load them as
//! module scripts and fetch the wasm, both CORS requests. They are public and carry no secret.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// The service for everything outside `/api`.
pub fn service(dist_dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist_dir).fallback(ServeFile::new(dist_dir.join("index.html")))
}

/// The service for `/widget/…`.
pub fn widget_service(dist_dir: &Path) -> ServeDir {
    ServeDir::new(dist_dir.join("widget"))
}

/// Middleware: the widget's files may be read by any origin (no credentials) and embedded by
/// pages that require cross-origin resource policies.
pub async fn allow_any_origin(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("cross-origin"));
    response
}

/// Middleware: long cache for content-hashed files, revalidation for the rest.
pub async fn set_cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() && !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Trunk names hashed files `name-<16 hex digits>[_bg].ext`.
fn is_hashed_asset(path: &str) -> bool {
    let file_name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = file_name.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/planning-portal-0123456789abcdef.js"));
        assert!(is_hashed_asset("/planning-portal-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/vouchers/123"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
