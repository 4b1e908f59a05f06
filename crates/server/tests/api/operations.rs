//! The program dashboard: counts agree with the vouchers the operator can list, payment requests
//! are counted by status (a rejected one too, though its vouchers were released), and only the
//! operator may read it.

use planning_domain::api::operations::ProgramDashboard;
use planning_domain::api::vouchers::{VoucherPage, VoucherView};
use planning_domain::payment::PaymentStatus;
use planning_domain::VoucherStatus;
use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app_on;

fn payments(dashboard: &ProgramDashboard, status: PaymentStatus) -> u32 {
    dashboard.payments_by_status.iter().find(|count| count.status == status).unwrap().requests
}

#[tokio::test]
async fn the_dashboard_counts_every_voucher_by_state_and_every_submitted_request_by_status() {
    let app = spawn_app_on("2021-07-15").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let page: VoucherPage =
        operator.request(&app, Method::GET, "/api/v1/vouchers").send().await.unwrap().json().await.unwrap();
    assert_eq!(page.next, None, "the demo fits on one page");
    let vouchers = page.vouchers;
    let dashboard: ProgramDashboard =
        operator.request(&app, Method::GET, "/api/v1/operations/dashboard").send().await.unwrap().json().await.unwrap();

    assert_eq!(dashboard.vouchers_by_status.iter().map(|count| count.status).collect::<Vec<_>>(), VoucherStatus::ALL);
    for count in &dashboard.vouchers_by_status {
        let of_status: Vec<&VoucherView> = vouchers.iter().filter(|view| view.status == count.status).collect();
        assert_eq!(count.vouchers as usize, of_status.len(), "{:?}", count.status);
        let days: u32 = of_status.iter().map(|view| u32::from(view.voucher.service_level.days())).sum();
        assert_eq!(count.days, days, "{:?}", count.status);
    }
    let reserved = dashboard.vouchers_by_status.iter().find(|count| count.status == VoucherStatus::Reserved).unwrap();
    assert_eq!(dashboard.days_reserved, reserved.days);
    let redeemed: u32 = vouchers
        .iter()
        .filter_map(|view| view.voucher.redemption())
        .map(|redemption| u32::from(redemption.completion_report.days_delivered))
        .sum();
    assert!(redeemed > 0);
    assert_eq!(dashboard.days_redeemed, redeemed);
    // The demo data: request 1 paid, request 2 submitted.
    assert_eq!((payments(&dashboard, PaymentStatus::Paid), payments(&dashboard, PaymentStatus::Submitted)), (1, 1));

    let submitted = planning_server::seed_payments::DEMO_SUBMITTED_REQUEST;
    let rejection = operator
        .request(&app, Method::POST, &format!("/api/v1/review/payment-requests/{submitted}/rejection"))
        .json(&json!({ "reason": "The deliverable is a draft." }))
        .send()
        .await
        .unwrap();
    assert_eq!(rejection.status(), 200);
    let after: ProgramDashboard =
        operator.request(&app, Method::GET, "/api/v1/operations/dashboard").send().await.unwrap().json().await.unwrap();
    assert_eq!((payments(&after, PaymentStatus::Submitted), payments(&after, PaymentStatus::Rejected)), (0, 1));
    assert_eq!(payments(&after, PaymentStatus::Paid), 1);
}

#[tokio::test]
async fn only_the_program_operator_reads_the_dashboard() {
    let app = spawn_app_on("2021-07-15").await;
    for email in ["benefits@northwind.example", "admin@contoso.example"] {
        let caller = app.sign_in(email).await;
        let status = caller.request(&app, Method::GET, "/api/v1/operations/dashboard").send().await.unwrap().status();
        assert_eq!(status, 403, "{email}");
    }
    assert_eq!(app.get("/api/v1/operations/dashboard").await.status(), 401);
}
