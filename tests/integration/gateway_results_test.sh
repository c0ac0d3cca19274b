#!/usr/bin/env bash
# Result recording (issue 6): with `audit { results on; }` the rows a client
# received — already masked — are kept per statement, capped, and
# `sqlwarden sessions show` lays them out like psql.
# Usage: gateway_results_test.sh SQLWARDEN SRC
set -euo pipefail
SQLWARDEN=$1 SRC=$2
GW_EXTRA_CONF='audit { file "audit.db"; results on; result_rows 2; }'
source "$SRC/tests/integration/gateway_lib.sh"

gw_psql agent agent-password -c "SELECT id, email, ssn FROM users ORDER BY id" >/dev/null
gw_psql agent agent-password -c "SELECT name FROM products WHERE id = 1" >/dev/null
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true   # flushes the store

db="$GW_DIR/audit.db"
session=$("$SQLWARDEN" sessions "$db" --format json | /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
show=$("$SQLWARDEN" sessions show "$db" "$session")

expect_contains "masked rows recorded" "$show" "a***@example.com"
expect_contains "masked rows recorded" "$show" "*******1111"
expect_not_contains "no raw value recorded" "$show" "alice.canary7"
expect_not_contains "cap of 2 rows" "$show" "d***@example.com"
expect_contains "truncation marker" "$show" "more rows were returned but not recorded"
echo "gateway results: passed"
