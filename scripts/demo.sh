#!/usr/bin/env bash
# The main job: install, build, a dry run of the SQL front end and the
# policy tools over examples/, then the gateway for real: a sandbox
# PostgreSQL with examples/schema.sql and seed.sql, `sqlwarden proxy` in
# front of it with examples/gateway.conf (TLS, a local user, a dev token
# issuer, the example policies, an audit file), a short scripted tour, and —
# on a terminal — the gateway left running for you until Ctrl-C.
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
run build/sqlwarden lint examples/policies/dba.rules examples/policies/ai-agents.rules examples/gateway.conf
run build/sqlwarden fmt --check examples/policies rules

echo
echo "== the gateway: sandbox PostgreSQL + sqlwarden proxy"
SQLWARDEN=$PWD/build/sqlwarden SRC=$PWD
export SQLWARDEN SRC
# gateway_lib.sh starts the sandbox and the gateway and stops both on exit.
GW_EXTRA_CONF='audit { file "audit.db"; durability strict; }'
source tests/integration/gateway_lib.sh
set +e
token=$(mint --user claude --group ai-agents --claim tenant_id=8)
conn="host=127.0.0.1 port=$GW_PORT dbname=sqlwarden_demo sslmode=require"
tour() {  # tour USER PASSWORD SQL
  echo
  echo "-- as $1: $3"
  PGPASSWORD=$2 psql -X "$conn user=$1" -v ON_ERROR_STOP=0 -c "$3" 2>&1 | sed 's/^/   /'
}
tour agent agent-password "SELECT id, name, email, ssn FROM users ORDER BY id"
tour agent agent-password "DROP TABLE users"
tour claude "$token" "SELECT id, name, email FROM users ORDER BY id"
tour agent agent-password "UPDATE staging.imports SET payload = 'bulk edit'"
request=$(build/sqlwarden approvals "$GW_DIR/audit.db" list --pending 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1; exit }')
if [[ -n $request ]]; then
  echo
  echo "-- an approver says yes: sqlwarden approvals $GW_DIR/audit.db approve $request --as alice"
  build/sqlwarden approvals "$GW_DIR/audit.db" approve "$request" --as alice 2>&1 | sed 's/^/   /'
  tour agent agent-password "UPDATE staging.imports SET payload = 'bulk edit'"
fi
echo
echo "-- the audit trail: sqlwarden audit $GW_DIR/audit.db"
build/sqlwarden audit "$GW_DIR/audit.db" 2>&1 | tail -8 | sed 's/^/   /'
set -e

cat <<EOT

The gateway listens on 127.0.0.1:$GW_PORT (log: $GW_LOG). Connect with:

  local user (SCRAM):   PGPASSWORD=agent-password psql "$conn user=agent"
  DBA (SCRAM):          PGPASSWORD=dba-password psql "$conn user=dba"
  OIDC token as the password (tenant 8, signed with the dev key):
    PGPASSWORD=\$(python3 $GW_DIR/gateway/mint_token.py token --user claude --group ai-agents --claim tenant_id=8) \\
      psql "$conn user=claude"

Try: SELECT * FROM users;  (masked, filtered)   DROP TABLE users;  (denied, 42501)
     UPDATE staging.imports SET payload = 'x';   (needs approval: sqlwarden approvals $GW_DIR/audit.db list)
EOT

if [[ -t 0 && $status -eq 0 ]]; then
  echo "Ctrl-C stops the gateway and the sandbox database."
  wait "$GW_PID" || true
fi
exit "$status"
