//! A development path to a call: a room token for any logged-in user in a room of
//! their choosing, **only when `signaling.dev_rooms` is on** (browser tests, trying
//! the call page). Off by default; in production the only way in is a paid
//! session's ticket (`GET /api/sessions/{id}/join`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Duration;
use tribuna_signaling::RoomGrant;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::routes::JoinTicket;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::PathParam;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dev_room_ticket))
}

/// A room token for a development room (`dev-…`), for the caller. 404 unless dev rooms are enabled.
#[utoipa::path(post, path = "/api/dev/rooms/{room}/join", tag = "sessions", params(("room" = String, Path, description = "dev-<name>")),
    responses((status = 200, body = JoinTicket), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn dev_room_ticket(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(room): PathParam<String>,
) -> Result<Json<JoinTicket>, ApiError> {
    if !state.settings.dev_rooms {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_route",
            "development rooms are disabled",
        ));
    }
    let valid = room.starts_with("dev-")
        && room.len() <= 64
        && room.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(ApiError::unprocessable(
            "invalid_room",
            "development rooms are named dev-<letters, digits, dashes>",
        ));
    }
    let now = state.now();
    let expires_at = now + Duration::hours(2);
    let grant = RoomGrant {
        room: room.clone(),
        identity: caller.id.to_string(),
        display_name: caller.display_name.clone(),
        can_publish: true,
        can_subscribe: true,
        legal_mode: false,
        recorder: false,
    };
    Ok(Json(JoinTicket::mint(&state, grant, expires_at)))
}
