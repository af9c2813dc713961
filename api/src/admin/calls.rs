use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admins, Only};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(live_calls))
}

/// Calls in progress: per room and participant, packets, bytes, bitrate, loss, jitter, RTT.
#[utoipa::path(get, path = "/api/admin/calls", tag = "admin",
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn live_calls(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(match &state.services.calls {
        Some(calls) => calls.snapshot().await,
        None => serde_json::json!([]),
    }))
}
