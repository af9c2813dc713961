//! Payments: Stripe Checkout, webhooks, refunds.

mod checkout;
pub mod gateway;
mod routes;
pub mod state;
pub mod store;
mod webhook;

pub use gateway::{Gateway, GatewayError, StripeSettings};
pub use routes::router;
pub use state::{transition, PaymentSignal, PaymentStatus};
pub use webhook::refund_in_full;
