//! Domain types: parsed, never trusted. They know nothing of HTTP or SQL.

mod account;
pub mod lawyer;
mod paging;

pub use account::{DisplayName, Email, Password, Reason, Role, UserId};
pub use lawyer::{Cents, Oab};
pub use paging::Paging;

/// A value that failed to parse into a domain type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DomainError {
    pub field: &'static str,
    pub message: String,
}

impl DomainError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        DomainError {
            field,
            message: message.into(),
        }
    }
}
