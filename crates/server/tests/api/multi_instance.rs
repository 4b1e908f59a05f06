//! Several server processes on one database: what any instance writes, every instance sees, and
//! races between instances have one winner, as races within one do. On PostgreSQL (the reason
//! for several instances) and on SQLite (several processes on one file) alike.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use planning_domain::api::embed::{embed_token_path, embed_voucher_path};
use planning_domain::api::vouchers::{
    completion_report_path, redemption_path, reservation_path, Document, VoucherView,
};
use planning_domain::api::{Session, SESSION};
use reqwest::Method;
use serde_json::json;

use crate::embed;
use crate::helpers::{spawn_app, TestApp};
use crate::vouchers::{
    contoso_delivery, create, futures_join_all, json, reservation_body, rounds, upload, ASSIGNED_SEDPS,
};

/// A `planning-server` process on the storage of an application started in the test.
struct ServerProcess {
    child: Child,
    app: TestApp,
}

impl ServerProcess {
    /// Starts the real binary on `storage`'s database and directories, pinned to `program_date`,
    /// and waits until it listens.
    fn start(storage: &TestApp, program_date: &str) -> ServerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_planning-server"));
        if let Some(url) = &storage.database_url {
            command.env("PORTAL_DATABASE_URL", url);
        }
        let mut child = command
            .args(["--port", "0", "--program-date", program_date])
            .arg("--data-dir")
            .arg(storage.data_dir.path())
            .arg("--dist-dir")
            .arg(storage.dist_dir.path())
            .arg("--program-config")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/config/program.toml"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        stdout.read_line(&mut banner).unwrap();
        let address = banner
            .trim()
            .strip_prefix("Planning Services portal: ")
            .unwrap_or_else(|| panic!("unexpected banner {banner:?}"))
            .trim_end_matches('/')
            .to_owned();
        // Keep reading, so the process never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let app = TestApp {
            address,
            client: storage.client.clone(),
            data_dir: Arc::clone(&storage.data_dir),
            dist_dir: Arc::clone(&storage.dist_dir),
            database_url: storage.database_url.clone(),
        };
        ServerProcess { child, app }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo data in a fresh database, and two server processes on it.
async fn two_instances() -> (TestApp, ServerProcess, ServerProcess) {
    let storage = spawn_app().await;
    let first = ServerProcess::start(&storage, "2021-07-15");
    let second = ServerProcess::start(&storage, "2021-07-15");
    (storage, first, second)
}

#[tokio::test]
async fn a_session_created_on_one_instance_works_and_ends_on_the_other() {
    let (_storage, first, second) = two_instances().await;
    let signed_in = first.app.sign_in("admin@contoso.example").await;
    let response = signed_in.request(&second.app, Method::GET, SESSION).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let session: Session = response.json().await.unwrap();
    assert_eq!(session.user.email, "admin@contoso.example");
    // A state change on the second instance with the anti-forgery token issued by the first.
    let signed_out = signed_in.request(&second.app, Method::DELETE, SESSION).send().await.unwrap();
    assert_eq!(signed_out.status(), 204);
    let after = signed_in.request(&first.app, Method::GET, SESSION).send().await.unwrap();
    assert_eq!(after.status(), 401);
}

