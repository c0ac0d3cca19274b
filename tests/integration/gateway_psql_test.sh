#!/usr/bin/env bash
# The gateway end to end with psql (and pgbench): a real PostgreSQL, the real
# `sqlwarden proxy`, real clients. Usage: gateway_psql_test.sh SQLWARDEN SRC
set -euo pipefail
SQLWARDEN=$1 SRC=$2
source "$SRC/tests/integration/gateway_lib.sh"

agent() { gw_psql agent agent-password "$@" 2>&1 || true; }
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }

# TLS + SCRAM login, masked and filtered rows (tenant 7 only, e-mail masked).
out=$(agent -A -t -c "SELECT id, email, ssn FROM users ORDER BY id")
expect_contains "masked select" "$out" "1|a***@example.com|*******1111"
expect_not_contains "filtered select" "$out" "canary"
expect_not_contains "filtered select" "$out" "11|"
ok "masked and filtered SELECT over TLS with SCRAM"

# Statement shapes (docs/gateway.md): one session sends the same statements
# with other constants, so from the second sighting on they are served from
# the shape's decision. Every one must still be masked and filtered.
out=$(agent -A -t <<'SQL'
SELECT id, email, ssn FROM users WHERE id = 1;
SELECT id, email, ssn FROM users WHERE id = 11;
SELECT id, email, ssn FROM users WHERE id = 2;
SELECT id, email, ssn FROM users WHERE id = 21;
SELECT id, email, ssn FROM users WHERE id = 3;
SELECT id, email, ssn FROM users WHERE id = 12;
SELECT id, email, ssn FROM users WHERE id = 1001;
SELECT 'count', count(*) FROM users WHERE name <> 'x' AND id < 100;
SELECT 'count', count(*) FROM users WHERE name <> 'OTHERTENANT Dora' AND id < 100000;
SELECT 'count', count(*) FROM users WHERE name <> 'y' AND id < 100000;
SQL
)
expect_contains "shape, first" "$out" "1|a***@example.com|*******1111"
expect_contains "shape, third" "$out" "2|b***@example.com|*******2222"
expect_contains "shape, fifth" "$out" "3||"
for leak in canary OTHERTENANT "11|" "12|" "21|" "1001|"; do expect_not_contains "shapes filter and mask" "$out" "$leak"; done
own=$(psql -X -A -t -d sqlwarden_demo -c "SELECT count(*) FROM users WHERE tenant_id = 7")
[[ $(grep -c "^count|$own\$" <<<"$out") -eq 3 ]] || fail "shapes: each count should see tenant 7's $own users:"$'\n'"$out"
ok "statements served from their shape are masked and filtered like the first"

# The session's TLS is real: pg_stat_ssl is not visible through the gateway, so ask psql.
out=$(PGSSLMODE=require agent -c '\conninfo')
expect_contains "tls" "$out" "SSL connection (protocol: TLSv1."
ok "TLS negotiated (TLS 1.2 or later)"

# A denied statement: 42501, and the session goes on.
out=$(agent -v ON_ERROR_STOP=0 -v VERBOSITY=verbose <<'SQL'
DROP TABLE users;
SELECT 'still here';
SQL
)
expect_contains "deny" "$out" "ERROR:  42501: permission denied by sqlwarden"
expect_contains "session continues" "$out" "still here"
ok "denied DROP returns 42501 and the session continues"

# A multi-statement message with one denial runs nothing.
out=$(agent -v ON_ERROR_STOP=0 -c "INSERT INTO staging.imports VALUES (500, 7, 'x'); DROP TABLE users")

expect_contains "multi" "$out" "permission denied"
out=$(psql -X -A -t -d sqlwarden_demo -c "SELECT count(*) FROM staging.imports WHERE id = 500")
[[ $out == 0 ]] || fail "multi-statement: the allowed INSERT ran ($out rows)"
ok "one denial refuses the whole multi-statement message"

