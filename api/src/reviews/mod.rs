//! Reviews: written by a party of a completed, paid session, once, within a
//! window; never edited (the database refuses it); the reviewed lawyer may reply
//! once; admins hide or restore by policy, each step audited.

mod moderation;
mod routes;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(routes::router())
        .merge(moderation::router())
}

pub use routes::ReviewView;
