# Browser tests: start the real server with the built web client, make an admin,
# and run the web client's playwright-core suite against it in Debian's Chromium.
# shellcheck shell=bash

# A TURN relay on loopback (Debian's coturn) for the browser that may not use UDP: it takes
# the API's time-limited credentials (use-auth-secret) and relays to the SFU on 127.0.0.1.
# Sets turn_port, turn_secret and turn_pid.
start_turn_relay() {
  local dir
  dir="$(mktemp -d)"
  turn_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  turn_secret="$(openssl rand -hex 24)"
  turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port="$turn_port" \
    --min-port=40000 --max-port=40199 --use-auth-secret --static-auth-secret="$turn_secret" \
    --realm=tribuna.test --allow-loopback-peers --no-cli --no-tls --no-dtls \
    --log-file=stdout --simple-log --pidfile="$dir/turn.pid" --userdb="$dir/turndb" >"$dir/turn.log" 2>&1 &
  turn_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$turn_port") 2>/dev/null && return 0
    kill -0 "$turn_pid" 2>/dev/null || { cat "$dir/turn.log" >&2; echo "error: turnserver exited" >&2; return 1; }
    sleep 0.1
  done
  kill "$turn_pid" 2>/dev/null || true
  echo "error: turnserver is not listening on $turn_port" >&2
  return 1
}

run_browser_tests() {
  local bin="$CARGO_TARGET_DIR/debug/tribuna" out pid url admin_email admin_password vault
  local turn_port turn_secret turn_pid
  start_turn_relay
  # shellcheck disable=SC2064
  trap "kill $turn_pid 2>/dev/null || true" EXIT
  out="$(mktemp)"
  # A custody-vault key pair made as an admin would: the server gets only the public half.
  vault="$(mktemp -d)"
  "$bin" vault keygen --out "$vault" >/dev/null
  TRIBUNA_SERVER_BIND=127.0.0.1:0 TRIBUNA_WEB_BUILD=false TRIBUNA_SIGNALING_DEV_ROOMS=true \
    TRIBUNA_LEGAL_VAULT_PUBLIC_KEYS="[\"$vault/vault.pub\"]" \
    TRIBUNA_TURN_URLS="[\"turn:127.0.0.1:$turn_port?transport=tcp\"]" TRIBUNA_TURN_SECRET="$turn_secret" \
    "$bin" serve >"$out" 2>"$out.log" &
  pid=$!
  # shellcheck disable=SC2064
  trap "kill $pid $turn_pid 2>/dev/null || true" EXIT
  for _ in $(seq 1 600); do
    url="$(sed -n 's/^Tribuna is running at //p' "$out")"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$out.log" >&2; echo "error: tribuna serve exited" >&2; return 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "error: tribuna serve printed no URL" >&2; return 1; }
  curl -fsS "$url/readyz" >/dev/null
  admin_email="admin-$(date +%s)-$RANDOM@example.com"
  admin_password="e2e admin password $RANDOM$RANDOM"
  TRIBUNA_ADMIN_PASSWORD="$admin_password" "$bin" admin create --email "$admin_email" --name "Admin E2E" >/dev/null
  # The contracts spec marks a consultation held in the database (it cannot move the clock).
  # The Legal Mode spec opens what it downloads with the vault key and checks the timestamp
  # against the local authority's root (`tribuna serve` starts one when none is configured).
  (cd web-client && BASE_URL="$url" ADMIN_EMAIL="$admin_email" ADMIN_PASSWORD="$admin_password" DATABASE_URL="$("$bin" db url)" \
    VAULT_KEY="$vault/vault.key" CLI_BINARY="$bin" TSA_ROOT="${XDG_DATA_HOME:-$HOME/.local/share}/tribuna/local-tsa/ca.pem" \
    npm run --silent e2e)
  kill "$pid" "$turn_pid" 2>/dev/null || true
  trap - EXIT
}
