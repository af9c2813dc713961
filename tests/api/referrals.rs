use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::TestApp;

async fn partner_of(db: &PgPool, user: uuid::Uuid) -> Option<uuid::Uuid> {
    sqlx::query_scalar("SELECT partner_id FROM referrals WHERE referred_user_id = $1")
        .bind(user)
        .fetch_optional(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn attribution_holds_inside_the_window_first_touch_wins_and_never_changes(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (a, b) = (app.register("PARTNER").await, app.register("PARTNER").await);
    let (code_a, code_b) = (
        app.invite(&a, "client").await,
        app.invite(&b, "client").await,
    );
    let first = app.visit(&code_a).await;
    let _second = app.visit(&code_b).await;
    // The browser keeps the first visit (first touch) and signs up with it.
    let client = app.register_via("CLIENT", &first).await;
    assert_eq!(partner_of(&db, client.id).await, Some(a.id));
    // Attribution never changes: another referral for the same person is refused by the database.
    let err = sqlx::query("INSERT INTO referrals (partner_id, referred_user_id, referred_role) VALUES ($1, $2, 'CLIENT')")
        .bind(b.id)
        .bind(client.id)
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(
        tribuna_api::violated_constraint(&err),
        Some("referrals_first_touch")
    );

    // A visit older than the window attributes nobody (and the sign-up still works).
    let stale = app.visit(&code_a).await;
    app.clock.set(chrono::Utc::now() + Duration::days(31));
    let late = app.register_via("CLIENT", &stale).await;
    assert_eq!(partner_of(&db, late.id).await, None);
    app.clock.set(chrono::Utc::now());

    // A lawyers' code does not sign up clients.
    let lawyer_code = app.invite(&a, "lawyer").await;
    let wrong_kind = app
        .register_via("CLIENT", &app.visit(&lawyer_code).await)
        .await;
    assert_eq!(partner_of(&db, wrong_kind.id).await, None);
    let lawyer = app
        .register_via("LAWYER", &app.visit(&lawyer_code).await)
        .await;
    assert_eq!(partner_of(&db, lawyer.id).await, Some(a.id));
}

#[sqlx::test]
async fn revoked_expired_and_used_up_codes_are_not_visited(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let partner = app.register("PARTNER").await;
    let limited: Value = partner
        .post(
            "/api/partner/invites",
            &json!({"kind": "client", "max_uses": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = limited["code"].as_str().unwrap();
    assert!(limited["link"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/signup?invite={code}")));
    app.register_via("CLIENT", &app.visit(code).await).await;
    assert_eq!(
        app.anonymous()
            .post(&format!("/api/invites/{code}/visit"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "used up"
    );
    let other = app.invite(&partner, "client").await;
    let invites: Vec<Value> = partner
        .get("/api/partner/invites")
        .await
        .json()
        .await
        .unwrap();
    let id = invites.iter().find(|i| i["code"] == other).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        partner
            .post(&format!("/api/partner/invites/{id}/revoke"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.anonymous()
            .post(&format!("/api/invites/{other}/visit"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "revoked"
    );
    let someone_else = app.register("PARTNER").await;
    assert_eq!(
        someone_else
            .post(&format!("/api/partner/invites/{id}/revoke"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = partner
        .post(
            "/api/partner/invites",
            &json!({"kind": "client", "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A code valid for a day is visited today and not the day after tomorrow.
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let expiring: Value = partner
        .post(
            "/api/partner/invites",
            &json!({"kind": "client", "expires_at": tomorrow}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = expiring["code"].as_str().unwrap();
    app.visit(code).await;
    app.clock
        .set(chrono::Utc::now() + chrono::Duration::days(2));
    assert_eq!(
        app.anonymous()
            .post(&format!("/api/invites/{code}/visit"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "expired"
    );
}
