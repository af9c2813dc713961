use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::audit::{self, AuditFilter, AuditRecord, ChainReport};
use crate::auth::{Admins, Only};
use crate::error::{ApiError, ErrorBody};
use crate::extract::QueryParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_entries))
        .routes(routes!(verify_chain))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// e.g. `user.suspended`
    action: Option<String>,
    actor_id: Option<Uuid>,
    subject_kind: Option<String>,
    subject_id: Option<String>,
    /// Page backwards: entries with a smaller seq.
    before_seq: Option<i64>,
    /// 1 to 500, default 100.
    limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    seq: i64,
    at: DateTime<Utc>,
    actor_id: Option<Uuid>,
    actor_role: Option<String>,
    action: String,
    subject_kind: String,
    subject_id: String,
    reason: Option<String>,
    details: serde_json::Value,
    /// Hex SHA-256 of the previous entry.
    prev_hash: String,
    /// Hex SHA-256 of this entry.
    hash: String,
}

impl From<AuditRecord> for AuditEntryView {
    fn from(r: AuditRecord) -> Self {
        AuditEntryView {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            action: r.action,
            subject_kind: r.subject_kind,
            subject_id: r.subject_id,
            reason: r.reason,
            details: r.details,
            prev_hash: hex::encode(r.prev_hash),
            hash: hex::encode(r.hash),
        }
    }
}

/// Audit entries, newest first, with filters.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = [AuditEntryView]), (status = 403, body = ErrorBody)))]
async fn list_entries(
    State(state): State<AppState>,
    _admin: Only<Admins>,
    QueryParams(q): QueryParams<AuditQuery>,
) -> Result<Json<Vec<AuditEntryView>>, ApiError> {
    let filter = AuditFilter {
        action: q.action,
        actor_id: q.actor_id,
        subject_kind: q.subject_kind,
        subject_id: q.subject_id,
        before_seq: q.before_seq,
        limit: q.limit.unwrap_or(100).clamp(1, 500),
    };
    let rows = audit::list(&state.db, &filter).await?;
    Ok(Json(rows.into_iter().map(AuditEntryView::from).collect()))
}

/// Walks the whole hash chain and names the first bad entry, if any.
#[utoipa::path(get, path = "/api/admin/audit/verify", tag = "admin",
    responses((status = 200, body = ChainReport), (status = 403, body = ErrorBody)))]
async fn verify_chain(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<ChainReport>, ApiError> {
    Ok(Json(audit::verify(&state.db, |_| {}).await?))
}
