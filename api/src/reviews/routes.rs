use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::{Lawyers, Only, Parties};
use crate::domain::{DomainError, Paging};
use crate::error::{violated_constraint, ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::scheduling::lifecycle::SessionStatus;
use crate::scheduling::store as sessions;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_review))
        .routes(routes!(reply))
        .routes(routes!(lawyer_reviews))
}

/// A review as anyone may read it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct ReviewView {
    pub id: Uuid,
    pub session_id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub subject_id: Uuid,
    pub rating: i16,
    pub comment: String,
    pub hidden: bool,
    pub lawyer_reply: Option<String>,
    pub lawyer_reply_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub(super) const SELECT: &str =
    "SELECT r.id, r.session_id, r.author_id, a.display_name AS author_name, r.subject_id, r.rating,
        r.comment, r.hidden, r.lawyer_reply, r.lawyer_reply_at, r.created_at
     FROM reviews r JOIN users a ON a.id = r.author_id";

pub(super) async fn get(db: &sqlx::PgPool, id: Uuid) -> Result<Option<ReviewView>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// 1 to 5 stars.
    pub rating: i16,
    /// Up to 2000 characters; may be empty.
    #[serde(default)]
    pub comment: String,
}

fn comment(raw: &str, field: &'static str) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.chars().count() > 2000 {
        return Err(DomainError::new(field, "at most 2000 characters"));
    }
    Ok(text.to_owned())
}

/// Reviews the other party of a completed session (the client reviews the lawyer, and may be
/// reviewed by them), once, within the review window after the session.
#[utoipa::path(post, path = "/api/sessions/{id}/review", tag = "reviews", params(("id" = Uuid, Path)), request_body = ReviewBody,
    responses((status = 201, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_review(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<ReviewBody>,
) -> Result<(StatusCode, Json<ReviewView>), ApiError> {
    if !(1..=5).contains(&body.rating) {
        return Err(DomainError::new("rating", "a rating is 1 to 5 stars").into());
    }
    let text = comment(&body.comment, "comment")?;
    let session = sessions::get(&state.db, id)
        .await?
        .filter(|s| s.is_party(caller.id.0))
        .ok_or_else(|| ApiError::not_found("session"))?;
    if session.status() != SessionStatus::Completed {
        return Err(ApiError::conflict(
            "session_not_completed",
            "only a completed session can be reviewed",
        ));
    }
    let paid: Option<String> = sqlx::query_scalar("SELECT status FROM payments WHERE id = $1")
        .bind(session.payment_id)
        .fetch_optional(&state.db)
        .await?;
    if paid.as_deref() != Some("paid") {
        return Err(ApiError::conflict(
            "payment_not_paid",
            "only a paid session can be reviewed",
        ));
    }
    let now = state.now();
    if now > session.end + state.settings.review_window {
        let days = state.settings.review_window.num_days();
        return Err(ApiError::conflict(
            "review_window_closed",
            format!("reviews are written within {days} days of the session"),
        ));
    }
    let subject = if caller.id.0 == session.client_id {
        session.lawyer_id
    } else {
        session.client_id
    };
    let mut tx = state.db.begin().await?;
    let review_id: Uuid = sqlx::query_scalar(
        "INSERT INTO reviews (session_id, author_id, subject_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id)
    .bind(caller.id.0)
    .bind(subject)
    .bind(body.rating)
    .bind(&text)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("reviews_one_per_author") => ApiError::conflict("review_exists", "you have already reviewed this session; reviews never change"),
        _ => e.into(),
    })?;
    let event = AuditEvent::new(Some(caller.actor()), "review.created", "review", review_id)
        .details(json!({ "session_id": id, "subject_id": subject, "rating": body.rating }));
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    let review = get(&state.db, review_id).await?.expect("just written");
    Ok((StatusCode::CREATED, Json(review)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub text: String,
}

/// The reviewed lawyer's one public reply.
#[utoipa::path(post, path = "/api/reviews/{id}/reply", tag = "reviews", params(("id" = Uuid, Path)), request_body = ReplyBody,
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reply(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<ReplyBody>,
) -> Result<Json<ReviewView>, ApiError> {
    let text = comment(&body.text, "text")?;
    if text.is_empty() {
        return Err(DomainError::new("text", "a reply is not empty").into());
    }
    let review = get(&state.db, id)
        .await?
        .filter(|r| r.subject_id == caller.id.0)
        .ok_or_else(|| ApiError::not_found("review"))?;
    if review.lawyer_reply.is_some() {
        return Err(ApiError::conflict(
            "reply_exists",
            "you have already replied to this review",
        ));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("UPDATE reviews SET lawyer_reply = $2, lawyer_reply_at = $3 WHERE id = $1 AND lawyer_reply IS NULL")
        .bind(id)
        .bind(&text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::conflict(
            "reply_exists",
            "you have already replied to this review",
        ));
    }
    let event = AuditEvent::new(Some(caller.actor()), "review.replied", "review", id);
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(Json(get(&state.db, id).await?.expect("exists")))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based.
    page: Option<i64>,
    /// 1 to 50, default 20.
    per_page: Option<i64>,
}

/// A lawyer's visible reviews, newest first (404 for anyone who is not a lawyer).
#[utoipa::path(get, path = "/api/lawyers/{id}/reviews", tag = "reviews", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = [ReviewView]), (status = 404, body = ErrorBody)))]
async fn lawyer_reviews(
    State(state): State<AppState>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<Vec<ReviewView>>, ApiError> {
    // Only lawyers' reviews are public (a lawyer's own page reads them while unlisted too);
    // what lawyers wrote about a client is not.
    crate::lawyers::store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("lawyer"))?;
    let Paging {
        per_page, offset, ..
    } = Paging::new(q.page, q.per_page);
    let reviews = sqlx::query_as(&format!("{SELECT} WHERE r.subject_id = $1 AND NOT r.hidden ORDER BY r.created_at DESC LIMIT $2 OFFSET $3"))
        .bind(id)
        .bind(per_page)
        .bind(offset)
        .fetch_all(&state.db)
        .await?;
    Ok(Json(reviews))
}
