use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::scheduling::availability::AvailabilityDoc;
use crate::scheduling::slots::Busy;

/// A lawyer's profile joined with their account and rating.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Lawyer {
    pub user_id: Uuid,
    pub display_name: String,
    pub user_status: String,
    pub oab_number: String,
    pub oab_state: String,
    pub verification_status: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub areas: Vec<String>,
    pub languages: Vec<String>,
    pub fee_cents: i64,
    pub consultation_minutes: i32,
    pub time_zone: String,
    pub bio: String,
    pub availability: Json<AvailabilityDoc>,
    pub review_count: i64,
    pub mean: Option<f64>,
    pub bayesian: f64,
    pub created_at: DateTime<Utc>,
}

impl Lawyer {
    /// Listed in the directory: verified, and the account active.
    pub fn is_listed(&self) -> bool {
        self.verification_status == "verified" && self.user_status == "active"
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingSummary {
    pub count: i64,
    pub mean: Option<f64>,
    /// The ranking score (Bayesian average; see docs/marketplace.md).
    pub bayesian: f64,
}

impl From<&Lawyer> for RatingSummary {
    fn from(l: &Lawyer) -> Self {
        RatingSummary {
            count: l.review_count,
            mean: l.mean,
            bayesian: l.bayesian,
        }
    }
}

const SELECT: &str = "SELECT p.user_id, u.display_name, u.status AS user_status, p.oab_number, p.oab_state,
        p.verification_status, p.verified_at, p.areas, p.languages, p.fee_cents, p.consultation_minutes,
        p.time_zone, p.bio, p.availability, p.created_at,
        coalesce(r.review_count, 0) AS review_count, r.mean, coalesce(r.bayesian, 4.0) AS bayesian
     FROM lawyer_profiles p
     JOIN users u ON u.id = p.user_id
     LEFT JOIN lawyer_ratings r ON r.lawyer_id = p.user_id";

pub async fn get(db: &PgPool, id: Uuid) -> Result<Option<Lawyer>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE p.user_id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Filters of the directory, applied in SQL.
#[derive(Debug, Default)]
pub struct DirectoryFilter {
    pub area: Option<String>,
    pub language: Option<String>,
    pub min_fee: Option<i64>,
    pub max_fee: Option<i64>,
    pub min_rating: Option<f64>,
}

/// Listed lawyers matching `f` (at most `cap`; ordering happens in the caller).
pub async fn listed(
    db: &PgPool,
    f: &DirectoryFilter,
    cap: i64,
) -> Result<Vec<Lawyer>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT}
         WHERE p.verification_status = 'verified' AND u.status = 'active'
           AND ($1::text IS NULL OR $1 = ANY(p.areas))
           AND ($2::text IS NULL OR $2 = ANY(p.languages))
           AND ($3::bigint IS NULL OR p.fee_cents >= $3)
           AND ($4::bigint IS NULL OR p.fee_cents <= $4)
           AND ($5::float8 IS NULL OR r.mean >= $5)
         ORDER BY p.user_id LIMIT $6"
    ))
    .bind(&f.area)
    .bind(&f.language)
    .bind(f.min_fee)
    .bind(f.max_fee)
    .bind(f.min_rating)
    .bind(cap)
    .fetch_all(db)
    .await
}

pub async fn by_verification(db: &PgPool, status: &str) -> Result<Vec<Lawyer>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE p.verification_status = $1 ORDER BY p.created_at"
    ))
    .bind(status)
    .fetch_all(db)
    .await
}

/// Live sessions of these lawyers that end after `after` (leaving out the session `except`).
pub async fn busy(
    db: &PgPool,
    lawyers: &[Uuid],
    after: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<Vec<(Uuid, Busy)>, sqlx::Error> {
    let rows: Vec<(Uuid, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT lawyer_id, lower(during), upper(during) FROM legal_sessions
         WHERE lawyer_id = ANY($1) AND status IN ('scheduled', 'lobby_open', 'in_progress') AND upper(during) > $2
           AND ($3::uuid IS NULL OR id <> $3)",
    )
    .bind(lawyers)
    .bind(after)
    .bind(except)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(l, start, end)| (l, Busy { start, end }))
        .collect())
}
