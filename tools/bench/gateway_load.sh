#!/usr/bin/env bash
# Load: CONNECTIONS concurrent clients held open and active (one masked,
# filtered SELECT a second each) for SECONDS against the real gateway in
# front of a throwaway PostgreSQL (max_connections raised: the gateway opens
# one upstream connection per client). Reports errors, latency, and the
# gateway's memory (RSS) per connection.
# Usage: tools/bench/gateway_load.sh [SQLWARDEN] [CONNECTIONS] [SECONDS]
#   defaults: build/sqlwarden, 1000, 60
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SQLWARDEN=$(realpath "${1:-$SRC/build/sqlwarden}")
CONNECTIONS=${2:-1000}
SECONDS_ACTIVE=${3:-60}
export SQLWARDEN SRC

# Two descriptors per session in the gateway, one per client here.
ulimit -n "$(( CONNECTIONS * 3 + 1024 ))"
export PG_EXTRA_OPTIONS="-c max_connections=$(( CONNECTIONS + 100 )) -c shared_buffers=128MB"
GW_EXTRA_CONF="limits { max_connections $(( CONNECTIONS + 50 )); }"
source "$SRC/tests/integration/gateway_lib.sh"

status=0
result=$(/usr/bin/python3 "$SRC/tools/bench/gateway_load.py" "$GW_PORT" "$CONNECTIONS" "$SECONDS_ACTIVE" "$GW_PID") || status=$?
echo "$result"
echo "(machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
/usr/bin/python3 - "$result" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print("%d/%d connections held open and active for %ds: %d queries (%.0f/s), %d errors" % (
    r["connected"], r["connections"], r["active_seconds"], r["queries"], r["queries_per_second"], r["errors"]))
l, s = r["latency_ms"], r["latency_ms_steady"]
print("latency p50 %.2f ms, p99 %.2f ms, max %.2f ms (from 10 s in: p50 %.2f, p99 %.2f, max %.2f); all connected in %.1f s" % (
    l["p50"], l["p99"], l["max"], s["p50"], s["p99"], s["max"], r["connect_seconds"]))
if "gateway_rss_kb_peak" in r:
    print("gateway RSS %.1f MB before, %.1f MB peak: %.1f kB per connection" % (
        r["gateway_rss_kb_before"] / 1024, r["gateway_rss_kb_peak"] / 1024, r["gateway_rss_kb_per_connection"]))
    print("gateway CPU %.1f s over the active period: %.0f us per query" % (
        r["gateway_cpu_seconds"], r["gateway_cpu_us_per_query"]))
PY
errors=$(grep -c "ended: \(connection error\|protocol violation\|upstream\)" "$GW_LOG" || true)
echo "gateway log: $errors sessions ended on an error"
[[ $errors -eq 0 ]] || status=1
exit $status
