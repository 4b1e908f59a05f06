//! Endpoint paths of the REST API, defined once for the app and the server, and the wire types
//! of each resource (requests take the verb, responses the noun).

pub mod account;
pub mod embed;
pub mod operations;
pub mod partners;
pub mod payments;
pub mod qualifications;
pub mod vouchers;

/// `GET`: liveness plus a database round trip.
pub const HEALTH: &str = "/api/v1/health";

/// `GET`: the program timeline as seen on the server's program date ([`crate::ProgramStatus`]).
pub const PROGRAM: &str = "/api/v1/program";

/// The body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub database: String,
}

/// The body of `GET /api/v1/program`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Program {
    /// Whether the server's program date is pinned (demo) rather than today's date.
    pub date_pinned: bool,
    #[serde(flatten)]
    pub status: crate::ProgramStatus,
    /// Which requirements of the older documents apply (the checklist in the browser uses it).
    pub eligibility: crate::EligibilityPolicy,
    /// The countries the program pays for, and the rates.
    pub daily_rates: crate::catalog::DailyRates,
}

/// `POST` signs in, `GET` returns the current session, `DELETE` signs out.
pub const SESSION: &str = "/api/v1/session";

/// `GET` lists the users of the caller's organization, `POST` adds one (administrators).
pub const USERS: &str = "/api/v1/users";

/// `POST`: disables a user of the caller's organization and ends their sessions.
pub const USER_DISABLE_ROUTE: &str = "/api/v1/users/{user_id}/disable";

/// The address of [`USER_DISABLE_ROUTE`] for one user.
pub fn user_disable_path(user_id: i64) -> String {
    format!("/api/v1/users/{user_id}/disable")
}

/// The header carrying the session's anti-forgery token on every state-changing request.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The body of `POST /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// A signed-in session: who, and the token to send in [`CSRF_HEADER`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub user: CurrentUser,
    pub csrf_token: String,
    /// The deployment requires a second factor of this user, who has none yet: until they
    /// enrol, the session may only enrol (every other endpoint answers 403
    /// `second_factor_enrolment_required`).
    #[serde(default)]
    pub must_enrol_totp: bool,
    /// Whether the user signs in in two steps (an authenticator app is set up).
    #[serde(default)]
    pub totp_enabled: bool,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: crate::Role,
    pub organization: Organization,
}

/// An organization using the portal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub kind: crate::account::OrganizationKind,
}

/// The body of `POST /api/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: crate::Role,
    /// The first password, which the administrator passes on to the person.
    pub password: String,
}

/// A user as an administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: crate::Role,
    pub disabled: bool,
}
