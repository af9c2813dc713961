//! Recordings in the database: the recorder's durable record of a recording in progress
//! (its chain entries, gaps, series) and, once sealed, its manifest hash.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordingRow {
    pub id: Uuid,
    pub session_id: Uuid,
    pub status: String,
    pub prefix: String,
    pub started_at: DateTime<Utc>,
    pub series: i32,
    pub ended_at: Option<DateTime<Utc>>,
    pub manifest_sha256: Option<String>,
}

/// One chain entry, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SegmentRow {
    pub position: i32,
    pub series: i32,
    pub participant: String,
    pub file: String,
    pub bytes: i64,
    pub sha256: String,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub prev: String,
    pub link: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GapRow {
    pub from_at: DateTime<Utc>,
    pub to_at: DateTime<Utc>,
    pub reason: String,
}

/// A session's parties, for the manifest and for access checks.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Party {
    pub user_id: Uuid,
    /// `client` or `lawyer`.
    pub role: String,
    pub display_name: String,
    /// `123456/SP` for the lawyer.
    pub oab: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub user_id: Option<Uuid>,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub media_time_ms: Option<i64>,
    pub details: serde_json::Value,
}

const COLUMNS: &str =
    "id, session_id, status, prefix, started_at, series, ended_at, manifest_sha256";

/// Whether `session_id` is a Legal Mode session, and its parties (client first).
pub async fn legal_session(
    db: &PgPool,
    session_id: Uuid,
) -> Result<Option<(bool, Vec<Party>)>, sqlx::Error> {
    let legal: Option<bool> =
        sqlx::query_scalar("SELECT legal_mode FROM legal_sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(db)
            .await?;
    let Some(legal) = legal else { return Ok(None) };
    let parties = sqlx::query_as(
        "SELECT u.id AS user_id, 'client' AS role, u.display_name, NULL::text AS oab
         FROM legal_sessions s JOIN users u ON u.id = s.client_id WHERE s.id = $1
         UNION ALL
         SELECT u.id, 'lawyer', u.display_name, p.oab_number || '/' || p.oab_state
         FROM legal_sessions s JOIN users u ON u.id = s.lawyer_id
         LEFT JOIN lawyer_profiles p ON p.user_id = s.lawyer_id WHERE s.id = $1",
    )
    .bind(session_id)
    .fetch_all(db)
    .await?;
    Ok(Some((legal, parties)))
}

/// The session's recording in progress, if any.
pub async fn in_progress(
    db: &PgPool,
    session_id: Uuid,
) -> Result<Option<RecordingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM recordings WHERE session_id = $1 AND status = 'recording'"
    ))
    .bind(session_id)
    .fetch_optional(db)
    .await
}

pub async fn get(db: &PgPool, id: Uuid) -> Result<Option<RecordingRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM recordings WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Starts a recording of the session (its objects under `recordings/<session>/<id>`).
pub async fn start(
    db: &PgPool,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RecordingRow, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query_as(&format!(
        "INSERT INTO recordings (id, session_id, prefix, started_at) VALUES ($1, $2, $3, $4)
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(session_id)
    .bind(format!("recordings/{session_id}/{id}"))
    .bind(now)
    .fetch_one(db)
    .await
}

/// The next segment series of a recording in progress (its recorder restarted).
pub async fn next_series(db: &PgPool, id: Uuid) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE recordings SET series = series + 1 WHERE id = $1 AND status = 'recording' RETURNING series",
    )
    .bind(id)
    .fetch_one(db)
    .await
}

pub async fn segments(db: &PgPool, id: Uuid) -> Result<Vec<SegmentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT position, series, participant, file, bytes, sha256, start_at, end_at, prev, link
         FROM recording_segments WHERE recording_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Records a chain entry (the database refuses one that does not link to the last).
pub async fn add_segment(db: &PgPool, id: Uuid, s: &SegmentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recording_segments (recording_id, position, series, participant, file, bytes, sha256, start_at, end_at, prev, link)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(s.position)
    .bind(s.series)
    .bind(&s.participant)
    .bind(&s.file)
    .bind(s.bytes)
    .bind(&s.sha256)
    .bind(s.start_at)
    .bind(s.end_at)
    .bind(&s.prev)
    .bind(&s.link)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn add_gap(
    db: &PgPool,
    id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recording_gaps (recording_id, from_at, to_at, reason) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(from)
    .bind(to.max(from))
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn gaps(db: &PgPool, id: Uuid) -> Result<Vec<GapRow>, sqlx::Error> {
    sqlx::query_as("SELECT from_at, to_at, reason FROM recording_gaps WHERE recording_id = $1 ORDER BY from_at, id")
        .bind(id)
        .fetch_all(db)
        .await
}

/// The session's room events (joins, leaves, consents, markers) up to `until`.
pub async fn events(
    db: &PgPool,
    session_id: Uuid,
    until: DateTime<Utc>,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, kind, at, media_time_ms, details FROM session_events
         WHERE session_id = $1 AND at <= $2 ORDER BY at, id",
    )
    .bind(session_id)
    .bind(until)
    .fetch_all(db)
    .await
}

/// The latest consent event of each party (consent stands until withdrawn).
pub async fn consents(db: &PgPool, session_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM (
            SELECT DISTINCT ON (user_id) user_id, kind FROM session_events
            WHERE session_id = $1 AND kind IN ('consent_given', 'consent_withdrawn') AND user_id IS NOT NULL
            ORDER BY user_id, at DESC, id DESC) latest
         WHERE kind = 'consent_given'",
    )
    .bind(session_id)
    .fetch_all(db)
    .await
}

