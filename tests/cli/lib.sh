# Shared by the CLI test scripts: a scratch directory, and `run`/`fail`
# helpers that keep the binary's stdout and stderr for the failure report.
# The sourcing script sets `bin` and `case_name` first.

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL ($case_name): $*" >&2
  for f in "$work"/out "$work"/err; do
    if [[ -s $f ]]; then
      echo "--- $(basename "$f"):" >&2
      cat "$f" >&2
    fi
  done
  exit 1
}

# run EXPECTED_EXIT ARGS... : runs the binary, keeps stdout/stderr, checks the exit code.
run() {
  local expected=$1
  shift
  "$bin" "$@" >"$work/out" 2>"$work/err"
  local status=$?
  [[ $status -eq $expected ]] || fail "sqlwarden $* exited $status, expected $expected"
}
