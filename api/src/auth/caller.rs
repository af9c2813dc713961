use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use subtle::ConstantTimeEq;

use super::session::{self, CSRF_HEADER, SESSION_COOKIE};
use crate::audit::Actor;
use crate::domain::{Role, UserId};
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user making the request. Extracting it is the single place
/// where authentication, suspension and CSRF are checked.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: UserId,
    pub role: Role,
    pub email: String,
    pub display_name: String,
    pub csrf_token: String,
    pub(crate) token_hash: Vec<u8>,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            role: self.role,
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthenticated)?;
        let found = session::find(&state.db, &token, state.now())
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        if found.status != "active" {
            return Err(ApiError::forbidden(
                "account_suspended",
                "this account is suspended",
            ));
        }
        if !parts.method.is_safe() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if !bool::from(sent.ct_eq(found.csrf_token.as_bytes())) {
                return Err(ApiError::forbidden(
                    "csrf_failed",
                    "missing or wrong X-CSRF-Token header (take it from /api/me)",
                ));
            }
        }
        let role = found
            .role
            .parse()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored role: {e}")))?;
        Ok(Caller {
            id: UserId(found.user_id),
            role,
            email: found.email,
            display_name: found.display_name,
            csrf_token: found.csrf_token,
            token_hash: found.token_hash,
        })
    }
}

/// The peer's IP address (the unspecified address when the server runs without connect info).
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(ip))
    }
}
