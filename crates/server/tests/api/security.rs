//! The security controls SECURITY.md cites that no other module covers: cookies and HSTS behind
//! TLS, caching of API answers, session timeouts, the deliverable upload's checks, and logs that
//! never hold a password or a session secret.

use std::io::Read;
use std::process::{Command, Stdio};

use chrono::{Duration, Utc};
use planning_domain::api::vouchers::{document_path, Document};
use planning_domain::api::{Session, SESSION, USERS};
use planning_domain::document::{DeliverableError, MAX_DELIVERABLE_BYTES};
use planning_domain::{DomainError, ErrorBody, ErrorCode};
use reqwest::Method;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::vouchers::upload;

#[tokio::test]
async fn behind_tls_the_session_cookie_is_host_prefixed_and_secure_and_hsts_is_sent() {
    let app = spawn_app_with("2021-07-15", |settings| settings.secure_cookies = true).await;
    let response = app
        .client
        .post(app.url(SESSION))
        .json(&serde_json::json!({ "email": "admin@contoso.example", "password": "planning-demo-2021" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    for attribute in ["; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Domain="), "a __Host- cookie names no domain: {cookie}");
    let signed_in = app.sign_in("admin@contoso.example").await;
    assert_eq!(signed_in.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 200);
    // The same token under the unprefixed name (a cookie a subdomain could plant) is not a session.
    let planted = signed_in.cookie.replace("__Host-portal_session=", "portal_session=");
    let response = app.client.get(app.url(SESSION)).header("cookie", planted).send().await.unwrap();
    assert_eq!(response.status(), 401);
    // HSTS is on every response, not only the API's.
    assert!(app.get("/").await.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn without_tls_no_hsts_is_sent() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/health").await;
    assert!(!response.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn api_answers_are_never_cached_and_say_they_are_json() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("benefits@northwind.example").await;
    for path in [SESSION, "/api/v1/vouchers", "/api/v1/missing"] {
        let response = signed_in.request(&app, Method::GET, path).send().await.unwrap();
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{path}");
        assert_eq!(response.headers()["cross-origin-opener-policy"], "same-origin", "{path}");
    }
    // The app's files keep their own caching (revalidated page, immutable hashed assets).
    assert_eq!(app.get("/").await.headers()["cache-control"], "no-cache");
}

/// Moves every session's clock back: `idle` since the last request, `age` since sign-in.
async fn age_sessions(app: &TestApp, idle: Duration, age: Duration) {
    let now = Utc::now();
    app.execute_sql(&format!(
        "UPDATE sessions SET last_seen_at = '{}', created_at = '{}'",
        (now - idle).to_rfc3339(),
        (now - age).to_rfc3339()
    ))
    .await;
    // As every writer of sessions must, so that no instance keeps its copy (`sessions`).
    app.notify_sessions_changed().await;
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes_and_its_row_is_deleted() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("pm@northwind.example").await;
    age_sessions(&app, Duration::minutes(29), Duration::hours(1)).await;
    assert_eq!(signed_in.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 200);
    age_sessions(&app, Duration::minutes(31), Duration::hours(1)).await;
    let response = signed_in.request(&app, Method::GET, SESSION).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::Unauthenticated);
    let left: Vec<(i64,)> = app.fetch_rows("SELECT COUNT(*) FROM sessions").await;
    assert_eq!(left, vec![(0,)]);
}

#[tokio::test]
async fn a_session_ends_12_hours_after_sign_in_however_active() {
    let app = spawn_app().await;
    let signed_in = app.sign_in("pm@northwind.example").await;
    age_sessions(&app, Duration::seconds(5), Duration::hours(11) + Duration::minutes(59)).await;
    assert_eq!(signed_in.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 200);
    age_sessions(&app, Duration::seconds(5), Duration::hours(12) + Duration::minutes(1)).await;
    assert_eq!(signed_in.request(&app, Method::GET, SESSION).send().await.unwrap().status(), 401);
}

/// The files in the documents directory: names only.
fn stored_files(app: &TestApp) -> Vec<String> {
    let dir = app.data_dir.path().join("documents");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

async fn refusal(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn file_error(body: &ErrorBody) -> Option<DomainError> {
    body.fields.iter().find(|field| field.field == "file").map(|field| field.error.clone())
}

#[tokio::test]
async fn an_upload_is_judged_by_its_content_and_refusals_leave_nothing_behind() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let before = stored_files(&app);
    let cases: [(&str, &[u8], DeliverableError); 5] = [
        ("plan.pdf", b"MZ\x90\x00 an executable", DeliverableError::TypeNotAllowed),
        ("plan.html", b"<html><script>alert(1)</script>", DeliverableError::TypeNotAllowed),
        // A PDF named as a Word file, and an Office (ZIP) file named as a PDF.
        ("plan.docx", b"%PDF-1.7 plan", DeliverableError::ExtensionMismatch),
        ("plan.pdf", b"PK\x03\x04 zipped", DeliverableError::TypeNotAllowed),
        ("plan.pdf", b"", DeliverableError::Empty),
    ];
    for (name, bytes, expected) in cases {
        let (status, body) = refusal(upload(&app, &partner, name, bytes.to_vec()).await).await;
        assert_eq!((status, body.code), (422, ErrorCode::ValidationFailed), "{name}");
        assert_eq!(file_error(&body), Some(DomainError::from(expected.clone())), "{name} {expected:?}");
    }
    let declared = reqwest::multipart::Part::bytes(b"MZ\x90\x00".to_vec())
        .file_name("plan.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let form = reqwest::multipart::Form::new().part("file", declared);
    let response = partner.request(&app, Method::POST, "/api/v1/documents").multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 422, "the declared type is not believed");
    assert_eq!(stored_files(&app), before, "no refused upload is kept, not even its temporary file");
}

#[tokio::test]
async fn an_upload_over_20_mib_is_refused_with_413_and_not_kept() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let before = stored_files(&app);
    let mut bytes = b"%PDF-1.7 ".to_vec();
    bytes.resize(MAX_DELIVERABLE_BYTES as usize + 1, b' ');
    let (status, body) = refusal(upload(&app, &partner, "big.pdf", bytes).await).await;
    assert_eq!((status, body.code), (413, ErrorCode::PayloadTooLarge));
    assert_eq!(stored_files(&app), before);
    // Exactly the limit is accepted.
    let mut bytes = b"%PDF-1.7 ".to_vec();
    bytes.resize(MAX_DELIVERABLE_BYTES as usize, b' ');
    assert_eq!(upload(&app, &partner, "limit.pdf", bytes).await.status(), 201);
}

/// Uploads with the file name sent as given (`filename="…"`), as a browser sends it.
async fn upload_raw_name(
    app: &TestApp,
    partner: &crate::helpers::SignedIn,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().percent_encode_noop().part("file", part);
    partner.request(app, Method::POST, "/api/v1/documents").multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn an_uploaded_file_name_cannot_reach_outside_the_documents_directory() {
    let app = spawn_app().await;
    let partner = app.sign_in("admin@contoso.example").await;
    let names = [
        ("../../../../etc/cron.d/plan.pdf", "plan.pdf"),
        ("/absolute/.hidden plan.pdf", "hidden plan.pdf"),
        ("C:/Users/me/Desktop/Plan: final?.pdf", "Plan final.pdf"),
    ];
    for (index, (sent, stored)) in names.iter().enumerate() {
        let content = format!("%PDF-1.7 document {index}").into_bytes();
        let response = upload_raw_name(&app, &partner, sent, content).await;
        assert_eq!(response.status(), 201, "{sent}");
        let document: Document = response.json().await.unwrap();
        assert_eq!(&document.file_name, stored, "{sent}");
        // Stored under its content hash: the sent name never becomes a path.
        assert!(document.document_id.len() == 64 && document.document_id.bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert!(app.data_dir.path().join("documents").join(&document.document_id).is_file());
        let download = partner.request(&app, Method::GET, &document_path(&document.document_id)).send().await.unwrap();
        assert_eq!(download.status(), 200);
        let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert_eq!(disposition, format!("attachment; filename=\"{stored}\""));
    }
    for sent in ["..", "../..", "/"] {
        let (status, body) = refusal(upload_raw_name(&app, &partner, sent, b"%PDF-1.7".to_vec()).await).await;
        assert_eq!(status, 422, "{sent}");
        assert_eq!(file_error(&body), Some(DomainError::from(DeliverableError::FileNameInvalid)), "{sent}");
    }
    assert!(stored_files(&app).iter().all(|name| name.len() == 64), "{:?}", stored_files(&app));
    assert!(!app.data_dir.path().join("etc").exists() && !std::path::Path::new("/etc/cron.d/plan.pdf").exists());
    // Nothing but a hash names a stored file.
    for path in ["..%2F..%2Fportal.sqlite3", "..%2Fportal.sqlite3", "%2E%2E", "portal.sqlite3"] {
        let response = partner.request(&app, Method::GET, &document_path(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}

/// Runs the real binary on `storage`'s database with debug logging, calls `exercise` with its
/// address, then stops it and returns what it wrote: (standard output, the log on standard error).
async fn server_output<F, Fut>(storage: &TestApp, exercise: F) -> (String, String)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let log_path = storage.data_dir.path().join("server-output.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_planning-server"));
    if let Some(url) = &storage.database_url {
        command.env("PORTAL_DATABASE_URL", url);
    }
    /// Kills the server even when the test fails half-way.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = command
        .env("RUST_LOG", "debug")
        .args(["--port", "0", "--program-date", "2021-07-15", "--log-format", "json"])
        .arg("--data-dir")
        .arg(storage.data_dir.path())
        .arg("--dist-dir")
        .arg(storage.dist_dir.path())
        .arg("--program-config")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/config/program.toml"))
        .stdout(Stdio::piped())
        .stderr(log.try_clone().unwrap())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut child = Running(child);
    let mut banner = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        banner.push(byte[0]);
    }
    let banner = String::from_utf8(banner).unwrap();
    let address = banner.trim().strip_prefix("Planning Services portal: ").unwrap().trim_end_matches('/').to_owned();
    let copier = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stdout.read_to_string(&mut rest);
        rest
    });
    let app = TestApp {
        address,
        client: storage.client.clone(),
        data_dir: storage.data_dir.clone(),
        dist_dir: storage.dist_dir.clone(),
        database_url: storage.database_url.clone(),
    };
    exercise(app).await;
    Command::new("kill").args(["-TERM", &child.0.id().to_string()]).status().unwrap();
    child.0.wait().unwrap();
    let rest = copier.join().unwrap();
    (format!("{banner}\n{rest}"), std::fs::read_to_string(&log_path).unwrap())
}

#[tokio::test]
async fn no_password_or_session_secret_ever_reaches_the_logs() {
    let storage = spawn_app().await;
    let new_password = "correct horse battery staple 42";
    let secrets = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = secrets.clone();
    let (banner, log) = server_output(&storage, |app| async move {
        let mut secrets = Vec::new();
        // Failed sign-ins: a wrong password, the demo password on an unknown account.
        assert_eq!(app.try_sign_in("ga@contoso.example", "planning-demo-2020").await.err().unwrap().status(), 401);
        assert_eq!(app.try_sign_in("nobody@contoso.example", "planning-demo-2021").await.err().unwrap().status(), 401);
        let admin = app.sign_in("ga@contoso.example").await;
        secrets.push(admin.cookie.split_once('=').unwrap().1.to_owned());
        secrets.push(admin.session.csrf_token.clone());
        let created = admin
            .request(&app, Method::POST, USERS)
            .json(&serde_json::json!({
                "email": "logged.consultant@contoso.example", "display_name": "Logged Consultant",
                "role": "consultant", "password": new_password
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        // A refused password is not logged either.
        let refused = admin
            .request(&app, Method::POST, USERS)
            .json(&serde_json::json!({
                "email": "other@contoso.example", "display_name": "Other", "role": "consultant",
                "password": "short-pw"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let consultant = app.try_sign_in("logged.consultant@contoso.example", new_password).await.ok().unwrap();
        secrets.push(consultant.cookie.split_once('=').unwrap().1.to_owned());
        secrets.push(consultant.session.csrf_token.clone());
        let session: Session =
            consultant.request(&app, Method::GET, SESSION).send().await.unwrap().json().await.unwrap();
        assert_eq!(session.user.email, "logged.consultant@contoso.example");
        // A forged anti-forgery token, then sign-out.
        let forged = app
            .client
            .delete(app.url(SESSION))
            .header("cookie", &admin.cookie)
            .header("x-csrf-token", "forged-token-value")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(admin.request(&app, Method::DELETE, SESSION).send().await.unwrap().status(), 204);
        seen.lock().unwrap().extend(secrets);
    })
    .await;
    // The log is there and detailed (so the check below reads something).
    assert!(log.contains("/api/v1/session") && log.contains("\"level\":\"DEBUG\""), "{log}");
    assert!(log.lines().count() > 20, "{log}");
    let secrets = secrets.lock().unwrap().clone();
    assert_eq!(secrets.len(), 4);
    for secret in [planning_server::seed::DEMO_PASSWORD, "planning-demo-2020", new_password, "short-pw"]
        .into_iter()
        .chain(secrets.iter().map(String::as_str))
    {
        let lines: Vec<&str> = log.lines().filter(|line| line.contains(secret)).collect();
        assert!(lines.is_empty(), "the log contains {secret:?}: {lines:#?}");
        // Standard output is the start-up banner, which names the demo password on purpose
        // (README: demo sign-ins) and nothing else secret.
        let lines: Vec<&str> = banner.lines().filter(|line| line.contains(secret)).collect();
        let expected: Vec<&str> = if secret == planning_server::seed::DEMO_PASSWORD {
            vec!["Demo sign-ins (password for all: planning-demo-2021):"]
        } else {
            vec![]
        };
        assert_eq!(lines, expected, "{secret:?}");
    }
}
