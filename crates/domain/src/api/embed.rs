//! Embed tokens and the embeddable widget's reads: paths and wire types.
//!
//! A signed-in user creates a token for one voucher they may see, or for their own partner
//! organization's eligibility, with the web origins that may show it and a life in days; the
//! secret is shown once, with the ready snippet. The widget reads with `Authorization: Bearer`
//! and never with cookies; the server answers cross-origin only to the token's origins.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{EngagementId, OfferingCode};
use crate::embed::{BadgeOffering, Countdown, StepProgress};
use crate::voucher::VoucherStatus;

/// `GET` lists the caller's embed tokens, `POST` creates one.
pub const EMBED_TOKENS: &str = "/api/v1/embed-tokens";
/// `DELETE`: revokes one of the caller's embed tokens.
pub const EMBED_TOKEN_ROUTE: &str = "/api/v1/embed-tokens/{token_id}";
/// `GET` with a voucher token: the voucher card ([`EmbedVoucherCard`]).
pub const EMBED_VOUCHER_ROUTE: &str = "/api/v1/embed/vouchers/{voucher_id}";
/// `GET` with a partner token: the eligibility badge ([`EmbedEligibilityBadge`]).
pub const EMBED_PARTNER_ROUTE: &str = "/api/v1/embed/partners/{partner_id}";
/// The widget's loader script, the one file an embedding page names (served with CORS `*`).
pub const WIDGET_SCRIPT: &str = "/widget/planning-widget.js";
/// The folder of the widget's files.
pub const WIDGET_DIR: &str = "/widget";
/// The prefix of every embed token's secret.
pub const TOKEN_PREFIX: &str = "pwt_";

pub fn embed_token_path(token_id: i64) -> String {
    format!("/api/v1/embed-tokens/{token_id}")
}
pub fn embed_voucher_path(voucher_id: &str) -> String {
    format!("/api/v1/embed/vouchers/{voucher_id}")
}
pub fn embed_partner_path(partner_id: i64) -> String {
    format!("/api/v1/embed/partners/{partner_id}")
}

/// What a token lets the widget read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmbedTarget {
    /// One voucher's status card.
    Voucher(String),
    /// A partner organization's eligibility badge (by organization id).
    Partner(i64),
}

/// The body of `POST` [`EMBED_TOKENS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateEmbedToken {
    pub target: EmbedTarget,
    /// Origins of the pages that may show the widget, such as `https://intranet.example`.
    pub allowed_origins: Vec<String>,
    /// 1 to 365 days from now.
    pub expires_in_days: u32,
}

/// Whether a token still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmbedTokenState {
    Active,
    Expired,
    Revoked,
}

/// An embed token as its owner sees it (never its secret, which only its hash is kept of).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedToken {
    pub id: i64,
    pub target: EmbedTarget,
    pub allowed_origins: Vec<String>,
    /// Wall-clock times, RFC 3339.
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub state: EmbedTokenState,
}

/// The answer to creating a token: the secret, shown this once, and the snippet to paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedEmbedToken {
    pub token: EmbedToken,
    pub secret: String,
    /// [`embed_snippet`] for the server's own origin.
    pub snippet: String,
}

/// The two lines an embedding page needs: the loader script and the element, in English
/// (`lang="ko"` switches the widget to Korean).
pub fn embed_snippet(api_origin: &str, target: &EmbedTarget, secret: &str) -> String {
    let api_origin = api_origin.trim_end_matches('/');
    let subject = match target {
        EmbedTarget::Voucher(voucher_id) => format!("kind=\"voucher\" voucher=\"{voucher_id}\""),
        EmbedTarget::Partner(partner_id) => format!("kind=\"eligibility\" partner=\"{partner_id}\""),
    };
    format!(
        "<script type=\"module\" src=\"{api_origin}{WIDGET_SCRIPT}\"></script>\n\
         <planning-widget {subject} api=\"{api_origin}\" token=\"{secret}\" lang=\"en\"></planning-widget>"
    )
}

/// A voucher's status card: what the voucher card of the widget shows, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedVoucherCard {
    pub voucher_id: String,
    pub offering: OfferingCode,
    pub service_level_days: u8,
    pub status: VoucherStatus,
    pub customer_name: String,
    pub partner_name: Option<String>,
    pub engagement: Option<EngagementId>,
    /// The program date the card was computed on.
    pub today: NaiveDate,
    pub steps: Vec<StepProgress>,
    pub deadlines: Vec<Countdown>,
}

/// A partner's eligibility badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedEligibilityBadge {
    pub partner_name: String,
    pub evaluated_on: NaiveDate,
    pub offerings: Vec<BadgeOffering>,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_snippet_is_one_script_and_one_element() {
        let snippet = embed_snippet("https://portal.example/", &EmbedTarget::Voucher("2106280001".into()), "pwt_x");
        assert_eq!(
            snippet,
            "<script type=\"module\" src=\"https://portal.example/widget/planning-widget.js\"></script>\n\
             <planning-widget kind=\"voucher\" voucher=\"2106280001\" api=\"https://portal.example\" \
             token=\"pwt_x\" lang=\"en\"></planning-widget>"
        );
        let badge = embed_snippet("http://127.0.0.1:8080", &EmbedTarget::Partner(3), "pwt_y");
        assert!(badge.contains("kind=\"eligibility\" partner=\"3\""));
    }

    #[test]
    fn targets_use_external_tagging() {
        let json = serde_json::to_string(&EmbedTarget::Voucher("2106280001".into())).unwrap();
        assert_eq!(json, r#"{"voucher":"2106280001"}"#);
        assert_eq!(serde_json::to_string(&EmbedTarget::Partner(7)).unwrap(), r#"{"partner":7}"#);
    }
}
