//! Contracts, versions and answers in PostgreSQL.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::lifecycle::{ContractStatus, VersionFacts};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContractRow {
    pub id: Uuid,
    pub kind: String,
    pub lawyer_id: Uuid,
    pub lawyer_name: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub payment_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub title: String,
    pub status: String,
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The newest version's number.
    pub current_version: i32,
    /// When the newest sent version expires unanswered.
    pub expires_at: Option<DateTime<Utc>>,
}

impl ContractRow {
    pub fn status(&self) -> ContractStatus {
        ContractStatus::parse(&self.status).expect("the database checks statuses")
    }

    /// The status people see: a sent contract past its expiry is expired even before the
    /// worker records it.
    pub fn status_at(&self, now: DateTime<Utc>) -> ContractStatus {
        match self.status() {
            ContractStatus::Sent if self.expires_at.is_some_and(|e| e <= now) => {
                ContractStatus::Expired
            }
            s => s,
        }
    }
}

pub const SELECT: &str = "SELECT c.id, c.kind, c.lawyer_id, l.display_name AS lawyer_name, c.client_id,
        cl.display_name AS client_name, c.payment_id, c.session_id, c.title, c.status, c.end_reason,
        c.created_at, c.updated_at,
        (SELECT max(number) FROM contract_versions v WHERE v.contract_id = c.id) AS current_version,
        (SELECT v.expires_at FROM contract_versions v WHERE v.contract_id = c.id AND v.sent_at IS NOT NULL
          ORDER BY v.number DESC LIMIT 1) AS expires_at
   FROM contracts c JOIN users l ON l.id = c.lawyer_id JOIN users cl ON cl.id = c.client_id";

pub async fn get<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
) -> Result<Option<ContractRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Locks the contract's row for a change in `tx`, and reads it.
pub async fn lock(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: Uuid,
) -> Result<Option<ContractRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE c.id = $1 FOR UPDATE OF c"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A party's contracts, newest first; clients never see drafts.
pub async fn of_party(
    db: &PgPool,
    user: Uuid,
    client: bool,
) -> Result<Vec<ContractRow>, sqlx::Error> {
    let filter = if client {
        "WHERE c.client_id = $1 AND c.status <> 'draft'"
    } else {
        "WHERE c.lawyer_id = $1"
    };
    sqlx::query_as(&format!(
        "{SELECT} {filter} ORDER BY c.created_at DESC LIMIT 500"
    ))
    .bind(user)
    .fetch_all(db)
    .await
}

pub async fn all(db: &PgPool, status: Option<&str>) -> Result<Vec<ContractRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE ($1::text IS NULL OR c.status = $1) ORDER BY c.created_at DESC LIMIT 500"
    ))
    .bind(status)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub contract_id: Uuid,
    pub number: i32,
    pub body: String,
    pub body_sha256: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub superseded_at: Option<DateTime<Utc>>,
    pub pdf_key: Option<String>,
    pub pdf_sha256: Option<String>,
}

impl VersionRow {
    pub fn facts(&self) -> VersionFacts {
        VersionFacts {
            number: self.number,
            body_sha256: self.body_sha256.clone(),
            sent_at: self.sent_at,
            expires_at: self.expires_at,
            superseded: self.superseded_at.is_some(),
        }
    }
}

pub async fn versions<'e>(
    db: impl PgExecutor<'e>,
    contract: Uuid,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM contract_versions WHERE contract_id = $1 ORDER BY number")
        .bind(contract)
        .fetch_all(db)
        .await
}

pub async fn version<'e>(
    db: impl PgExecutor<'e>,
    contract: Uuid,
    number: i32,
) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM contract_versions WHERE contract_id = $1 AND number = $2")
        .bind(contract)
        .bind(number)
        .fetch_optional(db)
        .await
}

pub async fn draft<'e>(
    db: impl PgExecutor<'e>,
    contract: Uuid,
) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM contract_versions WHERE contract_id = $1 AND sent_at IS NULL")
        .bind(contract)
        .fetch_optional(db)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub version: i32,
    pub body_sha256: String,
    pub answer: String,
    pub answered_at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: Option<String>,
    pub reason: Option<String>,
}

pub async fn answer<'e>(
    db: impl PgExecutor<'e>,
    contract: Uuid,
) -> Result<Option<AnswerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, body_sha256, answer, answered_at, host(ip) AS ip, user_agent, reason
         FROM contract_answers WHERE contract_id = $1",
    )
    .bind(contract)
    .fetch_optional(db)
    .await
}

/// Sets a contract's status (the trigger checks the transition).
pub async fn set_status(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: Uuid,
    status: ContractStatus,
    ended: Option<(Uuid, &str)>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE contracts SET status = $2, updated_at = $3,
                ended_by = COALESCE($4, ended_by), end_reason = COALESCE($5, end_reason)
         WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(now)
    .bind(ended.map(|e| e.0))
    .bind(ended.map(|e| e.1))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sent contracts whose newest version expired unanswered.
pub async fn due_to_expire(db: &PgPool, now: DateTime<Utc>) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.id FROM contracts c
         WHERE c.status = 'sent' AND EXISTS (
             SELECT 1 FROM contract_versions v WHERE v.contract_id = c.id AND v.sent_at IS NOT NULL
               AND v.superseded_at IS NULL AND v.expires_at <= $1)",
    )
    .bind(now)
    .fetch_all(db)
    .await
}
