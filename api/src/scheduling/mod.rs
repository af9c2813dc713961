//! Availability, slots and the session lifecycle: pure cores with thin stores around them.

pub mod availability;
mod calendar;
mod dev_rooms;
pub mod lifecycle;
mod outbox;
mod routes;
pub mod slots;
pub mod store;
pub mod worker;

pub fn router() -> utoipa_axum::router::OpenApiRouter<crate::state::AppState> {
    routes::router().merge(dev_rooms::router())
}
