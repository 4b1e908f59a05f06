//! Start-up: bad configuration and bad files give one clear error; restarts keep the data;
//! SIGTERM stops the process cleanly.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use planning_server::startup::Application;
use tempfile::TempDir;

use crate::helpers::{settings, spawn_app, test_database, test_postgres_server};

async fn build_error(settings: planning_server::config::Settings) -> String {
    match Application::build(settings).await {
        Ok(_) => panic!("the application should have refused to start"),
        Err(error) => format!("{error:#}"),
    }
}

#[tokio::test]
async fn a_missing_program_config_is_refused_with_its_path() {
    let data = TempDir::new().unwrap();
    let mut settings = settings(data.path(), data.path(), "2021-07-15", test_database().await.as_deref());
    settings.program_config = "/nonexistent/program.toml".into();
    let message = build_error(settings).await;
    assert!(message.starts_with("cannot read the program timeline /nonexistent/program.toml"), "{message}");
}

#[tokio::test]
async fn a_program_config_out_of_order_is_refused_with_the_rule() {
    let data = TempDir::new().unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/program.toml")).unwrap();
    let broken = data.path().join("program.toml");
    std::fs::write(&broken, text.replace("last_redemption = \"2022-01-01\"", "last_redemption = \"2021-01-01\""))
        .unwrap();
    let mut settings = settings(data.path(), data.path(), "2021-07-15", test_database().await.as_deref());
    settings.program_config = broken;
    let message = build_error(settings).await;
    assert!(message.contains("must come after"), "{message}");
}

#[tokio::test]
async fn a_database_of_another_program_is_refused() {
    use sqlx::{ConnectOptions, Executor};
    let data = TempDir::new().unwrap();
    let database_url = test_database().await;
    match &database_url {
        // PostgreSQL: a database with someone else's table and no portal marker.
        Some(url) => {
            let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
            options.connect().await.unwrap().execute("CREATE TABLE their_table (id INTEGER)").await.unwrap();
        }
        None => {
            let foreign = data.path().join("portal.sqlite3");
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&foreign).create_if_missing(true);
            options.connect().await.unwrap().execute("CREATE TABLE their_table (id INTEGER)").await.unwrap();
        }
    }
    let message = build_error(settings(data.path(), data.path(), "2021-07-15", database_url.as_deref())).await;
    assert!(message.contains("is not a Planning Services portal database"), "{message}");
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_refused() {
    let data = TempDir::new().unwrap();
    let database_url = match test_postgres_server() {
        // PostgreSQL: a database that does not exist (the server never creates one).
        Some(server) => {
            let mut url = url::Url::parse(&server).unwrap();
            url.set_path("portal_no_such_database");
            Some(url.to_string())
        }
        // SQLite: a file that is not a database.
        None => {
            std::fs::write(data.path().join("portal.sqlite3"), vec![0x5a; 8192]).unwrap();
            None
        }
    };
    let message = build_error(settings(data.path(), data.path(), "2021-07-15", database_url.as_deref())).await;
    assert!(message.contains("cannot open the database"), "{message}");
}

#[tokio::test]
async fn a_port_in_use_is_refused_with_the_address() {
    let data = TempDir::new().unwrap();
    let occupied = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut settings = settings(data.path(), data.path(), "2021-07-15", test_database().await.as_deref());
    settings.port = occupied.local_addr().unwrap().port();
    let message = build_error(settings).await;
    assert!(message.starts_with(&format!("cannot listen on 127.0.0.1:{}", occupied.local_addr().unwrap().port())));
}

#[tokio::test]
async fn a_restart_on_the_same_data_directory_reopens_the_database() {
    let app = spawn_app().await;
    let settings = settings(app.data_dir.path(), app.dist_dir.path(), "2021-07-15", app.database_url.as_deref());
    let second = Application::build(settings).await.expect("the same database opens again");
    drop(second);
}

#[test]
fn the_binary_exits_cleanly_on_sigterm() {
    let data = TempDir::new().unwrap();
    let database_url = tokio::runtime::Runtime::new().unwrap().block_on(test_database());
    let mut command = Command::new(env!("CARGO_BIN_EXE_planning-server"));
    if let Some(url) = database_url {
        command.env("PORTAL_DATABASE_URL", url);
    }
    let mut child = command
        .args(["--port", "0", "--program-date", "2021-07-15"])
        .arg("--data-dir")
        .arg(data.path())
        .arg("--program-config")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/config/program.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the banner: the server is listening once it is printed.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut banner).unwrap();
    assert!(banner.starts_with("Planning Services portal: http://127.0.0.1:"), "{banner}");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "exit status {exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}
