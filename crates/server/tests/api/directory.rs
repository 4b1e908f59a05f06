//! The public partner directory: published profiles only, filters, pages, and client errors.

use planning_domain::api::partners::{
    directory_partner_path, DirectoryPage, PublicPartnerProfile, DIRECTORY_PARTNERS, PARTNER_BUSINESS_PROFILE,
};
use planning_domain::profile::ProfileError;
use planning_domain::{CompetencyId, DomainError, ErrorBody, OfferingCode};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

async fn search(app: &TestApp, query: &str) -> DirectoryPage {
    let response = app.get(&format!("{DIRECTORY_PARTNERS}{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

async fn names(app: &TestApp, query: &str) -> Vec<String> {
    search(app, query).await.partners.into_iter().map(|partner| partner.name).collect()
}

#[tokio::test]
async fn anyone_lists_the_published_profiles_with_their_earned_competencies() {
    let app = spawn_app().await;
    let page = search(&app, "").await;
    assert_eq!((page.total, page.page, page.page_size), (2, 1, 20));
    let listed: Vec<_> = page.partners.iter().map(|partner| partner.name.as_str()).collect();
    assert_eq!(listed, ["Contoso Consulting", "Fabrikam Advisory"]);
    let fabrikam = &page.partners[1];
    // The expired Messaging competency earns no tag on the program date.
    let competencies: Vec<_> = fabrikam.competencies.iter().map(|earned| earned.competency).collect();
    assert_eq!(competencies, [CompetencyId::WindowsAndDevices]);
    assert_eq!(fabrikam.offerings, [OfferingCode::Ddps]);
    assert_eq!(fabrikam.locations[0].city, "Seattle");
    let contoso = &page.partners[0];
    assert_eq!(contoso.products, ["Exchange Server", "SharePoint", "Windows", "Windows Server"]);
    let one: PublicPartnerProfile = app.get(&directory_partner_path(contoso.partner_id)).await.json().await.unwrap();
    assert_eq!(&one, contoso);
}

#[tokio::test]
async fn filters_by_country_offering_competency_and_words_combine() {
    let app = spawn_app().await;
    assert_eq!(names(&app, "?country=us").await, ["Fabrikam Advisory"]);
    assert_eq!(names(&app, "?country=KR").await, ["Contoso Consulting"]);
    assert_eq!(names(&app, "?country=JP").await, Vec::<String>::new());
    assert_eq!(names(&app, "?offering=S-EDPS").await, ["Contoso Consulting"]);
    assert_eq!(names(&app, "?offering=ddps").await, ["Contoso Consulting", "Fabrikam Advisory"]);
    // Fabrikam's Messaging competency expired on 2021-03-31, before the program date.
    assert_eq!(names(&app, "?competency=messaging").await, ["Contoso Consulting"]);
    assert_eq!(names(&app, "?competency=Windows%20and%20Devices").await, ["Contoso Consulting", "Fabrikam Advisory"]);
    assert_eq!(names(&app, "?q=RETAIL").await, ["Fabrikam Advisory"]);
    assert_eq!(names(&app, "?q=contoso").await, ["Contoso Consulting"]);
    assert_eq!(names(&app, "?q=deployment%20planning").await, ["Contoso Consulting", "Fabrikam Advisory"]);
    assert_eq!(names(&app, "?q=fabrikam%20retail").await, ["Fabrikam Advisory"]);
    // The description is not searched (DOMAIN.md §12): "Pacific" appears only in Fabrikam's.
    assert_eq!(names(&app, "?q=Pacific").await, Vec::<String>::new());
    assert_eq!(names(&app, "?q=100%25").await, Vec::<String>::new());
    assert_eq!(
        names(&app, "?country=US&offering=DDPS&competency=windows_and_devices&q=office").await,
        ["Fabrikam Advisory"]
    );
    assert_eq!(names(&app, "?country=US&competency=messaging").await, Vec::<String>::new());
    assert_eq!(names(&app, "?country=&offering=&q=").await, ["Contoso Consulting", "Fabrikam Advisory"]);
}

#[tokio::test]
async fn a_saved_profile_is_found_by_its_new_tags_and_no_longer_by_its_old_ones() {
    let app = spawn_app().await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let body = json!({
        "country": "US", "description": "Planning for hospitals.", "website": "https://fabrikam.example",
        "industries": ["Healthcare"], "products": ["Windows"], "service_types": ["AI"],
        "target_customer_size": "small", "allow_endorsement": false, "published": true
    });
    let response = fabrikam.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // Three or more characters: through the text index; the name is still found.
    assert_eq!(names(&app, "?q=HEALTHCARE").await, ["Fabrikam Advisory"]);
    assert_eq!(names(&app, "?q=thcar").await, ["Fabrikam Advisory"]);
    assert_eq!(names(&app, "?q=brikam").await, ["Fabrikam Advisory"]);
    assert_eq!(names(&app, "?q=retail").await, Vec::<String>::new());
    // Shorter words are matched too, by a scan of the text.
    assert_eq!(names(&app, "?q=ai").await, ["Fabrikam Advisory"]);
    // Quotes are text, not query syntax.
    assert_eq!(names(&app, "?q=%22health").await, Vec::<String>::new());
    assert_eq!(names(&app, "?q=windows%20health").await, ["Fabrikam Advisory"]);
}

#[tokio::test]
async fn an_unpublished_profile_disappears_from_the_directory() {
    let app = spawn_app().await;
    let fabrikam = app.sign_in("ga@fabrikam.example").await;
    let fabrikam_id = fabrikam.session.user.organization.id;
    assert_eq!(app.get(&directory_partner_path(fabrikam_id)).await.status(), 200);
    let body = json!({
        "country": "US", "description": "Retail planning.", "website": "https://fabrikam.example",
        "industries": ["Retail"], "products": ["Windows"], "service_types": [],
        "target_customer_size": "small", "allow_endorsement": false, "published": false
    });
    let response = fabrikam.request(&app, Method::PUT, PARTNER_BUSINESS_PROFILE).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(names(&app, "").await, ["Contoso Consulting"]);
    assert_eq!(names(&app, "?q=retail").await, Vec::<String>::new());
    assert_eq!(app.get(&directory_partner_path(fabrikam_id)).await.status(), 404);
    assert_eq!(app.get(&directory_partner_path(999_999)).await.status(), 404);
    // Organizations that are not partners have no public profile.
    let customer = app.sign_in("pm@northwind.example").await.session.user.organization.id;
    assert_eq!(app.get(&directory_partner_path(customer)).await.status(), 404);
}

#[tokio::test]
async fn pages_are_bounded_and_numbered_from_one() {
    let app = spawn_app().await;
    let first = search(&app, "?page_size=1").await;
    assert_eq!((first.total, first.partners.len()), (2, 1));
    assert_eq!(first.partners[0].name, "Contoso Consulting");
    let second = search(&app, "?page_size=1&page=2").await;
    assert_eq!(second.partners[0].name, "Fabrikam Advisory");
    assert!(search(&app, "?page=3").await.partners.is_empty());
    assert_eq!(search(&app, "?page_size=50").await.page_size, 50);
}

#[tokio::test]
async fn invalid_filters_are_422_with_field_names_and_malformed_queries_400() {
    let app = spawn_app().await;
    let response =
        app.get(&format!("{DIRECTORY_PARTNERS}?country=XX&offering=AZDPS&competency=cooking&page_size=51")).await;
    assert_eq!(response.status(), 422);
    let error: ErrorBody = response.json().await.unwrap();
    let fields: Vec<_> = error.fields.iter().map(|field| field.field.as_str()).collect();
    assert_eq!(fields, ["country", "offering", "competency", "page_size"]);
    assert_eq!(
        error.fields[1].messages.en,
        "\"AZDPS\" is not a Planning Services offering; use a code like DDPS or S-EDPS."
    );
    assert_eq!(error.fields[3].error, DomainError::Profile(ProfileError::PageSizeOutOfRange { max: 50 }));
    assert_eq!(error.fields[3].messages.en, "Ask for 1 to 50 partners per page.");
    let response = app.get(&format!("{DIRECTORY_PARTNERS}?page=0")).await;
    assert_eq!(response.status(), 422);
    let long = "a".repeat(101);
    let response = app.get(&format!("{DIRECTORY_PARTNERS}?q={long}")).await;
    let error: ErrorBody = response.json().await.unwrap();
    assert_eq!(error.fields[0].messages.en, "Enter at most 100 characters; this has 101.");
    for query in ["?page=abc", "?page_size=-1", "?sort=name"] {
        let response = app.get(&format!("{DIRECTORY_PARTNERS}{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let error: ErrorBody = response.json().await.unwrap();
        assert_eq!(error.code, planning_domain::ErrorCode::MalformedBody);
    }
    assert_eq!(app.get("/api/v1/directory/partners/abc").await.status(), 400);
}