# A denial inside a transaction block aborts it, as an error in PostgreSQL would.
out=$(agent -v ON_ERROR_STOP=0 <<'SQL'
BEGIN;
INSERT INTO staging.imports VALUES (501, 7, 'in tx');
DELETE FROM products;
SELECT 'after denial';
COMMIT;
SELECT 'next transaction';
SQL
)
expect_contains "tx" "$out" "permission denied by sqlwarden"
expect_contains "tx" "$out" "current transaction is aborted"
expect_contains "tx" "$out" "next transaction"
out=$(psql -X -A -t -d sqlwarden_demo -c "SELECT count(*) FROM staging.imports WHERE id = 501")
[[ $out == 0 ]] || fail "transaction: the insert before the denial was committed"
ok "a denial inside BEGIN aborts the transaction block"

# COPY FROM STDIN and TO STDOUT flow when allowed.
out=$(printf '600\t7\tcopied\n601\t7\tcopied too\n' | gw_psql dba dba-password -c "\\copy staging.imports FROM STDIN" 2>&1)
[[ -z $out ]] || fail "copy in: $out"
[[ $(psql -X -A -t -d sqlwarden_demo -c "SELECT count(*) FROM staging.imports WHERE id >= 600") == 2 ]] || fail "copy in: rows missing"
out=$(gw_psql dba dba-password -c "\\copy (SELECT id, payload FROM staging.imports WHERE id >= 600 ORDER BY id) TO STDOUT" 2>&1)
expect_contains "copy out" "$out" "601	copied too"
ok "COPY FROM STDIN and COPY TO STDOUT"

# Wrong password, unknown user: the same 28P01, no hint.
out=$(gw_psql agent wrong-password -c "SELECT 1" 2>&1 || true)
expect_contains "wrong password" "$out" 'FATAL:  password authentication failed for user "agent"'
out=$(gw_psql nobody whatever -c "SELECT 1" 2>&1 || true)
expect_contains "unknown user" "$out" "password authentication failed for user \"nobody\""
ok "wrong password and unknown user get 28P01"

# Tokens: RS256 and ES256 accepted; expired, forged, wrong audience, wrong user refused.
t=$(mint --user claude --group ai-agents --claim tenant_id=8)
out=$(gw_psql claude "$t" -A -t -c "SELECT id, email FROM users ORDER BY id" 2>&1)
expect_contains "jwt rs256" "$out" "11|d***@example.com"
expect_not_contains "jwt rs256 filter" "$out" "1|a***"
t=$(mint --user claude --group ai-agents --claim tenant_id=7 --alg ES256)
out=$(gw_psql claude "$t" -A -t -c "SELECT count(*) FROM orders" 2>&1)
[[ $out =~ ^[0-9]+$ ]] || fail "jwt es256: $out"
ok "JWT logins (RS256, ES256) with claims driving the row filter"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$GW_DIR/forger.key" 2>/dev/null
for bad in "--expires-in -600" "--key $GW_DIR/forger.key" "--audience someone-else" "--issuer https://evil.invalid"; do
  # shellcheck disable=SC2086
  t=$(mint --user claude --group ai-agents $bad)
  out=$(gw_psql claude "$t" -c "SELECT 1" 2>&1 || true)
  expect_contains "bad token ($bad)" "$out" 'password authentication failed for user "claude"'
done
t=$(mint --user mallory --group dba)
out=$(gw_psql claude "$t" -c "SELECT 1" 2>&1 || true)
expect_contains "token for another user" "$out" "password authentication failed"
out=$(PGSSLMODE=disable gw_psql claude "$(mint --user claude)" -c "SELECT 1" 2>&1 || true)
expect_contains "token without TLS" "$out" "token login requires TLS"
ok "expired, forged, wrong-audience, wrong-issuer and other-user tokens refused"

# Unsupported startup parameters are refused; the gateway's role stays hidden.
out=$(PGOPTIONS="-c search_path=evil" agent -c "SELECT 1" || true)
expect_contains "options" "$out" 'startup parameter "options" is not allowed'
out=$(agent -A -t -c "SHOW session_authorization")
ok "startup options refused"

