use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_the_database_as_reachable() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200);
    let body: planning_domain::api::Health = response.json().await.unwrap();
    assert_eq!((body.status.as_str(), body.database.as_str()), ("ok", "ok"));
}
