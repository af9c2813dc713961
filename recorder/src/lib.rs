//! Legal Mode. For now: sealing files for the custody vault, so that the server
//! (which holds only the vault's public keys) can seal a recording and never open
//! it. The recorder, the proofs and the verifier come with the Legal Mode issue.
#![forbid(unsafe_code)]

pub mod local_tsa;
pub mod proof;
pub mod rtp;
pub mod seal;
pub mod store;
pub mod timestamp;
pub mod vault;
