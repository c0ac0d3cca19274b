#!/usr/bin/env bash
# Approvals through the real gateway (gateway_approvals.py): first with
# `approvals hold` (the client waits; approve, deny, timeout, cancel), then,
# after a restart, with `approvals reject` (refused at once, runs once
# approved). Usage: gateway_approvals_test.sh SQLWARDEN SRC
set -euo pipefail
SQLWARDEN=$1 SRC=$2
GW_EXTRA_CONF='audit { file "audit.db"; approvals hold; approval_timeout 6s; }'
source "$SRC/tests/integration/gateway_lib.sh"
export GW_PORT SQLWARDEN

run() {
  /usr/bin/python3 "$SRC/tests/integration/gateway_approvals.py" "$1" ||
    { echo "--- gateway log:" >&2; tail -30 "$GW_LOG" >&2; exit 1; }
}
run hold

kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true
sed -i 's/approvals hold;/approvals reject;/' "$GW_CONF"
: >"$GW_LOG"
gw_start
run reject
