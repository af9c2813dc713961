//! A lawyer's own profile (onboarding with the OAB) and availability.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::types::Json as SqlJson;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Lawyer};
use crate::audit::{self, AuditEvent};
use crate::auth::{Caller, Lawyers, Only};
use crate::domain::lawyer::{self as parse, Cents, Oab};
use crate::error::{violated_constraint, ApiError, ErrorBody};
use crate::extract::JsonBody;
use crate::scheduling::availability::AvailabilityDoc;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(get_availability, put_availability))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Digits, optionally with a letter suffix, e.g. `123456` or `12345A`.
    pub oab_number: String,
    /// The OAB section's UF, e.g. `SP`.
    pub oab_state: String,
    /// Codes from the list in docs/marketplace.md, e.g. `family`, `labor`.
    pub areas: Vec<String>,
    /// Language tags, e.g. `pt-BR`, `en`.
    pub languages: Vec<String>,
    #[serde(default)]
    pub bio: String,
    /// The lawyer's fee for one consultation, in centavos.
    pub fee_cents: i64,
    pub consultation_minutes: i32,
    /// IANA time zone of the working hours, e.g. `America/Sao_Paulo`.
    pub time_zone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwnProfile {
    pub user_id: Uuid,
    pub display_name: String,
    pub oab_number: String,
    pub oab_state: String,
    /// `pending` until an admin verifies the OAB registration; `verified`; or `rejected`.
    pub verification_status: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub areas: Vec<String>,
    pub languages: Vec<String>,
    pub bio: String,
    pub fee_cents: i64,
    pub consultation_minutes: i32,
    pub time_zone: String,
}

impl From<Lawyer> for OwnProfile {
    fn from(l: Lawyer) -> Self {
        OwnProfile {
            user_id: l.user_id,
            display_name: l.display_name,
            oab_number: l.oab_number,
            oab_state: l.oab_state,
            verification_status: l.verification_status,
            verified_at: l.verified_at,
            areas: l.areas,
            languages: l.languages,
            bio: l.bio,
            fee_cents: l.fee_cents,
            consultation_minutes: l.consultation_minutes,
            time_zone: l.time_zone,
        }
    }
}

async fn own(state: &AppState, caller: &Caller) -> Result<Lawyer, ApiError> {
    store::get(&state.db, caller.id.0).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_onboarded",
            "create your lawyer profile first (PUT /api/lawyer/profile)",
        )
    })
}

/// The calling lawyer's profile and verification status.
#[utoipa::path(get, path = "/api/lawyer/profile", tag = "lawyers",
    responses((status = 200, body = OwnProfile), (status = 404, body = ErrorBody)))]
async fn get_profile(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
) -> Result<Json<OwnProfile>, ApiError> {
    Ok(Json(own(&state, &caller).await?.into()))
}

/// Creates or updates the calling lawyer's profile. A new or changed OAB registration
/// waits for an admin's verification before the lawyer is listed again.
#[utoipa::path(put, path = "/api/lawyer/profile", tag = "lawyers", request_body = ProfileRequest,
    responses((status = 200, body = OwnProfile), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_profile(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    JsonBody(req): JsonBody<ProfileRequest>,
) -> Result<Json<OwnProfile>, ApiError> {
    let oab = Oab::parse(&req.oab_number, &req.oab_state)?;
    let fee = Cents::fee(req.fee_cents)?;
    let minutes = parse::consultation_minutes(req.consultation_minutes)?;
    let tz = parse::time_zone(&req.time_zone)?;
    let areas = parse::practice_areas(&req.areas)?;
    let languages = parse::languages(&req.languages)?;
    let bio = parse::bio(&req.bio)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let previous: Option<(String, String)> = sqlx::query_as(
        "SELECT oab_number, oab_state FROM lawyer_profiles WHERE user_id = $1 FOR UPDATE",
    )
    .bind(caller.id.0)
    .fetch_optional(&mut *tx)
    .await?;
    let oab_changed = previous
        .as_ref()
        .is_none_or(|(n, s)| n != oab.number() || s != oab.state());
    sqlx::query(
        "INSERT INTO lawyer_profiles (user_id, oab_number, oab_state, areas, languages, bio, fee_cents, consultation_minutes, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (user_id) DO UPDATE SET
           oab_number = EXCLUDED.oab_number, oab_state = EXCLUDED.oab_state, areas = EXCLUDED.areas,
           languages = EXCLUDED.languages, bio = EXCLUDED.bio, fee_cents = EXCLUDED.fee_cents,
           consultation_minutes = EXCLUDED.consultation_minutes, time_zone = EXCLUDED.time_zone, updated_at = now(),
           verification_status = CASE WHEN $10 THEN 'pending' ELSE lawyer_profiles.verification_status END,
           verified_at = CASE WHEN $10 THEN NULL ELSE lawyer_profiles.verified_at END,
           verified_by = CASE WHEN $10 THEN NULL ELSE lawyer_profiles.verified_by END",
    )
    .bind(caller.id.0)
    .bind(oab.number())
    .bind(oab.state())
    .bind(&areas)
    .bind(&languages)
    .bind(&bio)
    .bind(fee.get())
    .bind(minutes)
    .bind(tz.name())
    .bind(oab_changed)
    .execute(&mut *tx)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("lawyer_profiles_oab_unique") => ApiError::conflict("oab_taken", "another account already uses this OAB registration"),
        _ => e.into(),
    })?;
    let event = AuditEvent {
        actor: Some(caller.actor()),
        action: if previous.is_none() {
            "lawyer.onboarded"
        } else {
            "lawyer.profile_updated"
        },
        subject_kind: "user",
        subject_id: caller.id.to_string(),
        reason: None,
        details: json!({ "oab": format!("{}/{}", oab.number(), oab.state()), "oab_changed": oab_changed, "fee_cents": fee.get(), "consultation_minutes": minutes }),
    };
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(Json(own(&state, &caller).await?.into()))
}

/// The calling lawyer's availability rules.
#[utoipa::path(get, path = "/api/lawyer/availability", tag = "lawyers",
    responses((status = 200, body = AvailabilityDoc), (status = 404, body = ErrorBody)))]
async fn get_availability(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
) -> Result<Json<AvailabilityDoc>, ApiError> {
    Ok(Json(own(&state, &caller).await?.availability.0))
}

/// Replaces the calling lawyer's availability: weekly hours, date overrides, buffers and limits.
#[utoipa::path(put, path = "/api/lawyer/availability", tag = "lawyers", request_body = AvailabilityDoc,
    responses((status = 200, body = AvailabilityDoc), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_availability(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    JsonBody(doc): JsonBody<AvailabilityDoc>,
) -> Result<Json<AvailabilityDoc>, ApiError> {
    doc.parse()?;
    own(&state, &caller).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE lawyer_profiles SET availability = $2, updated_at = now() WHERE user_id = $1",
    )
    .bind(caller.id.0)
    .bind(SqlJson(&doc))
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(
        Some(caller.actor()),
        "lawyer.availability_updated",
        "user",
        caller.id,
    )
    .details(json!({ "weekly_ranges": doc.weekly.len(), "overrides": doc.overrides.len() }));
    audit::record(&mut tx, event, state.now()).await?;
    tx.commit().await?;
    Ok(Json(doc))
}
