#!/usr/bin/env bash
# End-to-end checks of `sqlwarden rewrite` and `sqlwarden test`: decisions,
# JSON output, exit codes, failing-record diffs and --update. Registered with
# ctest as cli_rewrite_<case> by tests/CMakeLists.txt.
#
# usage: rewrite_cli_test.sh SQLWARDEN_BINARY CASE SOURCE_DIR
set -uo pipefail

bin=$1
case_name=$2
source_dir=$3

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

rules=$source_dir/examples/policies/ai-agents.rules
schema=$source_dir/examples/schema.sql
agent=(--rules "$rules" --schema "$schema" --user agent-1 --group ai-agents --claim tenant_id=7)

case $case_name in
  allow)
    run 0 rewrite "${agent[@]}" "SELECT email FROM users WHERE id = 1"
    grep -q "(SELECT 1)" "$work/out" && fail "unexpected"
    grep -q "FROM public.users WHERE (tenant_id OPERATOR(pg_catalog.=) '7')" "$work/out" || fail "no filter"
    grep -q "AS users WHERE id = 1 LIMIT 1000;" "$work/out" || fail "alias or row cap missing"
    ;;
  deny)
    run 1 rewrite "${agent[@]}" "SELECT 1; DROP TABLE users"
    grep -q "statement 2 (DROP TABLE): deny" "$work/out" || fail "DROP not denied"
    ;;
  json)
    run 1 rewrite --format json "${agent[@]}" "SELECT 1; SELECT pg_sleep(1); UPDATE staging.imports SET payload = 'x'; SELEC"
    [[ $(wc -l <"$work/out") -eq 4 ]] || fail "expected 4 JSON lines"
    python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["decision"] for r in rows] == ["allow", "deny", "approval", "deny"], rows
assert rows[0]["kind"] == "SELECT" and rows[0]["sql"] == "SELECT 1 LIMIT 1000" and rows[0]["reason"] is None, rows[0]
assert rows[1]["sql"] is None and "ai-agents.rules:13" in rows[1]["reason"], rows[1]
assert rows[1]["rules"] == ["ai_analytics@ai-agents.rules:13"], rows[1]
assert rows[2]["rules"][0] == "ai_analytics@ai-agents.rules:23", rows[2]
assert "syntax error" in rows[3]["reason"] or "SELEC" in rows[3]["reason"], rows[3]
assert all(len(r["fingerprint"]) == 16 for r in rows[:3]), rows
' "$work/out" || fail "JSON content differs"
    ;;
  stdin)
    echo "SELECT name FROM products" | "$bin" rewrite "${agent[@]}" - >"$work/out" 2>"$work/err" ||
      fail "stdin run failed"
    grep -q "^SELECT name FROM products LIMIT 1000;" "$work/out" || fail "row cap missing"
    ;;
  usage)
    run 2 rewrite --rules "$rules" --user u --claim novalue "SELECT 1"
    run 2 rewrite --rules /nonexistent.rules --user u "SELECT 1"
    run 2 rewrite --rules "$rules" --schema /nonexistent.sql --user u "SELECT 1"
    ;;
  test_examples)
    run 0 test "$source_dir/examples/tests"
    tail -1 "$work/out" | grep -Eq '^[0-9]+ passed, 0 failed$' || fail "no summary line"
    ;;
  test_failure)
    cp "$rules" "$work/p.rules"
    cp "$schema" "$work/schema.sql"
    cat >"$work/t.test" <<'TEST'
rules p.rules
schema schema.sql

test products are readable
as a group ai-agents
SELECT name FROM products
----
allow
SELECT name FROM products

test this expectation is wrong
as a group ai-agents
DROP TABLE products
----
allow
TEST
    run 1 test "$work/t.test"
    grep -q 't.test:4: test "products are readable" failed' "$work/out" || fail "no failure line"
    grep -q '^- SELECT name FROM products$' "$work/out" || fail "no expected line in diff"
    grep -q '^+ SELECT name FROM products LIMIT 1000$' "$work/out" || fail "no actual line in diff"
    grep -q '^+ deny$' "$work/out" || fail "decision diff missing"
    grep -q '^0 passed, 2 failed$' "$work/out" || fail "summary wrong"
    run 1 test --update "$work/t.test"
    run 0 test "$work/t.test"
    grep -q '^2 passed, 0 failed$' "$work/out" || fail "not fixed by --update"
    grep -q '^permission denied by sqlwarden: DROP is not available' "$work/t.test" || fail "update text"
    ;;
  test_format)
    cp "$rules" "$work/p.rules"
    printf 'rules p.rules\ntest x\nSELECT 1\n----\nallow\n' >"$work/bad.test"
    run 1 test "$work/bad.test"
    grep -q 'bad.test:2:1: error: test "x" needs an `as USER ...` line next' "$work/out" || fail "format error"
    ;;
  *)
    fail "unknown case"
    ;;
esac