/// Seals the recording: its manifest's hash is recorded with it and in the audit log, in
/// one transaction.
pub async fn seal(
    db: &PgPool,
    r: &RecordingRow,
    ended_at: DateTime<Utc>,
    manifest_sha256: &str,
    segments: usize,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx: Transaction<'_, Postgres> = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE recordings SET status = 'sealed', ended_at = $2, manifest_sha256 = $3 WHERE id = $1 AND status = 'recording'",
    )
    .bind(r.id)
    .bind(ended_at.max(r.started_at))
    .bind(manifest_sha256)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        // Sealed already: no second audit entry (the transaction rolls back).
        return Err(sqlx::Error::RowNotFound);
    }
    audit::record(
        &mut tx,
        AuditEvent::new(None, "recording.sealed", "recording", r.id).details(serde_json::json!({
            "session_id": r.session_id,
            "manifest_sha256": manifest_sha256,
            "segments": segments,
        })),
        now,
    )
    .await?;
    tx.commit().await
}

/// Every recording in progress (to find those a crash left behind).
pub async fn open_recordings(db: &PgPool) -> Result<Vec<RecordingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM recordings WHERE status = 'recording' ORDER BY started_at"
    ))
    .fetch_all(db)
    .await
}

/// The end of the recording's last sealed segment (its start when there is none).
pub async fn last_media(db: &PgPool, r: &RecordingRow) -> Result<DateTime<Utc>, sqlx::Error> {
    let last: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT max(end_at) FROM recording_segments WHERE recording_id = $1")
            .bind(r.id)
            .fetch_one(db)
            .await?;
    Ok(last.unwrap_or(r.started_at))
}

/// A recording as its parties and admins see it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RecordingView {
    pub id: Uuid,
    pub session_id: Uuid,
    /// `recording` or `sealed`.
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// SHA-256 of the sealed bundle's manifest.json (also in the audit log).
    pub manifest_sha256: Option<String>,
    pub segments: i64,
    pub gaps: i64,
    /// The caller's own request for a copy, if any: `pending`, `fulfilled`, `refused`.
    pub my_request: Option<String>,
}

pub async fn of_session(
    db: &PgPool,
    session_id: Uuid,
    viewer: Uuid,
) -> Result<Vec<RecordingView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.session_id, r.status, r.started_at, r.ended_at, r.manifest_sha256,
                (SELECT count(*) FROM recording_segments s WHERE s.recording_id = r.id) AS segments,
                (SELECT count(*) FROM recording_gaps g WHERE g.recording_id = r.id) AS gaps,
                (SELECT q.status FROM recording_requests q WHERE q.recording_id = r.id AND q.requested_by = $2
                 ORDER BY q.created_at DESC LIMIT 1) AS my_request
         FROM recordings r WHERE r.session_id = $1 ORDER BY r.started_at",
    )
    .bind(session_id)
    .bind(viewer)
    .fetch_all(db)
    .await
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
pub async fn admin_list(db: &PgPool) -> Result<Vec<AdminRecording>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id AS session_id, c.display_name AS client_name, l.display_name AS lawyer_name,
                lower(s.during) AS start, s.status, coalesce(r.status, 'not_recorded') AS recording,
                r.id AS recording_id, r.manifest_sha256,
                (SELECT count(*) FROM recording_segments g WHERE g.recording_id = r.id) AS segments,
                (SELECT count(*) FROM recording_requests q WHERE q.recording_id = r.id AND q.status = 'pending') AS pending_requests
         FROM legal_sessions s JOIN users c ON c.id = s.client_id JOIN users l ON l.id = s.lawyer_id
         LEFT JOIN recordings r ON r.session_id = s.id
         WHERE s.legal_mode ORDER BY lower(s.during) DESC, r.started_at LIMIT 500",
    )
    .fetch_all(db)
    .await
}
