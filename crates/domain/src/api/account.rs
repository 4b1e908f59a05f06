//! The signed-in user's own account: password change and reset, the second sign-in step and
//! two-step sign-in (TOTP) enrolment.

use serde::{Deserialize, Serialize};

/// `PUT`: changes the caller's password (the current one required); ends their other sessions.
pub const ACCOUNT_PASSWORD: &str = "/api/v1/account/password";

/// `POST`: emails a reset link to the address if it is an account's; the same answer either way.
pub const PASSWORD_RESETS: &str = "/api/v1/password-resets";

/// `POST`: sets a new password with the emailed link's token; ends every session of the account.
pub const PASSWORD_RESET_COMPLETION: &str = "/api/v1/password-resets/completion";

/// `POST`: the second step of signing in (the code), after `POST /api/v1/session` answered
/// `second_factor_required`.
pub const SESSION_SECOND_FACTOR: &str = "/api/v1/session/second-factor";

/// `GET`: whether the caller's two-step sign-in is on; `POST` confirms an enrolment with a code.
pub const ACCOUNT_TOTP: &str = "/api/v1/account/totp";

/// `POST`: starts (or starts again) an enrolment: a new secret and its QR code.
pub const ACCOUNT_TOTP_ENROLMENT: &str = "/api/v1/account/totp/enrolment";

/// `POST` with a current code from the app or an unused recovery code ([`SecondFactor`]): turns
/// two-step sign-in off (refused for a role the deployment requires it of).
pub const ACCOUNT_TOTP_REMOVAL: &str = "/api/v1/account/totp/removal";

/// `POST` with a current code from the app or an unused recovery code ([`SecondFactor`]): new
/// recovery codes ([`RecoveryCodes`]) replace the unused ones.
pub const ACCOUNT_RECOVERY_CODES: &str = "/api/v1/account/totp/recovery-codes";

/// The app's page that completes a reset (the sign-in page): the emailed link is this page with
/// the token in the fragment ([`RESET_FRAGMENT`] then the token), which browsers never send to a
/// server or in a Referer.
pub const RESET_PAGE: &str = "/sign-in";

/// The app's sign-in page, where a single sign-on that failed comes back to
/// (`?sso_error=…`, see [`crate::account::SSO_ERROR_PARAMETER`]) and one that needs the second
/// step continues (`?step=code`).
pub const SIGN_IN_PAGE: &str = "/sign-in";

/// The sign-in page's query parameter naming where a single sign-on came back to
/// (`/sign-in?step=code`): [`SIGN_IN_STEP_CODE`] or [`SIGN_IN_STEP_SIGNED_IN`].
pub const SIGN_IN_STEP_PARAMETER: &str = "step";

/// The single sign-on named a user with an authenticator: the page asks for the code.
pub const SIGN_IN_STEP_CODE: &str = "code";

/// The single sign-on signed the user in (the session cookie is set): the page reads the
/// session and goes on as after a password sign-in.
pub const SIGN_IN_STEP_SIGNED_IN: &str = "signed-in";

/// What precedes the token in the reset link's fragment.
pub const RESET_FRAGMENT: &str = "reset=";

/// The body of `PUT /api/v1/account/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// The body of `POST /api/v1/password-resets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestPasswordReset {
    pub email: String,
}

/// The body of `POST /api/v1/password-resets/completion`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompletePasswordReset {
    /// The token from the emailed link.
    pub token: String,
    pub new_password: String,
}

/// The body of `POST /api/v1/session/second-factor` and `POST /api/v1/account/totp`: a code
/// from the authenticator app (or, signing in, a recovery code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecondFactor {
    pub code: String,
}

/// The body of `GET /api/v1/account/totp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpStatus {
    /// Whether sign-in asks for a code.
    pub enabled: bool,
    /// Whether this deployment requires it of the caller's role.
    pub required: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: u32,
}

/// The body of `POST /api/v1/account/totp/enrolment`: what the authenticator app needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG `data:` URL, for an `<img>`.
    pub qr_code: String,
}

/// The body of `POST /api/v1/account/totp`: the recovery codes, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `GET`: which ways of signing in this server offers besides the password ([`SignInProviders`]).
pub const SESSION_PROVIDERS: &str = "/api/v1/session/providers";

/// `GET`: starts a single sign-on with the organization's OpenID provider (a 303 to it).
/// A plain link: the browser goes there, never a script.
pub const SESSION_OIDC_START: &str = "/api/v1/session/oidc/start";

/// `GET`: where the OpenID provider sends the browser back (the redirect URI to register).
pub const SESSION_OIDC_CALLBACK: &str = "/api/v1/session/oidc/callback";

/// `GET`: how the users of the caller's organization sign in; `PUT` changes it (the
/// organization's Global Admin only).
pub const ORGANIZATION_SIGN_IN: &str = "/api/v1/organization/sign-in";

/// The body of `GET /api/v1/session/providers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInProviders {
    /// Whether "Sign in with your organization" (OpenID Connect) is set up.
    pub single_sign_on: bool,
}

/// The body of `GET` and `PUT /api/v1/organization/sign-in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganizationSignIn {
    /// `false`: the organization's users sign in only through single sign-on; the password
    /// sign-in refuses them.
    pub local_passwords_allowed: bool,
}
