use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tribuna_signaling::RoomGrant;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::lifecycle::{join_window, JoinWindow, SessionStatus};
use super::store::{self, Session};
use super::{calendar, outbox};
use crate::audit::{self, AuditEvent};
use crate::auth::{Caller, Clients, Only, Parties};
use crate::domain::Role;
use crate::error::{violated_constraint, ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam};
use crate::lawyers::{self, store as lawyers_store};
use crate::payments::{self, store as payments_store, PaymentStatus};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(schedule))
        .routes(routes!(my_sessions))
        .routes(routes!(session))
        .routes(routes!(reschedule))
        .routes(routes!(cancel))
        .routes(routes!(join))
        .routes(routes!(calendar_file))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// A paid payment of the caller's that has not booked a session yet.
    pub payment_id: Uuid,
    /// The slot's start, one of `GET /api/lawyers/{id}/slots`.
    pub start: DateTime<Utc>,
    /// Record the call in Legal Mode (both parties must still consent in the call).
    #[serde(default)]
    pub legal_mode: bool,
}

fn conflict_from(e: sqlx::Error) -> ApiError {
    match violated_constraint(&e) {
        Some("legal_sessions_lawyer_no_overlap") => ApiError::conflict(
            "slot_taken",
            "this slot was just booked by someone else; your payment is kept for another slot",
        ),
        Some("legal_sessions_client_no_overlap") => {
            ApiError::conflict("client_busy", "you already have a session at that time")
        }
        Some("legal_sessions_one_per_payment") => {
            ApiError::conflict("payment_used", "this payment has already booked a session")
        }
        Some("legal_sessions_require_paid") => {
            ApiError::conflict("payment_not_paid", "this payment is not paid")
        }
        _ => e.into(),
    }
}

/// Whether `start` is a free slot of the lawyer for a consultation of `minutes`, ignoring `except`.
async fn slot_is_free(
    state: &AppState,
    lawyer_id: Uuid,
    minutes: i32,
    start: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<bool, ApiError> {
    let Some(mut lawyer) = lawyers_store::get(&state.db, lawyer_id)
        .await?
        .filter(lawyers_store::Lawyer::is_listed)
    else {
        return Err(ApiError::conflict(
            "lawyer_unavailable",
            "this lawyer is not taking bookings",
        ));
    };
    lawyer.consultation_minutes = minutes;
    let now = state.now();
    let busy: Vec<_> = lawyers_store::busy(&state.db, &[lawyer_id], now, except)
        .await?
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    let slots = lawyers::slots_of(&lawyer, &busy, now, start, start + Duration::minutes(1));
    Ok(slots.iter().any(|s| s.start == start))
}

async fn audited(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    caller: &Caller,
    action: &'static str,
    session: Uuid,
    reason: Option<String>,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        actor: Some(caller.actor()),
        action,
        subject_kind: "session",
        subject_id: session.to_string(),
        reason,
        details,
    };
    audit::record(tx, event, now).await?;
    Ok(())
}

