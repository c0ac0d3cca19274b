#!/usr/bin/env bash
# pgbench select-only at 8 clients, straight to PostgreSQL and through the
# gateway (examples/gateway.conf, local user agent of examples/policies/
# ai-agents.rules, plain TCP on both paths), in one run on loopback; prints
# both throughputs and their ratio.
# Usage: tools/bench/gateway_bench.sh [SQLWARDEN] [SECONDS] [CLIENTS] [MODE]
#   defaults: build/sqlwarden, 20 s, 8 clients, -M simple
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SQLWARDEN=$(realpath "${1:-$SRC/build/sqlwarden}")
SECONDS_PER_RUN=${2:-20}
CLIENTS=${3:-8}
MODE=${4:-simple}
export SQLWARDEN SRC
GW_TLS_MODE=optional source "$SRC/tests/integration/gateway_lib.sh"

pgbench -q -i -s 10 sqlwarden_demo >/dev/null 2>&1
psql -q -X -d sqlwarden_demo -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO sqlwarden_gateway" >/dev/null

run() {  # run LABEL pgbench-connection-args...
  local out
  out=$(pgbench -n -S -M "$MODE" -c "$CLIENTS" -j "$CLIENTS" -T "$SECONDS_PER_RUN" "$@" sqlwarden_demo 2>&1) ||
    { echo "$out" >&2; exit 1; }
  grep -E "^tps = " <<<"$out" | sed -E 's/^tps = ([0-9.]+).*/\1/' | head -1
}

# Same transport for both: TCP on loopback, no TLS; the direct path uses the
# gateway's own role, so both log in with SCRAM.
direct=$(PGPASSWORD=gateway-sandbox-password PGSSLMODE=disable run -h 127.0.0.1 -p "$PGPORT" -U sqlwarden_gateway)
gateway=$(PGPASSWORD=agent-password PGSSLMODE=disable run -h 127.0.0.1 -p "$GW_PORT" -U agent)
ratio=$(awk -v g="$gateway" -v d="$direct" 'BEGIN { printf "%.3f", g / d }')
echo "pgbench -S -M $MODE, $CLIENTS clients, ${SECONDS_PER_RUN}s each, $(nproc) cores"
printf '%-22s %12s tps\n' "direct to PostgreSQL" "$direct" "through sqlwarden" "$gateway"
echo "ratio (sqlwarden / direct): $ratio"
