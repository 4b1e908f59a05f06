//! Security headers on every response, with a Content-Security-Policy that allows no inline
//! script except the exact ones in the built `index.html`, by hash.
//!
//! Trunk injects one inline module script that loads the wasm bundle. Rather than allowing
//! `'unsafe-inline'`, the server hashes every inline `<script>` of `dist/index.html` at start
//! and lists those hashes; `'wasm-unsafe-eval'` lets the page compile the wasm module.
//!
//! Behind TLS (`--secure-cookies`) every response also carries HSTS for a year, subdomains
//! included. API answers are never stored by a browser or a shared cache (`no-store` unless the
//! route chose otherwise): they hold personal and business data.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The header values computed once at start.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    content_security_policy: HeaderValue,
    /// `Strict-Transport-Security`, only when the deployment is served over TLS.
    strict_transport_security: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// Builds the policy for the app whose `index.html` is given (or none, when no app is built);
    /// `behind_tls` adds HSTS.
    pub fn for_index(index_html: Option<&str>, behind_tls: bool) -> Self {
        let script_hashes: String = index_html
            .map(inline_scripts)
            .unwrap_or_default()
            .iter()
            .map(|script| {
                let digest = Sha256::digest(script.as_bytes());
                format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
            })
            .collect();
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; style-src 'self'; \
             img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        SecurityHeaders {
            content_security_policy: HeaderValue::from_str(&policy).expect("policy is ASCII"),
            strict_transport_security: behind_tls
                .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }

    pub fn content_security_policy(&self) -> &HeaderValue {
        &self.content_security_policy
    }
}

/// The contents of every `<script>` element without a `src` attribute.
fn inline_scripts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag_name = &rest[start + "<script".len()..];
        let Some(tag_end) = after_tag_name.find('>') else { break };
        let attributes = &after_tag_name[..tag_end];
        let body_and_rest = &after_tag_name[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else { break };
        if !attributes.contains("src=") {
            scripts.push(body_and_rest[..close].to_owned());
        }
        rest = &body_and_rest[close + "</script>".len()..];
    }
    scripts
}

/// Middleware: sets the security headers on every response.
pub async fn set_security_headers(
    State(security): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Some(value) = &security.strict_transport_security {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, value.clone());
    }
    if is_api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, security.content_security_policy.clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<head><script src="/a.js"></script><script type="module">init()</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["init()".to_owned()]);
        let policy = SecurityHeaders::for_index(Some(html), false);
        let text = policy.content_security_policy().to_str().unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(text.contains(&format!("'sha256-{expected}'")));
        assert!(!text.contains("unsafe-inline"));
    }

    #[test]
    fn without_an_app_no_script_hash_is_allowed() {
        let policy = SecurityHeaders::for_index(None, false);
        assert!(policy.content_security_policy().to_str().unwrap().contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
