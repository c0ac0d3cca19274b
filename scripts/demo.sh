#!/usr/bin/env bash
# The main job for now: install, build, then a dry run of the SQL front end
# over examples/queries.sql. Nothing connects to a database.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

status=0
run() {
  echo
  echo "== $*"
  "$@" || status=$?
}

run build/sqlwarden parse examples/queries.sql
run build/sqlwarden parse --format json examples/queries.sql
run build/sqlwarden parse --print examples/queries.sql
run build/sqlwarden lint examples/policies/dba.rules examples/policies/ai-agents.rules
run build/sqlwarden fmt --check examples/policies rules
exit "$status"
