//! Server settings from command-line flags, each also settable by an environment variable.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Parser, ValueEnum};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line, for log collectors.
    Json,
    /// Human-readable lines, for a terminal.
    Pretty,
}

#[derive(Debug, Clone, Parser)]
#[command(name = "planning-server", about = "Planning Services voucher portal server")]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "PORTAL_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, env = "PORTAL_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Directory for the SQLite database and uploaded deliverables.
    #[arg(long, env = "PORTAL_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// A PostgreSQL database (`postgres://user:password@host:5432/portal`) instead of SQLite in
    /// the data directory, so that several server instances can share it. Uploaded deliverables
    /// stay in `--data-dir`, which the instances must then share.
    #[arg(long, env = "PORTAL_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,
    /// Directory holding the built app (`trunk build --release` output).
    #[arg(long, env = "PORTAL_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,
    /// The program timeline file.
    #[arg(long, env = "PORTAL_PROGRAM_CONFIG", default_value = "crates/server/config/program.toml")]
    pub program_config: PathBuf,
    /// Pin the program date (YYYY-MM-DD) instead of reading the system clock. The demo pins a date
    /// inside the program window, since the program itself ended in 2022.
    #[arg(long, env = "PORTAL_PROGRAM_DATE")]
    pub program_date: Option<NaiveDate>,
    /// Serve behind TLS: session cookies get the `__Host-` prefix and `Secure`, and every
    /// response HSTS (`Strict-Transport-Security`, a year, subdomains included).
    #[arg(long, env = "PORTAL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Do not create the demo organizations and users in an empty database.
    #[arg(long, env = "PORTAL_NO_DEMO_DATA")]
    pub no_demo_data: bool,
    /// Log line format.
    #[arg(long, env = "PORTAL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
    /// SMTP server for notification emails, in lettre's URL form: `smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://user:pass@host:465`.
    /// Unset: no email, notifications stay in each user's in-app inbox.
    #[arg(long, env = "PORTAL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<SmtpUrl>,
    /// The sender of notification emails.
    #[arg(long, env = "PORTAL_SMTP_FROM", default_value = DEFAULT_SMTP_FROM)]
    pub smtp_from: String,
    /// The address people reach the portal at (`https://portal.example.com`), for the links in
    /// emails (password reset). Unset: `http://` and the address the server listens on.
    #[arg(long, env = "PORTAL_PUBLIC_URL")]
    pub public_url: Option<url::Url>,
    /// Require two-step sign-in (an authenticator app's code after the password) of partner
    /// Global Admins and program operators; one who has not set it up is sent to do so right
    /// after signing in, and can do nothing else until then. Off by default (the demo signs in
    /// with the password alone).
    #[arg(long, env = "PORTAL_REQUIRE_SECOND_FACTOR")]
    pub require_second_factor: bool,
    /// Single sign-on: the OpenID Connect issuer of the organizations' identity provider
    /// (`https://login.example.com/tenant/v2.0`), exactly as its discovery document names it.
    /// With `--oidc-client-id`, the sign-in page offers "Sign in with your organization"; the
    /// provider must send the browser back to `<public URL>/api/v1/session/oidc/callback`.
    #[arg(long, env = "PORTAL_OIDC_ISSUER", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,
    /// Single sign-on: the portal's client id at the provider.
    #[arg(long, env = "PORTAL_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// Single sign-on: the portal's client secret at the provider (unset: a public client,
    /// PKCE alone).
    #[arg(long, env = "PORTAL_OIDC_CLIENT_SECRET", hide_env_values = true, requires = "oidc_issuer")]
    pub oidc_client_secret: Option<ClientSecretText>,
    /// The clock of TOTP codes and reset links (tests fix it).
    #[arg(skip)]
    pub wall_clock: crate::clock::WallClock,
    /// How often the mail job looks for unsent notifications (tests shorten it).
    #[arg(skip = crate::mailer::DEFAULT_INTERVAL)]
    pub smtp_poll_interval: Duration,
    /// How often expired sessions, challenges, reset links and single sign-ons are deleted
    /// (tests shorten it).
    #[arg(skip = crate::cleanup::DEFAULT_INTERVAL)]
    pub cleanup_interval: Duration,
}

/// The sender of notification emails unless `--smtp-from` says otherwise.
pub const DEFAULT_SMTP_FROM: &str = "Planning Services portal <no-reply@planning-services.example>";

/// An SMTP connection URL. It may carry a password, so `Debug` shows only the host and port;
/// read the whole text with [`SmtpUrl::expose`] where the transport is built, nowhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `host:port` (or just the host), for logs and the banner: never the user or password.
    pub fn server(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(url) => match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => "(no host)".to_owned(),
            },
            Err(_) => "(unreadable URL)".to_owned(),
        }
    }
}

impl FromStr for SmtpUrl {
    type Err = std::convert::Infallible;

    /// Accepts any text: a parse error here would echo the URL, password included, so the
    /// transport checks it at start-up instead and names only what is wrong.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(SmtpUrl(text.to_owned()))
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({})", self.server())
    }
}

/// The OpenID client secret. `Debug` never shows it; read it with [`ClientSecretText::expose`]
/// where the OpenID client is built, nowhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecretText(String);

impl ClientSecretText {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for ClientSecretText {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(ClientSecretText(text.to_owned()))
    }
}

impl fmt::Debug for ClientSecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecretText(**redacted**)")
    }
}

/// A PostgreSQL connection URL. It may carry a password, so `Debug` and [`DatabaseUrl::redacted`]
/// show it without; read the whole text with [`DatabaseUrl::expose`] where the pool is built.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password replaced by `***`, for logs, errors and the banner.
    pub fn redacted(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(mut url) => {
                if url.password().is_some() {
                    let _ = url.set_password(Some("***"));
                }
                url.to_string()
            }
            Err(_) => "(unreadable URL)".to_owned(),
        }
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    /// Only PostgreSQL URLs: SQLite is chosen by leaving the URL unset. The error never echoes
    /// the text, which may hold a password.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(DatabaseUrl(text.to_owned()))
        } else {
            Err("expected a postgres:// URL (leave it unset for SQLite in --data-dir)".to_owned())
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl Settings {
    /// Settings for tests: port 0, the given directories, the date pinned, no email.
    pub fn for_test(data_dir: PathBuf, dist_dir: PathBuf, program_date: NaiveDate) -> Self {
        Settings {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            data_dir,
            database_url: None,
            dist_dir,
            program_config: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/program.toml"),
            program_date: Some(program_date),
            secure_cookies: false,
            no_demo_data: false,
            log_format: LogFormat::Pretty,
            smtp_url: None,
            smtp_from: DEFAULT_SMTP_FROM.to_owned(),
            smtp_poll_interval: crate::mailer::DEFAULT_INTERVAL,
            cleanup_interval: crate::cleanup::DEFAULT_INTERVAL,
            public_url: None,
            require_second_factor: false,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            wall_clock: crate::clock::WallClock::system(),
        }
    }
}
