use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{get, Ticket, SELECT};
use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Only};
use crate::domain::Reason;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::payments;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(resolve))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `open` (default) or `resolved`.
    status: Option<String>,
}

/// The support queue, oldest first.
#[utoipa::path(get, path = "/api/admin/support", tag = "admin", params(QueueQuery),
    responses((status = 200, body = [Ticket]), (status = 403, body = ErrorBody)))]
async fn queue(
    State(state): State<AppState>,
    _admin: Only<Admins>,
    QueryParams(q): QueryParams<QueueQuery>,
) -> Result<Json<Vec<Ticket>>, ApiError> {
    let status = q.status.unwrap_or_else(|| "open".to_owned());
    if status != "open" && status != "resolved" {
        return Err(ApiError::bad_request(
            "invalid_query",
            "status is open or resolved",
        ));
    }
    let tickets = sqlx::query_as(&format!(
        "{SELECT} WHERE t.status = $1 ORDER BY t.created_at LIMIT 500"
    ))
    .bind(status)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(tickets))
}

/// How a ticket ends.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Refund the session's payment in full through Stripe.
    RefundClient,
    /// The lawyer keeps the fee (the session stands).
    PayLawyer,
    Warn,
    Dismiss,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::RefundClient => "refund_client",
            Outcome::PayLawyer => "pay_lawyer",
            Outcome::Warn => "warn",
            Outcome::Dismiss => "dismiss",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    pub outcome: Outcome,
    pub note: String,
}

/// Resolves a ticket with an outcome and a note the reporter will see.
#[utoipa::path(post, path = "/api/admin/support/{id}/resolve", tag = "admin", params(("id" = Uuid, Path)), request_body = ResolveBody,
    responses((status = 200, body = Ticket), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn resolve(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(b): JsonBody<ResolveBody>,
) -> Result<Json<Ticket>, ApiError> {
    let note = Reason::parse(&b.note)?;
    let ticket = get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("ticket"))?;
    if ticket.status != "open" {
        return Err(ApiError::conflict(
            "already_resolved",
            "this ticket is resolved",
        ));
    }
    if b.outcome == Outcome::RefundClient {
        let session = ticket.session_id.ok_or_else(|| {
            ApiError::unprocessable("no_session", "this ticket is not about a session")
        })?;
        let payment: uuid::Uuid =
            sqlx::query_scalar("SELECT payment_id FROM legal_sessions WHERE id = $1")
                .bind(session)
                .fetch_one(&state.db)
                .await?;
        // The refund is idempotent (one key per payment), so resolving again after a failure is safe.
        if !payments::refund_in_full(&state, payment, "support outcome").await? {
            return Err(ApiError::conflict(
                "nothing_to_refund",
                "the session's payment is already refunded (or was never captured): nothing was refunded; choose another outcome",
            ));
        }
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let updated = sqlx::query(
        "UPDATE support_tickets SET status = 'resolved', outcome = $2, resolution_note = $3, resolved_by = $4, resolved_at = $5
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(b.outcome.as_str())
    .bind(note.as_str())
    .bind(admin.id.0)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::conflict(
            "already_resolved",
            "this ticket is resolved",
        ));
    }
    let event = AuditEvent::new(Some(admin.actor()), "support.resolved", "ticket", id)
        .because(note.as_str())
        .details(json!({ "outcome": b.outcome.as_str(), "session_id": ticket.session_id }));
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(Json(get(&state.db, id).await?.expect("exists")))
}
