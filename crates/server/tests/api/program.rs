use planning_domain::api::Program;
use planning_domain::{MilestoneKind, ProgramAction};

use crate::helpers::spawn_app_on;

#[tokio::test]
async fn on_2021_07_15_voucher_creation_is_closed_and_redemption_open() {
    let app = spawn_app_on("2021-07-15").await;
    let program: Program = app.get("/api/v1/program").await.json().await.unwrap();
    assert!(program.date_pinned);
    assert_eq!(program.status.today.to_string(), "2021-07-15");
    assert!(!program.status.is_open(ProgramAction::CreateVoucher));
    assert!(program.status.is_open(ProgramAction::RedeemVoucher));
    let next = program.status.next_deadline.unwrap();
    assert_eq!((next.kind, next.days_left), (MilestoneKind::LastRedemption, 170));
}

#[tokio::test]
async fn on_2022_01_02_redemption_is_closed_and_payment_requests_open() {
    let app = spawn_app_on("2022-01-02").await;
    let program: Program = app.get("/api/v1/program").await.json().await.unwrap();
    assert!(!program.status.is_open(ProgramAction::RedeemVoucher));
    assert!(program.status.is_open(ProgramAction::RequestPayment));
    assert_eq!(program.status.next_deadline.unwrap().kind, MilestoneKind::LastPaymentRequest);
}

#[tokio::test]
async fn the_program_is_sent_compressed_when_the_client_accepts_it() {
    let app = spawn_app_on("2021-07-15").await;
    let response = app.client.get(app.url("/api/v1/program")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn the_configured_timeline_lists_the_end_of_training_voucher_conversion_on_2020_02_01() {
    let app = spawn_app_on("2021-07-15").await;
    let program: Program = app.get("/api/v1/program").await.json().await.unwrap();
    let milestone = program
        .status
        .milestones
        .iter()
        .find(|milestone| milestone.kind == MilestoneKind::TrainingVoucherConversionEnds)
        .expect("the milestone is configured");
    assert_eq!(milestone.date.to_string(), "2020-02-01");
}
