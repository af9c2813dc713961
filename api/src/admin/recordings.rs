//! Legal Mode sessions and their recordings, for admins. Retrieval (the sealed bundle,
//! with a recorded reason) comes with the recorder; until then every session shows
//! `not_recorded`.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::{Admins, Only};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_recordings))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct LegalModeSession {
    pub session_id: Uuid,
    pub client_name: String,
    pub lawyer_name: String,
    pub start: DateTime<Utc>,
    pub status: String,
    /// `not_recorded` until the recorder runs (the Legal Mode issue).
    pub recording: String,
}

/// Sessions booked in Legal Mode, newest first, with their recording state.
#[utoipa::path(get, path = "/api/admin/recordings", tag = "admin",
    responses((status = 200, body = [LegalModeSession]), (status = 403, body = ErrorBody)))]
async fn list_recordings(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<Vec<LegalModeSession>>, ApiError> {
    let sessions = sqlx::query_as(
        "SELECT s.id AS session_id, c.display_name AS client_name, l.display_name AS lawyer_name, lower(s.during) AS start,
                s.status, 'not_recorded' AS recording
         FROM legal_sessions s JOIN users c ON c.id = s.client_id JOIN users l ON l.id = s.lawyer_id
         WHERE s.legal_mode ORDER BY lower(s.during) DESC LIMIT 500",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(sessions))
}