/// Sends `GET /api/v1/session` with `session` to `app` until it is refused, for at most half of
/// `sessions::FRESH_FOR`: an instance that keeps sessions (PostgreSQL) must drop an ended one when
/// the database's notification arrives, not when its own copy grows old.
async fn refused_before_a_kept_copy_would_age(session: &crate::helpers::SignedIn, app: &TestApp) -> bool {
    let deadline = std::time::Instant::now() + planning_server::sessions::FRESH_FOR / 2;
    while std::time::Instant::now() < deadline {
        if session.request(app, Method::GET, SESSION).send().await.unwrap().status() == 401 {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_session_signed_out_on_one_instance_ends_on_another_that_verified_it() {
    let (_storage, first, second) = two_instances().await;
    let signed_in = first.app.sign_in("admin@contoso.example").await;
    // Both instances verify the session (and may keep it).
    for app in [&first.app, &second.app] {
        assert_eq!(signed_in.request(app, Method::GET, SESSION).send().await.unwrap().status(), 200);
    }
    assert_eq!(signed_in.request(&first.app, Method::DELETE, SESSION).send().await.unwrap().status(), 204);
    // A state change is refused on the other instance at once (writes always read the session)…
    let write = signed_in.request(&second.app, Method::DELETE, SESSION).send().await.unwrap();
    assert_eq!(write.status(), 401);
    // …and reads as soon as the notification arrives.
    assert!(refused_before_a_kept_copy_would_age(&signed_in, &second.app).await);
}

#[tokio::test]
async fn a_user_disabled_on_one_instance_is_signed_out_on_another_that_verified_the_session() {
    let (_storage, first, second) = two_instances().await;
    let admin = first.app.sign_in("ga@contoso.example").await;
    let consultant = second.app.sign_in("consultant@contoso.example").await;
    assert_eq!(consultant.request(&second.app, Method::GET, SESSION).send().await.unwrap().status(), 200);
    let disable = planning_domain::api::user_disable_path(consultant.session.user.id);
    assert_eq!(admin.request(&first.app, Method::POST, &disable).send().await.unwrap().status(), 204);
    assert!(refused_before_a_kept_copy_would_age(&consultant, &second.app).await);
}

#[tokio::test]
async fn an_embed_token_created_on_one_instance_reads_and_is_revoked_on_the_other() {
    let (_storage, first, second) = two_instances().await;
    let customer = first.app.sign_in("benefits@northwind.example").await;
    let token = embed::voucher_token(&first.app, &customer, embed::RESERVED).await;
    let path = embed_voucher_path(embed::RESERVED);
    assert_eq!(embed::read(&second.app, &path, &token.secret, Some(embed::INTRANET)).await.status(), 200);
    let revoked = customer.request(&second.app, Method::DELETE, &embed_token_path(token.token.id)).send().await;
    assert_eq!(revoked.unwrap().status(), 200);
    // No instance keeps the token: the first refuses it at once.
    assert_eq!(embed::read(&first.app, &path, &token.secret, Some(embed::INTRANET)).await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_64_reservations_spread_over_two_instances_exactly_one_wins_every_round() {
    let (_storage, first, second) = two_instances().await;
    let partner = first.app.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&first.app, &partner).await;
    let body = reservation_body(&location, "KR", &consultant, "2021-08-02", "2021-08-04");
    let instances = [&first.app, &second.app];
    for round in 0..rounds().min(50) {
        let attempts = (0..64).map(|attempt| {
            let app = instances[attempt % 2];
            partner.request(app, Method::POST, &reservation_path(ASSIGNED_SEDPS)).json(&body).send()
        });
        let statuses: Vec<u16> = futures_join_all(attempts)
            .await
            .iter()
            .map(|response| response.as_ref().unwrap().status().as_u16())
            .collect();
        let winners = statuses.iter().filter(|status| **status == 200).count();
        let conflicts = statuses.iter().filter(|status| **status == 409).count();
        assert_eq!((winners, conflicts), (1, 63), "round {round}: {statuses:?}");
        // Cancel on the other instance than the last winner's, so the next round contests it again.
        let cancel =
            partner.request(instances[round % 2], Method::DELETE, &reservation_path(ASSIGNED_SEDPS)).send().await;
        assert_eq!(cancel.unwrap().status(), 200, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_64_redemptions_spread_over_two_instances_exactly_one_wins_every_round() {
    let (storage, first, second) = two_instances().await;
    let rounds = rounds().min(20);
    storage.grant_days("67001234", 3 * rounds as i64).await;
    // Vouchers are created and reserved before the engagement (in this test process), then
    // reported and redeemed after it on the two server processes.
    let before = storage.same_data_on("2021-06-15").await;
    let customer = before.sign_in("benefits@northwind.example").await;
    let partner_before = before.sign_in("admin@contoso.example").await;
    let (location, consultant) = contoso_delivery(&before, &partner_before).await;
    let partner = first.app.sign_in("admin@contoso.example").await;
    let document: Document = json(upload(&second.app, &partner, "plan.pdf", b"%PDF-1.7".to_vec()).await).await;
    let instances = [&first.app, &second.app];
    for round in 0..rounds {
        let created: VoucherView = json(create(&before, &customer, "67001234", 3, "pm@northwind.example").await).await;
        let id = created.voucher.id.as_str().to_owned();
        let reserve = partner_before
            .request(&before, Method::POST, &reservation_path(&id))
            .json(&reservation_body(&location, "KR", &consultant, "2021-06-21", "2021-06-23"))
            .send()
            .await
            .unwrap();
        assert_eq!(reserve.status(), 200, "round {round}");
        let report = json!({
            "consultant_id": consultant, "delivered_from": "2021-06-21", "delivered_through": "2021-06-23",
            "days_delivered": 3, "offsite_days": 0, "deliverable_document_ids": [document.document_id]
        });
        let reported = partner
            .request(instances[round % 2], Method::POST, &completion_report_path(&id))
            .json(&report)
            .send()
            .await
            .unwrap();
        assert_eq!(reported.status(), 200, "round {round}");
        let attempts =
            (0..64).map(|attempt| partner.request(instances[attempt % 2], Method::POST, &redemption_path(&id)).send());
        let statuses: Vec<u16> = futures_join_all(attempts)
            .await
            .iter()
            .map(|response| response.as_ref().unwrap().status().as_u16())
            .collect();
        let winners = statuses.iter().filter(|status| **status == 200).count();
        let conflicts = statuses.iter().filter(|status| **status == 409).count();
        assert_eq!((winners, conflicts), (1, 63), "round {round}: {statuses:?}");
        // Both instances read the one outcome.
        for app in instances {
            let view: VoucherView =
                json(partner.request(app, Method::GET, &format!("/api/v1/vouchers/{id}")).send().await.unwrap()).await;
            assert_eq!(view.voucher.status(), planning_domain::voucher::VoucherStatus::Redeemed, "round {round}");
        }
    }
}
