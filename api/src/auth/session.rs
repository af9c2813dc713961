//! Login sessions: a random token in an HttpOnly cookie, its SHA-256 in the database,
//! and a per-session CSRF token that cookie-authenticated writes must echo in a header.

use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "tribuna_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub struct IssuedSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct ActiveSession {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub status: String,
    pub csrf_token: String,
    pub token_hash: Vec<u8>,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub async fn issue(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    now: DateTime<Utc>,
    ttl: chrono::Duration,
) -> Result<IssuedSession, sqlx::Error> {
    let issued = IssuedSession {
        token: random_token(),
        csrf_token: random_token(),
        expires_at: now + ttl,
    };
    sqlx::query("INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash(&issued.token))
        .bind(user_id)
        .bind(&issued.csrf_token)
        .bind(now)
        .bind(issued.expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(issued)
}

pub async fn find(
    db: &PgPool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<ActiveSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.display_name, u.role, u.status, s.csrf_token, s.token_hash
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(db)
    .await
}

pub async fn revoke(
    tx: &mut Transaction<'_, Postgres>,
    hash: &[u8],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE auth_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn revoke_all(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE auth_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

pub fn cookie(token: String, max_age: chrono::Duration, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time_from(max_age))
        .build()
}

pub fn expired_cookie(secure: bool) -> Cookie<'static> {
    cookie(String::new(), chrono::Duration::zero(), secure)
}

fn time_from(d: chrono::Duration) -> time::Duration {
    time::Duration::seconds(d.num_seconds())
}
