//! `planning-server migrate-to-postgres`: the demo data and some activity in SQLite, moved to a
//! new PostgreSQL database by the real binary; counts match, the copy is verified, and the app
//! on PostgreSQL serves the same data and keeps working.
//!
//! It needs a PostgreSQL server, so it is ignored unless asked for: `scripts/test` runs it in the
//! PostgreSQL layer (`PORTAL_TEST_DATABASE_URL=… cargo test --test api -- --include-ignored`).

use std::process::Command;
use std::sync::Arc;

use planning_domain::api::embed::{embed_voucher_path, EmbedToken, EMBED_TOKENS};
use planning_domain::api::partners::{DIRECTORY_PARTNERS, PARTNER_PROGRAM};
use planning_domain::api::payments::{PAYMENT_REQUESTS, REVIEW_QUEUE};
use planning_domain::api::vouchers::{reservation_path, ENROLLMENTS, INBOX, VOUCHERS};
use planning_domain::api::{SESSION, USERS};
use planning_server::startup::Application;
use planning_server::store::transfer::TABLES;
use reqwest::Method;

use crate::embed;
use crate::helpers::{create_database, settings, spawn_sqlite_app_on, test_postgres_server, TestApp};
use crate::vouchers::{contoso_delivery, reservation_body, ASSIGNED_SEDPS};

fn run_migration(from: &std::path::Path, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_planning-server"))
        .arg("migrate-to-postgres")
        .arg("--from")
        .arg(from)
        .arg("--to")
        .arg(to)
        .output()
        .unwrap()
}

/// What each demo user sees on the pages that read most of the data.
async fn what_users_see(app: &TestApp) -> Vec<(String, String, String)> {
    let views = [
        ("admin@contoso.example", [SESSION, VOUCHERS, INBOX, PARTNER_PROGRAM, PAYMENT_REQUESTS].as_slice()),
        ("ga@contoso.example", [USERS].as_slice()),
        ("benefits@northwind.example", [VOUCHERS, INBOX, ENROLLMENTS, USERS].as_slice()),
        ("pm@northwind.example", [VOUCHERS, INBOX].as_slice()),
        ("operator@microsoft.example", [VOUCHERS, REVIEW_QUEUE].as_slice()),
    ];
    let mut seen = Vec::new();
    for (email, paths) in views {
        let signed_in = app.sign_in(email).await;
        for path in paths {
            let response = signed_in.request(app, Method::GET, path).send().await.unwrap();
            assert_eq!(response.status(), 200, "{email} {path}");
            let mut body: serde_json::Value = response.json().await.unwrap();
            if path == &SESSION {
                body["csrf_token"] = serde_json::Value::Null;
            }
            seen.push((email.to_owned(), (*path).to_owned(), body.to_string()));
        }
    }
    let directory = app.get(&format!("{DIRECTORY_PARTNERS}?q=contoso")).await;
    seen.push(("public".to_owned(), DIRECTORY_PARTNERS.to_owned(), directory.text().await.unwrap()));
    seen
}

#[tokio::test]
#[ignore = "needs a PostgreSQL server in PORTAL_TEST_DATABASE_URL (scripts/test runs it)"]
async fn migrate_to_postgres_moves_every_row_and_the_app_serves_the_same_data() {
    let server = test_postgres_server().expect("PORTAL_TEST_DATABASE_URL names a PostgreSQL server");
    let sqlite = spawn_sqlite_app_on("2021-07-15").await;
    // Activity on top of the demo data: a reservation (audit rows, notifications).
    let partner = sqlite.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&sqlite, &partner).await;
    let body = reservation_body(&location, "KR", &consultant, "2021-08-02", "2021-08-04");
    let reserved = partner.request(&sqlite, Method::POST, &reservation_path(ASSIGNED_SEDPS)).json(&body).send().await;
    assert_eq!(reserved.unwrap().status(), 200);
    // An embed token (its hash and its origins move; the secret keeps working).
    let customer = sqlite.sign_in("benefits@northwind.example").await;
    let token = embed::voucher_token(&sqlite, &customer, embed::RESERVED).await;
    let before = what_users_see(&sqlite).await;

    let target = create_database(&server, "_migrated").await;
    let started = std::time::Instant::now();
    let output = run_migration(sqlite.data_dir.path(), &target);
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    eprintln!("migrate-to-postgres took {elapsed:?}:\n{stdout}");

    // Every table is reported with the row count SQLite has, and a checksum.
    for table in TABLES {
        let counted: Vec<(i64,)> = sqlite.fetch_rows(&format!("SELECT count(*) FROM {table}")).await;
        let line = stdout
            .lines()
            .find(|line| line.split_whitespace().next() == Some(table))
            .unwrap_or_else(|| panic!("no line for {table} in {stdout}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], counted[0].0.to_string(), "{table}");
        assert_eq!(fields[2].len(), 64, "{line}");
    }

    // The app on PostgreSQL (same data directory, for the deliverables) serves the same data.
    let settings = settings(sqlite.data_dir.path(), sqlite.dist_dir.path(), "2021-07-15", Some(&target));
    let application = Application::build(settings).await.expect("the app starts on the moved data");
    let postgres = TestApp {
        address: format!("http://{}", application.address()),
        client: sqlite.client.clone(),
        data_dir: Arc::clone(&sqlite.data_dir),
        dist_dir: Arc::clone(&sqlite.dist_dir),
        database_url: Some(target.clone()),
    };
    tokio::spawn(application.run_until_stopped());
    let counted: Vec<(i64,)> = postgres.fetch_rows("SELECT count(*) FROM vouchers").await;
    assert!(counted[0].0 > 0);
    let after = what_users_see(&postgres).await;
    assert_eq!(after.len(), before.len());
    for (seen_before, seen_after) in before.iter().zip(&after) {
        assert!(
            seen_before == seen_after,
            "{} {}:\nSQLite:     {}\nPostgreSQL: {}",
            seen_before.0,
            seen_before.1,
            seen_before.2,
            seen_after.2
        );
    }

    // New rows get new ids (the identity sequences moved past the copied ones).
    let partner = postgres.sign_in("admin@contoso.example").await;
    let cancelled = partner.request(&postgres, Method::DELETE, &reservation_path(ASSIGNED_SEDPS)).send().await;
    assert_eq!(cancelled.unwrap().status(), 200);
    let card = embed::read(&postgres, &embed_voucher_path(embed::RESERVED), &token.secret, Some(embed::INTRANET)).await;
    assert_eq!(card.status(), 200);
    let customer = postgres.sign_in("benefits@northwind.example").await;
    let second = embed::voucher_token(&postgres, &customer, embed::RESERVED).await;
    assert!(second.token.id > token.token.id);
    let listed: Vec<EmbedToken> =
        embed::json(customer.request(&postgres, Method::GET, EMBED_TOKENS).send().await.unwrap()).await;
    assert_eq!(listed, vec![second.token, token.token]);

    // A second move into the same database is refused and changes nothing.
    let again = run_migration(sqlite.data_dir.path(), &target);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already holds portal data"), "{stderr}");
    let counted_after: Vec<(i64,)> = postgres.fetch_rows("SELECT count(*) FROM vouchers").await;
    assert_eq!(counted_after, counted);
}
