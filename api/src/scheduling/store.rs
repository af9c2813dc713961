use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

use super::lifecycle::{SessionFacts, SessionStatus};

/// A legal session with its parties' names and attendance.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, ToSchema)]
pub struct Session {
    pub id: Uuid,
    pub client_id: Uuid,
    pub client_name: String,
    pub lawyer_id: Uuid,
    pub lawyer_name: String,
    pub payment_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub status: String,
    pub legal_mode: bool,
    /// Bumped on every change a calendar must learn of (the .ics SEQUENCE).
    pub revision: i32,
    pub cancel_reason: Option<String>,
    pub client_joined: bool,
    pub lawyer_joined: bool,
    pub created_at: DateTime<Utc>,
}

impl Session {
    pub fn status(&self) -> SessionStatus {
        SessionStatus::parse(&self.status).expect("statuses are constrained by the database")
    }
    pub fn facts(&self) -> SessionFacts {
        SessionFacts {
            status: self.status(),
            start: self.start,
            end: self.end,
            client_joined: self.client_joined,
            lawyer_joined: self.lawyer_joined,
        }
    }
    pub fn is_party(&self, user: Uuid) -> bool {
        user == self.client_id || user == self.lawyer_id
    }
}

const SELECT: &str = "SELECT s.id, s.client_id, c.display_name AS client_name, s.lawyer_id, l.display_name AS lawyer_name,
        s.payment_id, lower(s.during) AS start, upper(s.during) AS \"end\", s.status, s.legal_mode, s.revision,
        s.cancel_reason, s.created_at,
        EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id AND e.user_id = s.client_id AND e.kind = 'joined') AS client_joined,
        EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id AND e.user_id = s.lawyer_id AND e.kind = 'joined') AS lawyer_joined
     FROM legal_sessions s JOIN users c ON c.id = s.client_id JOIN users l ON l.id = s.lawyer_id";

pub async fn get(db: &PgPool, id: Uuid) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn lock(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE s.id = $1 FOR UPDATE OF s"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The sessions where `user` is the client or the lawyer, soonest first.
pub async fn of_party(db: &PgPool, user: Uuid) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE s.client_id = $1 OR s.lawyer_id = $1 ORDER BY lower(s.during) DESC LIMIT 200"))
        .bind(user)
        .fetch_all(db)
        .await
}

/// Sessions that are still live, for the lifecycle worker.
pub async fn live(db: &PgPool) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE s.status IN ('scheduled', 'lobby_open', 'in_progress') ORDER BY lower(s.during)"))
        .fetch_all(db)
        .await
}

/// Records a join, leave, consent or marker (from the SFU and the recorder).
pub async fn record_event(
    db: &PgPool,
    session: Uuid,
    user: Option<Uuid>,
    kind: &str,
    at: DateTime<Utc>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    record_event_at(db, session, user, kind, at, None, details).await
}

/// Like `record_event`, with the media time (ms into the recording) when one is running.
pub async fn record_event_at(
    db: &PgPool,
    session: Uuid,
    user: Option<Uuid>,
    kind: &str,
    at: DateTime<Utc>,
    media_ms: Option<u64>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO session_events (session_id, user_id, kind, at, media_time_ms, details) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(session)
        .bind(user)
        .bind(kind)
        .bind(at)
        .bind(media_ms.and_then(|m| i64::try_from(m).ok()))
        .bind(details)
        .execute(db)
        .await?;
    Ok(())
}
