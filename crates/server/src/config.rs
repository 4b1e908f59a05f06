//! Server settings from command-line flags, each also settable by an environment variable.

use std::net::IpAddr;
use std::path::PathBuf;

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
    /// Serve behind TLS: session cookies get the `__Host-` prefix and `Secure`.
    #[arg(long, env = "PORTAL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Do not create the demo organizations and users in an empty database.
    #[arg(long, env = "PORTAL_NO_DEMO_DATA")]
    pub no_demo_data: bool,
    /// Log line format.
    #[arg(long, env = "PORTAL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
}

impl Settings {
    /// Settings for tests: port 0, the given directories, the date pinned.
    pub fn for_test(data_dir: PathBuf, dist_dir: PathBuf, program_date: NaiveDate) -> Self {
        Settings {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            data_dir,
            dist_dir,
            program_config: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/program.toml"),
            program_date: Some(program_date),
            secure_cookies: false,
            no_demo_data: false,
            log_format: LogFormat::Pretty,
        }
    }
}
