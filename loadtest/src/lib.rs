//! Synthetic call participants: webrtc-rs peer connections speaking Tribuna's
//! signaling protocol, publishing RTP whose payloads name their sender and
//! sequence. Used by the integration tests and by the load generator.

pub mod media;
pub mod peer;
