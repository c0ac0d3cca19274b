#!/usr/bin/env bash
# Crash safety of the audit trail (issue 6, acceptance 2): clients run
# statements through the gateway (audit `durability strict`) while the
# gateway is killed with SIGKILL; afterwards every statement PostgreSQL
# received from those clients (PostgreSQL's own log, log_statement=all, as
# CSV) must have its audit record, and `sqlwarden audit verify` must pass.
# Usage: audit_crash_test.sh SQLWARDEN SRC [SECONDS_BEFORE_KILL]
set -euo pipefail
SQLWARDEN=$1 SRC=$2
RUN_SECONDS=${3:-6}

# log_statement=all into a CSV log: one record per statement, multi-line
# text and the session's user and application_name in their own columns.
export PG_EXTRA_OPTIONS="-c log_statement=all -c logging_collector=on -c log_destination=csvlog -c log_directory=log"
# AUDIT_CRASH_DURABILITY=fast shows the test's teeth: fast may lose queued records.
export GW_EXTRA_CONF="audit { file \"audit.db\"; durability ${AUDIT_CRASH_DURABILITY:-strict}; }"
source "$SRC/tests/integration/gateway_lib.sh"
AUDIT_DB="$GW_DIR/audit.db"

# pgbench's tables, made directly (not through the gateway); the gateway's
# role runs what clients send, so it needs their privileges. The gateway
# learns of the tables on first use (catalog refresh).
pgbench -q -i -s 1 sqlwarden_demo >/dev/null 2>&1
psql -q -X -d sqlwarden_demo -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO sqlwarden_gateway" >/dev/null

# The gateway refreshes its catalog at most once a second, when a statement
# names a table it does not know: let it learn pgbench's before the clients start.
for _ in $(seq 30); do
  out=$(PGSSLMODE=disable gw_psql dba dba-password -A -t -c "SELECT count(*) FROM pgbench_branches" 2>&1) && break
  sleep 0.5
done
[[ $out == 1 ]] || fail "pgbench's tables not visible through the gateway: $out"

# Clients as local user dba (policy dba: allow all), each kind with its own
# application_name so that its statements can be told apart in the log from
# the gateway's own catalog queries ("sqlwarden catalog") and from this
# script's. Simple protocol (one record per Query), unnamed extended (one
# Parse, so one record, per execution) and named prepared statements (one
# record per Parse, executed many times).
clients=()
start_pgbench() {  # start_pgbench APPNAME pgbench-args...
  local app=$1; shift
  PGPASSWORD=dba-password PGSSLMODE=disable PGAPPNAME=$app \
    pgbench -n -T 120 -h 127.0.0.1 -p "$GW_PORT" -U dba "$@" sqlwarden_demo >"$GW_DIR/$app.out" 2>&1 &
  clients+=($!)
}
start_pgbench crash-simple -b tpcb-like -M simple -c 4 -j 2
start_pgbench crash-extended -b select-only -M extended -c 2 -j 1
start_pgbench crash-prepared -b tpcb-like -M prepared -c 2 -j 1

sleep "$RUN_SECONDS"
for pid in "${clients[@]}"; do
  kill -0 "$pid" 2>/dev/null || { cat "$GW_DIR"/crash-*.out >&2; fail "a pgbench client ended before the kill"; }
done
kill -KILL "$GW_PID"
wait "$GW_PID" 2>/dev/null || true
GW_PID=
echo "gateway killed with SIGKILL after ${RUN_SECONDS}s"

# The clients see their connections drop and end with errors.
for pid in "${clients[@]}"; do wait "$pid" 2>/dev/null || true; done
# Let the backends of the dropped connections finish and the collector
# write out what they logged: wait until no session of the gateway's role
# is left, then for the log to stop growing.
for _ in $(seq 100); do
  left=$(psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'sqlwarden_gateway'")
  [[ $left == 0 ]] && break
  sleep 0.1
done
[[ $left == 0 ]] || fail "$left upstream sessions still open after the gateway died"
size=-1
for _ in $(seq 50); do
  now=$(cat "$pg_dir"/data/log/*.csv | wc -c)
  [[ $now == "$size" ]] && break
  size=$now
  sleep 0.2
done

out=$("$SQLWARDEN" audit verify "$AUDIT_DB" 2>&1) || fail "audit verify after SIGKILL: $out"
echo "audit verify: $out"
/usr/bin/python3 "$SRC/tests/integration/audit_crash_check.py" "$AUDIT_DB" "$pg_dir"/data/log/*.csv ||
  fail "statements ran without their audit record"
echo "ok - every statement PostgreSQL received from the clients has its audit record; the chain verifies"
