#!/usr/bin/env bash
# End-to-end checks of `sqlwarden parse`: exit codes, where errors go, the
# JSON shape, and that --print output parses again. Registered with ctest as
# cli_parse_<case> by tests/CMakeLists.txt.
#
# usage: parse_cli_test.sh SQLWARDEN_BINARY CASE [SOURCE_DIR]
set -uo pipefail

bin=$1
case_name=$2
source_dir=${3:-}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$work/ok.sql" <<'SQL'
SELECT u.id, lower(u.email) FROM public.users AS u WHERE u.id = $1;
INSERT INTO orders (user_id, total) VALUES (1, 9.99) RETURNING id;
-- a comment between statements
UPDATE accounts SET balance = balance - 10 WHERE id = 7;
DELETE FROM sessions WHERE expires_at < now();
BEGIN;
COMMIT;
SQL

printf 'SELECT ) FROM t;\n' >"$work/bad.sql"
printf 'SELECT 1;\nSELECT * FROM;\nSELECT 2;\n' >"$work/mixed.sql"

# check_json FILE WITH_SQL: every line is one statement object of the documented shape.
check_json() {
  python3 - "$1" "$2" <<'PY' || fail "JSON output has the wrong shape"
import json, re, sys
path, with_sql = sys.argv[1], sys.argv[2] == "1"
lines = open(path, encoding="utf-8").read().splitlines()
assert lines, "no output"
keys = ["index", "kind", "tables", "columns", "functions", "fingerprint"] + (["sql"] if with_sql else [])
for n, line in enumerate(lines):
    obj = json.loads(line)
    if "error" in obj:
        assert list(obj) == ["index", "error"], line
        assert sorted(obj["error"]) == ["column", "line", "message"], line
        continue
    assert list(obj) == keys, f"keys {list(obj)} != {keys}"
    assert obj["index"] == n, line
    assert isinstance(obj["kind"], str) and obj["kind"], line
    for k in ("tables", "columns", "functions"):
        assert all(isinstance(x, str) for x in obj[k]), line
    assert re.fullmatch(r"[0-9a-f]{16}", obj["fingerprint"]), line
PY
}

case $case_name in
  ok)
    run 0 parse "$work/ok.sql"
    [[ ! -s $work/err ]] || fail "stderr not empty for valid input"
    grep -qx '1: SELECT' "$work/out" || fail "missing '1: SELECT'"
    grep -qx '  tables: public.users' "$work/out" || fail "missing the tables line of statement 1"
    grep -qx '  functions: lower' "$work/out" || fail "missing the functions line of statement 1"
    grep -qx '6: COMMIT' "$work/out" || fail "missing '6: COMMIT'"
    ;;
  stdin)
    "$bin" parse - <"$work/ok.sql" >"$work/out" 2>"$work/err" || fail "parse - exited $?"
    grep -qx '1: SELECT' "$work/out" || fail "missing '1: SELECT'"
    "$bin" parse <"$work/ok.sql" >"$work/out" 2>"$work/err" || fail "parse (no file) exited $?"
    grep -qx '6: COMMIT' "$work/out" || fail "missing '6: COMMIT'"
    ;;
  syntax_error)
    run 1 parse "$work/bad.sql"
    grep -q "^$work/bad.sql:1:8: error: " "$work/err" || fail "no 'bad.sql:1:8: error:' line on stderr"
    printf 'SELECT ) FROM t;\n' | "$bin" parse - >"$work/out" 2>"$work/err"
    [[ $? -eq 1 ]] || fail "bad SQL on stdin did not exit 1"
    grep -q '^<stdin>:1:8: error: ' "$work/err" || fail "no '<stdin>:1:8: error:' line on stderr"
    ;;
  mixed)
    # One bad statement does not stop the others.
    run 1 parse "$work/mixed.sql"
    grep -qx '1: SELECT' "$work/out" || fail "statement 1 missing"
    grep -qx '3: SELECT' "$work/out" || fail "statement 3 missing"
    grep -q "^$work/mixed.sql:2:" "$work/err" || fail "no diagnostic for line 2"
    ;;
  json)
    run 0 parse --format json "$work/ok.sql"
    check_json "$work/out" 0
    [[ $(wc -l <"$work/out") -eq 6 ]] || fail "expected 6 JSON lines"
    run 0 parse --format json --print "$work/ok.sql"
    check_json "$work/out" 1
    run 1 parse --format json "$work/bad.sql"
    check_json "$work/out" 0
    grep -q '^{"index":0,"error":{"line":1,"column":8,"message":' "$work/out" ||
      fail "error object missing or misplaced"
    ;;
  print_roundtrip)
    run 0 parse --print "$work/ok.sql"
    cp "$work/out" "$work/printed.sql"
    [[ $(grep -c ';$' "$work/printed.sql") -eq 6 ]] || fail "expected 6 statements ending in ';'"
    # What sqlwarden prints must parse again and print the same.
    run 0 parse --print "$work/printed.sql"
    cmp -s "$work/out" "$work/printed.sql" || fail "printing the printed SQL changed it"
    "$bin" parse - <"$work/printed.sql" >"$work/out" 2>"$work/err" || fail "printed SQL did not re-parse"
    ;;
  examples)
    # The demo's input (examples/queries.sql) parses in every mode and round-trips.
    [[ -n $source_dir ]] || fail "SOURCE_DIR not given"
    examples=$source_dir/examples/queries.sql
    run 0 parse "$examples"
    run 0 parse --format json "$examples"
    check_json "$work/out" 0
    run 0 parse --print "$examples"
    "$bin" parse --print - <"$work/out" >"$work/out2" 2>"$work/err" || fail "printed examples did not re-parse"
    cmp -s "$work/out" "$work/out2" || fail "printing the printed examples changed them"
    ;;
  unknown_option)
    run 2 parse --no-such-option "$work/ok.sql"
    [[ -s $work/err ]] || fail "no message on stderr"
    run 2 parse --format xml "$work/ok.sql"
    run 2
    ;;
  missing_file)
    run 2 parse "$work/does-not-exist.sql"
    grep -q 'does-not-exist.sql' "$work/err" || fail "message does not name the file"
    run 2 parse "$work"
    ;;
  version)
    run 0 --version
    grep -q '^sqlwarden [0-9]' "$work/out" || fail "no version on stdout"
    ;;
  *)
    echo "unknown case: $case_name" >&2
    exit 2
    ;;
esac
echo "ok: $case_name"
