//! Black-box tests: the real server on a random port, a fresh migrated
//! PostgreSQL database per test (`#[sqlx::test]`), real HTTP.

mod access_matrix;
mod audit;
mod auth;
mod call_resume;
mod calls;
mod constraints;
mod contracts;
mod conventions;
mod helpers;
mod lawyers;
mod ledger;
mod legal_mode;
mod mail;
mod market;
mod payments;
mod referrals;
mod reviews;
mod scheduling;
mod serve;
mod simulcast;
mod support;
mod vault;
