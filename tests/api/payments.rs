use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use tribuna_stripe_standin::sign;

use crate::helpers::{error_code, TestApp};

async fn audit_count(db: &PgPool, action: &str, subject: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2")
        .bind(action)
        .bind(subject)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_full_paid_flow_ends_with_a_room_token(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3001", 20_000).await;
    let client = app.register("CLIENT").await;

    let checkout = app.checkout(&client, &lawyer).await;
    assert_eq!(
        (
            checkout["lawyer_fee_cents"].as_i64(),
            checkout["service_fee_cents"].as_i64()
        ),
        (Some(20_000), Some(2_000))
    );
    let url = checkout["checkout_url"].as_str().unwrap();
    assert!(url.starts_with(&app.stand_in.base_url), "{url}");
    // The stand-in's page shows the two separate lines.
    let page = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Honorários")
            && page.contains("Taxa de serviço")
            && page.contains("R$ 220,00"),
        "{page}"
    );
    // A second click while the first checkout is open returns the same one.
    let again = app.checkout(&client, &lawyer).await;
    assert_eq!(again["payment_id"], checkout["payment_id"]);
    let customer: Option<String> =
        sqlx::query_scalar("SELECT stripe_customer_id FROM users WHERE id = $1")
            .bind(client.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(customer.unwrap().starts_with("cus_"));

    assert_eq!(app.pay(url, "paid").await, StatusCode::SEE_OTHER);
    let payment_id = checkout["payment_id"].as_str().unwrap();
    let paid = app.await_payment(&client, payment_id, "paid").await;
    assert!(paid["session_id"].is_null());

    let start = app.slots(&lawyer).await[2];
    let res = app.book(&client, payment_id, start).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let session: Value = res.json().await.unwrap();
    let session_id = session["id"].as_str().unwrap();
    assert_eq!(session["status"], "scheduled");

    // The room opens ten minutes before the start, for the two parties only.
    let join = format!("/api/sessions/{session_id}/join");
    assert_eq!(error_code(client.get(&join).await).await, "not_open_yet");
    app.clock.set(start - chrono::Duration::minutes(5));
    for party in [&client, &lawyer] {
        let ticket: Value = party.get(&join).await.json().await.unwrap();
        let grant = app
            .state
            .services
            .room_tokens
            .verify(
                ticket["token"].as_str().unwrap(),
                session_id,
                app.state.now(),
            )
            .expect("a valid room token");
        assert_eq!(grant.identity, party.id.to_string());
        assert!(ticket["signaling_url"].as_str().unwrap().ends_with("/ws"));
    }
    let outsider = app.register("CLIENT").await;
    assert_eq!(outsider.get(&join).await.status(), StatusCode::NOT_FOUND);
    app.clock.set(start + chrono::Duration::minutes(60 + 15));
    assert_eq!(client.get(&join).await.status(), StatusCode::GONE);
    for action in ["payment.checkout_started", "payment.paid"] {
        assert_eq!(audit_count(&db, action, payment_id).await, 1, "{action}");
    }
    assert_eq!(audit_count(&db, "session.scheduled", session_id).await, 1);
}

#[sqlx::test]
async fn webhooks_with_a_bad_or_stale_signature_change_nothing_and_replays_have_no_second_effect(
    db: PgPool,
) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3002", 20_000).await;
    let client = app.register("CLIENT").await;
    let payment_id = app.paid_payment(&client, &lawyer).await;
    let paid_event = app
        .stand_in
        .event_ids()
        .into_iter()
        .last()
        .expect("the completion event");
    let events_before: i64 = sqlx::query_scalar("SELECT count(*) FROM stripe_events")
        .fetch_one(&db)
        .await
        .unwrap();

    // A forged copy of an event: right shape, wrong secret.
    let forged = json!({"id": "evt_forged", "object": "event", "type": "checkout.session.expired", "created": Utc::now().timestamp(),
        "data": {"object": {"id": "cs_x", "client_reference_id": payment_id}}});
    let http = reqwest::Client::new();
    let hook = format!("{}/api/webhooks/stripe", app.url);
    let send = |body: String, signature: String| {
        http.post(&hook)
            .header("stripe-signature", signature)
            .body(body)
            .send()
    };
    let res = send(
        forged.to_string(),
        sign(&forged.to_string(), "whsec_wrong", Utc::now().timestamp()),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(res).await, "invalid_signature");
    let res = http
        .post(&hook)
        .body(forged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "missing_signature");

    let res = send(forged.to_string(), "t=oops".to_owned()).await.unwrap();
    assert_eq!(error_code(res).await, "invalid_signature");

    let events_after: i64 = sqlx::query_scalar("SELECT count(*) FROM stripe_events")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        events_after, events_before,
        "refused events are not recorded"
    );

    // Stripe redelivers the completion: acknowledged, no second effect.
    assert_eq!(app.stand_in.redeliver(&paid_event).await.unwrap(), 200);
    assert_eq!(audit_count(&db, "payment.paid", &payment_id).await, 1);
    let status: String = sqlx::query_scalar("SELECT status FROM payments WHERE id = $1::uuid")
        .bind(&payment_id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "paid");
}

