use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::audit::{self, Actor, AuditEvent};
use crate::domain::{DisplayName, Email, Reason, Role, UserId};
use crate::error::{violated_constraint, ApiError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub status: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

impl Account {
    pub fn role(&self) -> Role {
        self.role
            .parse()
            .expect("roles are constrained by the database")
    }
}

pub struct NewAccount {
    pub email: Email,
    pub password_hash: String,
    pub display_name: DisplayName,
    pub role: Role,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("account not found")]
    NotFound,
    #[error("an admin cannot suspend their own account")]
    SelfSuspension,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::EmailTaken => ApiError::conflict("email_taken", e.to_string()),
            AccountError::NotFound => ApiError::not_found("account"),
            AccountError::SelfSuspension => {
                ApiError::unprocessable("self_suspension", e.to_string())
            }
            AccountError::Db(e) => e.into(),
        }
    }
}

const COLUMNS: &str = "id, email, display_name, role, status, locale, created_at";

/// Inserts the account and its audit entry in `tx`.
pub async fn create(
    tx: &mut Transaction<'_, Postgres>,
    new: NewAccount,
    actor: Option<Actor>,
    now: DateTime<Utc>,
) -> Result<Account, AccountError> {
    let account: Account = sqlx::query_as(&format!(
        "INSERT INTO users (email, password_hash, display_name, role, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
    ))
    .bind(new.email.as_str())
    .bind(&new.password_hash)
    .bind(new.display_name.as_str())
    .bind(new.role.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("users_email_unique") => AccountError::EmailTaken,
        _ => AccountError::Db(e),
    })?;
    let action = if new.role == Role::Admin {
        "admin.created"
    } else {
        "user.registered"
    };
    audit::record(
        tx,
        AuditEvent {
            actor,
            action,
            subject_kind: "user",
            subject_id: account.id.to_string(),
            reason: None,
            details: json!({ "role": account.role, "email": account.email }),
        },
        now,
    )
    .await?;
    Ok(account)
}

/// The account and its password hash.
pub async fn find_by_email(
    db: &PgPool,
    email: &Email,
) -> Result<Option<(Account, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        account: Account,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, password_hash FROM users WHERE email = $1"
    ))
    .bind(email.as_str())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.account, r.password_hash)))
}

pub async fn get(db: &PgPool, id: UserId) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(db)
        .await
}

#[derive(Debug, Default)]
pub struct AccountSearch {
    /// Matches email or display name, case-insensitively.
    pub text: Option<String>,
    pub role: Option<Role>,
    pub status: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn search(db: &PgPool, s: &AccountSearch) -> Result<Vec<Account>, sqlx::Error> {
    let pattern = s.text.as_ref().map(|t| {
        let escaped = t
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users
         WHERE ($1::text IS NULL OR email ILIKE $1 OR display_name ILIKE $1)
           AND ($2::text IS NULL OR role = $2)
           AND ($3::text IS NULL OR status = $3)
         ORDER BY created_at DESC, id LIMIT $4 OFFSET $5"
    ))
    .bind(pattern)
    .bind(s.role.map(Role::as_str))
    .bind(&s.status)
    .bind(s.limit)
    .bind(s.offset)
    .fetch_all(db)
    .await
}

/// Suspends (`active = false`) or restores an account, revoking its logins on
/// suspension; audited with the admin's reason.
pub async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    id: UserId,
    active: bool,
    admin: Actor,
    reason: &Reason,
    now: DateTime<Utc>,
) -> Result<Account, AccountError> {
    if !active && admin.id == id {
        return Err(AccountError::SelfSuspension);
    }
    let status = if active { "active" } else { "suspended" };
    let account: Account = sqlx::query_as(&format!(
        "UPDATE users SET status = $2 WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id.0)
    .bind(status)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AccountError::NotFound)?;
    let revoked = if active {
        0
    } else {
        crate::auth::revoke_all_sessions(tx, id.0, now).await?
    };
    audit::record(
        tx,
        AuditEvent {
            actor: Some(admin),
            action: if active {
                "user.restored"
            } else {
                "user.suspended"
            },
            subject_kind: "user",
            subject_id: id.to_string(),
            reason: Some(reason.as_str().to_owned()),
            details: json!({ "sessions_revoked": revoked }),
        },
        now,
    )
    .await?;
    Ok(account)
}
