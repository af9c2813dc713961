//! Availability, slots and the session lifecycle: pure cores with thin stores around them.

pub mod availability;
mod calendar;
pub mod lifecycle;
mod outbox;
mod routes;
pub mod slots;
pub mod store;
pub mod worker;

pub use routes::router;
