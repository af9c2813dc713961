//! The admin control API. Every route takes `Only<Admins>`; every action is audited with a reason.

mod audit_log;
mod calls;
mod lawyers;
mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(users::router())
        .merge(lawyers::router())
        .merge(audit_log::router())
        .merge(calls::router())
}
