#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (warnings are errors), the Rust
# unit and integration tests against a real PostgreSQL. Installs what is missing;
# safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages

log "formatting"
cargo fmt --all -- --check
log "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "starting PostgreSQL"
cargo build --locked --bin tribuna
DATABASE_URL="$("$CARGO_TARGET_DIR/debug/tribuna" db url)"
export DATABASE_URL

log "tests"
cargo test --workspace --locked