/// Books a slot with a paid, unused payment; the payment is consumed in the same transaction.
#[utoipa::path(post, path = "/api/sessions/schedule", tag = "sessions", request_body = ScheduleBody,
    responses((status = 201, body = Session), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn schedule(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
    JsonBody(body): JsonBody<ScheduleBody>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    let payment = payments_store::get(&state.db, body.payment_id)
        .await?
        .filter(|p| p.client_id == caller.id.0)
        .ok_or_else(|| ApiError::not_found("payment"))?;
    if payment.session_id.is_some() {
        return Err(ApiError::conflict(
            "payment_used",
            "this payment has already booked a session",
        ));
    }
    if payment.status() != PaymentStatus::Paid {
        return Err(ApiError::conflict(
            "payment_not_paid",
            format!("this payment is {}, not paid", payment.status),
        ));
    }
    if !slot_is_free(
        &state,
        payment.lawyer_id,
        payment.consultation_minutes,
        body.start,
        None,
    )
    .await?
    {
        return Err(ApiError::unprocessable(
            "slot_unavailable",
            "this time is not one of the lawyer's free slots",
        ));
    }
    let now = state.now();
    let end = body.start + Duration::minutes(payment.consultation_minutes.into());
    let mut tx = state.db.begin().await?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO legal_sessions (client_id, lawyer_id, payment_id, during, legal_mode, created_at)
         VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7) RETURNING id",
    )
    .bind(caller.id.0)
    .bind(payment.lawyer_id)
    .bind(payment.id)
    .bind(body.start)
    .bind(end)
    .bind(body.legal_mode)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(conflict_from)?;
    let session = store::lock(&mut tx, id).await?.expect("just inserted");
    // The client–lawyer link, with the partner who brought the client, if any.
    sqlx::query(
        "INSERT INTO assignments (client_id, lawyer_id, partner_id)
         SELECT $1, $2, (SELECT partner_id FROM referrals WHERE referred_user_id = $1) ON CONFLICT (client_id, lawyer_id) DO NOTHING",
    )
    .bind(caller.id.0)
    .bind(payment.lawyer_id)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "payment_id": payment.id, "start": body.start, "end": end, "legal_mode": body.legal_mode });
    audited(
        &mut tx,
        &caller,
        "session.scheduled",
        id,
        None,
        details,
        now,
    )
    .await?;
    outbox::announce(
        &mut tx,
        &session,
        "scheduled",
        &state.settings.public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// The caller's sessions (as client or lawyer), latest first.
#[utoipa::path(get, path = "/api/sessions", tag = "sessions", responses((status = 200, body = [Session]), (status = 403, body = ErrorBody)))]
async fn my_sessions(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
) -> Result<Json<Vec<Session>>, ApiError> {
    Ok(Json(store::of_party(&state.db, caller.id.0).await?))
}

async fn visible(state: &AppState, caller: &Caller, id: Uuid) -> Result<Session, ApiError> {
    store::get(&state.db, id)
        .await?
        .filter(|s| s.is_party(caller.id.0) || caller.role == Role::Admin)
        .ok_or_else(|| ApiError::not_found("session"))
}

/// One session: its client, its lawyer, or an admin.
#[utoipa::path(get, path = "/api/sessions/{id}", tag = "sessions", params(("id" = Uuid, Path)),
    responses((status = 200, body = Session), (status = 404, body = ErrorBody)))]
