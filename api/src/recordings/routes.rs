//! Recording routes. A session's parties see its recordings (state, hash, segments) and may
//! request a copy; only admins download a sealed bundle, each time with a recorded reason
//! (a party's request or a court order), and the download is in the audit log. The bundle
//! is sealed: it is opened offline with the vault key (`tribuna vault open`).

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::requests::{self, Decision, RequestView};
use super::store::{self, AdminRecording, RecordingView};
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
    let Some(request_id) = requests::create(&mut tx, id, caller.id.0, note, now).await? else {
        return Err(ApiError::conflict(
            "request_pending",
            "you have already asked for this recording; an admin will answer",
        ));
    };
    audit::record(
        &mut tx,
        AuditEvent::new(Some(caller.actor()), "recording.requested", "recording", id)
            .details(serde_json::json!({ "request_id": request_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(requests::view(&state.db, request_id).await?),
    ))
}

/// Legal Mode sessions, newest first, one row per recording (or `not_recorded`).
#[utoipa::path(get, path = "/api/admin/recordings", tag = "admin",
    responses((status = 200, body = [AdminRecording]), (status = 403, body = ErrorBody)))]
async fn admin_recordings(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<Vec<AdminRecording>>, ApiError> {
    Ok(Json(store::admin_list(&state.db).await?))
}

/// Parties' requests for copies still waiting for an admin, oldest first.
#[utoipa::path(get, path = "/api/admin/recording-requests", tag = "admin",
    responses((status = 200, body = [RequestView]), (status = 403, body = ErrorBody)))]
async fn admin_requests(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    Ok(Json(requests::pending(&state.db).await?))
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
    let decided = requests::decide(
        &mut tx,
        id,
        None,
        Decision::Refused,
        admin.id.0,
        reason.as_str(),
        now,
    )
    .await?;
    let Some(recording) = decided else {
        return Err(not_pending(&state, id, None).await);
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
    Ok(Json(requests::view(&state.db, id).await?))
}

/// Why a request could not be decided: it is not there (for this recording), or was decided.
async fn not_pending(state: &AppState, request: Uuid, recording: Option<Uuid>) -> ApiError {
    match requests::status(&state.db, request, recording).await {
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
        let fulfilled = requests::decide(
            &mut tx,
            request,
            Some(id),
            Decision::Fulfilled,
            admin.id.0,
            reason.as_str(),
            now,
        )
        .await?;
        if fulfilled.is_none() {
            return Err(not_pending(&state, request, Some(id)).await);
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
