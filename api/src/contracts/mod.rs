//! Contract lifecycle management: lawyers' templates of engagement terms, the documents
//! made from them (consultation terms accepted at checkout, fee agreements sent after a
//! session), their immutable versions rendered to PDF, and the client's answer with its
//! evidence in the audit log.

pub mod lifecycle;
pub mod pdf;
mod routes;
pub mod service;
pub mod store;
pub mod template;
mod templates;
mod views;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use service::{Evidence, Terms};
pub use views::{ContractDetail, ContractSummary};

pub fn router() -> OpenApiRouter<AppState> {
    routes::router().merge(templates::router())
}
