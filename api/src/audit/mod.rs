//! The audit log: append-only and hash-chained.
//!
//! `chain` is the pure part (canonical encoding, hashing, walking a chain);
//! `store` writes entries inside the caller's transaction and reads them back.

mod chain;
mod store;

pub use chain::{link_hash, AuditRecord, ChainProblem, ChainWalker, GENESIS_HASH};
pub use store::{list, record, verify, Actor, AuditEvent, AuditFilter, ChainReport};
