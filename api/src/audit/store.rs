use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde::Serialize;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::chain::{link_hash, AuditRecord, ChainProblem, ChainWalker, GENESIS_HASH};
use crate::domain::{Role, UserId};

/// Key of the transaction-scoped advisory lock that serializes audit writers.
const AUDIT_LOCK_KEY: i64 = 0x7472_6962_6175_6474; // "tribaudt"

/// Who did it: a signed-in user, or nobody (the system, the CLI, Stripe).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

/// One state change to record.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor: Option<Actor>,
    /// `noun.verb`, e.g. `user.suspended`.
    pub action: &'static str,
    pub subject_kind: &'static str,
    pub subject_id: String,
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

impl AuditEvent {
    /// `actor` did `action` (`noun.verb`) to the `subject_kind` with `subject_id`.
    pub fn new(
        actor: Option<Actor>,
        action: &'static str,
        subject_kind: &'static str,
        subject_id: impl ToString,
    ) -> Self {
        AuditEvent {
            actor,
            action,
            subject_kind,
            subject_id: subject_id.to_string(),
            reason: None,
            details: serde_json::json!({}),
        }
    }

    /// Why (required for admin actions).
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Appends `event` inside `tx`: the entry commits or rolls back with the change it records.
pub async fn record(
    tx: &mut Transaction<'_, Postgres>,
    event: AuditEvent,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(AUDIT_LOCK_KEY)
        .execute(&mut **tx)
        .await?;
    let last: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let (last_seq, prev_hash) = last.unwrap_or((0, GENESIS_HASH.to_vec()));
    // PostgreSQL keeps microseconds; hash exactly what is stored.
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).expect("a valid time");
    let mut row = AuditRecord {
        seq: last_seq + 1,
        at,
        actor_id: event.actor.map(|a| a.id.0),
        actor_role: event.actor.map(|a| a.role.as_str().to_owned()),
        action: event.action.to_owned(),
        subject_kind: event.subject_kind.to_owned(),
        subject_id: event.subject_id,
        reason: event.reason,
        details: event.details,
        prev_hash,
        hash: Vec::new(),
    };
    row.hash = link_hash(&row.prev_hash, &row).to_vec();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, subject_kind, subject_id, reason, details, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(row.seq)
    .bind(row.at)
    .bind(row.actor_id)
    .bind(&row.actor_role)
    .bind(&row.action)
    .bind(&row.subject_kind)
    .bind(&row.subject_id)
    .bind(&row.reason)
    .bind(&row.details)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    Ok(row.seq)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChainReport {
    /// Rows that verified before the first problem (all rows when intact).
    pub rows_checked: i64,
    /// Hex SHA-256 of the last good row.
    pub head_hash: String,
    pub intact: bool,
    /// The first bad row, when there is one.
    pub first_bad_seq: Option<i64>,
    pub problem: Option<String>,
}

/// Walks the whole chain in `seq` order, calling `progress` with the count every 10 000 rows.
pub async fn verify(
    db: &PgPool,
    mut progress: impl FnMut(i64),
) -> Result<ChainReport, sqlx::Error> {
    let mut walker = ChainWalker::default();
    let query = format!("{SELECT_RECORD} ORDER BY seq");
    let mut rows = sqlx::query_as::<_, AuditRecord>(&query).fetch(db);
    let mut problem: Option<ChainProblem> = None;
    while let Some(row) = rows.try_next().await? {
        if let Err(p) = walker.step(&row) {
            problem = Some(p);
            break;
        }
        if walker.rows_checked() % 10_000 == 0 {
            progress(walker.rows_checked());
        }
    }
    Ok(ChainReport {
        rows_checked: walker.rows_checked(),
        head_hash: hex::encode(walker.head_hash()),
        intact: problem.is_none(),
        first_bad_seq: problem.as_ref().map(ChainProblem::seq),
        problem: problem.map(|p| p.to_string()),
    })
}

const SELECT_RECORD: &str = "SELECT seq, at, actor_id, actor_role, action, subject_kind, subject_id, reason, details, prev_hash, hash FROM audit_log";

/// Filters for browsing the log, newest first.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub before_seq: Option<i64>,
    pub limit: i64,
}

pub async fn list(db: &PgPool, f: &AuditFilter) -> Result<Vec<AuditRecord>, sqlx::Error> {
    sqlx::query_as::<_, AuditRecord>(&format!(
        "{SELECT_RECORD}
         WHERE ($1::text IS NULL OR action = $1)
           AND ($2::uuid IS NULL OR actor_id = $2)
           AND ($3::text IS NULL OR subject_kind = $3)
           AND ($4::text IS NULL OR subject_id = $4)
           AND ($5::bigint IS NULL OR seq < $5)
         ORDER BY seq DESC LIMIT $6"
    ))
    .bind(&f.action)
    .bind(f.actor_id)
    .bind(&f.subject_kind)
    .bind(&f.subject_id)
    .bind(f.before_seq)
    .bind(f.limit)
    .fetch_all(db)
    .await
}
