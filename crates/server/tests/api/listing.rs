//! Voucher listings: keyset pages in (expiry, number) order, filters that agree with the
//! statuses people see on the program date, and refusals naming the parameter.

use planning_domain::api::vouchers::{VoucherPage, VoucherView, VOUCHERS};
use planning_domain::listing::{status_key, ListingError};
use planning_domain::voucher::VoucherStatus;
use planning_domain::{DomainError, ErrorBody};
use reqwest::Method;

use crate::helpers::{spawn_app_on, SignedIn, TestApp};

async fn page(app: &TestApp, who: &SignedIn, query: &str) -> VoucherPage {
    let response = who.request(app, Method::GET, &format!("{VOUCHERS}?{query}")).send().await.unwrap();
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

/// Every row of a listing, page by page, following `next`.
async fn walk(app: &TestApp, who: &SignedIn, query: &str, limit: u32) -> (Vec<VoucherView>, usize) {
    let mut rows = Vec::new();
    let mut pages = 0;
    let mut after = String::new();
    loop {
        let page = page(app, who, &format!("{query}&limit={limit}{after}")).await;
        pages += 1;
        assert!(page.vouchers.len() <= limit as usize);
        rows.extend(page.vouchers);
        match page.next {
            Some(next) => after = format!("&after={next}"),
            None => return (rows, pages),
        }
    }
}

fn ids(rows: &[VoucherView]) -> Vec<String> {
    rows.iter().map(|row| row.voucher.id.as_str().to_owned()).collect()
}

#[tokio::test]
async fn pages_of_three_list_every_voucher_once_in_expiry_then_number_order() {
    // After the last redemption day: some unredeemed vouchers are past their expiry date.
    let app = spawn_app_on("2022-01-02").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let whole = page(&app, &operator, "limit=1000").await;
    assert_eq!(whole.next, None);
    assert!(whole.vouchers.len() > 6, "the demo has enough vouchers to need several pages");
    let mut sorted = whole.vouchers.clone();
    sorted.sort_by(|a, b| {
        (a.voucher.expires_on, a.voucher.id.as_str()).cmp(&(b.voucher.expires_on, b.voucher.id.as_str()))
    });
    assert_eq!(ids(&whole.vouchers), ids(&sorted));

    let (walked, pages) = walk(&app, &operator, "", 3).await;
    assert_eq!(ids(&walked), ids(&whole.vouchers));
    // A full last page cannot know nothing follows; every other page is full.
    assert!(pages == whole.vouchers.len().div_ceil(3), "{pages} pages for {} vouchers", whole.vouchers.len());
}

#[tokio::test]
async fn each_status_filter_matches_the_status_shown_on_the_program_date() {
    for date in ["2021-07-15", "2022-01-02"] {
        let app = spawn_app_on(date).await;
        let operator = app.sign_in("operator@microsoft.example").await;
        let whole = page(&app, &operator, "limit=1000").await.vouchers;
        for status in VoucherStatus::ALL {
            let (filtered, _) = walk(&app, &operator, &format!("status={}", status_key(status)), 2).await;
            let expected: Vec<VoucherView> = whole.iter().filter(|row| row.status == status).cloned().collect();
            assert_eq!(ids(&filtered), ids(&expected), "{status:?} on {date}");
        }
        // The expired filter has something to find on both dates.
        assert!(whole.iter().any(|row| row.status == VoucherStatus::Expired), "{date}");
    }
}

#[tokio::test]
async fn offering_and_number_filters_combine_within_the_callers_scope() {
    let app = spawn_app_on("2021-07-15").await;
    let partner = app.sign_in("admin@contoso.example").await;
    let whole = page(&app, &partner, "").await.vouchers;
    assert!(!whole.is_empty());
    let first = &whole[0].voucher;
    let offering = serde_json::to_value(first.offering).unwrap().as_str().unwrap().to_owned();
    let prefix = &first.id.as_str()[..6];
    let filtered = page(&app, &partner, &format!("offering={}&q={prefix}", offering.to_lowercase())).await.vouchers;
    let expected: Vec<VoucherView> = whole
        .iter()
        .filter(|row| row.voucher.offering == first.offering && row.voucher.id.as_str().starts_with(prefix))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&filtered), ids(&expected));
    // A whole number finds that voucher only; the customer sees only the customer's own.
    let exact = page(&app, &partner, &format!("q={}", first.id.as_str())).await.vouchers;
    assert_eq!(ids(&exact), [first.id.as_str()]);
    let pm = app.sign_in("pm@woodgrove.example").await;
    for row in page(&app, &pm, "").await.vouchers {
        assert_eq!(row.voucher.assignee_email.as_str(), "pm@woodgrove.example");
    }
}

#[tokio::test]
async fn bad_parameters_are_422_naming_each_and_malformed_ones_400() {
    let app = spawn_app_on("2021-07-15").await;
    let operator = app.sign_in("operator@microsoft.example").await;
    let response = operator
        .request(&app, Method::GET, &format!("{VOUCHERS}?status=lost&offering=XYZ&q=21-05&after=2021&limit=1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: ErrorBody = response.json().await.unwrap();
    let fields: Vec<_> = error.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["status", "offering", "q", "after", "limit"]);
    assert_eq!(error.fields[3].error, DomainError::Listing(ListingError::BadCursor));
    assert_eq!(error.fields[4].messages.en, "Ask for 1 to 1000 vouchers per page.");
    assert_eq!(error.fields[4].messages.ko, "한 페이지에 바우처를 1~1000개까지 요청할 수 있습니다.");
    for query in ["limit=abc", "limit=-1", "sort=expiry"] {
        let response = operator.request(&app, Method::GET, &format!("{VOUCHERS}?{query}")).send().await.unwrap();
        assert_eq!(response.status(), 400, "{query}");
    }
}
