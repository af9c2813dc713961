//! Manual payouts (no Stripe Connect): an admin gathers a beneficiary's approved
//! entries into a payout, pays it outside the platform, and records the reference.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Only};
use crate::domain::Reason;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_payouts, create_payout))
        .routes(routes!(mark_paid))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Payout {
    pub id: Uuid,
    pub beneficiary_id: Uuid,
    pub beneficiary_name: String,
    pub amount_cents: i64,
    /// `created` or `paid`.
    pub status: String,
    pub external_reference: Option<String>,
    pub entries: i64,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

const SELECT: &str =
    "SELECT p.id, p.beneficiary_id, u.display_name AS beneficiary_name, p.amount_cents, p.status,
        p.external_reference, p.created_at, p.paid_at,
        (SELECT count(*) FROM ledger_entries e WHERE e.payout_id = p.id) AS entries
     FROM payouts p JOIN users u ON u.id = p.beneficiary_id";

/// Payouts, newest first.
#[utoipa::path(get, path = "/api/admin/payouts", tag = "admin", responses((status = 200, body = [Payout]), (status = 403, body = ErrorBody)))]
async fn list_payouts(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<Vec<Payout>>, ApiError> {
    Ok(Json(
        sqlx::query_as(&format!("{SELECT} ORDER BY p.created_at DESC LIMIT 500"))
            .fetch_all(&state.db)
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePayout {
    pub beneficiary_id: Uuid,
}

/// Gathers all of a beneficiary's approved, unpaid entries (reversals included) into a payout.
#[utoipa::path(post, path = "/api/admin/payouts", tag = "admin", request_body = CreatePayout,
    responses((status = 201, body = Payout), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_payout(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    JsonBody(b): JsonBody<CreatePayout>,
) -> Result<(StatusCode, Json<Payout>), ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let entries: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT id, amount_cents FROM ledger_entries WHERE beneficiary_id = $1 AND payout_id IS NULL AND available_at <= $2 ORDER BY created_at FOR UPDATE",
    )
    .bind(b.beneficiary_id)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let total: i64 = entries.iter().map(|(_, a)| a).sum();
    if total <= 0 {
        return Err(ApiError::conflict(
            "nothing_to_pay",
            format!("approved entries net {total} centavos: nothing to pay"),
        ));
    }
    let id: Uuid = sqlx::query_scalar("INSERT INTO payouts (beneficiary_id, amount_cents, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(b.beneficiary_id)
        .bind(total)
        .bind(admin.id.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    let ids: Vec<Uuid> = entries.iter().map(|(e, _)| *e).collect();
    sqlx::query("UPDATE ledger_entries SET payout_id = $1 WHERE id = ANY($2)")
        .bind(id)
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    let event = AuditEvent::new(Some(admin.actor()), "payout.created", "payout", id).details(
        json!({ "beneficiary_id": b.beneficiary_id, "amount_cents": total, "entries": ids.len() }),
    );
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    let payout = sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_one(&state.db)
        .await?;
    Ok((StatusCode::CREATED, Json(payout)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkPaid {
    /// The bank transfer's or Pix's reference.
    pub reference: String,
}

/// Records that a payout was paid, with its external reference; its entries are then locked as paid.
#[utoipa::path(post, path = "/api/admin/payouts/{id}/paid", tag = "admin", params(("id" = Uuid, Path)), request_body = MarkPaid,
    responses((status = 200, body = Payout), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn mark_paid(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(b): JsonBody<MarkPaid>,
) -> Result<Json<Payout>, ApiError> {
    let reference = Reason::parse(&b.reference).map_err(|_| {
        ApiError::unprocessable(
            "invalid_reference",
            "the payment reference is 3 to 1000 characters",
        )
    })?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM payouts WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match status.as_deref() {
        None => return Err(ApiError::not_found("payout")),
        Some("paid") => {
            return Err(ApiError::conflict(
                "already_paid",
                "this payout is already paid",
            ))
        }
        _ => {}
    }
    sqlx::query("UPDATE payouts SET status = 'paid', external_reference = $2, paid_by = $3, paid_at = $4 WHERE id = $1")
        .bind(id)
        .bind(reference.as_str())
        .bind(admin.id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = AuditEvent::new(Some(admin.actor()), "payout.paid", "payout", id)
        .because(reference.as_str());
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(Json(
        sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
            .bind(id)
            .fetch_one(&state.db)
            .await?,
    ))
}
