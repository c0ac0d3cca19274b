#!/usr/bin/env bash
# End-to-end checks of `sqlwarden lint`: exit codes, text and JSON output,
# --strict, and the example policies. Registered with ctest as
# cli_lint_<case> by tests/CMakeLists.txt.
#
# usage: lint_cli_test.sh SQLWARDEN_BINARY CASE [SOURCE_DIR]
set -uo pipefail

bin=$1
case_name=$2
source_dir=${3:-}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$work/clean.rules" <<'RULES'
version 1;
policy readers {
  applies to group "readers";
  allow select on public.*;
  mask public.users.email with email;
}
RULES

cat >"$work/bad.rules" <<'RULES'
version 1;
policy p {
  applies to user "u";
  mask public.users.email with emial;
}
RULES

cat >"$work/warn.rules" <<'RULES'
version 1;
policy q {
  applies to user "u";
  allow select on public.*;
  allow select on public.*;
}
RULES

# check_json FILE: every line is one diagnostic object of the documented shape.
check_json() {
  python3 - "$1" <<'PY' || fail "JSON output has the wrong shape"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert lines, "no output"
for line in lines:
    obj = json.loads(line)
    assert list(obj) == ["file", "line", "column", "severity", "code", "message"], list(obj)
    assert isinstance(obj["file"], str) and obj["file"], line
    assert isinstance(obj["line"], int) and obj["line"] >= 1, line
    assert isinstance(obj["column"], int) and obj["column"] >= 1, line
    assert obj["severity"] in ("error", "warning"), line
    assert isinstance(obj["code"], str) and obj["code"], line
    assert isinstance(obj["message"], str) and obj["message"], line
PY
}

