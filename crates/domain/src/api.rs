//! Endpoint paths of the REST API, defined once for the app and the server.

/// The prefix of every API route.
pub const PREFIX: &str = "/api/v1";

/// `GET`: liveness plus a database round trip.
pub const HEALTH: &str = "/api/v1/health";

/// `GET`: the program timeline as seen on the server's program date ([`crate::ProgramStatus`]).
pub const PROGRAM: &str = "/api/v1/program";

/// The body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Health {
    pub status: String,
    pub database: String,
}

/// The body of `GET /api/v1/program`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Program {
    /// Whether the server's program date is pinned (demo) rather than today's date.
    pub date_pinned: bool,
    #[serde(flatten)]
    pub status: crate::ProgramStatus,
}
