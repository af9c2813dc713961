use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Payment};
use super::{checkout, webhook};
use crate::auth::{owner_or_admin, Caller, Clients, Only};
use crate::domain::UserId;
use crate::error::{ApiError, ErrorBody};
use crate::extract::PathParam;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(checkout::create_session))
        .routes(routes!(webhook::receive))
        .routes(routes!(my_payments))
        .routes(routes!(payment))
}

/// The calling client's payments, newest first.
#[utoipa::path(get, path = "/api/payments", tag = "payments", responses((status = 200, body = [Payment]), (status = 403, body = ErrorBody)))]
async fn my_payments(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
) -> Result<Json<Vec<Payment>>, ApiError> {
    Ok(Json(store::of_client(&state.db, caller.id.0).await?))
}

/// One payment (a receipt): its client or an admin.
#[utoipa::path(get, path = "/api/payments/{id}", tag = "payments", params(("id" = Uuid, Path)),
    responses((status = 200, body = Payment), (status = 404, body = ErrorBody)))]
async fn payment(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<Payment>, ApiError> {
    let payment = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("payment"))?;
    owner_or_admin(&caller, UserId(payment.client_id), "payment")?;
    Ok(Json(payment))
}
