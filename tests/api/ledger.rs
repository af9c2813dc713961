//! Earnings and commissions from completed sessions, holds, payouts, refunds after
//! payout, and the totals reconciling.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::TestApp;

#[sqlx::test]
async fn commissions_come_from_the_service_fee_and_a_refund_after_payout_nets_in_the_next_statement(
    db: PgPool,
) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let partner = app.register("PARTNER").await;
    let client_code = app.invite(&partner, "client").await;
    let lawyer_code = app.invite(&partner, "lawyer").await;
    let client = app
        .register_via("CLIENT", &app.visit(&client_code).await)
        .await;
    let lawyer_account = app
        .register_via("LAWYER", &app.visit(&lawyer_code).await)
        .await;
    let lawyer = app
        .verified_lawyer_account(&admin, lawyer_account, "9001", 20_000)
        .await;
    let session = app.completed_session(&client, &lawyer).await;

    // Completed: the lawyer earns the whole fee; the partner 20 % of the R$ 20 service fee plus the flat R$ 50.
    let report: Value = partner
        .get("/api/partner/reports")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            report["referred_clients"].as_i64(),
            report["referred_lawyers"].as_i64(),
            report["clicks"].as_i64()
        ),
        (Some(1), Some(1), Some(2))
    );
    assert_eq!(report["paid_consultations"], 1);
    assert_eq!(report["commissions"]["pending_cents"], 400 + 5_000);
    let statement: Value = lawyer
        .get("/api/lawyer/statement")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        statement["totals"]["pending_cents"], 20_000,
        "the lawyer's fee in full"
    );
    // Nothing is payable during the hold.
    let early = admin
        .post("/api/admin/payouts", &json!({"beneficiary_id": partner.id}))
        .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);

    app.clock.set(chrono::Utc::now() + Duration::days(12));
    let payout: Value = admin
        .post("/api/admin/payouts", &json!({"beneficiary_id": partner.id}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (payout["amount_cents"].as_i64(), payout["entries"].as_i64()),
        (Some(5_400), Some(2))
    );
    let paid = admin
        .post(
            &format!("/api/admin/payouts/{}/paid", payout["id"].as_str().unwrap()),
            &json!({"reference": "PIX E123456789"}),
        )
        .await;
    assert_eq!(paid.status(), StatusCode::OK);
    let since = (chrono::Utc::now() - Duration::days(60))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let wide = &format!("/api/partner/reports?from={since}");
    let report: Value = partner.get(wide).await.json().await.unwrap();
    assert_eq!(
        (
            report["commissions"]["paid_cents"].as_i64(),
            report["commissions"]["pending_cents"].as_i64()
        ),
        (Some(5_400), Some(0))
    );

    // Support later refunds the client: the session's earnings are reversed, after payout.
    let ticket: Value = client
        .post(
            "/api/support/tickets",
            &json!({"subject": "Reclamação", "body": "Quero reembolso."}),
        )
        .await
        .json()
        .await
        .unwrap();
    sqlx::query("UPDATE support_tickets SET session_id = $2 WHERE id = $1")
        .bind(
            ticket["id"]
                .as_str()
                .unwrap()
                .parse::<uuid::Uuid>()
                .unwrap(),
        )
        .bind(session.parse::<uuid::Uuid>().unwrap())
        .execute(&db)
        .await
        .unwrap();
    let res = admin
        .post(
            &format!(
                "/api/admin/support/{}/resolve",
                ticket["id"].as_str().unwrap()
            ),
            &json!({"outcome": "refund_client", "note": "atendimento insatisfatório"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let payment: String =
        sqlx::query_scalar("SELECT payment_id::text FROM legal_sessions WHERE id = $1::uuid")
            .bind(&session)
            .fetch_one(&db)
            .await
            .unwrap();
    app.await_payment(&client, &payment, "refunded").await;

    let report: Value = partner.get(wide).await.json().await.unwrap();
    assert_eq!(
        report["commissions"]["paid_cents"], 5_400,
        "what was paid stays paid"
    );
    assert_eq!(
        report["commissions"]["approved_cents"], -400,
        "the negative entry nets in the next statement"
    );
    assert_eq!(
        report["commissions"]["net_cents"], 5_000,
        "the lawyer bonus stands; the client commission is reversed"
    );
    let statement: Value = lawyer
        .get(&format!("/api/lawyer/statement?from={since}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statement["totals"]["net_cents"], 0);
    // The next payout for the partner nets nothing positive: refused.
    assert_eq!(
        admin
            .post("/api/admin/payouts", &json!({"beneficiary_id": partner.id}))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let csv = partner
        .get(&format!("{wide}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("created_at,kind,state,amount_cents")
            && csv.contains(",reversal,approved,-400,"),
        "{csv}"
    );

    // Totals reconcile: entries = statements = payouts.
    let (entries_sum, paid_out, in_payouts): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries)::bigint,
                (SELECT coalesce(sum(amount_cents), 0) FROM payouts)::bigint,
                (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE payout_id IS NOT NULL)::bigint",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let statements = report["commissions"]["net_cents"].as_i64().unwrap()
        + statement["totals"]["net_cents"].as_i64().unwrap();
    assert_eq!(entries_sum, statements);
    assert_eq!(paid_out, in_payouts);
}

#[sqlx::test]
async fn admins_change_the_commission_rules_with_history(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let rules: Value = admin
        .get("/api/admin/commission-rules")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        rules,
        json!({"client_service_fee_bps": 2000, "lawyer_flat_cents": 5000, "hold_days": 7})
    );
    let res = admin
        .send(
            reqwest::Method::PUT,
            "/api/admin/commission-rules",
            Some(&json!({"client_service_fee_bps": 2500, "lawyer_flat_cents": 0, "hold_days": 14})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bad = admin
        .send(
            reqwest::Method::PUT,
            "/api/admin/commission-rules",
            Some(
                &json!({"client_service_fee_bps": 20000, "lawyer_flat_cents": 0, "hold_days": 14}),
            ),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let history: i64 = sqlx::query_scalar("SELECT count(*) FROM commission_rules")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(history, 2);
    let err = sqlx::query("UPDATE commission_rules SET hold_days = 0")
        .execute(&db)
        .await
        .unwrap_err();
    assert_eq!(
        tribuna_api::violated_constraint(&err),
        Some("commission_rules_append_only")
    );
}
