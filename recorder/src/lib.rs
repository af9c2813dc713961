//! Legal Mode: the recorder (`rtp`: reorder, depacketize, RTP-to-wall-clock; `segment`: where
//! files are cut; `mux`: WebM/Matroska with ffmpeg; `recording`: one participant;
//! `capture`: a room's tapped tracks), sealing for the custody vault (the server holds only
//! the vault's public keys: it can seal a recording and never open it), the signed and
//! timestamped proofs (`live` as a call goes, `bundle` on disk) with their offline verifier,
//! and the blob store with its spool.
// Unsafe code is refused everywhere but `mux`, which sets ffmpeg fields ffmpeg-next does not wrap.
#![deny(unsafe_code)]

pub mod bundle;
pub mod capture;
pub mod live;
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
