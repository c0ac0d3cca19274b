#!/usr/bin/env bash
# End-to-end checks of `sqlwarden fmt`: --check on the shipped files, --write
# in place, syntax errors and usage errors. Registered with ctest as
# cli_fmt_<case> by tests/CMakeLists.txt.
#
# usage: fmt_cli_test.sh SQLWARDEN_BINARY CASE SOURCE_DIR
set -uo pipefail

bin=$1
case_name=$2
source_dir=${3:-}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$work/messy.rules" <<'RULES'
# a comment
version   1 ;
policy  p{   # after the brace
allow select,insert on public.*;
    mask *.email with email;
  mask public.users.ssn with keep_last( 4 );  # last four
}
RULES

cat >"$work/formatted.rules" <<'RULES'
# a comment
version 1;

policy p {  # after the brace
  allow select, insert on public.*;
  mask *.email          with email;
  mask public.users.ssn with keep_last(4);  # last four
}
RULES

printf 'version 1;\npolicy p {\n  mask public.users.email wiht email;\n}\n' >"$work/bad.rules"

case $case_name in
  check_shipped)
    [[ -n $source_dir ]] || fail "SOURCE_DIR not given"
    run 0 fmt --check "$source_dir/examples" "$source_dir/rules"
    [[ ! -s $work/out ]] || fail "--check listed files on the shipped examples or packs"
    run 0 fmt --check "$source_dir/examples/policies/ai-agents.rules" \
      "$source_dir/examples/policies/dba.rules" "$source_dir/rules/postgres-baseline.rules" \
      "$source_dir/rules/pii-columns.rules"
    ;;
  print)
    run 0 fmt "$work/messy.rules"
    cmp -s "$work/out" "$work/formatted.rules" || fail "unexpected formatting: $(diff "$work/formatted.rules" "$work/out")"
    "$bin" fmt - <"$work/messy.rules" >"$work/out" 2>"$work/err" || fail "fmt - exited $?"
    cmp -s "$work/out" "$work/formatted.rules" || fail "standard input formatted differently"
    ;;
  check_messy)
    run 1 fmt --check "$work/messy.rules" "$work/formatted.rules"
    grep -qx "$work/messy.rules" "$work/out" || fail "--check did not list messy.rules"
    grep -q "formatted.rules" "$work/out" && fail "--check listed a formatted file"
    grep -q "not formatted" "$work/err" || fail "no summary on stderr"
    ;;
  write)
    cp "$work/messy.rules" "$work/w.rules"
    chmod 640 "$work/w.rules"
    cp "$work/formatted.rules" "$work/f.rules"
    touch -d '2000-01-01' "$work/f.rules"
    run 0 fmt --write "$work/w.rules" "$work/f.rules"
    cmp -s "$work/w.rules" "$work/formatted.rules" || fail "--write did not format the file"
    [[ $(stat -c %a "$work/w.rules") == 640 ]] || fail "--write changed the file's permissions"
    [[ $(stat -c %Y "$work/f.rules") -lt 1000000000 ]] || fail "--write rewrote an unchanged file"
    run 0 fmt --check "$work/w.rules"
    # No temporary file left behind.
    [[ $(find "$work" -name '*.fmt-*' | wc -l) -eq 0 ]] || fail "temporary file left behind"
    ;;
  syntax_error)
    cp "$work/bad.rules" "$work/bad-copy.rules"
    run 1 fmt "$work/bad.rules"
    grep -q "^$work/bad.rules:3:27: error: " "$work/err" || fail "no 'bad.rules:3:27: error:' diagnostic"
    [[ ! -s $work/out ]] || fail "printed output for a file with errors"
    run 1 fmt --check "$work/bad.rules"
    run 1 fmt --write "$work/bad.rules"
    cmp -s "$work/bad.rules" "$work/bad-copy.rules" || fail "--write touched a file with errors"
    # The other files are still processed.
    cp "$work/messy.rules" "$work/w.rules"
    run 1 fmt --write "$work/bad.rules" "$work/w.rules"
    cmp -s "$work/w.rules" "$work/formatted.rules" || fail "a bad file stopped the others"
    ;;
  usage)
    run 2 fmt --no-such-option "$work/messy.rules"
    [[ -s $work/err ]] || fail "no message on stderr"
    run 2 fmt --write --check "$work/messy.rules"
    run 2 fmt "$work/does-not-exist.rules"
    grep -q 'does-not-exist.rules' "$work/err" || fail "message does not name the file"
    run 2 fmt --write -
    ;;
  *)
    echo "unknown case: $case_name" >&2
    exit 2
    ;;
esac
echo "ok: $case_name"
