//! Serving the built app: hashed assets cached for a year, everything else revalidated, and
//! for any path that is not a file the app's one page (`index.html`), so the app's router
//! handles it. Assets that `scripts/build-app` compressed ahead (`name.br`, `name.gz`, at the
//! best levels) are sent compressed when the browser accepts it, with no compression work per
//! request.
//!
//! Layout of `dist/`: `index.html` and the app's hashed assets (from Trunk). The widget's files (`dist/widget/`, from
//! `scripts/build-widget`) are served apart: no fallback (a missing file is a 404, not the app)
//! and readable from any origin, since other sites load them as module scripts and fetch the
//! wasm, both CORS requests. They are public and carry no secret.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{service_fn, ServiceExt};
use tower_http::services::{ServeDir, ServeFile};

/// The app's page (the security headers hash its inline scripts); `None` when the app is not
/// built.
pub fn app_page(dist_dir: &Path) -> Option<String> {
    std::fs::read_to_string(dist_dir.join("index.html")).ok()
}

/// The service for everything outside `/api`.
pub fn service(
    dist_dir: &Path,
) -> ServeDir<impl tower::Service<Request, Response = Response, Error = Infallible, Future: Send> + Clone> {
    let page: PathBuf = dist_dir.join("index.html");
    let fallback = service_fn(move |request: Request| {
        let page = page.clone();
        async move {
            let response = match ServeFile::new(page).oneshot(request).await {
                Ok(response) => response.map(Body::new),
                Err(error) => match error {},
            };
            Ok::<_, Infallible>(response.into_response())
        }
    });
    ServeDir::new(dist_dir).precompressed_br().precompressed_gzip().fallback(fallback)
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
