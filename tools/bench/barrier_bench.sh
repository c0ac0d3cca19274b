#!/usr/bin/env bash
# barrier_bench: what the row-filter barrier costs PostgreSQL on a filtered
# primary-key lookup (issue 4). Starts a throwaway PostgreSQL with the sample
# database (examples/schema.sql + seed.sql: 50,000 users), and compares, in
# one run, with pgbench (one client, select-only, N seconds each):
#   baseline   SELECT * FROM users WHERE id = :id AND tenant_id = 7
#              (the filter written by hand, no barrier, no masks)
#   rewritten  what `sqlwarden rewrite` makes of SELECT * FROM users WHERE id = :id
#              for the ai-agents identity of tenant 7 (masks + filter + barrier)
# and prints both plans (EXPLAIN ANALYZE) so you can see the index is used.
#
# usage: barrier_bench.sh [SQLWARDEN_BINARY] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/sqlwarden}
seconds=${2:-5}
# shellcheck source=../../tests/integration/pg.sh
source "$root/tests/integration/pg.sh"
psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench" >/dev/null
export PGDATABASE=bench
psql -q -v ON_ERROR_STOP=1 -f "$root/examples/schema.sql" >/dev/null
psql -q -v ON_ERROR_STOP=1 -f "$root/examples/seed.sql" >/dev/null

rewritten=$("$bin" rewrite --format json --rules "$root/examples/policies/ai-agents.rules" \
  --schema "$root/examples/schema.sql" --user bench --group ai-agents --claim tenant_id=7 \
  "SELECT * FROM users WHERE id = 424242" |
  /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["sql"])')
work=$(mktemp -d)
printf '\\set id random(1, 3)\nSELECT * FROM users WHERE id = :id AND tenant_id = 7;\n' >"$work/baseline.sql"
printf '\\set id random(1, 3)\n%s;\n' "${rewritten//424242/:id}" >"$work/rewritten.sql"

echo "== rewritten statement"
echo "$rewritten"
echo
echo "== plan: baseline"
psql -U sqlwarden_gateway -X -c "EXPLAIN ANALYZE SELECT * FROM users WHERE id = 2 AND tenant_id = 7"
echo "== plan: rewritten"
psql -U sqlwarden_gateway -X -c "EXPLAIN ANALYZE ${rewritten//424242/2}"

tps() {
  pgbench -n -U sqlwarden_gateway -c 1 -T "$seconds" -M prepared -f "$1" bench 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
# Interleave two rounds of each so drift on a shared machine hits both.
b1=$(tps "$work/baseline.sql"); r1=$(tps "$work/rewritten.sql")
b2=$(tps "$work/baseline.sql"); r2=$(tps "$work/rewritten.sql")
/usr/bin/python3 - "$b1" "$b2" "$r1" "$r2" <<'PY'
import sys
b1, b2, r1, r2 = map(float, sys.argv[1:])
b, r = (b1 + b2) / 2, (r1 + r2) / 2
print(f"baseline  {b:10.0f} tps  ({1e3 / b:.3f} ms per lookup)")
print(f"rewritten {r:10.0f} tps  ({1e3 / r:.3f} ms per lookup)")
print(f"ratio rewritten/baseline time: {b / r:.2f}")
PY
rm -rf "$work"
