//! The server binary: parse settings, start logging, run until SIGTERM or Ctrl-C.

use clap::Parser;
use planning_server::{config::Settings, startup::Application, telemetry};

#[tokio::main]
async fn main() {
    let settings = Settings::parse();
    telemetry::init(settings.log_format);
    let application = match Application::build(settings).await {
        Ok(application) => application,
        Err(error) => {
            // One line a person can act on, then a non-zero exit.
            eprintln!("error: {error:#}");
            std::process::exit(1);
        }
    };
    application.print_banner();
    if let Err(error) = application.run_until_stopped().await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