# Cancel: the gateway's own BackendKeyData maps to the upstream's.
start=$(date +%s)
out=$(timeout 20 /usr/bin/python3 - "$GW_PORT" <<'PY' 2>&1
import sys, threading, time, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), dbname="sqlwarden_demo",
                        user="dba", password="dba-password", sslmode="require")
cur = conn.cursor()
threading.Timer(1.0, conn.cancel).start()
try:
    cur.execute("SELECT pg_sleep(30)")
    print("not cancelled")
except psycopg2.errors.QueryCanceled as e:
    print("cancelled:", e.pgcode)
conn.rollback()
cur.execute("SELECT 1")
print("after cancel:", cur.fetchone()[0])
PY
)
expect_contains "cancel" "$out" "cancelled: 57014"
expect_contains "cancel" "$out" "after cancel: 1"
(($(date +%s) - start < 15)) || fail "cancel took too long"
ok "CancelRequest reaches the upstream"

# psql's own cancel: SIGINT while a statement runs sends a CancelRequest.
start=$(date +%s)
PGPASSWORD=dba-password timeout 20 psql -X "host=127.0.0.1 port=$GW_PORT dbname=sqlwarden_demo user=dba sslmode=require" \
  -c "SELECT pg_sleep(30)" >"$GW_DIR/psql_cancel.out" 2>&1 &
psql_pid=$!
sleep 1.5
kill -INT "$psql_pid"
wait "$psql_pid" || true
expect_contains "psql cancel" "$(cat "$GW_DIR/psql_cancel.out")" "canceling statement due to user request"
(($(date +%s) - start < 15)) || fail "psql cancel took too long"
ok "psql's SIGINT cancels the running statement"

# pgbench through the gateway: select-only, simple and extended protocol.
pgbench -q -i -s 1 sqlwarden_demo >/dev/null 2>&1
psql -q -X -d sqlwarden_demo -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO sqlwarden_gateway" >/dev/null
for mode in simple extended prepared; do
  out=$(PGPASSWORD=agent-password PGSSLMODE=require pgbench -n -S -M $mode -c 4 -j 2 -T 2 -h 127.0.0.1 -p "$GW_PORT" -U agent sqlwarden_demo 2>&1) ||
    fail "pgbench -M $mode: $out"
  expect_contains "pgbench $mode" "$out" "number of failed transactions: 0"
done
ok "pgbench select-only through the gateway (simple, extended, prepared)"

# TLS required: a plaintext client is refused.
# (The same gateway runs with mode optional; run a second one with required.)
GW2_PORT=$(free_port)
sed -e "s/127.0.0.1:$GW_PORT/127.0.0.1:$GW2_PORT/" -e "s/mode optional;/mode required;/" "$GW_CONF" >"$GW_DIR/required.conf"
SQLWARDEN_UPSTREAM_PASSWORD="$GW_UPSTREAM_PASSWORD_VALUE" "$SQLWARDEN" proxy --config "$GW_DIR/required.conf" >>"$GW_DIR/required.log" 2>&1 &
GW2_PID=$!
for _ in $(seq 50); do grep -q "listening on" "$GW_DIR/required.log" && break; sleep 0.1; done
out=$(PGPASSWORD=agent-password PGSSLMODE=disable psql -X -h 127.0.0.1 -p "$GW2_PORT" -U agent -d sqlwarden_demo -c "SELECT 1" 2>&1 || true)
expect_contains "tls required" "$out" "sqlwarden requires TLS"
out=$(PGPASSWORD=agent-password PGSSLMODE=require psql -X -A -t -h 127.0.0.1 -p "$GW2_PORT" -U agent -d sqlwarden_demo -c "SELECT 'tls ok'" 2>&1)
expect_contains "tls required, TLS client" "$out" "tls ok"
kill "$GW2_PID"; wait "$GW2_PID" 2>/dev/null || true
ok "tls required refuses plaintext and accepts TLS"

# The upstream password never shows: not in the gateway's log, not to clients.
if grep -r -- "$GW_UPSTREAM_PASSWORD_VALUE" "$GW_LOG" "$GW_DIR/required.log"; then fail "upstream password in the log"; fi
ok "the upstream password appears in no log"
echo "all $n gateway psql checks passed"
