//! Legal Mode: sealing files for the custody vault (the server holds only the vault's
//! public keys: it can seal a recording and never open it), the signed and timestamped
//! proofs and their offline verifier, the blob store, and the recorder's pure parts so far
//! (`rtp`: reorder, depacketize, RTP-to-wall-clock; `segment`: where segments are cut).
//! The tap on the SFU and the muxing into WebM segments are still to come.
// Unsafe code is refused everywhere but `mux`, which sets ffmpeg fields ffmpeg-next does not wrap.
#![deny(unsafe_code)]

pub mod bundle;
pub mod local_tsa;
pub mod mux;
pub mod proof;
pub mod recording;
pub mod rtp;
pub mod seal;
pub mod segment;
pub mod store;
pub mod timestamp;
pub mod vault;
