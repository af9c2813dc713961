//! Signaling for Tribuna's calls. For now: room access tokens, which the API
//! mints for a session's parties and the signaling server verifies on join.
#![forbid(unsafe_code)]

pub mod token;

pub use token::{RoomGrant, RoomTokenError, RoomTokenKey};
