use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::caller::{Caller, ClientIp};
use super::password::{hash_password, verify_password};
use super::session;
use crate::accounts::{self, Account, AccountView, NewAccount};
use crate::audit::{self, Actor, AuditEvent};
use crate::domain::{DisplayName, Email, Password, Role, UserId};
use crate::error::{ApiError, ErrorBody};
use crate::extract::JsonBody;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    pub display_name: String,
    /// CLIENT, LAWYER or PARTNER (admins are made with `tribuna admin create`).
    pub role: Role,
    /// The visit from `POST /api/invites/{code}/visit`, when the person arrived with a partner's invite.
    #[serde(default)]
    pub invite_visit: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The signed-in user, the dashboard to land on, and the token that every
/// write must carry in the `X-CSRF-Token` header.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub user: AccountView,
    /// The role's dashboard, e.g. `/lawyer`.
    pub home: String,
    pub csrf_token: String,
}

fn session_response(account: Account, csrf_token: String) -> SessionResponse {
    let home = account.role().home_path().to_owned();
    SessionResponse {
        user: account.into(),
        home,
        csrf_token,
    }
}

/// Signs up a client, lawyer or partner and logs them in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = SessionResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    jar: CookieJar,
    JsonBody(req): JsonBody<RegisterRequest>,
) -> Result<(StatusCode, CookieJar, Json<SessionResponse>), ApiError> {
    if !req.role.may_self_register() {
        return Err(ApiError::unprocessable(
            "invalid_role",
            "role ADMIN cannot sign up",
        ));
    }
    let email = Email::parse(&req.email)?;
    let display_name = DisplayName::parse(&req.display_name)?;
    let password_hash = hash_password(Password::parse(req.password)?).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let new = NewAccount {
        email,
        password_hash,
        display_name,
        role: req.role,
    };
    let account = accounts::create(&mut tx, new, None, now).await?;
    if let Some(visit) = req.invite_visit {
        // An invite that no longer applies never blocks a sign-up; it just attributes nobody.
        crate::referrals::attribute(&mut tx, account.id, req.role, visit, now).await?;
    }
    let issued = session::issue(&mut tx, account.id, now, state.settings.session_ttl).await?;
    tx.commit().await?;
    tracing::info!(user_id = %account.id, role = %account.role, "account registered");
    let jar = jar.add(session::cookie(
        issued.token,
        state.settings.session_ttl,
        state.settings.secure_cookies,
    ));
    Ok((
        StatusCode::CREATED,
        jar,
        Json(session_response(account, issued.csrf_token)),
    ))
}

/// Logs in with email and password. Attempts are rate-limited per email and per IP address.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<(CookieJar, Json<SessionResponse>), ApiError> {
    let invalid = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong email or password",
        )
    };
    let email = Email::parse(&req.email).map_err(|_| invalid())?;
    state.login_limiter.check(ip, email.as_str())?;
    let found = accounts::find_by_email(&state.db, &email).await?;
    let (account, stored) = match found {
        Some((account, hash)) => (Some(account), Some(hash)),
        None => (None, None),
    };
    if !verify_password(req.password, stored).await? {
        metrics::counter!("auth_login_failures_total").increment(1);
        return Err(invalid());
    }
    let account = account.ok_or_else(invalid)?;
    if account.status != "active" {
        return Err(ApiError::forbidden(
            "account_suspended",
            "this account is suspended",
        ));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let issued = session::issue(&mut tx, account.id, now, state.settings.session_ttl).await?;
    let actor = Actor {
        id: UserId(account.id),
        role: account.role(),
    };
    audit::record(&mut tx, login_event(actor, "auth.login"), now).await?;
    tx.commit().await?;
    let jar = jar.add(session::cookie(
        issued.token,
        state.settings.session_ttl,
        state.settings.secure_cookies,
    ));
    Ok((jar, Json(session_response(account, issued.csrf_token))))
}

fn login_event(actor: Actor, action: &'static str) -> AuditEvent {
    AuditEvent {
        actor: Some(actor),
        action,
        subject_kind: "user",
        subject_id: actor.id.to_string(),
        reason: None,
        details: serde_json::json!({}),
    }
}

/// Ends this login session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    jar: CookieJar,
) -> Result<(StatusCode, CookieJar), ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    session::revoke(&mut tx, &caller.token_hash, now).await?;
    audit::record(&mut tx, login_event(caller.actor(), "auth.logout"), now).await?;
    tx.commit().await?;
    Ok((
        StatusCode::NO_CONTENT,
        jar.add(session::expired_cookie(state.settings.secure_cookies)),
    ))
}

/// The signed-in user, their dashboard and their CSRF token.
#[utoipa::path(get, path = "/api/me", tag = "auth",
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
async fn me(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SessionResponse>, ApiError> {
    let account = accounts::get(&state.db, caller.id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Json(session_response(account, caller.csrf_token)))
}
