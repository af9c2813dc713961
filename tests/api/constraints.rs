//! Each invariant of the data model is enforced by PostgreSQL itself: these
//! tests go around the application and try to break them with plain SQL.

use sqlx::PgPool;
use uuid::Uuid;

async fn user(db: &PgPool, role: &str) -> Uuid {
    sqlx::query_scalar("INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, 'x', 'U', $2) RETURNING id")
        .bind(format!("{}@example.com", Uuid::new_v4().simple()))
        .bind(role)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn payment(db: &PgPool, client: Uuid, lawyer: Uuid, status: &str) -> Uuid {
    let paid_at = (status == "paid").then(chrono::Utc::now);
    sqlx::query_scalar(
        "INSERT INTO payments (client_id, lawyer_id, lawyer_fee_cents, service_fee_cents, status, paid_at, consultation_minutes)
         VALUES ($1, $2, 20000, 2000, $3, $4, 60) RETURNING id",
    )
    .bind(client)
    .bind(lawyer)
    .bind(status)
    .bind(paid_at)
    .fetch_one(db)
    .await
    .unwrap()
}

/// Books `payment` for `[start, end)` on 2026-12-01 (hours, UTC).
async fn book(
    db: &PgPool,
    client: Uuid,
    lawyer: Uuid,
    payment: Uuid,
    start: u32,
    end: u32,
) -> Result<Uuid, String> {
    sqlx::query_scalar(
        "INSERT INTO legal_sessions (client_id, lawyer_id, payment_id, during)
         VALUES ($1, $2, $3, tstzrange($4::timestamptz, $5::timestamptz)) RETURNING id",
    )
    .bind(client)
    .bind(lawyer)
    .bind(payment)
    .bind(format!("2026-12-01T{start:02}:00:00Z"))
    .bind(format!("2026-12-01T{end:02}:00:00Z"))
    .fetch_one(db)
    .await
    .map_err(|e| constraint(&e))
}

fn constraint(e: &sqlx::Error) -> String {
    tribuna_api::violated_constraint(e)
        .unwrap_or("<no constraint>")
        .to_owned()
}

#[sqlx::test]
async fn a_lawyer_never_has_two_overlapping_sessions(db: PgPool) {
    let (lawyer, a, b) = (
        user(&db, "LAWYER").await,
        user(&db, "CLIENT").await,
        user(&db, "CLIENT").await,
    );
    let pa = payment(&db, a, lawyer, "paid").await;
    let pb = payment(&db, b, lawyer, "paid").await;
    let first = book(&db, a, lawyer, pa, 10, 11).await.unwrap();
    assert_eq!(
        book(&db, b, lawyer, pb, 10, 12).await,
        Err("legal_sessions_lawyer_no_overlap".into())
    );
    // Back to back is fine ([10, 11) and [11, 12) do not overlap)...
    let pb2 = payment(&db, b, lawyer, "paid").await;
    book(&db, b, lawyer, pb2, 11, 12).await.unwrap();
    // ...and a cancelled session frees its slot.
    sqlx::query(
        "UPDATE legal_sessions SET status = 'cancelled', cancelled_by = client_id WHERE id = $1",
    )
    .bind(first)
    .execute(&db)
    .await
    .unwrap();
    book(&db, b, lawyer, pb, 10, 11).await.unwrap();
}

#[sqlx::test]
async fn a_client_never_has_two_overlapping_sessions(db: PgPool) {
    let (client, l1, l2) = (
        user(&db, "CLIENT").await,
        user(&db, "LAWYER").await,
        user(&db, "LAWYER").await,
    );
    let p1 = payment(&db, client, l1, "paid").await;
    let p2 = payment(&db, client, l2, "paid").await;
    book(&db, client, l1, p1, 14, 15).await.unwrap();
    assert_eq!(
        book(&db, client, l2, p2, 14, 16).await,
        Err("legal_sessions_client_no_overlap".into())
    );
}

#[sqlx::test]
async fn one_paid_payment_books_at_most_one_session(db: PgPool) {
    let (client, lawyer) = (user(&db, "CLIENT").await, user(&db, "LAWYER").await);
    let paid = payment(&db, client, lawyer, "paid").await;
    book(&db, client, lawyer, paid, 8, 9).await.unwrap();
    assert_eq!(
        book(&db, client, lawyer, paid, 12, 13).await,
        Err("legal_sessions_one_per_payment".into())
    );
    let pending = payment(&db, client, lawyer, "pending").await;
    assert_eq!(
        book(&db, client, lawyer, pending, 12, 13).await,
        Err("legal_sessions_require_paid".into())
    );
}

#[sqlx::test]
async fn a_session_cannot_use_another_clients_payment(db: PgPool) {
    let (a, b, lawyer) = (
        user(&db, "CLIENT").await,
        user(&db, "CLIENT").await,
        user(&db, "LAWYER").await,
    );
    let paid_by_a = payment(&db, a, lawyer, "paid").await;
    assert_eq!(
        book(&db, b, lawyer, paid_by_a, 8, 9).await,
        Err("legal_sessions_paid_by_client".into())
    );
}

#[sqlx::test]
async fn a_stripe_event_is_recorded_at_most_once(db: PgPool) {
    let insert = || {
        sqlx::query("INSERT INTO stripe_events (id, type, created, payload) VALUES ('evt_1', 'checkout.session.completed', now(), '{}')")
            .execute(&db)
    };
    insert().await.unwrap();
    assert_eq!(
        constraint(&insert().await.unwrap_err()),
        "stripe_events_pkey"
    );
}

async fn completed_session(db: &PgPool) -> (Uuid, Uuid, Uuid) {
    let (client, lawyer) = (user(db, "CLIENT").await, user(db, "LAWYER").await);
    let p = payment(db, client, lawyer, "paid").await;
    let session = book(db, client, lawyer, p, 9, 10).await.unwrap();
    sqlx::query("UPDATE legal_sessions SET status = 'completed' WHERE id = $1")
        .bind(session)
        .execute(db)
        .await
        .unwrap();
    (session, client, lawyer)
}

async fn review(
    db: &PgPool,
    session: Uuid,
    author: Uuid,
    subject: Uuid,
    rating: i16,
) -> Result<Uuid, String> {
    sqlx::query_scalar("INSERT INTO reviews (session_id, author_id, subject_id, rating, comment) VALUES ($1, $2, $3, $4, 'ok') RETURNING id")
        .bind(session)
        .bind(author)
        .bind(subject)
        .bind(rating)
        .fetch_one(db)
        .await
        .map_err(|e| constraint(&e))
}

#[sqlx::test]
async fn one_review_per_session_and_author_with_a_rating_from_1_to_5(db: PgPool) {
    let (session, client, lawyer) = completed_session(&db).await;
    assert_eq!(
        review(&db, session, client, lawyer, 6).await,
        Err("reviews_rating_range".into())
    );
    assert_eq!(
        review(&db, session, client, lawyer, 0).await,
        Err("reviews_rating_range".into())
    );
    review(&db, session, client, lawyer, 5).await.unwrap();
    assert_eq!(
        review(&db, session, client, lawyer, 1).await,
        Err("reviews_one_per_author".into())
    );
}

#[sqlx::test]
async fn a_reviews_rating_and_text_never_change_even_through_sql(db: PgPool) {
    let (session, client, lawyer) = completed_session(&db).await;
    let id = review(&db, session, client, lawyer, 2).await.unwrap();
    for sql in [
        "UPDATE reviews SET rating = 5 WHERE id = $1",
        "UPDATE reviews SET comment = 'great' WHERE id = $1",
        "UPDATE reviews SET author_id = subject_id, subject_id = author_id WHERE id = $1",
        "DELETE FROM reviews WHERE id = $1",
    ] {
        let err = sqlx::query(sql).bind(id).execute(&db).await.unwrap_err();
        assert_eq!(constraint(&err), "reviews_immutable", "{sql}");
    }
    let err = sqlx::query("TRUNCATE reviews")
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(constraint(&err), "reviews_append_only");
    // Moderation may hide it; the lawyer may reply once.
    sqlx::query("UPDATE reviews SET hidden = true WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    let reply = "UPDATE reviews SET lawyer_reply = $2, lawyer_reply_at = now() WHERE id = $1";
    sqlx::query(reply)
        .bind(id)
        .bind("Obrigado")
        .execute(&db)
        .await
        .unwrap();
    let err = sqlx::query(reply)
        .bind(id)
        .bind("Edited")
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(constraint(&err), "reviews_reply_once");
    let (rating, comment): (i16, String) =
        sqlx::query_as("SELECT rating, comment FROM reviews WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((rating, comment.as_str()), (2, "ok"));
}

#[sqlx::test]
async fn ledger_entries_are_append_only_but_may_join_a_payout_once(db: PgPool) {
    let (lawyer, admin) = (user(&db, "LAWYER").await, user(&db, "ADMIN").await);
    let entry: Uuid = sqlx::query_scalar(
        "INSERT INTO ledger_entries (beneficiary_id, beneficiary_kind, kind, amount_cents) VALUES ($1, 'lawyer', 'earned', 20000) RETURNING id",
    )
    .bind(lawyer)
    .fetch_one(&db)
    .await
    .unwrap();
    for sql in [
        "UPDATE ledger_entries SET amount_cents = 1 WHERE id = $1",
        "DELETE FROM ledger_entries WHERE id = $1",
    ] {
        let err = sqlx::query(sql).bind(entry).execute(&db).await.unwrap_err();
        assert_eq!(constraint(&err), "ledger_entries_append_only", "{sql}");
    }
    let payout: Uuid = sqlx::query_scalar("INSERT INTO payouts (beneficiary_id, amount_cents, created_by) VALUES ($1, 20000, $2) RETURNING id")
        .bind(lawyer)
        .bind(admin)
        .fetch_one(&db)
        .await
        .unwrap();
    let attach = "UPDATE ledger_entries SET payout_id = $2 WHERE id = $1";
    sqlx::query(attach)
        .bind(entry)
        .bind(payout)
        .execute(&db)
        .await
        .unwrap();
    let err = sqlx::query("UPDATE ledger_entries SET payout_id = NULL WHERE id = $1")
        .bind(entry)
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(
        constraint(&err),
        "ledger_entries_append_only",
        "a paid entry is locked"
    );
}

#[sqlx::test]
async fn the_audit_log_refuses_update_delete_truncate_and_forks(db: PgPool) {
    let mut tx = db.begin().await.unwrap();
    let event = |n: u32| tribuna_api::audit::AuditEvent {
        actor: None,
        action: "test.event",
        subject_kind: "test",
        subject_id: n.to_string(),
        reason: None,
        details: serde_json::json!({}),
    };
    tribuna_api::audit::record(&mut tx, event(1), chrono::Utc::now())
        .await
        .unwrap();
    tribuna_api::audit::record(&mut tx, event(2), chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for sql in [
        "UPDATE audit_log SET reason = 'x' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 2",
        "TRUNCATE audit_log",
    ] {
        let err = sqlx::query(sql).execute(&db).await.unwrap_err();
        assert_eq!(constraint(&err), "audit_log_append_only", "{sql}");
    }
    // A second row claiming the same predecessor (a fork) is refused.
    let err = sqlx::query(
        "INSERT INTO audit_log (seq, at, action, subject_kind, subject_id, prev_hash, hash)
         SELECT 2, now(), 'test.fork', 'test', 'x', hash, sha256('fork') FROM audit_log WHERE seq = 1",
    )
    .execute(&db)
    .await
    .unwrap_err();
    assert_eq!(constraint(&err), "audit_log_chain");
}
