//! `spawn_app()`: the real application on port 0 with its own temporary data and app directories.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use planning_server::config::Settings;
use planning_server::startup::Application;
use tempfile::TempDir;

/// The inline loader script of the fake built app; its hash must appear in the CSP.
pub const INLINE_SCRIPT: &str = "import init from '/planning-portal-0123456789abcdef.js'; await init();";
/// The inline loader of the vouchers bundle's page (`dist/bundles/vouchers/index.html`).
pub const VOUCHERS_INLINE_SCRIPT: &str =
    "import init from '/bundles/vouchers/vouchers-0123456789abcdef.js'; await init();";

/// The stand-in for the widget's loader script in the fake built app.
pub const WIDGET_LOADER: &str = "customElements.define('planning-widget', class extends HTMLElement {});";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Kept so the directories live as long as every app using them.
    pub data_dir: Arc<TempDir>,
    pub dist_dir: Arc<TempDir>,
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
        let response = self
            .client
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
        use sqlx::ConnectOptions;
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(self.data_dir.path().join("portal.sqlite3"));
        let mut connection = options.connect().await.unwrap();
        sqlx::query("UPDATE enrollments SET remaining_days = remaining_days + ? WHERE enrollment_number = ?")
            .bind(days)
            .bind(enrollment_number)
            .execute(&mut connection)
            .await
            .unwrap();
    }

    /// Test set-up only: makes every embed token expired, directly in the database (a token
    /// lives at least a day of wall-clock time).
    pub async fn expire_embed_tokens(&self) {
        use sqlx::ConnectOptions;
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(self.data_dir.path().join("portal.sqlite3"));
        let mut connection = options.connect().await.unwrap();
        sqlx::query("UPDATE embed_tokens SET expires_at = '2000-01-01T00:00:00.000Z'")
            .execute(&mut connection)
            .await
            .unwrap();
    }

    /// A second application on the same database with another program date (time travel for
    /// flows that span weeks: reserve before the engagement, report after it).
    pub async fn same_data_on(&self, program_date: &str) -> TestApp {
        let settings = settings(self.data_dir.path(), self.dist_dir.path(), program_date);
        let application = Application::build(settings).await.expect("application builds");
        let address = format!("http://{}", application.address());
        tokio::spawn(application.run_until_stopped());
        TestApp {
            address,
            client: self.client.clone(),
            data_dir: Arc::clone(&self.data_dir),
            dist_dir: Arc::clone(&self.dist_dir),
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
    let data_dir = TempDir::new().unwrap();
    let dist_dir = fake_dist().unwrap();
    let mut settings = settings(data_dir.path(), dist_dir.path(), program_date);
    tweak(&mut settings);
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://{}", application.address());
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    TestApp { address, client, data_dir: Arc::new(data_dir), dist_dir: Arc::new(dist_dir) }
}

/// The demo's default: mid-program, voucher creation closed, redemption open.
pub async fn spawn_app() -> TestApp {
    spawn_app_on("2021-07-15").await
}

pub fn settings(data_dir: &Path, dist_dir: &Path, program_date: &str) -> Settings {
    let date: NaiveDate = program_date.parse().expect("YYYY-MM-DD");
    Settings::for_test(PathBuf::from(data_dir), PathBuf::from(dist_dir), date)
}

/// A stand-in for Trunk's output: an index with an inline loader and one hashed asset.
fn fake_dist() -> std::io::Result<TempDir> {
    let dir = TempDir::new()?;
    std::fs::write(
        dir.path().join("index.html"),
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
        ),
    )?;
    std::fs::write(dir.path().join("planning-portal-0123456789abcdef.js"), "export default function init() {}")?;
    std::fs::create_dir_all(dir.path().join("bundles/vouchers"))?;
    std::fs::write(
        dir.path().join("bundles/vouchers/index.html"),
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{VOUCHERS_INLINE_SCRIPT}</script></head><body></body></html>"
        ),
    )?;
    std::fs::create_dir(dir.path().join("widget"))?;
    std::fs::write(dir.path().join("widget/planning-widget.js"), WIDGET_LOADER)?;
    Ok(dir)
}
