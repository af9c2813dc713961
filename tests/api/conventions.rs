use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{error_code, TestApp, PASSWORD};

#[sqlx::test]
async fn health_readiness_and_metrics_answer(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let anon = app.anonymous();
    assert_eq!(anon.get("/healthz").await.status(), StatusCode::OK);
    let ready: Value = anon.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready["database"], "ok");
    anon.get("/api/me").await;
    let metrics = anon.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(
        metrics.contains("route=\"/api/me\""),
        "routes are labelled by their template"
    );
}

#[sqlx::test]
async fn readiness_fails_when_the_database_is_gone(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    db.close().await;
    let res = app.anonymous().get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test]
async fn every_response_carries_a_request_id(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app.anonymous().get("/api/me").await;
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

#[sqlx::test]
async fn bad_requests_get_json_errors_and_write_nothing(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let anon = app.anonymous();
    let post_raw = |body: String, content_type: &'static str| {
        let http = anon.http.clone();
        let url = format!("{}/api/auth/register", app.url);
        async move {
            http.post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let cases = [
        (post_raw("{\"email\": ".into(), "application/json").await, StatusCode::BAD_REQUEST, "malformed_json"),
        (
            post_raw(json!({"email": 5, "password": PASSWORD, "display_name": "X", "role": "CLIENT"}).to_string(), "application/json").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            post_raw(
                json!({"email": "a@b.co", "password": PASSWORD, "display_name": "X", "role": "CLIENT", "is_admin": true}).to_string(),
                "application/json",
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            post_raw(json!({"email": "a@b.co", "password": PASSWORD, "display_name": "X", "role": "JUDGE"}).to_string(), "application/json").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (post_raw("{}".into(), "text/plain").await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (
            post_raw(format!("{{\"email\": \"{}\"}}", "x".repeat(100_000)), "application/json").await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (res, status, code) in cases {
        assert_eq!(res.status(), status);
        assert_eq!(error_code(res).await, code);
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[sqlx::test]
async fn bad_path_parameters_unknown_routes_and_methods_are_json_4xx(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let res = admin.get("/api/users/not-a-uuid").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(res).await, "invalid_path");
    let res = admin.get("/api/admin/users?limit=lots").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(res).await, "invalid_query");
    let res = admin.get("/api/no/such/thing").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "no_such_route");
    let res = admin.send(reqwest::Method::DELETE, "/api/me", None).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(res).await, "method_not_allowed");
}

#[sqlx::test]
async fn the_openapi_document_and_docs_page_are_served(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let anon = app.anonymous();
    let doc: Value = anon.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/auth/register"]["post"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let page = anon.get("/api/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("swagger"));
}

#[sqlx::test]
async fn absurd_page_numbers_give_empty_pages_not_errors(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "8801", 20_000).await;
    let anyone = app.anonymous();
    for page in ["9223372036854775807", "-3", "0"] {
        let res = anyone.get(&format!("/api/lawyers?page={page}")).await;
        assert_eq!(res.status(), 200, "directory page {page}");
        let res = anyone
            .get(&format!("/api/lawyers/{}/reviews?page={page}", lawyer.id))
            .await;
        assert_eq!(res.status(), 200, "reviews page {page}");
    }
    let far: Value = anyone
        .get("/api/lawyers?page=9223372036854775807")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(far["items"].as_array().map(Vec::len), Some(0), "{far}");
    assert_eq!(far["page"], 10_000);
}