#[sqlx::test]
async fn a_stale_but_correctly_signed_webhook_is_refused(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3003", 20_000).await;
    let client = app.register("CLIENT").await;
    let checkout = app.checkout(&client, &lawyer).await;
    app.pay(checkout["checkout_url"].as_str().unwrap(), "paid")
        .await;
    let payment_id = checkout["payment_id"].as_str().unwrap();
    app.await_payment(&client, payment_id, "paid").await;
    // The server's clock runs ten minutes ahead of the signer's: the same delivery is now stale.
    app.clock.set(Utc::now() + chrono::Duration::minutes(10));
    let event = app.stand_in.event_ids().into_iter().last().unwrap();
    assert_eq!(app.stand_in.redeliver(&event).await.unwrap(), 400);
}

#[sqlx::test]
async fn boleto_and_pix_settle_later_as_paid_or_failed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3004", 20_000).await;
    for (outcome, final_status) in [("succeeded", "paid"), ("failed", "failed")] {
        let client = app.register("CLIENT").await;
        let checkout = app.checkout(&client, &lawyer).await;
        let url = checkout["checkout_url"].as_str().unwrap();
        let payment_id = checkout["payment_id"].as_str().unwrap();
        app.pay(url, "pending").await;
        app.await_payment(&client, payment_id, "processing").await;
        let slot = app.slots(&lawyer).await[0];
        let res = app.book(&client, payment_id, slot).await;
        assert_eq!(
            error_code(res).await,
            "payment_not_paid",
            "a pending Boleto books nothing"
        );
        app.settle(url, outcome).await;
        app.await_payment(&client, payment_id, final_status).await;
    }
}

#[sqlx::test]
async fn an_expired_checkout_expires_the_payment(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3005", 20_000).await;
    let client = app.register("CLIENT").await;
    let checkout = app.checkout(&client, &lawyer).await;
    let payment_id = checkout["payment_id"].as_str().unwrap();
    let session: String =
        sqlx::query_scalar("SELECT stripe_checkout_session_id FROM payments WHERE id = $1::uuid")
            .bind(payment_id)
            .fetch_one(&db)
            .await
            .unwrap();
    app.state
        .services
        .payments
        .as_ref()
        .unwrap()
        .expire_checkout(&session)
        .await
        .unwrap();
    app.await_payment(&client, payment_id, "expired").await;
    // Paying an expired checkout is impossible.
    assert_eq!(
        app.pay(checkout["checkout_url"].as_str().unwrap(), "paid")
            .await,
        StatusCode::CONFLICT
    );
}

#[sqlx::test]
async fn fifty_clients_race_for_one_slot_and_exactly_one_wins(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3006", 20_000).await;
    let mut racers = Vec::new();
    for _ in 0..50 {
        let client = app.register("CLIENT").await;
        let payment = app.paid_payment(&client, &lawyer).await;
        racers.push((client, payment));
    }
    let slot = app.slots(&lawyer).await[5];
    let attempts = racers
        .iter()
        .map(|(client, payment)| app.book(client, payment, slot));
    let results = futures::future::join_all(attempts).await;
    let mut created = 0;
    for res in results {
        match res.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(error_code(res).await, "slot_taken"),
            // Validation may already see the winner's session.
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert_eq!(error_code(res).await, "slot_unavailable")
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM legal_sessions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
    let (paid, unused): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM legal_sessions s WHERE s.payment_id = p.id)) FROM payments p WHERE status = 'paid'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (paid, unused),
        (50, 49),
        "every loser keeps a paid, unused payment"
    );
}

