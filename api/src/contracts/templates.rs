//! A lawyer's templates: list, write, change, archive.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::template::{document_title, ContractKind, TemplateText};
use crate::auth::{Lawyers, Only};
use crate::error::{violated_constraint, ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, create_template))
        .routes(routes!(update_template, archive_template))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Template {
    pub id: Uuid,
    /// `consultation_terms` or `fee_agreement`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    pub kind: ContractKind,
    pub title: String,
    /// Text with `{{placeholders}}`: client_name, client_email, lawyer_name, lawyer_oab,
    /// fee, consultation_minutes, date, and (fee agreements only) session_date.
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateChange {
    pub title: String,
    pub body: String,
}

fn one_terms_template(e: sqlx::Error) -> ApiError {
    match violated_constraint(&e) {
        Some("contract_templates_one_consultation_terms") => ApiError::conflict(
            "consultation_terms_exist",
            "you already have consultation terms; change that template instead",
        ),
        _ => e.into(),
    }
}

const COLUMNS: &str = "id, kind, title, body, created_at, updated_at";

/// The caller's templates (not archived).
#[utoipa::path(get, path = "/api/lawyer/contract-templates", tag = "contracts",
    responses((status = 200, body = [Template]), (status = 403, body = ErrorBody)))]
async fn list_templates(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
) -> Result<Json<Vec<Template>>, ApiError> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contract_templates WHERE lawyer_id = $1 AND NOT archived ORDER BY kind, title"
    ))
    .bind(caller.id.0)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows))
}

/// Writes a template; its placeholders are checked against its kind.
#[utoipa::path(post, path = "/api/lawyer/contract-templates", tag = "contracts", request_body = TemplateBody,
    responses((status = 201, body = Template), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_template(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    JsonBody(body): JsonBody<TemplateBody>,
) -> Result<(StatusCode, Json<Template>), ApiError> {
    let title = document_title(&body.title)?;
    let text = TemplateText::parse(body.kind, &body.body)?;
    let now = state.now();
    let row = sqlx::query_as(&format!(
        "INSERT INTO contract_templates (lawyer_id, kind, title, body, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    ))
    .bind(caller.id.0)
    .bind(body.kind.as_str())
    .bind(title)
    .bind(text.as_str())
    .bind(now)
    .fetch_one(&state.db)
    .await
    .map_err(one_terms_template)?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// Changes a template. Documents already made from it keep their own text.
#[utoipa::path(put, path = "/api/lawyer/contract-templates/{id}", tag = "contracts", params(("id" = Uuid, Path)),
    request_body = TemplateChange,
    responses((status = 200, body = Template), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_template(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<TemplateChange>,
) -> Result<Json<Template>, ApiError> {
    let kind: String = sqlx::query_scalar(
        "SELECT kind FROM contract_templates WHERE id = $1 AND lawyer_id = $2 AND NOT archived",
    )
    .bind(id)
    .bind(caller.id.0)
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(|| ApiError::not_found("template"))?;
    let kind = ContractKind::parse(&kind).expect("the database checks kinds");
    let title = document_title(&body.title)?;
    let text = TemplateText::parse(kind, &body.body)?;
    let row = sqlx::query_as(&format!(
        "UPDATE contract_templates SET title = $3, body = $4, updated_at = $5
         WHERE id = $1 AND lawyer_id = $2 AND NOT archived RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(caller.id.0)
    .bind(title)
    .bind(text.as_str())
    .bind(state.now())
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(|| ApiError::not_found("template"))?;
    Ok(Json(row))
}

/// Archives a template: no new documents are made from it (consultation terms fall
/// back to the platform's default).
#[utoipa::path(delete, path = "/api/lawyer/contract-templates/{id}", tag = "contracts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn archive_template(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
) -> Result<StatusCode, ApiError> {
    let done = sqlx::query(
        "UPDATE contract_templates SET archived = true, updated_at = $3 WHERE id = $1 AND lawyer_id = $2 AND NOT archived",
    )
    .bind(id)
    .bind(caller.id.0)
    .bind(state.now())
    .execute(&state.db)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(ApiError::not_found("template"));
    }
    Ok(StatusCode::NO_CONTENT)
}
