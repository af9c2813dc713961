//! Moderation by admins, by policy (abuse, personal data, off-topic), never by
//! sentiment: hiding or restoring is an audit entry with the reason and a note.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::routes::{get, ReviewView, SELECT};
use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Only};
use crate::domain::Reason;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reviews))
        .routes(routes!(hide_review))
        .routes(routes!(restore_review))
}

/// Why a review may be hidden. Disagreeing with its opinion is not one of them.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModerationReason {
    Abuse,
    PersonalData,
    OffTopic,
}

impl ModerationReason {
    fn as_str(self) -> &'static str {
        match self {
            ModerationReason::Abuse => "abuse",
            ModerationReason::PersonalData => "personal_data",
            ModerationReason::OffTopic => "off_topic",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Only hidden (true) or only visible (false) reviews; both by default.
    hidden: Option<bool>,
}

/// Reviews for moderation, newest first.
#[utoipa::path(get, path = "/api/admin/reviews", tag = "admin", params(ReviewQuery),
    responses((status = 200, body = [ReviewView]), (status = 403, body = ErrorBody)))]
async fn list_reviews(
    State(state): State<AppState>,
    _admin: Only<Admins>,
    QueryParams(q): QueryParams<ReviewQuery>,
) -> Result<Json<Vec<ReviewView>>, ApiError> {
    let reviews = sqlx::query_as(&format!(
        "{SELECT} WHERE ($1::bool IS NULL OR r.hidden = $1) ORDER BY r.created_at DESC LIMIT 500"
    ))
    .bind(q.hidden)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(reviews))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideBody {
    pub reason: ModerationReason,
    /// What in the review breaks the policy.
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreBody {
    pub note: String,
}

/// Hides a review from the profile and the rating, by policy.
#[utoipa::path(post, path = "/api/admin/reviews/{id}/hide", tag = "admin", params(("id" = Uuid, Path)), request_body = HideBody,
    responses((status = 200, body = ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn hide_review(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<HideBody>,
) -> Result<Json<ReviewView>, ApiError> {
    let note = Reason::parse(&body.note)?;
    moderate(&state, &admin, id, true, body.reason.as_str(), note).await
}

/// Shows a hidden review again.
#[utoipa::path(post, path = "/api/admin/reviews/{id}/restore", tag = "admin", params(("id" = Uuid, Path)), request_body = RestoreBody,
    responses((status = 200, body = ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn restore_review(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<RestoreBody>,
) -> Result<Json<ReviewView>, ApiError> {
    let note = Reason::parse(&body.note)?;
    moderate(&state, &admin, id, false, "restored", note).await
}

async fn moderate(
    state: &AppState,
    admin: &crate::auth::Caller,
    id: Uuid,
    hide: bool,
    code: &str,
    note: Reason,
) -> Result<Json<ReviewView>, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let found = sqlx::query("UPDATE reviews SET hidden = $2 WHERE id = $1")
        .bind(id)
        .bind(hide)
        .execute(&mut *tx)
        .await?;
    if found.rows_affected() == 0 {
        return Err(ApiError::not_found("review"));
    }
    let event = AuditEvent {
        actor: Some(admin.actor()),
        action: if hide {
            "review.hidden"
        } else {
            "review.restored"
        },
        subject_kind: "review",
        subject_id: id.to_string(),
        reason: Some(note.as_str().to_owned()),
        details: json!({ "policy": code }),
    };
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(Json(get(&state.db, id).await?.expect("exists")))
}
