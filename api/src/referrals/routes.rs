use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::{Only, Partners};
use crate::domain::DomainError;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invite, list_invites))
        .routes(routes!(revoke_invite))
        .routes(routes!(visit))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Invite {
    pub id: Uuid,
    pub code: String,
    /// `client` or `lawyer`: who the code signs up.
    pub kind: String,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The link to share.
    #[sqlx(skip)]
    pub link: String,
}

const SELECT: &str =
    "SELECT id, code, kind, max_uses, uses, expires_at, revoked_at, created_at FROM invite_codes";

fn with_link(state: &AppState, mut i: Invite) -> Invite {
    i.link = format!("{}/signup?invite={}", state.settings.public_url, i.code);
    i
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    /// `client` or `lawyer`.
    pub kind: String,
    pub max_uses: Option<i32>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Unambiguous characters (no 0/O, 1/I) for codes people type.
fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Creates an invite code for clients or for lawyers, with an optional use limit and expiry.
#[utoipa::path(post, path = "/api/partner/invites", tag = "referrals", request_body = NewInvite,
    responses((status = 201, body = Invite), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_invite(
    State(state): State<AppState>,
    Only(caller, _): Only<Partners>,
    JsonBody(b): JsonBody<NewInvite>,
) -> Result<(StatusCode, Json<Invite>), ApiError> {
    if b.kind != "client" && b.kind != "lawyer" {
        return Err(DomainError::new("kind", "client or lawyer").into());
    }
    if matches!(b.max_uses, Some(n) if !(1..=100_000).contains(&n)) {
        return Err(DomainError::new("max_uses", "1 to 100000").into());
    }
    let now = state.now();
    if matches!(b.expires_at, Some(e) if e <= now) {
        return Err(DomainError::new("expires_at", "must be in the future").into());
    }
    let mut tx = state.db.begin().await?;
    // A code already taken is skipped without an error (which would abort the transaction)
    // and another is drawn.
    let mut attempt = 0;
    let id: Uuid = loop {
        let inserted: Option<Uuid> = sqlx::query_scalar("INSERT INTO invite_codes (partner_id, code, kind, max_uses, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT invite_codes_code_unique DO NOTHING RETURNING id")
            .bind(caller.id.0)
            .bind(new_code())
            .bind(&b.kind)
            .bind(b.max_uses)
            .bind(b.expires_at)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        match inserted {
            Some(id) => break id,
            None if attempt < 5 => attempt += 1,
            None => return Err(anyhow::anyhow!("no free invite code after 6 draws").into()),
        }
    };
    let event = AuditEvent::new(Some(caller.actor()), "invite.created", "invite_code", id)
        .details(json!({ "kind": b.kind, "max_uses": b.max_uses, "expires_at": b.expires_at }));
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    let invite: Invite = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_one(&state.db)
        .await?;
    Ok((StatusCode::CREATED, Json(with_link(&state, invite))))
}

/// The calling partner's invite codes, newest first.
#[utoipa::path(get, path = "/api/partner/invites", tag = "referrals", responses((status = 200, body = [Invite]), (status = 403, body = ErrorBody)))]
async fn list_invites(
    State(state): State<AppState>,
    Only(caller, _): Only<Partners>,
) -> Result<Json<Vec<Invite>>, ApiError> {
    let invites: Vec<Invite> = sqlx::query_as(&format!(
        "{SELECT} WHERE partner_id = $1 ORDER BY created_at DESC"
    ))
    .bind(caller.id.0)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        invites.into_iter().map(|i| with_link(&state, i)).collect(),
    ))
}

/// Revokes one of the calling partner's codes; people already attributed stay attributed.
#[utoipa::path(post, path = "/api/partner/invites/{id}/revoke", tag = "referrals", params(("id" = Uuid, Path)),
    responses((status = 200, body = Invite), (status = 404, body = ErrorBody)))]
async fn revoke_invite(
    State(state): State<AppState>,
    Only(caller, _): Only<Partners>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<Invite>, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("UPDATE invite_codes SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND partner_id = $2")
        .bind(id)
        .bind(caller.id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found("invite"));
    }
    let event = AuditEvent::new(Some(caller.actor()), "invite.revoked", "invite_code", id);
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    let invite = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_one(&state.db)
        .await?;
    Ok(Json(with_link(&state, invite)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Visit {
    /// Send this with the sign-up (`invite_visit`) to be attributed.
    pub visit_id: Uuid,
    pub kind: String,
    pub partner_name: String,
}

/// A visitor arrives with an invite code: records the visit (a click). Unknown,
/// revoked, expired or used-up codes are a 404.
#[utoipa::path(post, path = "/api/invites/{code}/visit", tag = "referrals", params(("code" = String, Path)),
    responses((status = 201, body = Visit), (status = 404, body = ErrorBody)))]
async fn visit(
    State(state): State<AppState>,
    PathParam(code): PathParam<String>,
) -> Result<(StatusCode, Json<Visit>), ApiError> {
    let now = state.now();
    let found: Option<(Uuid, String, String)> = sqlx::query_as(
        "SELECT c.id, c.kind, u.display_name FROM invite_codes c JOIN users u ON u.id = c.partner_id
         WHERE c.code = $1 AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > $2)
           AND (c.max_uses IS NULL OR c.uses < c.max_uses)",
    )
    .bind(code.trim().to_uppercase())
    .bind(now)
    .fetch_optional(&state.db)
    .await?;
    let (code_id, kind, partner_name) = found.ok_or_else(|| ApiError::not_found("invite"))?;
    let visit_id: Uuid =
        sqlx::query_scalar("INSERT INTO invite_visits (code_id, at) VALUES ($1, $2) RETURNING id")
            .bind(code_id)
            .bind(now)
            .fetch_one(&state.db)
            .await?;
    Ok((
        StatusCode::CREATED,
        Json(Visit {
            visit_id,
            kind,
            partner_name,
        }),
    ))
}
