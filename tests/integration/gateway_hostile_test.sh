#!/usr/bin/env bash
# Hostile and malformed protocol sequences against the real gateway
# (gateway_hostile.py): each asserts its connection's outcome and that a
# session opened before them all still answers. Ends with the database
# restarting under the gateway and a graceful SIGTERM.
# Usage: gateway_hostile_test.sh SQLWARDEN SRC
set -euo pipefail
SQLWARDEN=$1 SRC=$2
# Short limits so that the timeout cases run in seconds.
GW_EXTRA_CONF='limits { startup_timeout 2s; idle_timeout 4s; max_message_size 1MB; max_connections 30; }'
source "$SRC/tests/integration/gateway_lib.sh"

export GW_PORT GW_PID
export PG_CTL="$pg_bindir/pg_ctl" PG_DATA="$pg_dir/data"
export PG_OPTIONS="-p $PGPORT -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off"
status=0
/usr/bin/python3 "$SRC/tests/integration/gateway_hostile.py" || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- gateway log:" >&2
  tail -40 "$GW_LOG" >&2
fi
# The gateway must have stopped on SIGTERM by itself (graceful shutdown case).
for _ in $(seq 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$GW_PID" 2>/dev/null; then
  echo "FAIL: gateway still running after SIGTERM" >&2
  status=1
fi
wait "$GW_PID" 2>/dev/null || true
GW_PID=
exit $status
