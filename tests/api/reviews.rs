use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{error_code, TestApp};

#[sqlx::test]
async fn each_party_reviews_once_and_only_reviews_of_lawyers_rank_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "7001", 20_000).await;
    let client = app.register("CLIENT").await;
    let session = app.completed_session(&client, &lawyer).await;
    let review = format!("/api/sessions/{session}/review");
    let res = client
        .post(
            &review,
            &json!({"rating": 5, "comment": "Muito clara e objetiva."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let again = client
        .post(&review, &json!({"rating": 1, "comment": "changed my mind"}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(again).await, "review_exists");
    assert_eq!(
        lawyer.post(&review, &json!({"rating": 4})).await.status(),
        StatusCode::CREATED,
        "the lawyer may review the client"
    );
    let rating: Value = app
        .anonymous()
        .get(&format!("/api/lawyers/{}/rating", lawyer.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (rating["count"].as_i64(), rating["mean"].as_f64()),
        (Some(1), Some(5.0))
    );
    assert!(
        (rating["bayesian"].as_f64().unwrap() - 25.0 / 6.0).abs() < 1e-9,
        "(5·4 + 5) / (5 + 1)"
    );
    assert_eq!(rating["distribution"], json!([0, 0, 0, 0, 1]));
    let public: Vec<Value> = app
        .anonymous()
        .get(&format!("/api/lawyers/{}/reviews", lawyer.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0]["comment"], "Muito clara e objetiva.");
    // What the lawyer wrote about the client is not public under the client's id.
    let about_client = app
        .anonymous()
        .get(&format!("/api/lawyers/{}/reviews", client.id))
        .await;
    assert_eq!(about_client.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn reviews_need_a_completed_session_of_ones_own_within_the_window(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "7002", 20_000).await;
    let client = app.register("CLIENT").await;
    let (scheduled, _) = app.booked_session(&client, &lawyer).await;
    let res = client
        .post(
            &format!("/api/sessions/{scheduled}/review"),
            &json!({"rating": 5}),
        )
        .await;
    assert_eq!(error_code(res).await, "session_not_completed");

    let other_client = app.register("CLIENT").await;
    let session = app.completed_session(&other_client, &lawyer).await;
    let review = format!("/api/sessions/{session}/review");
    assert_eq!(
        client.post(&review, &json!({"rating": 5})).await.status(),
        StatusCode::NOT_FOUND,
        "not a party"
    );
    let res = other_client.post(&review, &json!({"rating": 6})).await;
    assert_eq!(error_code(res).await, "invalid_rating");
    let res = other_client
        .post(&review, &json!({"rating": 4, "comment": "x".repeat(2001)}))
        .await;
    assert_eq!(error_code(res).await, "invalid_comment");
    app.clock.set(chrono::Utc::now() + Duration::days(20));
    let res = other_client.post(&review, &json!({"rating": 4})).await;
    assert_eq!(error_code(res).await, "review_window_closed");
}

#[sqlx::test]
async fn the_reviewed_lawyer_replies_once(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "7003", 20_000).await;
    let someone_else = app.verified_lawyer(&admin, "7004", 20_000).await;
    let client = app.register("CLIENT").await;
    let session = app.completed_session(&client, &lawyer).await;
    let review: Value = client
        .post(
            &format!("/api/sessions/{session}/review"),
            &json!({"rating": 3}),
        )
        .await
        .json()
        .await
        .unwrap();
    let reply = format!("/api/reviews/{}/reply", review["id"].as_str().unwrap());
    assert_eq!(
        someone_else
            .post(&reply, &json!({"text": "Not mine"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = lawyer
        .post(&reply, &json!({"text": "Obrigada pelo retorno."}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let again = lawyer.post(&reply, &json!({"text": "Edited"})).await;
    assert_eq!(error_code(again).await, "reply_exists");
    let public: Vec<Value> = app
        .anonymous()
        .get(&format!("/api/lawyers/{}/reviews", lawyer.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public[0]["lawyer_reply"], "Obrigada pelo retorno.");
}

#[sqlx::test]
async fn a_hidden_review_leaves_the_aggregate_and_moderation_is_audited(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "7005", 20_000).await;
    let (a, b) = (app.register("CLIENT").await, app.register("CLIENT").await);
    let s1 = app.completed_session(&a, &lawyer).await;
    app.clock.set(chrono::Utc::now());
    let s2 = app.completed_session(&b, &lawyer).await;
    a.post(&format!("/api/sessions/{s1}/review"), &json!({"rating": 5}))
        .await;
    let abusive: Value = b
        .post(
            &format!("/api/sessions/{s2}/review"),
            &json!({"rating": 1, "comment": "contains the lawyer's home address"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = abusive["id"].as_str().unwrap();
    let rating = |app: &TestApp| {
        let (http, url) = (
            app.anonymous(),
            format!("/api/lawyers/{}/rating", lawyer.id),
        );
        async move { http.get(&url).await.json::<Value>().await.unwrap() }
    };
    assert_eq!(rating(&app).await["count"], 2);
    let res = admin
        .post(
            &format!("/api/admin/reviews/{id}/hide"),
            &json!({"reason": "personal_data", "note": "publishes a home address"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = rating(&app).await;
    assert_eq!(
        (after["count"].as_i64(), after["mean"].as_f64()),
        (Some(1), Some(5.0))
    );
    let res = admin
        .post(
            &format!("/api/admin/reviews/{id}/hide"),
            &json!({"reason": "i_disagree", "note": "bad review"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "moderation follows policy, not sentiment"
    );
    let log: Vec<Value> = admin
        .get(&format!("/api/admin/audit?subject_id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["action"], "review.hidden");
    assert_eq!(
        (
            log[0]["reason"].as_str(),
            log[0]["details"]["policy"].as_str()
        ),
        (Some("publishes a home address"), Some("personal_data"))
    );
    admin
        .post(
            &format!("/api/admin/reviews/{id}/restore"),
            &json!({"note": "address removed from the record"}),
        )
        .await;
    assert_eq!(rating(&app).await["count"], 2);
    // The text itself never changed.
    let hidden: Vec<Value> = admin.get("/api/admin/reviews").await.json().await.unwrap();
    assert!(hidden
        .iter()
        .any(|r| r["comment"] == "contains the lawyer's home address"));
}
