use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use tribuna_api::scheduling::{store, worker};

use crate::helpers::{error_code, TestApp};

/// A paid session only the client attended, now over (a no-show by the lawyer).
async fn missed_session(
    app: &TestApp,
    client: &crate::helpers::Actor,
    lawyer: &crate::helpers::Actor,
) -> (String, chrono::DateTime<chrono::Utc>, String) {
    let now = chrono::Utc::now();
    let slot = app
        .slots_between(lawyer, now + Duration::days(2), now + Duration::days(3))
        .await[0];
    let payment = app.paid_payment(client, lawyer).await;
    let session: Value = app.book(client, &payment, slot).await.json().await.unwrap();
    let id = session["id"].as_str().unwrap().to_owned();
    store::record_event(
        &app.db,
        id.parse().unwrap(),
        Some(client.id),
        "joined",
        slot + Duration::minutes(1),
        json!({}),
    )
    .await
    .unwrap();
    app.clock.set(slot + Duration::minutes(80));
    worker::tick(&app.state).await.unwrap();
    (id, slot, payment)
}

#[sqlx::test]
async fn a_no_show_report_carries_the_attendance_once_and_only_inside_its_window(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "8001", 20_000).await;
    let client = app.register("CLIENT").await;
    let (session, slot, _) = missed_session(&app, &client, &lawyer).await;
    let report = format!("/api/sessions/{session}/no-show");
    let res = client
        .post(&report, &json!({"body": "A advogada não entrou na sala."}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let ticket: Value = res.json().await.unwrap();
    assert_eq!(ticket["attendance"]["client_joined"], true);
    assert_eq!(ticket["attendance"]["lawyer_joined"], false);
    assert_eq!(ticket["attendance"]["session"]["status"], "no_show");
    assert_eq!(
        ticket["attendance"]["events"][0]["user_id"],
        client.id.to_string()
    );
    assert_eq!(
        error_code(client.post(&report, &json!({"body": "again"})).await).await,
        "already_reported"
    );
    let outsider = app.register("CLIENT").await;
    assert_eq!(
        outsider
            .post(&report, &json!({"body": "me too"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    app.clock
        .set(slot + Duration::minutes(60) + Duration::hours(49));
    let res = lawyer.post(&report, &json!({"body": "late report"})).await;
    assert_eq!(error_code(res).await, "report_window_closed");

    let future_client = app.register("CLIENT").await;
    app.clock.set(chrono::Utc::now());
    let now = chrono::Utc::now();
    let later = app
        .slots_between(&lawyer, now + Duration::days(5), now + Duration::days(6))
        .await[0];
    let payment = app.paid_payment(&future_client, &lawyer).await;
    let upcoming: Value = app
        .book(&future_client, &payment, later)
        .await
        .json()
        .await
        .unwrap();
    let res = future_client
        .post(
            &format!("/api/sessions/{}/no-show", upcoming["id"].as_str().unwrap()),
            &json!({"body": "early"}),
        )
        .await;
    assert_eq!(error_code(res).await, "too_early");
}

#[sqlx::test]
async fn an_admin_resolves_a_no_show_with_a_refund_and_the_reporter_sees_the_outcome(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "8002", 20_000).await;
    let client = app.register("CLIENT").await;
    let (session, _, payment) = missed_session(&app, &client, &lawyer).await;
    let ticket: Value = client
        .post(
            &format!("/api/sessions/{session}/no-show"),
            &json!({"body": "Ninguém apareceu."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = ticket["id"].as_str().unwrap();
    let queue: Vec<Value> = admin.get("/api/admin/support").await.json().await.unwrap();
    assert!(queue.iter().any(|t| t["id"] == id));
    let res = admin
        .post(
            &format!("/api/admin/support/{id}/resolve"),
            &json!({"outcome": "refund_client", "note": "A advogada não compareceu."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.await_payment(&client, &payment, "refunded").await;
    let seen: Value = client
        .get(&format!("/api/support/tickets/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (seen["status"].as_str(), seen["outcome"].as_str()),
        (Some("resolved"), Some("refund_client"))
    );
    assert_eq!(seen["resolution_note"], "A advogada não compareceu.");
    let again = admin
        .post(
            &format!("/api/admin/support/{id}/resolve"),
            &json!({"outcome": "dismiss", "note": "twice"}),
        )
        .await;
    assert_eq!(error_code(again).await, "already_resolved");
    let audit: Vec<Value> = admin
        .get(&format!("/api/admin/audit?subject_id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit[0]["action"], "support.resolved");
    assert_eq!(audit[0]["details"]["outcome"], "refund_client");

    // The lawyer's own report on the same session cannot be "refunded" again: the admin is
    // told, and the ticket stays open for another outcome.
    let second: Value = lawyer
        .post(
            &format!("/api/sessions/{session}/no-show"),
            &json!({"body": "O cliente diz que eu faltei."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let second = second["id"].as_str().unwrap();
    let refused = admin
        .post(
            &format!("/api/admin/support/{second}/resolve"),
            &json!({"outcome": "refund_client", "note": "Reembolso em dobro?"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(refused).await, "nothing_to_refund");
    let still: Value = lawyer
        .get(&format!("/api/support/tickets/{second}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "open");
}

#[sqlx::test]
async fn the_contact_form_keeps_tickets_private_to_their_author(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (alice, bob) = (app.register("CLIENT").await, app.register("PARTNER").await);
    let res = alice
        .post(
            "/api/support/tickets",
            &json!({"subject": "Recibo", "body": "Preciso de uma segunda via."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let ticket: Value = res.json().await.unwrap();
    let path = format!("/api/support/tickets/{}", ticket["id"].as_str().unwrap());
    assert_eq!(bob.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(alice.get(&path).await.status(), StatusCode::OK);
    let mine: Vec<Value> = bob.get("/api/support/tickets").await.json().await.unwrap();
    assert!(mine.is_empty());
    let res = alice
        .post(
            "/api/support/tickets",
            &json!({"subject": " ", "body": "x"}),
        )
        .await;
    assert_eq!(error_code(res).await, "invalid_subject");
}
