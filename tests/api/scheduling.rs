use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use tribuna_api::scheduling::{store, worker};

use crate::helpers::{error_code, TestApp};

#[sqlx::test]
async fn a_client_cancelling_a_day_ahead_is_refunded_and_later_is_refused(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4001", 20_000).await;
    let client = app.register("CLIENT").await;
    let now = chrono::Utc::now();
    let slots = app
        .slots_between(&lawyer, now + Duration::days(3), now + Duration::days(5))
        .await;

    let early = app.paid_payment(&client, &lawyer).await;
    let session: Value = app
        .book(&client, &early, slots[0])
        .await
        .json()
        .await
        .unwrap();
    let cancel = format!("/api/sessions/{}/cancel", session["id"].as_str().unwrap());
    let res = client
        .post(&cancel, &json!({"reason": "não poderei comparecer"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["refund"].as_str(), body["session"]["status"].as_str()),
        (Some("refunded"), Some("cancelled"))
    );
    let payment = app.await_payment(&client, &early, "refunded").await;
    assert_eq!(
        payment["refunded_cents"], 22_000,
        "the lawyer's fee and the service fee"
    );
    assert_eq!(
        client
            .post(&cancel, &json!({"reason": "again"}))
            .await
            .status(),
        StatusCode::CONFLICT
    );

    let late = app.paid_payment(&client, &lawyer).await;
    let session: Value = app
        .book(&client, &late, slots[1])
        .await
        .json()
        .await
        .unwrap();
    let session_id = session["id"].as_str().unwrap();
    app.clock.set(slots[1] - Duration::hours(3));
    let res = client
        .post(
            &format!("/api/sessions/{session_id}/cancel"),
            &json!({"reason": "imprevisto"}),
        )
        .await;
    assert_eq!(error_code(res).await, "too_late_to_cancel");
    app.await_payment(&client, &late, "paid").await;

    // The lawyer may cancel at any time, and the client is refunded in full.
    let res = lawyer
        .post(
            &format!("/api/sessions/{session_id}/cancel"),
            &json!({"reason": "audiência marcada"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.await_payment(&client, &late, "refunded").await;
    let refunds: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'payment.refunded'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        refunds, 2,
        "each refund recorded once, though both the API answer and the webhook report it"
    );
}

#[sqlx::test]
async fn rescheduling_moves_the_session_and_bumps_the_calendar_sequence(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4002", 20_000).await;
    let client = app.register("CLIENT").await;
    let now = chrono::Utc::now();
    let slots = app
        .slots_between(&lawyer, now + Duration::days(3), now + Duration::days(5))
        .await;
    let payment = app.paid_payment(&client, &lawyer).await;
    let session: Value = app
        .book(&client, &payment, slots[0])
        .await
        .json()
        .await
        .unwrap();
    let id = session["id"].as_str().unwrap();
    let ics = client
        .get(&format!("/api/sessions/{id}/calendar.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains(&format!("UID:{id}@tribuna"))
            && ics.contains("SEQUENCE:0")
            && ics.contains("ORGANIZER;CN=Tribuna:mailto:")
            && ics.contains("STATUS:CONFIRMED"),
        "{ics}"
    );

    let res = client
        .post(
            &format!("/api/sessions/{id}/reschedule"),
            &json!({"start": slots[5]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let moved: Value = res.json().await.unwrap();
    assert_eq!(
        moved["start"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        slots[5]
    );
    let ics = lawyer
        .get(&format!("/api/sessions/{id}/calendar.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains(&format!("UID:{id}@tribuna")) && ics.contains("SEQUENCE:1"),
        "same UID, next sequence: {ics}"
    );
    assert!(
        app.slots_between(&lawyer, now + Duration::days(3), now + Duration::days(5))
            .await
            .contains(&slots[0]),
        "the old slot is free again"
    );

    lawyer
        .post(
            &format!("/api/sessions/{id}/cancel"),
            &json!({"reason": "doença"}),
        )
        .await;
    let ics = client
        .get(&format!("/api/sessions/{id}/calendar.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains("SEQUENCE:2")
            && ics.contains("STATUS:CANCELLED")
            && ics.contains("METHOD:CANCEL"),
        "{ics}"
    );
    let outsider = app.register("CLIENT").await;
    assert_eq!(
        outsider
            .get(&format!("/api/sessions/{id}/calendar.ics"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test]
async fn the_clock_and_attendance_drive_the_lifecycle_and_reminders(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4003", 20_000).await;
    let client = app.register("CLIENT").await;
    let now = chrono::Utc::now();
    let slots = app
        .slots_between(&lawyer, now + Duration::days(3), now + Duration::days(5))
        .await;
    let p1 = app.paid_payment(&client, &lawyer).await;
    let attended: Value = app.book(&client, &p1, slots[0]).await.json().await.unwrap();
    let p2 = app.paid_payment(&client, &lawyer).await;
    let missed: Value = app.book(&client, &p2, slots[3]).await.json().await.unwrap();
    let (attended_id, missed_id) = (
        attended["id"].as_str().unwrap().parse().unwrap(),
        missed["id"].as_str().unwrap().parse().unwrap(),
    );

    // Confirmations go out at once; reminders wait.
    let first = worker::tick(&app.state).await.unwrap();
    assert_eq!(
        (first.messages_sent, first.sessions_advanced),
        (4, 0),
        "a confirmation to each party of each session"
    );
    app.clock.set(slots[0] - Duration::hours(24));
    assert_eq!(
        worker::tick(&app.state).await.unwrap().messages_sent,
        2,
        "the day-before reminders of the first session"
    );

    app.clock.set(slots[0] - Duration::minutes(10));
    worker::tick(&app.state).await.unwrap();
    assert_eq!(
        store::get(&db, attended_id).await.unwrap().unwrap().status,
        "lobby_open"
    );
    for who in [client.id, lawyer.id] {
        store::record_event(
            &db,
            attended_id,
            Some(who),
            "joined",
            app.state.now(),
            json!({}),
        )
        .await
        .unwrap();
    }
    worker::tick(&app.state).await.unwrap();
    assert_eq!(
        store::get(&db, attended_id).await.unwrap().unwrap().status,
        "in_progress"
    );
    app.clock.set(slots[0] + Duration::minutes(60 + 15));
    worker::tick(&app.state).await.unwrap();
    assert_eq!(
        store::get(&db, attended_id).await.unwrap().unwrap().status,
        "completed"
    );

    // Only the client shows up to the second one.
    app.clock.set(slots[3] + Duration::minutes(5));
    worker::tick(&app.state).await.unwrap();
    store::record_event(
        &db,
        missed_id,
        Some(client.id),
        "joined",
        app.state.now(),
        json!({}),
    )
    .await
    .unwrap();
    app.clock.set(slots[3] + Duration::minutes(60 + 15));
    worker::tick(&app.state).await.unwrap();
    assert_eq!(
        store::get(&db, missed_id).await.unwrap().unwrap().status,
        "no_show"
    );
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action IN ('session.lobby_opened', 'session.started', 'session.completed', 'session.no_show')")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(audited, 5);
}

#[sqlx::test]
async fn reminders_of_a_rescheduled_session_are_skipped_not_sent(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4004", 20_000).await;
    let client = app.register("CLIENT").await;
    let now = chrono::Utc::now();
    let slots = app
        .slots_between(&lawyer, now + Duration::days(3), now + Duration::days(5))
        .await;
    let payment = app.paid_payment(&client, &lawyer).await;
    let session: Value = app
        .book(&client, &payment, slots[0])
        .await
        .json()
        .await
        .unwrap();
    let id = session["id"].as_str().unwrap();
    let res = client
        .post(
            &format!("/api/sessions/{id}/reschedule"),
            &json!({"start": slots[2]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.clock.set(slots[2] - Duration::minutes(59));
    let report = worker::tick(&app.state).await.unwrap();
    // Old revision: 4 reminders skipped. New revision: 2 confirmations...
    assert_eq!(report.messages_skipped, 4, "{report:?}");
    let sent: Vec<(String, i32)> = sqlx::query_as("SELECT kind, session_revision FROM outbox_messages WHERE sent_at IS NOT NULL ORDER BY kind, session_revision")
        .fetch_all(&db)
        .await
        .unwrap();
    assert!(
        sent.iter()
            .all(|(kind, rev)| kind == "scheduled" || *rev == 1),
        "{sent:?}"
    );
    assert_eq!(
        sent.iter()
            .filter(|(k, _)| k.starts_with("reminder"))
            .count(),
        4,
        "both reminders of the new time, to both parties"
    );
}
