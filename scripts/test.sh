#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (warnings are errors), the Rust
# unit and integration tests against a real PostgreSQL, the web client's type
# check, unit tests and build, and the browser tests in Chromium against the real
# server. Installs what is missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/e2e.sh

ensure_system_packages
ensure_python_packages
ensure_web_client
prune_stale_builds

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

log "web client: API types, unit tests, build"
"$CARGO_TARGET_DIR/debug/tribuna" openapi > target-openapi.json
(cd web-client && OPENAPI_JSON=../target-openapi.json npm run --silent gen:api -- --check && npm test && npm run --silent build)

log "browser tests (Chromium)"
run_browser_tests
