//! Signaling for Tribuna's calls: the versioned JSON protocol over WebSocket,
//! its connection handling, and room access tokens.
#![forbid(unsafe_code)]

pub mod protocol;
pub mod token;
pub mod turn;
mod ws;

pub use token::{RoomGrant, RoomTokenError, RoomTokenKey};
pub use turn::{IceServer, TurnError, TurnRelays};
pub use ws::{router, NoObserver, RoomObserver, Signaling};
