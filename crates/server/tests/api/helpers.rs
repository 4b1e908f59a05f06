//! `spawn_app()`: the real application on port 0 with its own temporary data and app directories.
//!
//! The storage under test is chosen here, once for the whole suite: SQLite in the data directory,
//! or, when `PORTAL_TEST_DATABASE_URL` names a PostgreSQL server (`scripts/test` starts one), a
//! fresh database on that server for every spawned application, so tests stay independent and
//! run in parallel. The same tests thus run against both implementations of the store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use planning_server::config::Settings;
use planning_server::startup::Application;
use tempfile::TempDir;

/// The inline loader script of the fake built app; its hash must appear in the CSP.
pub const INLINE_SCRIPT: &str = "import init from '/planning-portal-0123456789abcdef.js'; await init();";
/// The stand-in for the widget's loader script in the fake built app.
pub const WIDGET_LOADER: &str = "customElements.define('planning-widget', class extends HTMLElement {});";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Kept so the directories live as long as every app using them.
    pub data_dir: Arc<TempDir>,
    pub dist_dir: Arc<TempDir>,
    /// The PostgreSQL database of this application; `None` on SQLite (in `data_dir`).
    pub database_url: Option<String>,
}

/// The PostgreSQL server the suite runs against (`PORTAL_TEST_DATABASE_URL`, a URL whose user
/// may create databases); `None`: SQLite.
pub fn test_postgres_server() -> Option<String> {
    std::env::var("PORTAL_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())
}

/// The database a new application gets: a fresh, empty PostgreSQL database when the suite runs
/// against PostgreSQL, else `None` (SQLite in the application's own data directory).
pub async fn test_database() -> Option<String> {
    let server = test_postgres_server()?;
    Some(create_database(&server, "").await)
}

/// Creates an empty database on `server` (named after `label`, unique) and returns its URL.
pub async fn create_database(server: &str, label: &str) -> String {
    use sqlx::{ConnectOptions, Executor};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros();
    let name = format!("portal_test{label}_{}_{started}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let options: sqlx::postgres::PgConnectOptions =
        server.parse().expect("PORTAL_TEST_DATABASE_URL is a PostgreSQL URL");
    let mut connection = options.connect().await.expect("the test PostgreSQL server accepts connections");
    connection.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("CREATE DATABASE");
    let mut url = url::Url::parse(server).expect("a URL");
    url.set_path(&name);
    url.to_string()
}

/// A signed-in user: the session cookie and the anti-forgery token to send.
pub struct SignedIn {
    pub cookie: String,
    pub session: planning_domain::api::Session,
}

impl SignedIn {
    /// A request carrying the session cookie and the anti-forgery token.
    pub fn request(&self, app: &TestApp, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        app.client
            .request(method, app.url(path))
            .header("cookie", &self.cookie)
            .header(planning_domain::api::CSRF_HEADER, &self.session.csrf_token)
    }
}

impl TestApp {
    /// Signs in with the demo password; panics if that fails.
    pub async fn sign_in(&self, email: &str) -> SignedIn {
        self.try_sign_in(email, planning_server::seed::DEMO_PASSWORD).await.expect("demo sign-in works")
    }

    pub async fn try_sign_in(&self, email: &str, password: &str) -> Result<SignedIn, reqwest::Response> {
        self.try_sign_in_with(&self.client, email, password).await
    }

    /// Signs in through `client` (one from [`client_from`], say: another client address).
    pub async fn try_sign_in_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> Result<SignedIn, reqwest::Response> {
        let response = client
            .post(self.url(planning_domain::api::SESSION))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request failed");
        if response.status() != 200 {
            return Err(response);
        }
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let session = response.json().await.unwrap();
        Ok(SignedIn { cookie, session })
    }

    /// Test set-up only: gives an enrollment more days than the demo pool has, directly in the
    /// database (the contention tests create hundreds of vouchers).
    pub async fn grant_days(&self, enrollment_number: &str, days: i64) {
        assert!(enrollment_number.bytes().all(|byte| byte.is_ascii_digit()));
        self.execute_sql(&format!(
            "UPDATE enrollments SET remaining_days = remaining_days + {days} WHERE enrollment_number = '{enrollment_number}'"
        ))
        .await;
    }

    /// Test set-up only: runs one statement directly on this application's database.
    pub async fn execute_sql(&self, sql: &str) {
        use sqlx::{ConnectOptions, Executor};
        match &self.database_url {
            Some(url) => {
                let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
                options.connect().await.unwrap().execute(sql).await.unwrap();
            }
            None => {
                let options =
                    sqlx::sqlite::SqliteConnectOptions::new().filename(self.data_dir.path().join("portal.sqlite3"));
                options.connect().await.unwrap().execute(sql).await.unwrap();
            }
        };
    }

    /// Test set-up only, after changing session rows behind the server's back: on PostgreSQL,
    /// tells the instances to drop their copies (`planning_server::sessions`), as the server's
    /// own writers of sessions do; then waits a moment for the notification to arrive.
    pub async fn notify_sessions_changed(&self) {
        if self.database_url.is_some() {
            self.execute_sql(&format!(
                "SELECT pg_notify('{}', token_hash) FROM sessions",
                planning_server::sessions::CHANNEL
            ))
            .await;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }

    /// Test inspection only: every row `sql` selects, read directly from this application's
    /// database (column types that both databases decode: `i64`, `String`, options of them).
    pub async fn fetch_rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        use sqlx::ConnectOptions;
        match &self.database_url {
            Some(url) => {
                let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
                let mut connection = options.connect().await.unwrap();
                sqlx::query_as(sql).fetch_all(&mut connection).await.unwrap()
            }
            None => {
                let options =
                    sqlx::sqlite::SqliteConnectOptions::new().filename(self.data_dir.path().join("portal.sqlite3"));
                let mut connection = options.connect().await.unwrap();
                sqlx::query_as(sql).fetch_all(&mut connection).await.unwrap()
            }
        }
    }

    /// Test set-up only: makes every embed token expired, directly in the database (a token
    /// lives at least a day of wall-clock time).
    pub async fn expire_embed_tokens(&self) {
        self.execute_sql("UPDATE embed_tokens SET expires_at = '2000-01-01T00:00:00.000Z'").await;
    }

    /// A second application on the same database with another program date (time travel for
    /// flows that span weeks: reserve before the engagement, report after it).
    pub async fn same_data_on(&self, program_date: &str) -> TestApp {
        let settings = settings(self.data_dir.path(), self.dist_dir.path(), program_date, self.database_url.as_deref());
        let application = Application::build(settings).await.expect("application builds");
        let address = format!("http://{}", application.address());
        tokio::spawn(application.run_until_stopped());
        TestApp {
            address,
            client: self.client.clone(),
            data_dir: Arc::clone(&self.data_dir),
            dist_dir: Arc::clone(&self.dist_dir),
            database_url: self.database_url.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request failed")
    }
}

/// Starts the application with the program date pinned to `program_date` (YYYY-MM-DD).
pub async fn spawn_app_on(program_date: &str) -> TestApp {
    spawn_app_with(program_date, |_| {}).await
}

/// Starts the application on `program_date` with `tweak` applied to its settings (SMTP, say).
pub async fn spawn_app_with(program_date: &str, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_on_database(program_date, test_database().await, tweak).await
}

/// Starts the application on SQLite in its data directory, whatever the suite runs against
/// (the source of a move to PostgreSQL).
pub async fn spawn_sqlite_app_on(program_date: &str) -> TestApp {
    spawn_app_on_database(program_date, None, |_| {}).await
}

/// Starts the application on `database_url` (`None`: SQLite in a new data directory).
pub async fn spawn_app_on_database(
    program_date: &str,
    database_url: Option<String>,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let data_dir = TempDir::new().unwrap();
    let dist_dir = fake_dist().unwrap();
    let mut settings = settings(data_dir.path(), dist_dir.path(), program_date, database_url.as_deref());
    tweak(&mut settings);
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://{}", application.address());
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    TestApp { address, client, data_dir: Arc::new(data_dir), dist_dir: Arc::new(dist_dir), database_url }
}

/// A client whose connections come from `address`, a loopback address other than 127.0.0.1 (the
/// server sees it as the client address, as it would a visitor's; Linux routes all of 127/8 to
/// the loopback interface).
pub fn client_from(address: std::net::Ipv4Addr) -> reqwest::Client {
    assert!(address.is_loopback());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::V4(address))
        .build()
        .unwrap()
}

/// The demo's default: mid-program, voucher creation closed, redemption open.
pub async fn spawn_app() -> TestApp {
    spawn_app_on("2021-07-15").await
}

/// Test settings on `program_date` (YYYY-MM-DD); `database_url` from [`test_database`].
pub fn settings(data_dir: &Path, dist_dir: &Path, program_date: &str, database_url: Option<&str>) -> Settings {
    let date: NaiveDate = program_date.parse().expect("YYYY-MM-DD");
    let mut settings = Settings::for_test(PathBuf::from(data_dir), PathBuf::from(dist_dir), date);
    settings.database_url = database_url.map(|url| url.parse().expect("a postgres:// URL"));
    settings
}

/// A stand-in for Trunk's output: an index with an inline loader and hashed assets.
fn fake_dist() -> std::io::Result<TempDir> {
    let dir = TempDir::new()?;
    std::fs::write(
        dir.path().join("index.html"),
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
        ),
    )?;
    std::fs::write(dir.path().join("planning-portal-0123456789abcdef.js"), "export default function init() {}")?;
    // The wasm with the compressed copies `scripts/build-app` writes beside it (stand-in bytes:
    // the tests check which file is sent, not the compression).
    let wasm = dir.path().join("planning-portal-0123456789abcdef_bg.wasm");
    std::fs::write(&wasm, "wasm bytes")?;
    std::fs::write(wasm.with_extension("wasm.br"), "brotli bytes")?;
    std::fs::write(wasm.with_extension("wasm.gz"), "gzip bytes")?;
    std::fs::create_dir(dir.path().join("widget"))?;
    std::fs::write(dir.path().join("widget/planning-widget.js"), WIDGET_LOADER)?;
    Ok(dir)
}
