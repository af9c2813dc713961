//! Parties' requests for a copy of their recording, in the database: made by a party,
//! decided (fulfilled by an admin's download, or refused) once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::violated_constraint;

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

const VIEW: &str = "SELECT q.id, q.recording_id, r.session_id, q.requested_by, u.display_name AS requester_name,
        q.note, q.created_at, q.status, q.decision_note
    FROM recording_requests q JOIN recordings r ON r.id = q.recording_id JOIN users u ON u.id = q.requested_by";

pub async fn view(db: &PgPool, id: Uuid) -> Result<RequestView, sqlx::Error> {
    sqlx::query_as(&format!("{VIEW} WHERE q.id = $1"))
        .bind(id)
        .fetch_one(db)
        .await
}

/// Requests waiting for an admin, oldest first.
pub async fn pending(db: &PgPool) -> Result<Vec<RequestView>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{VIEW} WHERE q.status = 'pending' ORDER BY q.created_at"
    ))
    .fetch_all(db)
    .await
}

/// A new pending request; `None` when the requester already has one pending for it.
pub async fn create(
    tx: &mut Transaction<'_, Postgres>,
    recording: Uuid,
    requester: Uuid,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO recording_requests (recording_id, requested_by, note, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(recording)
    .bind(requester)
    .bind(note)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if violated_constraint(&e) == Some("recording_requests_one_pending") => Ok(None),
        Err(e) => Err(e),
    }
}

/// How an admin answers a request.
#[derive(Debug, Clone, Copy)]
pub enum Decision {
    Fulfilled,
    Refused,
}

/// Decides a pending request (of `recording`, when given) by `admin` with `note`; returns
/// the request's recording, or `None` when there is no such pending request.
pub async fn decide(
    tx: &mut Transaction<'_, Postgres>,
    request: Uuid,
    recording: Option<Uuid>,
    decision: Decision,
    admin: Uuid,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let status = match decision {
        Decision::Fulfilled => "fulfilled",
        Decision::Refused => "refused",
    };
    sqlx::query_scalar(
        "UPDATE recording_requests SET status = $3, decided_by = $4, decided_at = $5, decision_note = $6
         WHERE id = $1 AND ($2::uuid IS NULL OR recording_id = $2) AND status = 'pending' RETURNING recording_id",
    )
    .bind(request)
    .bind(recording)
    .bind(status)
    .bind(admin)
    .bind(now)
    .bind(note)
    .fetch_optional(&mut **tx)
    .await
}

/// The status of a request (of `recording`, when given), if there is one.
pub async fn status(
    db: &PgPool,
    request: Uuid,
    recording: Option<Uuid>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT status FROM recording_requests WHERE id = $1 AND ($2::uuid IS NULL OR recording_id = $2)",
    )
    .bind(request)
    .bind(recording)
    .fetch_optional(db)
    .await
}
