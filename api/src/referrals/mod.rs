//! Partners' invite codes and first-touch attribution of the people they bring.

mod routes;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::audit::{self, Actor, AuditEvent};
use crate::domain::Role;

pub use routes::router;

/// How long after a visit with a code a sign-up is still attributed to its partner.
pub const ATTRIBUTION_WINDOW_DAYS: i64 = 30;

/// Attributes a new account to the partner whose invite it arrived with, if the
/// visit is within the window and the code is usable and of the right kind.
/// First touch: a person is attributed at most once, ever.
pub async fn attribute(
    tx: &mut Transaction<'_, Postgres>,
    user: Uuid,
    role: Role,
    visit: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Found {
        code_id: Uuid,
        partner_id: Uuid,
        kind: String,
        max_uses: Option<i32>,
        uses: i32,
        expires_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    }
    let found: Option<Found> = sqlx::query_as(
        "SELECT c.id AS code_id, c.partner_id, c.kind, c.max_uses, c.uses, c.expires_at, c.revoked_at, v.at
         FROM invite_visits v JOIN invite_codes c ON c.id = v.code_id WHERE v.id = $1 FOR UPDATE OF c",
    )
    .bind(visit)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(f) = found else { return Ok(None) };
    let kind_fits = matches!(
        (f.kind.as_str(), role),
        ("client", Role::Client) | ("lawyer", Role::Lawyer)
    );
    let usable = f.revoked_at.is_none()
        && f.expires_at.is_none_or(|e| e > now)
        && f.max_uses.is_none_or(|m| f.uses < m);
    let in_window = now - f.at <= Duration::days(ATTRIBUTION_WINDOW_DAYS) && f.at <= now;
    if !(kind_fits && usable && in_window) || f.partner_id == user {
        return Ok(None);
    }
    let referral: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO referrals (partner_id, referred_user_id, referred_role, invite_code_id, visit_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (referred_user_id) DO NOTHING RETURNING id",
    )
    .bind(f.partner_id)
    .bind(user)
    .bind(role.as_str())
    .bind(f.code_id)
    .bind(visit)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(referral_id) = referral {
        sqlx::query("UPDATE invite_codes SET uses = uses + 1 WHERE id = $1")
            .bind(f.code_id)
            .execute(&mut **tx)
            .await?;
        let event = AuditEvent {
            actor: Some(Actor {
                id: crate::domain::UserId(user),
                role,
            }),
            action: "referral.attributed",
            subject_kind: "user",
            subject_id: user.to_string(),
            reason: None,
            details: json!({ "referral_id": referral_id, "partner_id": f.partner_id, "invite_code_id": f.code_id, "visited_at": f.at }),
        };
        audit::record(tx, event, now).await?;
    }
    Ok(referral)
}
