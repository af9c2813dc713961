use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{error_code, unique_email, TestApp, PASSWORD};

#[sqlx::test]
async fn each_role_lands_on_its_own_dashboard(db: PgPool) {
    let app = TestApp::spawn(db).await;
    for (role, home) in [
        ("CLIENT", "/client"),
        ("LAWYER", "/lawyer"),
        ("PARTNER", "/partner"),
    ] {
        let user = app.register(role).await;
        let me: Value = user.get("/api/me").await.json().await.unwrap();
        assert_eq!(me["user"]["role"], role);
        assert_eq!(me["home"], home);
    }
    let admin = app.admin().await;
    let me: Value = admin.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["home"], "/admin");
}

#[sqlx::test]
async fn passwords_are_stored_as_argon2id_and_the_cookie_is_httponly(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let email = unique_email("c");
    let res = app
        .anonymous()
        .post(
            "/api/auth/register",
            &json!({"email": email, "password": PASSWORD, "display_name": "Ana", "role": "CLIENT"}),
        )
        .await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("tribuna_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-HTTP localhost has no Secure cookies"
    );
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
}

#[sqlx::test]
async fn https_public_url_marks_cookies_secure(db: PgPool) {
    let app = TestApp::spawn_with(db, |s| {
        s.server.public_url = Some("https://tribuna.example".into())
    })
    .await;
    let res = app
        .anonymous()
        .post("/api/auth/register", &json!({"email": unique_email("c"), "password": PASSWORD, "display_name": "Ana", "role": "CLIENT"}))
        .await;
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
}

#[sqlx::test]
async fn sign_up_refuses_duplicates_admins_and_bad_fields_without_writing(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let user = app.register("CLIENT").await;
    let anon = app.anonymous();
    let dup = anon
        .post("/api/auth/register", &json!({"email": user.email.to_uppercase(), "password": PASSWORD, "display_name": "X", "role": "LAWYER"}))
        .await;
    assert_eq!(dup.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(dup).await, "email_taken");

    let cases = [
        (
            json!({"email": unique_email("a"), "password": PASSWORD, "display_name": "X", "role": "ADMIN"}),
            "invalid_role",
        ),
        (
            json!({"email": "not-an-email", "password": PASSWORD, "display_name": "X", "role": "CLIENT"}),
            "invalid_email",
        ),
        (
            json!({"email": unique_email("a"), "password": "short", "display_name": "X", "role": "CLIENT"}),
            "invalid_password",
        ),
        (
            json!({"email": unique_email("a"), "password": PASSWORD, "display_name": "  ", "role": "CLIENT"}),
            "invalid_display_name",
        ),
    ];
    for (body, code) in cases {
        let res = anon.post("/api/auth/register", &body).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error_code(res).await, code);
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 1, "refused sign-ups wrote nothing");
}

#[sqlx::test]
async fn wrong_password_and_unknown_email_are_the_same_401(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.register("CLIENT").await;
    let anon = app.anonymous();
    for body in [
        json!({"email": user.email, "password": "wrong password!"}),
        json!({"email": unique_email("nobody"), "password": PASSWORD}),
    ] {
        let res = anon.post("/api/auth/login", &body).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(error_code(res).await, "invalid_credentials");
    }
}

#[sqlx::test]
async fn login_attempts_are_rate_limited_per_email(db: PgPool) {
    let app = TestApp::spawn_with(db, |s| s.auth.login_attempts_per_minute = 3).await;
    let user = app.register("CLIENT").await;
    let anon = app.anonymous();
    let wrong = json!({"email": user.email, "password": "wrong password!"});
    for _ in 0..3 {
        assert_eq!(
            anon.post("/api/auth/login", &wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = anon
        .post(
            "/api/auth/login",
            &json!({"email": user.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        limited.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(error_code(limited).await, "too_many_requests");
    // Another account is not affected by this one's limit.
    let other = app.register("CLIENT").await;
    let ok = anon
        .post(
            "/api/auth/login",
            &json!({"email": other.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
}

#[sqlx::test]
async fn logout_ends_the_session(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let user = app.register("PARTNER").await;
    assert_eq!(
        user.post("/api/auth/logout", &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(user.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test]
async fn writes_without_the_csrf_token_are_refused(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut user = app.register("CLIENT").await;
    let token = user.csrf.take();
    let res = user.post("/api/auth/logout", &json!({})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "csrf_failed");
    user.csrf = Some("forged".into());
    assert_eq!(
        user.post("/api/auth/logout", &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    // Reads need no token, and the session is still alive.
    user.csrf = None;
    assert_eq!(user.get("/api/me").await.status(), StatusCode::OK);
    user.csrf = token;
    assert_eq!(
        user.post("/api/auth/logout", &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[sqlx::test]
async fn suspended_users_are_refused_until_restored(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let user = app.register("LAWYER").await;
    let suspend = admin
        .post(
            &format!("/api/admin/users/{}/suspend", user.id),
            &json!({"reason": "fraudulent OAB number"}),
        )
        .await;
    assert_eq!(suspend.status(), StatusCode::OK);
    // Existing sessions were revoked, and new logins are refused.
    assert_eq!(user.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
    let login = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"email": user.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(login).await, "account_suspended");

    let restore = admin
        .post(
            &format!("/api/admin/users/{}/restore", user.id),
            &json!({"reason": "documents checked"}),
        )
        .await;
    assert_eq!(restore.status(), StatusCode::OK);
    let again = app.login(&user.email).await;
    assert_eq!(again.get("/api/me").await.status(), StatusCode::OK);
}

#[sqlx::test]
async fn admins_cannot_suspend_themselves_and_need_a_reason(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let own = admin
        .post(
            &format!("/api/admin/users/{}/suspend", admin.id),
            &json!({"reason": "testing"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(own).await, "self_suspension");
    let user = app.register("CLIENT").await;
    let no_reason = admin
        .post(
            &format!("/api/admin/users/{}/suspend", user.id),
            &json!({"reason": ""}),
        )
        .await;
    assert_eq!(error_code(no_reason).await, "invalid_reason");
    assert_eq!(
        user.get("/api/me").await.status(),
        StatusCode::OK,
        "nothing was changed"
    );
}
