//! The `tribuna` binary's library: composition and command line only.
#![forbid(unsafe_code)]

pub mod attendance;
pub mod calls;
pub mod cli;
pub mod config;
pub mod legal;
pub mod local_postgres;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod vault_cli;
pub mod web;
