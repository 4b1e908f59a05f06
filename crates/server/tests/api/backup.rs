//! `planning-server backup` and `restore` with the real binary: a backup taken while writes keep
//! arriving restores into a fresh data directory with every write acknowledged before it began,
//! the same row counts and checksums per table, and the deliverables byte for byte. SQLite only
//! (the commands are for SQLite deployments), in both runs of the suite.

use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use planning_domain::api::partners::{PartnerProgram, PARTNER_LOCATIONS, PARTNER_PROGRAM};
use planning_domain::api::vouchers::{document_path, Document};
use planning_server::startup::Application;
use reqwest::Method;
use tempfile::TempDir;

use crate::helpers::{settings, spawn_sqlite_app_on, TestApp};
use crate::vouchers::upload;

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planning-server")).args(args).output().unwrap()
}

/// The `table rows sha256` lines a command printed.
fn table_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.starts_with("  ") && !line.trim_start().starts_with("table "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test]
async fn a_backup_under_load_restores_every_acknowledged_write_verified_table_by_table() {
    let app = spawn_sqlite_app_on("2021-07-15").await;
    let admin = Arc::new(app.sign_in("ga@contoso.example").await);
    let document: Document =
        upload(&app, &admin, "plan.pdf", b"%PDF-1.7 backed up".to_vec()).await.json().await.unwrap();

    let program: PartnerProgram =
        admin.request(&app, Method::GET, PARTNER_PROGRAM).send().await.unwrap().json().await.unwrap();
    let seeded: BTreeSet<String> =
        program.locations.iter().map(|location| location.location_id.as_str().to_owned()).collect();

    // Writes keep arriving: partner locations, each acknowledged (201) before it is counted.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (app_address, client) = (app.address.clone(), app.client.clone());
        let (admin, acknowledged, stop) = (admin.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut number = 7_000_000;
            while !stop.load(Ordering::Relaxed) {
                number += 1;
                let location_id = number.to_string();
                let response = client
                    .post(format!("{app_address}{PARTNER_LOCATIONS}"))
                    .header("cookie", &admin.cookie)
                    .header(planning_domain::api::CSRF_HEADER, &admin.session.csrf_token)
                    .json(&serde_json::json!({ "location_id": location_id, "country": "KR", "city": "Seoul" }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
                acknowledged.lock().unwrap().push(location_id);
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before_backup: BTreeSet<String> = acknowledged.lock().unwrap().iter().cloned().collect();
    let backup_dir = TempDir::new().unwrap();
    let (data, to) = (app.data_dir.path().to_owned(), backup_dir.path().join("backup"));
    let backup = {
        let to = to.clone();
        tokio::task::spawn_blocking(move || {
            run(&["backup".as_ref(), "--data-dir".as_ref(), data.as_os_str(), "--to".as_ref(), to.as_os_str()])
        })
        .await
        .unwrap()
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let after_backup: BTreeSet<String> = acknowledged.lock().unwrap().iter().cloned().collect();
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(!before_backup.is_empty() && after_backup.len() > before_backup.len(), "the load ran throughout");

    let restored_dir = TempDir::new().unwrap();
    let restore = run(&[
        "restore".as_ref(),
        "--from".as_ref(),
        to.as_os_str(),
        "--data-dir".as_ref(),
        restored_dir.path().as_os_str(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore));
    let (backed_up, restored) = (table_lines(&backup), table_lines(&restore));
    assert_eq!(backed_up.len(), planning_server::store::transfer::TABLES.len(), "{}", text(&backup));
    assert_eq!(backed_up, restored, "the same rows and checksums in the backup and the restored database");
    // The same rows, bytes and deliverables: the summary lines agree up to the time taken.
    let summary = |output: &Output| {
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let last = stdout.lines().last().unwrap_or_default().to_owned();
        last.rsplit_once(", ").map(|(counts, _time)| counts.to_owned()).unwrap_or(last)
    };
    assert_eq!(summary(&backup), summary(&restore));
    assert!(!summary(&backup).contains(" 0 deliverables"), "{}", summary(&backup));

    // The restored deployment serves every write acknowledged before the backup began, and only
    // writes that were sent.
    let restored_app = {
        let settings = settings(restored_dir.path(), app.dist_dir.path(), "2021-07-15", None);
        let application = Application::build(settings).await.expect("the restored data directory opens");
        let address = format!("http://{}", application.address());
        tokio::spawn(application.run_until_stopped());
        TestApp {
            address,
            client: app.client.clone(),
            data_dir: Arc::new(restored_dir),
            dist_dir: app.dist_dir.clone(),
            database_url: None,
        }
    };
    let admin = restored_app.sign_in("ga@contoso.example").await;
    let program: PartnerProgram =
        admin.request(&restored_app, Method::GET, PARTNER_PROGRAM).send().await.unwrap().json().await.unwrap();
    let locations: BTreeSet<String> =
        program.locations.iter().map(|location| location.location_id.as_str().to_owned()).collect();
    assert!(before_backup.is_subset(&locations), "a write acknowledged before the backup is missing");
    let written_by_load: BTreeSet<String> = locations.difference(&seeded).cloned().collect();
    assert!(written_by_load.is_subset(&after_backup), "the restore holds a write nobody made");
    let download =
        admin.request(&restored_app, Method::GET, &document_path(&document.document_id)).send().await.unwrap();
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.7 backed up");

    // Neither command overwrites: a second restore into the same directory, a backup into a
    // non-empty one.
    let again = run(&[
        "restore".as_ref(),
        "--from".as_ref(),
        to.as_os_str(),
        "--data-dir".as_ref(),
        restored_app.data_dir.path().as_os_str(),
    ]);
    assert!(!again.status.success() && text(&again).contains("already exists"), "{}", text(&again));
    let into_full = run(&[
        "backup".as_ref(),
        "--data-dir".as_ref(),
        app.data_dir.path().as_os_str(),
        "--to".as_ref(),
        to.as_os_str(),
    ]);
    assert!(!into_full.status.success() && text(&into_full).contains("is not empty"), "{}", text(&into_full));
}
