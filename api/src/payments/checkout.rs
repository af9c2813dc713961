//! `POST /api/checkout/create-session`: one consultation with one lawyer.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::gateway::{CheckoutRequest, Gateway};
use super::state::PaymentStatus;
use super::store::{self, Payment};
use crate::audit::{self, AuditEvent};
use crate::auth::{Caller, ClientIp, Clients, Only};
use crate::contracts;
use crate::domain::lawyer::{service_fee, Cents};
use crate::error::{ApiError, ErrorBody};
use crate::extract::JsonBody;
use crate::lawyers::store as lawyers;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutBody {
    pub lawyer_id: Uuid,
    /// The SHA-256 of the consultation terms the client read
    /// (`GET /api/lawyers/{id}/consultation-terms`): paying accepts exactly that text.
    pub terms_sha256: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutView {
    pub payment_id: Uuid,
    /// Send the browser here to pay (Stripe Checkout, or the local stand-in's page).
    pub checkout_url: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub lawyer_fee_cents: i64,
    pub service_fee_cents: i64,
    pub total_cents: i64,
}

impl CheckoutView {
    fn of(p: &Payment) -> Option<Self> {
        Some(CheckoutView {
            payment_id: p.id,
            checkout_url: p.checkout_url.clone()?,
            expires_at: p.checkout_expires_at,
            lawyer_fee_cents: p.lawyer_fee_cents,
            service_fee_cents: p.service_fee_cents,
            total_cents: p.total_cents(),
        })
    }
}

pub(super) fn gateway(state: &AppState) -> Result<&Gateway, ApiError> {
    state.services.payments.as_deref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "payments_unavailable",
            "payments are not configured",
        )
    })
}

fn provider_error(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "payment provider call failed");
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        "payment_provider_error",
        "the payment provider did not answer; try again",
    )
}

/// The client's Stripe customer, created once and kept in `users.stripe_customer_id`.
async fn customer(
    state: &AppState,
    gateway: &Gateway,
    caller: &Caller,
) -> Result<String, ApiError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT stripe_customer_id FROM users WHERE id = $1")
            .bind(caller.id.0)
            .fetch_one(&state.db)
            .await?;
    if let Some(id) = stored {
        return Ok(id);
    }
    // Idempotent on Stripe's side (keyed by user), so two racing requests get one customer.
    let created = gateway
        .create_customer(&caller.id.to_string(), &caller.email, &caller.display_name)
        .await
        .map_err(provider_error)?;
    sqlx::query(
        "UPDATE users SET stripe_customer_id = $2 WHERE id = $1 AND stripe_customer_id IS NULL",
    )
    .bind(caller.id.0)
    .bind(&created)
    .execute(&state.db)
    .await?;
    Ok(created)
}

