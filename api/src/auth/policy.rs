//! Role and ownership policies: the one place where "may this caller do this" is decided.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::Caller;
use crate::domain::{Role, UserId};
use crate::error::ApiError;
use crate::state::AppState;

/// A set of roles allowed on a route.
pub trait RolePolicy: Send + Sync + 'static {
    const ROLES: &'static [Role];
}

pub struct Admins;
impl RolePolicy for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}

pub struct Clients;
impl RolePolicy for Clients {
    const ROLES: &'static [Role] = &[Role::Client];
}

pub struct Lawyers;
impl RolePolicy for Lawyers {
    const ROLES: &'static [Role] = &[Role::Lawyer];
}

pub struct Partners;
impl RolePolicy for Partners {
    const ROLES: &'static [Role] = &[Role::Partner];
}

/// The two parties of a consultation.
pub struct Parties;
impl RolePolicy for Parties {
    const ROLES: &'static [Role] = &[Role::Client, Role::Lawyer];
}

/// A caller whose role is in `P::ROLES`; anyone else gets 403 (401 when not logged in).
pub struct Only<P: RolePolicy>(pub Caller, pub PhantomData<P>);

impl<P: RolePolicy> FromRequestParts<AppState> for Only<P> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if !P::ROLES.contains(&caller.role) {
            let allowed: Vec<&str> = P::ROLES.iter().map(|r| r.as_str()).collect();
            return Err(ApiError::forbidden(
                "forbidden_role",
                format!("only {} may do this", allowed.join(" or ")),
            ));
        }
        Ok(Only(caller, PhantomData))
    }
}

/// Owners and admins may see a resource. Anyone else is told it does not exist,
/// so ids cannot be probed.
pub fn owner_or_admin(caller: &Caller, owner: UserId, what: &str) -> Result<(), ApiError> {
    if caller.id == owner || caller.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::not_found(what))
    }
}
