# Shared by scripts/serve.sh and scripts/test.sh: system packages and the build cache.
# shellcheck shell=bash

# Builds are reused across clones and runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tribuna/target}"

# Debian packages the product and its tests need.
SYSTEM_PACKAGES=(postgresql postgresql-contrib pkg-config chromium curl openssl poppler-utils
  libavformat-dev libavcodec-dev libavutil-dev libclang-dev ffmpeg coturn)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_system_packages() {
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" || { apt-get update -q && apt-get install -y -q "${missing[@]}"; }
}

# The web client's tools (Vite 8) need Node.js 20.19 or newer; Debian's own nodejs is older,
# so a missing or old Node is named rather than replaced.
ensure_node() {
  local v
  v="$(node --version 2>/dev/null || true)"
  if ! printf '%s\n' "v20.19.0" "$v" | sort -V -C 2>/dev/null || [ -z "$v" ]; then
    echo "error: Node.js 20.19 or newer is needed for the web client (found: ${v:-none})" >&2
    exit 1
  fi
}

# Python packages the tests run as real servers on loopback: aiosmtpd (SMTP) and
# moto's server (an S3-compatible store).
ensure_python_packages() {
  python3 -c "import aiosmtpd" 2>/dev/null && command -v moto_server >/dev/null && return 0
  log "installing aiosmtpd and moto[server] (pip)"
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd "moto[server]"
}

ensure_web_client() {
  ensure_node
  local dir=web-client
  [ -f "$dir/package.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing the web client's packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

# The stable target directory only grows: every dependency or feature change leaves a test
# binary of hundreds of MB and incremental caches behind. Drop what no build touched for
# three days (cargo rebuilds it if it is ever needed again).
prune_stale_builds() {
  local dir="$CARGO_TARGET_DIR/debug"
  [ -d "$dir" ] || return 0
  local before
  before="$(du -sm "$dir" 2>/dev/null | cut -f1)"
  find "$dir/deps" -maxdepth 1 -type f -executable -size +20M -mtime +3 -delete 2>/dev/null || true
  find "$dir/incremental" -mindepth 1 -maxdepth 1 -type d -mtime +3 -exec rm -rf {} + 2>/dev/null || true
  log "build cache: ${before} MB before pruning, $(du -sm "$dir" 2>/dev/null | cut -f1) MB after"
}
