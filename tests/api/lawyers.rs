use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{error_code, TestApp};
use crate::market::{open_week, profile};

#[sqlx::test]
async fn a_new_lawyer_is_pending_and_unlisted_until_an_admin_verifies_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.register("LAWYER").await;
    assert_eq!(
        error_code(lawyer.get("/api/lawyer/profile").await).await,
        "not_onboarded"
    );
    let res = lawyer
        .send(
            Method::PUT,
            "/api/lawyer/profile",
            Some(&profile("123.456", 25_000)),
        )
        .await;
    let own: Value = res.json().await.unwrap();
    assert_eq!(
        (
            own["verification_status"].as_str(),
            own["oab_number"].as_str()
        ),
        (Some("pending"), Some("123456"))
    );
    let anon = app.anonymous();
    assert_eq!(
        anon.get(&format!("/api/lawyers/{}", lawyer.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let queue: Vec<Value> = admin
        .get("/api/admin/lawyers?status=pending")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);

    let res = admin
        .post(
            &format!("/api/admin/lawyers/{}/verify", lawyer.id),
            &json!({"reason": "CNA lookup matches"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let card: Value = anon
        .get(&format!("/api/lawyers/{}", lawyer.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["fee_cents"], 25_000);
    assert_eq!(
        card["service_fee_cents"], 2_500,
        "10 % service fee, separate from the lawyer's fee"
    );
    assert_eq!(card["total_cents"], 27_500);
    let audit: Vec<Value> = admin
        .get("/api/admin/audit?action=lawyer.verified")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit[0]["reason"], "CNA lookup matches");

    // A changed OAB registration must be verified again.
    lawyer
        .send(
            Method::PUT,
            "/api/lawyer/profile",
            Some(&profile("654321", 25_000)),
        )
        .await;
    assert_eq!(
        anon.get(&format!("/api/lawyers/{}", lawyer.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The fee alone does not reset verification.
    let verified = admin
        .post(
            &format!("/api/admin/lawyers/{}/verify", lawyer.id),
            &json!({"reason": "checked again"}),
        )
        .await;
    assert_eq!(verified.status(), StatusCode::OK);
    let changed = lawyer
        .send(
            Method::PUT,
            "/api/lawyer/profile",
            Some(&profile("654321", 30_000)),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let card = anon.get(&format!("/api/lawyers/{}", lawyer.id)).await;
    assert_eq!(card.status(), StatusCode::OK);
    let card: Value = card.json().await.unwrap();
    assert_eq!(card["fee_cents"], 30_000, "listed with the new fee");
}

#[sqlx::test]
async fn profiles_are_validated_and_an_oab_registration_belongs_to_one_account(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let a = app.register("LAWYER").await;
    let b = app.register("LAWYER").await;
    let put = |who: &crate::helpers::Actor, body: Value| {
        let (http, base, csrf) = (
            who.http.clone(),
            who.base.clone(),
            who.csrf.clone().unwrap(),
        );
        async move {
            http.put(format!("{base}/api/lawyer/profile"))
                .header("x-csrf-token", csrf)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    for (field, value, code) in [
        ("oab_number", json!("12A34"), "invalid_oab_number"),
        ("oab_state", json!("XX"), "invalid_oab_state"),
        ("fee_cents", json!(100), "invalid_fee_cents"),
        (
            "consultation_minutes",
            json!(7),
            "invalid_consultation_minutes",
        ),
        ("time_zone", json!("Brasília"), "invalid_time_zone"),
        ("areas", json!(["astrology"]), "invalid_areas"),
    ] {
        let mut body = profile("1111", 20_000);
        body[field] = value;
        let res = put(&a, body).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(error_code(res).await, code);
    }
    assert_eq!(
        put(&a, profile("1111", 20_000)).await.status(),
        StatusCode::OK
    );
    let taken = put(&b, profile("1111", 20_000)).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(taken).await, "oab_taken");
    let bad_hours = json!({"weekly": [{"weekday": "mon", "start": "12:00", "end": "09:00"}]});
    let res = a
        .send(Method::PUT, "/api/lawyer/availability", Some(&bad_hours))
        .await;
    assert_eq!(error_code(res).await, "invalid_availability");
    let profiles: i64 = sqlx::query_scalar("SELECT count(*) FROM lawyer_profiles")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(profiles, 1);
}

#[sqlx::test]
async fn the_directory_filters_sorts_and_paginates(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let cheap = app.verified_lawyer(&admin, "1001", 15_000).await;
    let dear = app.verified_lawyer(&admin, "1002", 50_000).await;
    let mid = app.verified_lawyer(&admin, "1003", 30_000).await;
    // `mid` works in labor law only and speaks Spanish.
    let mut p = profile("1003", 30_000);
    p["areas"] = json!(["labor"]);
    p["languages"] = json!(["es"]);
    mid.send(Method::PUT, "/api/lawyer/profile", Some(&p)).await;
    // `dear` has no free hours at all.
    dear.send(
        Method::PUT,
        "/api/lawyer/availability",
        Some(&json!({"weekly": []})),
    )
    .await;
    let unverified = app.register("LAWYER").await;
    // A complete profile with open hours: only the missing verification keeps it unlisted.
    for (path, body) in [
        ("/api/lawyer/profile", profile("1004", 10_000)),
        ("/api/lawyer/availability", open_week()),
    ] {
        let res = unverified.send(Method::PUT, path, Some(&body)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }

    let anon = app.anonymous();
    let ids = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let by_price: Value = anon
        .get("/api/lawyers?sort=price")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        ids(by_price.clone()),
        [
            cheap.id.to_string(),
            mid.id.to_string(),
            dear.id.to_string()
        ],
        "unverified lawyers are never listed"
    );
    assert_eq!(by_price["total"], 3);
    let family: Value = anon
        .get("/api/lawyers?area=family&sort=price")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(family), [cheap.id.to_string(), dear.id.to_string()]);
    let spanish: Value = anon
        .get("/api/lawyers?language=es")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(spanish), [mid.id.to_string()]);
    let range: Value = anon
        .get("/api/lawyers?min_fee=20000&max_fee=40000")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(range), [mid.id.to_string()]);
    let soonest: Value = anon
        .get("/api/lawyers?sort=soonest")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        ids(soonest.clone()).last().unwrap(),
        &dear.id.to_string(),
        "no free slot sorts last"
    );
    assert!(soonest["items"][2]["next_slot"].is_null());
    assert!(soonest["items"][0]["next_slot"].is_string());
    let page2: Value = anon
        .get("/api/lawyers?sort=price&per_page=2&page=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(page2), [dear.id.to_string()]);
    let rated: Value = anon
        .get("/api/lawyers?min_rating=4")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rated["total"], 0, "nobody has reviews yet");
    let res = anon.get("/api/lawyers?sort=cheapest").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let rating: Value = anon
        .get(&format!("/api/lawyers/{}/rating", cheap.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rating["count"], 0);
    assert_eq!(rating["bayesian"], 4.0, "the prior");
    assert_eq!(rating["distribution"], json!([0, 0, 0, 0, 0]));
}

#[sqlx::test]
async fn slots_follow_the_availability_and_skip_booked_times(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "2001", 20_000).await;
    let client = app.register("CLIENT").await;
    let slots = app.slots(&lawyer).await;
    assert!(slots.len() > 20, "two weeks of open hours: {}", slots.len());
    let now = chrono::Utc::now();
    assert!(
        slots
            .iter()
            .all(|s| *s >= now + chrono::Duration::minutes(59)),
        "minimum notice"
    );
    // Days 2 to 4 from now: far from the minimum notice and the window's end, so stable.
    let (from, to) = (
        now + chrono::Duration::days(2),
        now + chrono::Duration::days(4),
    );
    let before = app.slots_between(&lawyer, from, to).await;
    assert_eq!(before.len(), 30, "15 hours a day, two days");
    let payment = app.paid_payment(&client, &lawyer).await;
    let chosen = before[3];
    assert_eq!(
        app.book(&client, &payment, chosen).await.status(),
        StatusCode::CREATED
    );
    let after = app.slots_between(&lawyer, from, to).await;
    assert!(!after.contains(&chosen));
    assert_eq!(after.len(), before.len() - 1);
    let res = app
        .anonymous()
        .get(&format!(
            "/api/lawyers/{}/slots?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z",
            lawyer.id
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
