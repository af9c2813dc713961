//! `POST /api/webhooks/stripe`: verified against the raw body, each event applied once.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use sqlx::{Postgres, Transaction};
use stripe_shared::CheckoutSessionPaymentStatus;
use stripe_webhook::{EventObject, WebhookError};
use uuid::Uuid;

use super::checkout::gateway;
use super::state::{transition, PaymentSignal, PaymentStatus};
use super::store::{self, Payment};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

fn refused(code: &'static str, message: &str) -> ApiError {
    ApiError::bad_request(code, message)
}

/// Receives Stripe's events. A bad or stale signature changes nothing (400); a
/// redelivered event is acknowledged and has no second effect.
#[utoipa::path(post, path = "/api/webhooks/stripe", tag = "payments",
    request_body(content = String, content_type = "application/json", description = "a Stripe event, signed"),
    responses((status = 200, description = "received"), (status = 400, body = ErrorBody)))]
pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let gateway = gateway(&state)?;
    let payload = std::str::from_utf8(&body)
        .map_err(|_| refused("malformed_event", "the body is not UTF-8"))?;
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            refused(
                "missing_signature",
                "the Stripe-Signature header is missing",
            )
        })?;
    let now = state.now();
    let event = gateway
        .verify_webhook(payload, signature, now)
        .map_err(|e| match e {
            WebhookError::BadTimestamp(_) => refused(
                "stale_signature",
                "the signature's timestamp is too far from now",
            ),
            WebhookError::BadParse(_) => {
                refused("malformed_event", "the event could not be parsed")
            }
            _ => refused("invalid_signature", "the signature does not match the body"),
        })?;
    let kind = event.type_.as_str().to_owned();
    let event_id = event.id.to_string();
    let created = chrono::DateTime::from_timestamp(event.created, 0).unwrap_or(now);
    let raw: Value = serde_json::from_str(payload)
        .map_err(|_| refused("malformed_event", "the body is not JSON"))?;

    let mut tx = state.db.begin().await?;
    let fresh = sqlx::query("INSERT INTO stripe_events (id, type, created, received_at, payload) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
        .bind(&event_id)
        .bind(&kind)
        .bind(created)
        .bind(now)
        .bind(&raw)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if !fresh {
        tx.commit().await?;
        tracing::info!(%event_id, %kind, "stripe event already processed");
        return Ok(Json(json!({ "received": true, "duplicate": true })));
    }
    let cite = json!({ "id": event_id, "type": kind });
    match event.data.object {
        EventObject::CheckoutSessionCompleted(s) => {
            let paid = s.payment_status == CheckoutSessionPaymentStatus::Paid;
            let intent = s.payment_intent.as_ref().map(|i| i.id().to_string());
            apply(
                &mut tx,
                reference(&s.client_reference_id),
                PaymentSignal::CheckoutCompleted { paid },
                intent,
                cite,
                now,
            )
            .await?;
        }
        EventObject::CheckoutSessionAsyncPaymentSucceeded(s) => {
            let intent = s.payment_intent.as_ref().map(|i| i.id().to_string());
            apply(
                &mut tx,
                reference(&s.client_reference_id),
                PaymentSignal::AsyncSucceeded,
                intent,
                cite,
                now,
            )
            .await?;
        }
        EventObject::CheckoutSessionAsyncPaymentFailed(s) => {
            apply(
                &mut tx,
                reference(&s.client_reference_id),
                PaymentSignal::AsyncFailed,
                None,
                cite,
                now,
            )
            .await?;
        }
        EventObject::CheckoutSessionExpired(s) => {
            apply(
                &mut tx,
                reference(&s.client_reference_id),
                PaymentSignal::Expired,
                None,
                cite,
                now,
            )
            .await?;
        }
        EventObject::ChargeRefunded(c) => {
            if let Some(intent) = c.payment_intent.as_ref().map(|i| i.id().to_string()) {
                if let Some(payment) = store::lock_by_intent(&mut tx, &intent).await? {
                    record_refund(&mut tx, &payment, c.amount_refunded, cite, now).await?;
                }
            }
        }
        _ => tracing::debug!(%kind, "stripe event ignored"),
    }
    tx.commit().await?;
    Ok(Json(json!({ "received": true })))
}

fn reference(client_reference_id: &Option<String>) -> Option<Uuid> {
    client_reference_id.as_deref().and_then(|r| r.parse().ok())
}

async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    payment_id: Option<Uuid>,
    signal: PaymentSignal,
    intent: Option<String>,
    cite: Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    let Some(payment) = (match payment_id {
        Some(id) => store::lock(tx, id).await?,
        None => None,
    }) else {
        tracing::warn!(?payment_id, ?cite, "stripe event for an unknown payment");
        return Ok(());
    };
    if let Some(intent) = intent {
        sqlx::query("UPDATE payments SET stripe_payment_intent_id = coalesce(stripe_payment_intent_id, $2) WHERE id = $1")
            .bind(payment.id)
            .bind(intent)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(next) = transition(payment.status(), signal) {
        store::set_status(tx, &payment, next, None, cite, now).await?;
    }
    Ok(())
}

/// Records that `refunded` centavos of the payment are refunded in all (monotonic:
/// whichever of the API answer and the webhook arrives first wins, the other changes nothing).
pub(super) async fn record_refund(
    tx: &mut Transaction<'_, Postgres>,
    payment: &Payment,
    refunded: i64,
    cite: Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    let refunded = refunded.min(payment.total_cents());
    if refunded <= payment.refunded_cents {
        return Ok(());
    }
    sqlx::query("UPDATE payments SET refunded_cents = $2 WHERE id = $1")
        .bind(payment.id)
        .bind(refunded)
        .execute(&mut **tx)
        .await?;
    if refunded == payment.total_cents() {
        if let Some(next) = transition(payment.status(), PaymentSignal::FullyRefunded) {
            store::set_status(tx, payment, next, None, cite, now).await?;
            crate::ledger::on_refunded(tx, payment.id, now).await?;
        }
    }
    Ok(())
}

/// Refunds a paid payment in full through Stripe and records it. Returns whether it was refunded.
pub async fn refund_in_full(
    state: &AppState,
    payment_id: Uuid,
    why: &str,
) -> Result<bool, ApiError> {
    let gateway = gateway(state)?;
    let Some(payment) = store::get(&state.db, payment_id).await? else {
        return Ok(false);
    };
    let Some(intent) = payment.stripe_payment_intent_id.clone() else {
        return Ok(false);
    };
    if payment.status() != PaymentStatus::Paid || payment.refunded_cents >= payment.total_cents() {
        return Ok(false);
    }
    let amount = payment.total_cents() - payment.refunded_cents;
    if let Err(e) = gateway
        .refund(&intent, amount, &format!("refund-{payment_id}"))
        .await
    {
        tracing::error!(error = %e, %payment_id, "refund failed");
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "refund_failed",
            "the refund could not be issued; support has been notified",
        ));
    }
    let mut tx = state.db.begin().await?;
    if let Some(locked) = store::lock(&mut tx, payment_id).await? {
        record_refund(
            &mut tx,
            &locked,
            payment.total_cents(),
            json!({ "refund": why }),
            state.now(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}
