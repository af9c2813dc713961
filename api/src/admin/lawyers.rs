use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::users::ReasonRequest;
use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Only};
use crate::domain::Reason;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::lawyers::store;
use crate::state::AppState;

pub use crate::lawyers::AdminLawyerView;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_lawyers))
        .routes(routes!(verify_lawyer))
        .routes(routes!(reject_lawyer))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LawyerQuery {
    /// `pending` (default), `verified` or `rejected`.
    status: Option<String>,
}

/// Lawyers by verification status, oldest first (the verification queue).
#[utoipa::path(get, path = "/api/admin/lawyers", tag = "admin", params(LawyerQuery),
    responses((status = 200, body = [AdminLawyerView]), (status = 403, body = ErrorBody)))]
async fn list_lawyers(
    State(state): State<AppState>,
    _admin: Only<Admins>,
    QueryParams(q): QueryParams<LawyerQuery>,
) -> Result<Json<Vec<AdminLawyerView>>, ApiError> {
    let status = q.status.unwrap_or_else(|| "pending".to_owned());
    if !matches!(status.as_str(), "pending" | "verified" | "rejected") {
        return Err(ApiError::bad_request(
            "invalid_query",
            "status is pending, verified or rejected",
        ));
    }
    let found = store::by_verification(&state.db, &status).await?;
    Ok(Json(found.into_iter().map(AdminLawyerView::from).collect()))
}

/// Marks a lawyer's OAB registration as checked: the lawyer is listed.
#[utoipa::path(post, path = "/api/admin/lawyers/{id}/verify", tag = "admin", params(("id" = Uuid, Path)), request_body = ReasonRequest,
    responses((status = 200, body = AdminLawyerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn verify_lawyer(
    state: State<AppState>,
    admin: Only<Admins>,
    id: PathParam<Uuid>,
    body: JsonBody<ReasonRequest>,
) -> Result<Json<AdminLawyerView>, ApiError> {
    decide(state, admin, id, body, "verified").await
}

/// Refuses a lawyer's OAB registration: the lawyer is not listed.
#[utoipa::path(post, path = "/api/admin/lawyers/{id}/reject", tag = "admin", params(("id" = Uuid, Path)), request_body = ReasonRequest,
    responses((status = 200, body = AdminLawyerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reject_lawyer(
    state: State<AppState>,
    admin: Only<Admins>,
    id: PathParam<Uuid>,
    body: JsonBody<ReasonRequest>,
) -> Result<Json<AdminLawyerView>, ApiError> {
    decide(state, admin, id, body, "rejected").await
}

async fn decide(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<ReasonRequest>,
    status: &'static str,
) -> Result<Json<AdminLawyerView>, ApiError> {
    let reason = Reason::parse(&body.reason)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let oab: Option<(String, String)> = sqlx::query_as(
        "UPDATE lawyer_profiles SET verification_status = $2,
             verified_at = CASE WHEN $2 = 'verified' THEN $3 END,
             verified_by = CASE WHEN $2 = 'verified' THEN $4 END
         WHERE user_id = $1 RETURNING oab_number, oab_state",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .bind(admin.id.0)
    .fetch_optional(&mut *tx)
    .await?;
    let (number, uf) = oab.ok_or_else(|| ApiError::not_found("lawyer"))?;
    let event = AuditEvent {
        actor: Some(admin.actor()),
        action: if status == "verified" {
            "lawyer.verified"
        } else {
            "lawyer.rejected"
        },
        subject_kind: "user",
        subject_id: id.to_string(),
        reason: Some(reason.as_str().to_owned()),
        details: json!({ "oab": format!("{number}/{uf}") }),
    };
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    let lawyer = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("lawyer"))?;
    Ok(Json(lawyer.into()))
}
