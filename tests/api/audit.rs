use std::process::Command;

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{database_url, TestApp};

fn audit_verify(db: &PgPool) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tribuna"))
        .args(["audit", "verify"])
        .env("TRIBUNA_DATABASE_URL", database_url(db))
        .env("TRIBUNA_WEB_BUILD", "false")
        .output()
        .expect("tribuna runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[sqlx::test]
async fn state_changes_are_audited_with_who_what_and_why(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.register("LAWYER").await;
    admin
        .post(
            &format!("/api/admin/users/{}/suspend", lawyer.id),
            &json!({"reason": "OAB number does not exist"}),
        )
        .await;
    let entries: Vec<Value> = admin
        .get(&format!("/api/admin/audit?subject_id={}", lawyer.id))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["user.suspended", "user.registered"],
        "newest first"
    );
    assert_eq!(entries[0]["actor_id"], admin.id.to_string());
    assert_eq!(entries[0]["actor_role"], "ADMIN");
    assert_eq!(entries[0]["reason"], "OAB number does not exist");
    assert_eq!(entries[0]["prev_hash"].as_str().unwrap().len(), 64);
    let by_action: Vec<Value> = admin
        .get("/api/admin/audit?action=admin.created")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_action.len(), 1);
}

#[sqlx::test]
async fn concurrent_writers_never_fork_the_chain(db: PgPool) {
    let writers = (0..24).map(|n| {
        let db = db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let event = tribuna_api::audit::AuditEvent {
                actor: None,
                action: "test.concurrent",
                subject_kind: "test",
                subject_id: n.to_string(),
                reason: None,
                details: json!({"n": n}),
            };
            tribuna_api::audit::record(&mut tx, event, chrono::Utc::now())
                .await
                .unwrap();
            tx.commit().await.unwrap();
        })
    });
    for w in writers {
        w.await.unwrap();
    }
    let report = tribuna_api::audit::verify(&db, |_| {}).await.unwrap();
    assert!(report.intact, "{report:?}");
    assert_eq!(report.rows_checked, 24);
}

#[sqlx::test]
async fn a_row_altered_behind_the_triggers_back_is_named_by_audit_verify(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    for _ in 0..3 {
        app.register("CLIENT").await;
    }
    let (ok, out) = audit_verify(&db);
    assert!(ok, "{out}");
    assert!(out.contains("intact: 5 rows"), "{out}");
    let report: Value = admin
        .get("/api/admin/audit/verify")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["intact"], true);

    // Rows: 1 admin.created, 2 auth.login, 3-5 user.registered.
    // The table owner switches the guard off and quietly rewrites history.
    let mut tx = db.begin().await.unwrap();
    for sql in [
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "UPDATE audit_log SET details = jsonb_set(details, '{role}', '\"ADMIN\"') WHERE seq = 3",
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();

    let (ok, out) = audit_verify(&db);
    assert!(!ok, "verify must fail: {out}");
    assert!(out.contains("BROKEN at row 3"), "{out}");
    let res = admin.get("/api/admin/audit/verify").await;
    assert_eq!(res.status(), StatusCode::OK);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_bad_seq"], 3);
    assert_eq!(report["rows_checked"], 2);
}