/// Starts paying for a consultation: a Checkout Session with the lawyer's fee and the
/// platform's service fee as two separate line items. Returns an open one if it exists.
#[utoipa::path(post, path = "/api/checkout/create-session", tag = "payments", request_body = CheckoutBody,
    responses((status = 201, body = CheckoutView), (status = 200, body = CheckoutView, description = "an open checkout for this lawyer already exists"),
              (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn create_session(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
    ip: ClientIp,
    headers: HeaderMap,
    JsonBody(body): JsonBody<CheckoutBody>,
) -> Result<(StatusCode, Json<CheckoutView>), ApiError> {
    let gateway = gateway(&state)?;
    let lawyer = lawyers::get(&state.db, body.lawyer_id)
        .await?
        .filter(lawyers::Lawyer::is_listed)
        .ok_or_else(|| ApiError::not_found("lawyer"))?;
    if let Some(unused) = store::unused_paid(&state.db, caller.id.0, lawyer.user_id).await? {
        // Paying twice for one consultation is never what the client wants.
        return Err(ApiError::conflict(
            "paid_payment_unused",
            format!(
                "payment {} for this lawyer is paid and not booked yet: choose a time with it",
                unused.id
            ),
        ));
    }
    let now = state.now();
    let fresh_until = now + chrono::Duration::minutes(10);
    if let Some(open) =
        store::open_checkout(&state.db, caller.id.0, lawyer.user_id, fresh_until).await?
    {
        return Ok((
            StatusCode::OK,
            Json(CheckoutView::of(&open).expect("open checkouts have a URL")),
        ));
    }
    let terms = contracts::service::consultation_terms(&state, &lawyer, &caller).await?;
    if !body.terms_sha256.eq_ignore_ascii_case(&terms.body_sha256) {
        return Err(ApiError::conflict(
            "terms_changed",
            "the consultation terms you read are not the current ones; read them again before paying",
        ));
    }
    let customer = customer(&state, gateway, &caller).await?;
    let fee = Cents::fee(lawyer.fee_cents)?;
    let service = service_fee(
        fee,
        state.settings.service_fee_bps,
        state.settings.service_fee_min_cents,
    );
    let expires_at = now + state.settings.checkout_ttl;
    let terms = contracts::service::store_terms(&state, terms, now).await?;

    let mut tx = state.db.begin().await?;
    let payment_id: Uuid = sqlx::query_scalar(
        "INSERT INTO payments (client_id, lawyer_id, lawyer_fee_cents, service_fee_cents, consultation_minutes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(caller.id.0)
    .bind(lawyer.user_id)
    .bind(fee.get())
    .bind(service)
    .bind(lawyer.consultation_minutes)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new(Some(caller.actor()), "payment.checkout_started", "payment", payment_id).details(json!({ "lawyer_id": lawyer.user_id, "lawyer_fee_cents": fee.get(), "service_fee_cents": service }));
    audit::record(&mut tx, event, now).await?;
    let evidence = contracts::Evidence::of(ip.0, &headers);
    contracts::service::accept_terms_at_checkout(
        &mut tx,
        &terms,
        payment_id,
        lawyer.user_id,
        &caller,
        &evidence,
        now,
    )
    .await?;
    tx.commit().await?;

    let base = &state.settings.public_url;
    let request = CheckoutRequest {
        payment_id: payment_id.to_string(),
        customer: &customer,
        lawyer_name: &lawyer.display_name,
        minutes: lawyer.consultation_minutes,
        lawyer_fee_cents: fee.get(),
        service_fee_cents: service,
        success_url: format!("{base}/client/payments/{payment_id}?checkout=success"),
        cancel_url: format!(
            "{base}/client/lawyers/{}?checkout=cancelled",
            lawyer.user_id
        ),
        expires_at,
        metadata: HashMap::from([
            ("payment_id".to_owned(), payment_id.to_string()),
            ("client_id".to_owned(), caller.id.to_string()),
            ("lawyer_id".to_owned(), lawyer.user_id.to_string()),
        ]),
    };
    let created = match gateway.create_checkout(request).await {
        Ok(c) => c,
        Err(e) => {
            // No Checkout Session exists, so no webhook will ever end this payment: it fails
            // now (and the consultation terms accepted with it end with it).
            let mut tx = state.db.begin().await?;
            if let Some(payment) = store::lock(&mut tx, payment_id).await? {
                sqlx::query("UPDATE payments SET failure_reason = $2 WHERE id = $1")
                    .bind(payment_id)
                    .bind(e.to_string())
                    .execute(&mut *tx)
                    .await?;
                let why = json!({ "checkout": "the payment provider refused or did not answer" });
                store::set_status(
                    &mut tx,
                    &payment,
                    PaymentStatus::Failed,
                    Some(caller.actor()),
                    why,
                    state.now(),
                )
                .await?;
            }
            tx.commit().await?;
            return Err(provider_error(e));
        }
    };
    sqlx::query("UPDATE payments SET stripe_checkout_session_id = $2, checkout_url = $3, checkout_expires_at = $4 WHERE id = $1")
        .bind(payment_id)
        .bind(&created.session_id)
        .bind(&created.url)
        .bind(expires_at)
        .execute(&state.db)
        .await?;
    let view = CheckoutView {
        payment_id,
        checkout_url: created.url,
        expires_at: Some(expires_at),
        lawyer_fee_cents: fee.get(),
        service_fee_cents: service,
        total_cents: fee.get() + service,
    };
    Ok((StatusCode::CREATED, Json(view)))
}
