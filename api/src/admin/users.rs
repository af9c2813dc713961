use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::accounts::{self, AccountSearch, AccountView};
use crate::auth::{Admins, Only};
use crate::domain::{Reason, Role, UserId};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(suspend_user))
        .routes(routes!(restore_user))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Part of an email or display name.
    q: Option<String>,
    role: Option<Role>,
    /// `active` or `suspended`.
    status: Option<String>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Users, newest first, with filters.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(UserQuery),
    responses((status = 200, body = [AccountView]), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    _admin: Only<Admins>,
    QueryParams(q): QueryParams<UserQuery>,
) -> Result<Json<Vec<AccountView>>, ApiError> {
    if let Some(s) = q.status.as_deref() {
        if s != "active" && s != "suspended" {
            return Err(ApiError::bad_request(
                "invalid_query",
                "status must be active or suspended",
            ));
        }
    }
    let search = AccountSearch {
        text: q.q.filter(|t| !t.trim().is_empty()),
        role: q.role,
        status: q.status,
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0).max(0),
    };
    let found = accounts::search(&state.db, &search).await?;
    Ok(Json(found.into_iter().map(AccountView::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Why; kept in the audit log.
    pub reason: String,
}

/// Suspends an account and ends its login sessions.
#[utoipa::path(post, path = "/api/admin/users/{id}/suspend", tag = "admin", request_body = ReasonRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AccountView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn suspend_user(
    state: State<AppState>,
    admin: Only<Admins>,
    id: PathParam<Uuid>,
    body: JsonBody<ReasonRequest>,
) -> Result<Json<AccountView>, ApiError> {
    change_status(state, admin, id, body, false).await
}

/// Restores a suspended account.
#[utoipa::path(post, path = "/api/admin/users/{id}/restore", tag = "admin", request_body = ReasonRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AccountView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn restore_user(
    state: State<AppState>,
    admin: Only<Admins>,
    id: PathParam<Uuid>,
    body: JsonBody<ReasonRequest>,
) -> Result<Json<AccountView>, ApiError> {
    change_status(state, admin, id, body, true).await
}

async fn change_status(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<ReasonRequest>,
    active: bool,
) -> Result<Json<AccountView>, ApiError> {
    let reason = Reason::parse(&body.reason)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let account =
        accounts::set_status(&mut tx, UserId(id), active, admin.actor(), &reason, now).await?;
    tx.commit().await?;
    Ok(Json(account.into()))
}
