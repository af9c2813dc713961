//! Recording routes. A session's parties see its recordings (state, hash, segments) and may
//! request a copy; only admins download a sealed bundle, each time with a recorded reason
//! (a party's request or a court order), and the download is in the audit log. The bundle
//! is sealed: it is opened offline with the vault key (`tribuna vault open`).

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, RecordingView};
use super::{bundle_objects, tar};
use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Caller, Only};
use crate::domain::{Reason, Role};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session_recordings))
        .routes(routes!(request_copy))
        .routes(routes!(admin_recordings))
        .routes(routes!(admin_requests))
        .routes(routes!(refuse_request))
        .routes(routes!(bundle))
}

/// Whether the caller is a party of the session (or an admin); others are told it does not exist.
async fn may_see_session(state: &AppState, caller: &Caller, session: Uuid) -> Result<(), ApiError> {
    let (_, parties) = store::legal_session(&state.db, session)
        .await?
        .ok_or_else(|| ApiError::not_found("session"))?;
    if caller.role == Role::Admin || parties.iter().any(|p| p.user_id == caller.id.0) {
        Ok(())
    } else {
        Err(ApiError::not_found("session"))
    }
}

/// The session's Legal Mode recordings (for its parties and admins).
#[utoipa::path(get, path = "/api/sessions/{id}/recordings", tag = "recordings",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = [RecordingView]), (status = 404, body = ErrorBody)))]
async fn session_recordings(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<Vec<RecordingView>>, ApiError> {
    may_see_session(&state, &caller, id).await?;
    Ok(Json(store::of_session(&state.db, id, caller.id.0).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CopyRequest {
    /// Why the copy is wanted (optional, up to 2000 characters).
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RequestView {
    pub id: Uuid,
    pub recording_id: Uuid,
    pub session_id: Uuid,
    pub requested_by: Uuid,
    pub requester_name: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    /// `pending`, `fulfilled` or `refused`.
    pub status: String,
    pub decision_note: Option<String>,
}

const REQUEST_VIEW: &str = "SELECT q.id, q.recording_id, r.session_id, q.requested_by, u.display_name AS requester_name,
        q.note, q.created_at, q.status, q.decision_note
    FROM recording_requests q JOIN recordings r ON r.id = q.recording_id JOIN users u ON u.id = q.requested_by";

/// A party asks for a copy of a sealed recording; an admin fulfils or refuses it.
#[utoipa::path(post, path = "/api/recordings/{id}/requests", tag = "recordings",
    params(("id" = Uuid, Path)), request_body = CopyRequest,
    responses((status = 201, body = RequestView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_copy(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<CopyRequest>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let r = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("recording"))?;
    let (_, parties) = store::legal_session(&state.db, r.session_id)
        .await?
        .ok_or_else(|| ApiError::not_found("recording"))?;
    if !parties.iter().any(|p| p.user_id == caller.id.0) {
        return Err(ApiError::not_found("recording"));
    }
    if r.status != "sealed" {
        return Err(ApiError::conflict(
            "recording_not_sealed",
            "the recording is still in progress; ask once the call has ended",
        ));
    }
    let note = body.note.trim();
    if note.chars().count() > 2000 {
        return Err(ApiError::unprocessable(
            "invalid_note",
            "the note is at most 2000 characters",
        ));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO recording_requests (recording_id, requested_by, note, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id)
    .bind(caller.id.0)
    .bind(note)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let request_id = match inserted {
        Ok(q) => q,
        Err(sqlx::Error::Database(e))
            if e.constraint() == Some("recording_requests_one_pending") =>
        {
            return Err(ApiError::conflict(
                "request_pending",
                "you have already asked for this recording; an admin will answer",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        AuditEvent::new(Some(caller.actor()), "recording.requested", "recording", id)
            .details(serde_json::json!({ "request_id": request_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    let view = sqlx::query_as(&format!("{REQUEST_VIEW} WHERE q.id = $1"))
        .bind(request_id)
        .fetch_one(&state.db)
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AdminRecording {
    pub session_id: Uuid,
    pub client_name: String,
    pub lawyer_name: String,
    pub start: DateTime<Utc>,
    /// The session's status.
    pub status: String,
    /// `not_recorded`, `recording` or `sealed`.
    pub recording: String,
    pub recording_id: Option<Uuid>,
    pub manifest_sha256: Option<String>,
    pub segments: i64,
    pub pending_requests: i64,
}

/// Legal Mode sessions, newest first, one row per recording (or `not_recorded`).
#[utoipa::path(get, path = "/api/admin/recordings", tag = "admin",
    responses((status = 200, body = [AdminRecording]), (status = 403, body = ErrorBody)))]
async fn admin_recordings(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<Vec<AdminRecording>>, ApiError> {
    let rows = sqlx::query_as(
        "SELECT s.id AS session_id, c.display_name AS client_name, l.display_name AS lawyer_name,
                lower(s.during) AS start, s.status, coalesce(r.status, 'not_recorded') AS recording,
                r.id AS recording_id, r.manifest_sha256,
                (SELECT count(*) FROM recording_segments g WHERE g.recording_id = r.id) AS segments,
                (SELECT count(*) FROM recording_requests q WHERE q.recording_id = r.id AND q.status = 'pending') AS pending_requests
         FROM legal_sessions s JOIN users c ON c.id = s.client_id JOIN users l ON l.id = s.lawyer_id
         LEFT JOIN recordings r ON r.session_id = s.id
         WHERE s.legal_mode ORDER BY lower(s.during) DESC, r.started_at LIMIT 500",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows))
}

/// Parties' requests for copies still waiting for an admin, oldest first.
#[utoipa::path(get, path = "/api/admin/recording-requests", tag = "admin",
    responses((status = 200, body = [RequestView]), (status = 403, body = ErrorBody)))]
async fn admin_requests(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    let rows = sqlx::query_as(&format!(
        "{REQUEST_VIEW} WHERE q.status = 'pending' ORDER BY q.created_at"
    ))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefuseBody {
    pub reason: String,
}

/// Refuses a party's request, with a reason (audited).
#[utoipa::path(post, path = "/api/admin/recording-requests/{id}/refuse", tag = "admin",
    params(("id" = Uuid, Path)), request_body = RefuseBody,
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn refuse_request(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<RefuseBody>,
) -> Result<Json<RequestView>, ApiError> {
    let reason = Reason::parse(&body.reason)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let recording: Option<Uuid> = sqlx::query_scalar(
        "UPDATE recording_requests SET status = 'refused', decided_by = $2, decided_at = $3, decision_note = $4
         WHERE id = $1 AND status = 'pending' RETURNING recording_id",
    )
    .bind(id)
    .bind(admin.id.0)
    .bind(now)
    .bind(reason.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(recording) = recording else {
        return Err(not_pending(&state, id).await);
    };
    audit::record(
        &mut tx,
        AuditEvent::new(
            Some(admin.actor()),
            "recording.request_refused",
            "recording",
            recording,
        )
        .because(reason.as_str())
        .details(serde_json::json!({ "request_id": id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(
        sqlx::query_as(&format!("{REQUEST_VIEW} WHERE q.id = $1"))
            .bind(id)
            .fetch_one(&state.db)
            .await?,
    ))
}

async fn not_pending(state: &AppState, request: Uuid) -> ApiError {
    let exists: Result<Option<String>, _> =
        sqlx::query_scalar("SELECT status FROM recording_requests WHERE id = $1")
            .bind(request)
            .fetch_optional(&state.db)
            .await;
    match exists {
        Ok(Some(status)) => ApiError::conflict(
            "request_decided",
            format!("this request was already {status}"),
        ),
        Ok(None) => ApiError::not_found("request"),
        Err(e) => e.into(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BundleQuery {
    /// Why the bundle is taken out of the vault: a court order's reference, or the party's
    /// request being fulfilled (3 to 1000 characters). Recorded in the audit log.
    pub reason: String,
    /// The party's request this download fulfils, if any.
    pub request_id: Option<Uuid>,
}

/// The sealed bundle of a recording, as a tar of sealed files (open it offline with
/// `tribuna vault open --key vault.key BUNDLE.tar OUT/`). Admins only, with a reason; every
/// download is in the audit log before a byte is sent.
#[utoipa::path(get, path = "/api/admin/recordings/{id}/bundle", tag = "admin",
    params(("id" = Uuid, Path), BundleQuery),
    responses((status = 200, content_type = "application/x-tar", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn bundle(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(q): QueryParams<BundleQuery>,
) -> Result<Response, ApiError> {
    let reason = Reason::parse(&q.reason)?;
    let r = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("recording"))?;
    if r.status != "sealed" {
        return Err(ApiError::conflict(
            "recording_not_sealed",
            "the recording is still in progress",
        ));
    }
    let objects = bundle_objects(&r, &store::segments(&state.db, id).await?);
    let now = state.now();
    let mut tx = state.db.begin().await?;
    if let Some(request) = q.request_id {
        let fulfilled: Option<Uuid> = sqlx::query_scalar(
            "UPDATE recording_requests SET status = 'fulfilled', decided_by = $3, decided_at = $4, decision_note = $5
             WHERE id = $1 AND recording_id = $2 AND status = 'pending' RETURNING id",
        )
        .bind(request)
        .bind(id)
        .bind(admin.id.0)
        .bind(now)
        .bind(reason.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if fulfilled.is_none() {
            return Err(not_pending(&state, request).await);
        }
    }
    audit::record(
        &mut tx,
        AuditEvent::new(
            Some(admin.actor()),
            "recording.bundle_downloaded",
            "recording",
            id,
        )
        .because(reason.as_str())
        .details(serde_json::json!({
            "request_id": q.request_id,
            "manifest_sha256": r.manifest_sha256,
            "files": objects.len(),
        })),
        now,
    )
    .await?;
    tx.commit().await?;
    let blobs = state.services.blobs.clone();
    let stream = tar::stream(objects, move |key| {
        let blobs = blobs.clone();
        async move { blobs.get(&key).await }
    });
    let mut res = Body::from_stream(stream).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-tar"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"gravacao-{}.tar\"", r.id))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