#[sqlx::test]
async fn scheduling_needs_ones_own_paid_unused_payment(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3007", 20_000).await;
    let alice = app.register("CLIENT").await;
    let bob = app.register("CLIENT").await;
    let slots = app.slots(&lawyer).await;
    let unpaid = app.checkout(&alice, &lawyer).await;
    let res = app
        .book(&alice, unpaid["payment_id"].as_str().unwrap(), slots[0])
        .await;
    assert_eq!(error_code(res).await, "payment_not_paid");
    let paid = app.paid_payment(&bob, &lawyer).await;
    let res = app.book(&alice, &paid, slots[0]).await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "another client's payment is not even visible"
    );
    let res = app
        .book(&bob, &paid, slots[0] + chrono::Duration::minutes(30))
        .await;
    assert_eq!(error_code(res).await, "slot_unavailable");
    assert_eq!(
        app.book(&bob, &paid, slots[0]).await.status(),
        StatusCode::CREATED
    );
    let res = app.book(&bob, &paid, slots[3]).await;
    assert_eq!(error_code(res).await, "payment_used");
    let res = lawyer
        .post(
            "/api/sessions/schedule",
            &json!({"payment_id": paid, "start": slots[4]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "lawyers do not book");
}

#[sqlx::test]
async fn a_client_with_an_unbooked_paid_payment_is_not_charged_twice(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3008", 20_000).await;
    let client = app.register("CLIENT").await;
    let paid = app.paid_payment(&client, &lawyer).await;
    let request = app.checkout_body(&client, &lawyer).await;
    let again = client.post("/api/checkout/create-session", &request).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "paid_payment_unused");
    assert!(body["error"]["message"].as_str().unwrap().contains(&paid));
    let payments: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(payments, 1);
    let receipt: Value = client
        .get(&format!("/api/payments/{paid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            receipt["lawyer_name"].as_str(),
            receipt["total_cents"].as_i64()
        ),
        (Some("Test LAWYER"), Some(22_000))
    );
    // Once it books a session, paying for another consultation is fine again.
    let slot = app.slots(&lawyer).await[0];
    app.book(&client, &paid, slot).await;
    let r = client.post("/api/checkout/create-session", &request).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
}

#[sqlx::test]
async fn admins_list_legal_mode_sessions_with_their_recording_state(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3009", 20_000).await;
    let client = app.register("CLIENT").await;
    let slots = app.slots(&lawyer).await;
    let legal = app.paid_payment(&client, &lawyer).await;
    client
        .post(
            "/api/sessions/schedule",
            &json!({"payment_id": legal, "start": slots[0], "legal_mode": true}),
        )
        .await;
    let plain = app.paid_payment(&client, &lawyer).await;
    app.book(&client, &plain, slots[3]).await;
    let list: Vec<Value> = admin
        .get("/api/admin/recordings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1, "only the Legal Mode session");
    assert_eq!(list[0]["recording"], "not_recorded");
}

#[sqlx::test]
async fn a_checkout_the_provider_refuses_fails_the_payment_and_ends_its_terms(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "3099", 20_000).await;
    let client = app.register("CLIENT").await;
    // Two days ahead, the checkout's expiry is beyond what Stripe (and the stand-in) accepts.
    app.clock
        .set(chrono::Utc::now() + chrono::Duration::days(2));
    let request = app.checkout_body(&client, &lawyer).await;
    let res = client.post("/api/checkout/create-session", &request).await;
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(error_code(res).await, "payment_provider_error");
    let (payment, terms): (String, String) = sqlx::query_as(
        "SELECT p.status, c.status FROM payments p JOIN contracts c ON c.payment_id = p.id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((payment.as_str(), terms.as_str()), ("failed", "terminated"));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'payment.failed'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}