case $case_name in
  clean)
    run 0 lint "$work/clean.rules"
    [[ ! -s $work/out && ! -s $work/err ]] || fail "output for a clean file"
    run 0 lint --strict "$work/clean.rules"
    ;;
  error)
    run 1 lint "$work/bad.rules"
    grep -qx "$work/bad.rules:4:32: error: unknown mask \"emial\"" "$work/out" || fail "no error line"
    grep -qx '  note: did you mean "email"?' "$work/out" || fail "no hint"
    # Several files: the clean one does not hide the bad one.
    run 1 lint "$work/clean.rules" "$work/bad.rules"
    grep -q "bad.rules:4:32: error" "$work/out" || fail "no error for the second file"
    ;;
  strict)
    run 0 lint "$work/warn.rules"
    grep -q "^$work/warn.rules:5:19: warning: duplicate rule" "$work/out" || fail "no warning line"
    run 1 lint --strict "$work/warn.rules"
    grep -q "warning: duplicate rule" "$work/out" || fail "no warning with --strict"
    ;;
  json)
    run 1 lint --format json "$work/bad.rules" "$work/warn.rules"
    check_json "$work/out"
    [[ $(wc -l <"$work/out") -eq 2 ]] || fail "expected 2 JSON lines"
    grep -qF "{\"file\":\"$work/bad.rules\",\"line\":4,\"column\":32,\"severity\":\"error\",\"code\":\"E001\",\"message\":\"unknown mask \\\"emial\\\"\"}" "$work/out" ||
      fail "error object differs"
    grep -q '"severity":"warning","code":"W001"' "$work/out" || fail "warning object missing"
    run 0 lint --format json "$work/clean.rules"
    [[ ! -s $work/out ]] || fail "JSON output for a clean file"
    ;;
  examples)
    [[ -n $source_dir ]] || fail "SOURCE_DIR not given"
    for f in "$source_dir"/examples/policies/*.rules; do
      run 0 lint "$f"
      if grep -q ': error: ' "$work/out"; then fail "$f has errors"; fi
    done
    # Each example directory is one deployment: its files compile together,
    # with no error and no warning (notes, like N001, are allowed).
    for d in "$source_dir"/examples/*/; do
      compgen -G "$d*.rules" >/dev/null || continue
      run 0 lint --strict "$d"*.rules
      if grep -q ': warning: ' "$work/out"; then fail "$d has warnings"; fi
    done
    # The shipped packs too, on their own.
    run 0 lint --strict "$source_dir"/rules/*.rules
    [[ ! -s $work/out ]] || fail "the shipped packs are not clean"
    run 0 lint --strict "$source_dir/examples/policies/dba.rules"
    [[ ! -s $work/out ]] || fail "dba.rules is not clean"
    ;;
  gateway)
    # Gateway files (*.conf): the same formats and exit codes as .rules files.
    printf 'version 1;\nlisten "x";\nupstream { database "d"; user "u"; }\npolicy "p.rules";\n' >"$work/bad.conf"
    run 1 lint "$work/bad.conf"
    grep -qx "$work/bad.conf:2:8: error: invalid listen address \"x\": expected \"host:port\"" "$work/out" ||
      fail "no error line"
    grep -qx '         ^' "$work/out" || fail "no caret"
    run 1 lint --format json "$work/bad.conf"
    check_json "$work/out"
    grep -q '"line":2,"column":8,"severity":"error"' "$work/out" || fail "error object differs"
    # A warning (no policy) passes, except with --strict; in JSON too.
    printf 'version 1;\nlisten "127.0.0.1:1";\nupstream { database "d"; user "u"; }\n' >"$work/warn.conf"
    run 0 lint --format json "$work/warn.conf"
    check_json "$work/out"
    grep -q '"severity":"warning"' "$work/out" || fail "no warning object"
    run 1 lint --strict "$work/warn.conf"
    # Mixed with .rules files: each checked by its own checker, one exit code.
    run 1 lint --format json "$work/clean.rules" "$work/bad.conf"
    check_json "$work/out"
    [[ -n $source_dir ]] || fail "SOURCE_DIR not given"
    run 0 lint --strict "$source_dir/examples/gateway.conf"
    [[ ! -s $work/out ]] || fail "examples/gateway.conf is not clean"
    ;;
  schema)
    cat >"$work/schema.sql" <<'SQL'
CREATE TABLE public.users (id bigint PRIMARY KEY, tenant_id int, email text, ssn varchar(11), card_no text);
CREATE TABLE public.orders (id bigint, tenant_id int);
SQL
    # The example policy fits this schema: no error (its one diagnostic is the note N001).
    run 0 lint --schema "$work/schema.sql" "$source_dir/examples/policies/ai-agents.rules"
    grep -q 'E0' "$work/out" && fail "unexpected error against the schema"
    cat >"$work/typo.rules" <<'RULES'
version 1;
policy p {
  applies to group "g";
  mask public.users.emial with email;
}
RULES
    run 1 lint --schema "$work/schema.sql" "$work/typo.rules"
    grep -q 'unknown column "emial" in table public.users' "$work/out" || fail "no E010"
    grep -q 'did you mean "email"' "$work/out" || fail "no suggestion"
    echo 'CREATE TABEL x (a int);' >"$work/bad.sql"
    run 1 lint --schema "$work/bad.sql" "$work/typo.rules"
    grep -q 'bad.sql:1:8: error: syntax error at or near "TABEL"' "$work/err" || fail "schema syntax error not reported"
    run 2 lint --schema "$work/missing.sql" "$work/typo.rules"
    ;;
  usage)
    run 2 lint
    [[ -s $work/err ]] || fail "no message on stderr"
    run 2 lint --format xml "$work/clean.rules"
    run 2 lint --no-such-option "$work/clean.rules"
    run 2 lint "$work/does-not-exist.rules"
    grep -q 'does-not-exist.rules' "$work/err" || fail "message does not name the file"
    run 2 lint "$work"
    ;;
  *)
    echo "unknown case: $case_name" >&2
    exit 2
    ;;
esac
echo "ok: $case_name"
