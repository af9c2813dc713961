use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Account};
use crate::auth::{owner_or_admin, Caller};
use crate::domain::{Role, UserId};
use crate::error::{ApiError, ErrorBody};
use crate::extract::PathParam;
use crate::state::AppState;

/// An account as its owner and admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub status: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

impl From<Account> for AccountView {
    fn from(a: Account) -> Self {
        AccountView {
            role: a.role(),
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            status: a.status,
            locale: a.locale,
            created_at: a.created_at,
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_account))
}

/// An account: its owner or an admin.
#[utoipa::path(get, path = "/api/users/{id}", tag = "accounts",
    params(("id" = Uuid, Path, description = "user id")),
    responses((status = 200, body = AccountView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_account(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<AccountView>, ApiError> {
    owner_or_admin(&caller, UserId(id), "account")?;
    let account = store::get(&state.db, UserId(id))
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    Ok(Json(account.into()))
}
