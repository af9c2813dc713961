//! Placeholder crate: its issue has not been built yet.
#![forbid(unsafe_code)]