async fn session(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<Session>, ApiError> {
    Ok(Json(visible(&state, &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleBody {
    pub start: DateTime<Utc>,
}

/// Moves the client's session to another free slot, up to the cancellation notice before it.
#[utoipa::path(post, path = "/api/sessions/{id}/reschedule", tag = "sessions", params(("id" = Uuid, Path)), request_body = RescheduleBody,
    responses((status = 200, body = Session), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reschedule(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<RescheduleBody>,
) -> Result<Json<Session>, ApiError> {
    let current = store::get(&state.db, id)
        .await?
        .filter(|s| s.client_id == caller.id.0)
        .ok_or_else(|| ApiError::not_found("session"))?;
    let now = state.now();
    if current.status() != SessionStatus::Scheduled
        || current.start - now < state.settings.client_cancel_notice
    {
        return Err(ApiError::conflict(
            "too_late_to_reschedule",
            "sessions can be moved only until the cancellation notice before they start",
        ));
    }
    let minutes = (current.end - current.start).num_minutes() as i32;
    if !slot_is_free(&state, current.lawyer_id, minutes, body.start, Some(id)).await? {
        return Err(ApiError::unprocessable(
            "slot_unavailable",
            "this time is not one of the lawyer's free slots",
        ));
    }
    let end = body.start + Duration::minutes(minutes.into());
    let mut tx = state.db.begin().await?;
    let moved = sqlx::query("UPDATE legal_sessions SET during = tstzrange($2, $3), revision = revision + 1, updated_at = $4 WHERE id = $1 AND status = 'scheduled'")
        .bind(id)
        .bind(body.start)
        .bind(end)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(conflict_from)?;
    if moved.rows_affected() == 0 {
        return Err(ApiError::conflict(
            "not_reschedulable",
            "the session changed meanwhile",
        ));
    }
    let session = store::lock(&mut tx, id).await?.expect("exists");
    audited(
        &mut tx,
        &caller,
        "session.rescheduled",
        id,
        None,
        json!({ "from": current.start, "to": body.start }),
        now,
    )
    .await?;
    outbox::announce(
        &mut tx,
        &session,
        "rescheduled",
        &state.settings.public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(session))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cancellation {
    pub session: Session,
    /// `refunded`, or `failed` (support will follow up) when the refund could not be issued.
    pub refund: String,
}

/// Cancels a session. The client may cancel up to the notice (default 24 h) before the
/// start; the lawyer at any time. Either way the client is refunded in full.
#[utoipa::path(post, path = "/api/sessions/{id}/cancel", tag = "sessions", params(("id" = Uuid, Path)), request_body = CancelBody,
    responses((status = 200, body = Cancellation), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<CancelBody>,
) -> Result<Json<Cancellation>, ApiError> {
    let reason = crate::domain::Reason::parse(&body.reason)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let current = store::lock(&mut tx, id)
        .await?
        .filter(|s| s.is_party(caller.id.0))
        .ok_or_else(|| ApiError::not_found("session"))?;
    if !current.status().is_live() {
        return Err(ApiError::conflict(
            "not_cancellable",
            format!("the session is {}", current.status),
        ));
    }
    if caller.role == Role::Client && current.start - now < state.settings.client_cancel_notice {
        let hours = state.settings.client_cancel_notice.num_hours();
        return Err(ApiError::conflict(
            "too_late_to_cancel",
            format!("clients can cancel up to {hours} h before the start; contact support"),
        ));
    }
    sqlx::query("UPDATE legal_sessions SET status = 'cancelled', cancelled_by = $2, cancel_reason = $3, revision = revision + 1, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(caller.id.0)
        .bind(reason.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let session = store::lock(&mut tx, id).await?.expect("exists");
    let by = if caller.role == Role::Client {
        "client"
    } else {
        "lawyer"
    };
    audited(
        &mut tx,
        &caller,
        "session.cancelled",
        id,
        Some(reason.as_str().to_owned()),
        json!({ "by": by }),
        now,
    )
    .await?;
    outbox::announce(
        &mut tx,
        &session,
        "cancelled",
        &state.settings.public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    let refund =
        match payments::refund_in_full(&state, session.payment_id, "session cancelled").await {
            Ok(_) => "refunded",
            Err(_) => "failed",
        };
    Ok(Json(Cancellation {
        session,
        refund: refund.to_owned(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JoinTicket {
    /// The room access token for the signaling server.
    pub token: String,
    pub room: String,
    pub signaling_url: String,
    pub expires_at: DateTime<Utc>,
    pub legal_mode: bool,
    /// TURN relays (for networks that block UDP) with credentials valid until `expires_at`;
    /// empty when none is configured.
    pub ice_servers: Vec<IceServerView>,
}

/// A TURN relay as `RTCIceServer` takes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IceServerView {
    pub urls: Vec<String>,
    pub username: String,
    pub credential: String,
}

impl JoinTicket {
    /// A ticket for `grant`'s holder, valid from now until `expires_at`.
    pub(crate) fn mint(state: &AppState, grant: RoomGrant, expires_at: DateTime<Utc>) -> Self {
        let now = state.now();
        let services = &state.services;
        JoinTicket {
            token: services.room_tokens.mint(&grant, now, expires_at - now),
            ice_servers: services
                .turn
                .iter()
                .map(|t| {
                    let s = t.credentials(&grant.identity, expires_at);
                    IceServerView {
                        urls: s.urls,
                        username: s.username,
                        credential: s.credential,
                    }
                })
                .collect(),
            room: grant.room,
            signaling_url: state.settings.signaling_url.clone(),
            expires_at,
            legal_mode: grant.legal_mode,
        }
    }
}

/// A room token for the session's client or lawyer, only inside the session window.
#[utoipa::path(get, path = "/api/sessions/{id}/join", tag = "sessions", params(("id" = Uuid, Path)),
    responses((status = 200, body = JoinTicket), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 410, body = ErrorBody)))]
async fn join(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<JoinTicket>, ApiError> {
    let session = store::get(&state.db, id)
        .await?
        .filter(|s| s.is_party(caller.id.0))
        .ok_or_else(|| ApiError::not_found("session"))?;
    let now = state.now();
    let policy = state.settings.sessions;
    match join_window(&session.facts(), &policy, now) {
        JoinWindow::Open => {}
        JoinWindow::NotYet { opens_at } => {
            return Err(ApiError::conflict(
                "not_open_yet",
                format!("the room opens at {}", opens_at.to_rfc3339()),
            ));
        }
        JoinWindow::Over => {
            return Err(ApiError::new(
                StatusCode::GONE,
                "session_over",
                "this session is over",
            ))
        }
        JoinWindow::Cancelled => {
            return Err(ApiError::conflict(
                "session_cancelled",
                "this session was cancelled",
            ))
        }
    }
    let expires_at = session.end + policy.overtime;
    let grant = RoomGrant {
        room: session.id.to_string(),
        identity: caller.id.to_string(),
        display_name: caller.display_name.clone(),
        can_publish: true,
        can_subscribe: true,
        legal_mode: session.legal_mode,
        recorder: false,
    };
    Ok(Json(JoinTicket::mint(&state, grant, expires_at)))
}

/// The session as an iCalendar file (stable UID; SEQUENCE is the session's revision).
#[utoipa::path(get, path = "/api/sessions/{id}/calendar.ics", tag = "sessions", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
async fn calendar_file(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<impl IntoResponse, ApiError> {
    let session = visible(&state, &caller, id).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        calendar::ics(&session, &state.settings.public_url),
    ))
}
