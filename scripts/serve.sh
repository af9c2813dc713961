#!/usr/bin/env bash
# Runs the whole product: installs what is missing, builds, and starts `tribuna serve`.
# Safe to run again. Arguments are passed to `tribuna serve` (e.g. --config FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages
ensure_web_client
if [ -f web-client/package.json ]; then
  log "building the web client"
  (cd web-client && npm run build)
fi
log "building tribuna (release)"
cargo build --release --bin tribuna
exec "$CARGO_TARGET_DIR/release/tribuna" serve "$@"
