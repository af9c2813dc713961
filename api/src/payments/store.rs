use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

use super::state::PaymentStatus;
use crate::audit::{self, Actor, AuditEvent};

#[derive(Debug, Clone, sqlx::FromRow, Serialize, ToSchema)]
pub struct Payment {
    pub id: Uuid,
    pub client_id: Uuid,
    pub lawyer_id: Uuid,
    pub lawyer_name: String,
    /// The lawyer's fee plus the service fee.
    pub total_cents: i64,
    /// Owed in full to the lawyer.
    pub lawyer_fee_cents: i64,
    /// The platform's fee, a separate line of the checkout.
    pub service_fee_cents: i64,
    pub currency: String,
    pub status: String,
    pub refunded_cents: i64,
    pub consultation_minutes: i32,
    pub checkout_url: Option<String>,
    pub checkout_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    /// The session this payment booked, once booked.
    pub session_id: Option<Uuid>,
    #[serde(skip)]
    pub stripe_payment_intent_id: Option<String>,
    #[serde(skip)]
    pub stripe_checkout_session_id: Option<String>,
}

impl Payment {
    pub fn status(&self) -> PaymentStatus {
        PaymentStatus::parse(&self.status).expect("statuses are constrained by the database")
    }
    pub fn total_cents(&self) -> i64 {
        self.total_cents
    }
}

const SELECT: &str = "SELECT p.id, p.client_id, p.lawyer_id, l.display_name AS lawyer_name,
        p.lawyer_fee_cents + p.service_fee_cents AS total_cents, p.lawyer_fee_cents, p.service_fee_cents, p.currency, p.status,
        p.refunded_cents, p.consultation_minutes, p.checkout_url, p.checkout_expires_at, p.created_at, p.paid_at,
        s.id AS session_id, p.stripe_payment_intent_id, p.stripe_checkout_session_id
     FROM payments p JOIN users l ON l.id = p.lawyer_id LEFT JOIN legal_sessions s ON s.payment_id = p.id";

pub async fn get(db: &PgPool, id: Uuid) -> Result<Option<Payment>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn of_client(db: &PgPool, client: Uuid) -> Result<Vec<Payment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE p.client_id = $1 ORDER BY p.created_at DESC LIMIT 200"
    ))
    .bind(client)
    .fetch_all(db)
    .await
}

/// The client's open checkout for this lawyer that still has time left, if any.
pub async fn open_checkout(
    db: &PgPool,
    client: Uuid,
    lawyer: Uuid,
    until: DateTime<Utc>,
) -> Result<Option<Payment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE p.client_id = $1 AND p.lawyer_id = $2 AND p.status = 'pending'
           AND p.checkout_url IS NOT NULL AND p.checkout_expires_at > $3
         ORDER BY p.created_at DESC LIMIT 1"
    ))
    .bind(client)
    .bind(lawyer)
    .bind(until)
    .fetch_optional(db)
    .await
}

/// A paid payment of the client's for this lawyer that has booked nothing yet.
pub async fn unused_paid(
    db: &PgPool,
    client: Uuid,
    lawyer: Uuid,
) -> Result<Option<Payment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE p.client_id = $1 AND p.lawyer_id = $2 AND p.status = 'paid' AND s.id IS NULL ORDER BY p.paid_at LIMIT 1"
    ))
    .bind(client)
    .bind(lawyer)
    .fetch_optional(db)
    .await
}

/// Locks the payment row for a state change in `tx`.
pub async fn lock(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> Result<Option<Payment>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE p.id = $1 FOR UPDATE OF p"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn lock_by_intent(
    tx: &mut Transaction<'_, Postgres>,
    intent: &str,
) -> Result<Option<Payment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE p.stripe_payment_intent_id = $1 FOR UPDATE OF p"
    ))
    .bind(intent)
    .fetch_optional(&mut **tx)
    .await
}

/// Moves a payment to `next` and audits it, in `tx`.
pub async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    payment: &Payment,
    next: PaymentStatus,
    actor: Option<Actor>,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payments SET status = $2,
             paid_at = CASE WHEN $2 = 'paid' THEN coalesce(paid_at, $3) ELSE paid_at END
         WHERE id = $1",
    )
    .bind(payment.id)
    .bind(next.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let event = AuditEvent {
        actor,
        action: match next {
            PaymentStatus::Pending => "payment.pending",
            PaymentStatus::Processing => "payment.processing",
            PaymentStatus::Paid => "payment.paid",
            PaymentStatus::Failed => "payment.failed",
            PaymentStatus::Expired => "payment.expired",
            PaymentStatus::Refunded => "payment.refunded",
        },
        subject_kind: "payment",
        subject_id: payment.id.to_string(),
        reason: None,
        details: json!({ "from": payment.status, "to": next.as_str(), "event": details }),
    };
    audit::record(tx, event, now).await?;
    Ok(())
}
