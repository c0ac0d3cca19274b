# Shared setup of the gateway integration tests: a throwaway PostgreSQL
# (pg.sh) with examples/schema.sql and seed.sql in database sqlwarden_demo,
# the gateway's role behind SCRAM authentication, and the real gateway
# (sqlwarden proxy) on a free port with a config made from
# examples/gateway.conf. Sourced by tests/integration/gateway_*.sh with
# SQLWARDEN (the binary) and SRC (the source tree) set.
#
# After sourcing: GW_PORT, GW_DIR (scratch), GW_CONF, GW_LOG, gw_psql_local
# (psql through the gateway as local user agent), mint (dev token helper).

set -euo pipefail
: "${SQLWARDEN:?}" "${SRC:?}"
source "$SRC/tests/integration/pg.sh"

GW_DIR=$(mktemp -d /tmp/sqlwarden-gw.XXXXXX)
gw_cleanup() {
  if [[ -n ${GW_PID:-} ]]; then kill "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; fi
  rm -rf "$GW_DIR"
  pg_stop
}
trap gw_cleanup EXIT

export GW_UPSTREAM_PASSWORD_VALUE='gateway-sandbox-password'
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE sqlwarden_demo" >/dev/null
psql -q -v ON_ERROR_STOP=1 -d sqlwarden_demo -f "$SRC/examples/schema.sql" >/dev/null
psql -q -v ON_ERROR_STOP=1 -d sqlwarden_demo -f "$SRC/examples/seed.sql" >/dev/null
# The gateway's role logs in with SCRAM over TCP (the rest stays trust).
hba="$pg_dir/data/pg_hba.conf"
{ echo "host all sqlwarden_gateway 127.0.0.1/32 ${GW_UPSTREAM_AUTH:-scram-sha-256}"; cat "$hba"; } >"$hba.new"
if [[ $(id -u) -eq 0 ]]; then chown postgres "$hba.new"; fi
mv "$hba.new" "$hba"
if [[ ${GW_UPSTREAM_AUTH:-} == md5 ]]; then
  psql -q -c "SET password_encryption = 'md5'; ALTER ROLE sqlwarden_gateway PASSWORD 'gateway-sandbox-password'" >/dev/null
fi
psql -q -c "SELECT pg_reload_conf()" >/dev/null

GW_PORT=$(free_port)
GW_CONF="$GW_DIR/gateway.conf"
GW_LOG="$GW_DIR/gateway.log"
cp -r "$SRC/examples/gateway" "$GW_DIR/gateway"
cp -r "$SRC/examples/policies" "$GW_DIR/policies"
sed -e "s/127.0.0.1:6432/127.0.0.1:$GW_PORT/" -e "s/port 5432;/port $PGPORT;/" \
  -e "s/mode optional;/mode ${GW_TLS_MODE:-optional};/" \
  "$SRC/examples/gateway.conf" >"$GW_CONF"
if [[ -n ${GW_EXTRA_CONF:-} ]]; then printf '%s\n' "$GW_EXTRA_CONF" >>"$GW_CONF"; fi

gw_start() {
  SQLWARDEN_UPSTREAM_PASSWORD="$GW_UPSTREAM_PASSWORD_VALUE" "$SQLWARDEN" proxy --config "$GW_CONF" >>"$GW_LOG" 2>&1 &
  GW_PID=$!
  for _ in $(seq 100); do
    if grep -q "listening on" "$GW_LOG" 2>/dev/null && grep -q "catalog loaded" "$GW_LOG"; then return 0; fi
    if ! kill -0 "$GW_PID" 2>/dev/null; then cat "$GW_LOG" >&2; echo "gateway did not start" >&2; exit 1; fi
    sleep 0.1
  done
  cat "$GW_LOG" >&2; echo "gateway did not start in 10 s" >&2; exit 1
}
gw_start

mint() { python3 "$GW_DIR/gateway/mint_token.py" token "$@"; }

# psql through the gateway: gw_psql USER PASSWORD [psql args...]
gw_psql() {
  local user=$1 password=$2; shift 2
  PGPASSWORD=$password PGSSLMODE=${PGSSLMODE:-require} psql -X -q -h 127.0.0.1 -p "$GW_PORT" -U "$user" -d sqlwarden_demo "$@"
}

fail() { echo "FAIL: $*" >&2; echo "--- gateway log:" >&2; tail -30 "$GW_LOG" >&2; exit 1; }
expect_contains() {  # expect_contains WHAT TEXT NEEDLE
  [[ $2 == *"$3"* ]] || fail "$1: expected to find '$3' in:"$'\n'"$2"
}
expect_not_contains() {
  [[ $2 != *"$3"* ]] || fail "$1: did not expect '$3' in:"$'\n'"$2"
}
