use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{get, Ticket, SELECT};
use crate::audit::{self, AuditEvent};
use crate::auth::{owner_or_admin, Caller, Only, Parties};
use crate::domain::{DomainError, UserId};
use crate::error::{violated_constraint, ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam};
use crate::scheduling::store as sessions;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(contact, my_tickets))
        .routes(routes!(ticket))
        .routes(routes!(report_no_show))
}

fn text(raw: &str, field: &'static str, max: usize) -> Result<String, DomainError> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 || n > max {
        return Err(DomainError::new(field, format!("1 to {max} characters")));
    }
    Ok(t.to_owned())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    pub subject: String,
    pub body: String,
}

async fn open_ticket(
    state: &AppState,
    caller: &Caller,
    kind: &'static str,
    session: Option<Uuid>,
    subject: String,
    body: String,
    attendance: Option<serde_json::Value>,
) -> Result<Ticket, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO support_tickets (author_id, session_id, kind, subject, body, attendance, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(caller.id.0)
    .bind(session)
    .bind(kind)
    .bind(&subject)
    .bind(&body)
    .bind(&attendance)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("support_tickets_one_no_show_per_author") => ApiError::conflict("already_reported", "you have already reported this session"),
        _ => e.into(),
    })?;
    let event = AuditEvent {
        actor: Some(caller.actor()),
        action: if kind == "no_show" {
            "support.no_show_reported"
        } else {
            "support.ticket_opened"
        },
        subject_kind: "ticket",
        subject_id: id.to_string(),
        reason: None,
        details: json!({ "session_id": session }),
    };
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(get(&state.db, id).await?.expect("just written"))
}

/// The contact form: a question or a problem for the support team.
#[utoipa::path(post, path = "/api/support/tickets", tag = "support", request_body = ContactBody,
    responses((status = 201, body = Ticket), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn contact(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<ContactBody>,
) -> Result<(StatusCode, Json<Ticket>), ApiError> {
    let subject = text(&b.subject, "subject", 200)?;
    let body = text(&b.body, "body", 5000)?;
    Ok((
        StatusCode::CREATED,
        Json(open_ticket(&state, &caller, "contact", None, subject, body, None).await?),
    ))
}

/// The caller's own tickets, newest first, with their outcomes.
#[utoipa::path(get, path = "/api/support/tickets", tag = "support", responses((status = 200, body = [Ticket]), (status = 401, body = ErrorBody)))]
async fn my_tickets(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Ticket>>, ApiError> {
    let tickets = sqlx::query_as(&format!(
        "{SELECT} WHERE t.author_id = $1 ORDER BY t.created_at DESC LIMIT 200"
    ))
    .bind(caller.id.0)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(tickets))
}

/// One ticket: its author or an admin.
#[utoipa::path(get, path = "/api/support/tickets/{id}", tag = "support", params(("id" = Uuid, Path)),
    responses((status = 200, body = Ticket), (status = 404, body = ErrorBody)))]
async fn ticket(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<Ticket>, ApiError> {
    let ticket = get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("ticket"))?;
    owner_or_admin(&caller, UserId(ticket.author_id), "ticket")?;
    Ok(Json(ticket))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoShowBody {
    /// What happened, in the reporter's words.
    pub body: String,
}

/// Reports that the other party did not show up: by a party of the session, from its
/// scheduled end until the report window closes. The room's attendance record is attached.
#[utoipa::path(post, path = "/api/sessions/{id}/no-show", tag = "support", params(("id" = Uuid, Path)), request_body = NoShowBody,
    responses((status = 201, body = Ticket), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn report_no_show(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(b): JsonBody<NoShowBody>,
) -> Result<(StatusCode, Json<Ticket>), ApiError> {
    let body = text(&b.body, "body", 5000)?;
    let session = sessions::get(&state.db, id)
        .await?
        .filter(|s| s.is_party(caller.id.0))
        .ok_or_else(|| ApiError::not_found("session"))?;
    let now = state.now();
    if session.status == "cancelled" {
        return Err(ApiError::conflict(
            "session_cancelled",
            "a cancelled session has no attendance to dispute",
        ));
    }
    if now < session.end {
        return Err(ApiError::conflict(
            "too_early",
            "a no-show can be reported once the session's scheduled end has passed",
        ));
    }
    if now > session.end + state.settings.no_show_report_window {
        let hours = state.settings.no_show_report_window.num_hours();
        return Err(ApiError::conflict(
            "report_window_closed",
            format!("no-shows are reported within {hours} h of the session's end"),
        ));
    }
    let events: Vec<(Option<Uuid>, String, chrono::DateTime<chrono::Utc>, serde_json::Value)> =
        sqlx::query_as("SELECT user_id, kind, at, details FROM session_events WHERE session_id = $1 AND kind IN ('joined', 'left') ORDER BY at")
            .bind(id)
            .fetch_all(&state.db)
            .await?;
    let attendance = json!({
        "session": { "start": session.start, "end": session.end, "status": session.status },
        "client_joined": session.client_joined,
        "lawyer_joined": session.lawyer_joined,
        "events": events.iter().map(|(who, kind, at, details)| json!({ "user_id": who, "kind": kind, "at": at, "details": details })).collect::<Vec<_>>(),
    });
    let subject = format!(
        "Não comparecimento: sessão de {}",
        session.start.format("%Y-%m-%d %H:%M UTC")
    );
    let ticket = open_ticket(
        &state,
        &caller,
        "no_show",
        Some(id),
        subject,
        body,
        Some(attendance),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ticket)))
}
