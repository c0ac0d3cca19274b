#!/usr/bin/env bash
# The gateway with the client libraries applications use: libpq from C,
# psycopg2, node-postgres and the PostgreSQL JDBC driver, each against the
# real gateway in front of a real PostgreSQL.
# Usage: gateway_clients_test.sh SQLWARDEN SRC CLIENT   (CLIENT: libpq, psycopg2, node, jdbc)
# Exits 77 (skipped) when the client's toolchain is missing.
set -euo pipefail
SQLWARDEN=$1 SRC=$2 CLIENT=$3
here="$SRC/tests/integration"

skip() { echo "SKIP: $*"; exit 77; }
case $CLIENT in
  libpq) command -v cc >/dev/null && [[ -f /usr/include/postgresql/libpq-fe.h ]] || skip "cc or libpq-dev missing" ;;
  psycopg2) /usr/bin/python3 -c "import psycopg2" 2>/dev/null || skip "python3-psycopg2 missing" ;;
  node)
    command -v node >/dev/null && command -v npm >/dev/null || skip "node/npm missing"
    node_dir=${SQLWARDEN_NODE_DIR:-/tmp/sqlwarden-node}
    if [[ ! -d $node_dir/node_modules/pg-cursor ]]; then
      mkdir -p "$node_dir"
      timeout 180 npm install --silent --no-audit --no-fund --prefix "$node_dir" pg pg-cursor >/dev/null 2>&1 ||
        skip "npm could not install pg (registry unreachable?)"
    fi ;;
  jdbc)
    jar=$(ls /usr/share/java/postgresql.jar 2>/dev/null || true)
    [[ -n $jar ]] || skip "libpostgresql-jdbc-java missing"
    command -v javac >/dev/null || skip "javac missing (default-jdk-headless)" ;;
  *) echo "unknown client $CLIENT" >&2; exit 2 ;;
esac

source "$here/gateway_lib.sh"
token=$(mint --user claude --group ai-agents --claim tenant_id=8)
expired=$(mint --user claude --group ai-agents --expires-in -3600)

case $CLIENT in
  libpq)
    cc -O1 -o "$GW_DIR/gateway_libpq" "$here/gateway_libpq.c" -I/usr/include/postgresql -lpq
    "$GW_DIR/gateway_libpq" "host=127.0.0.1 port=$GW_PORT dbname=sqlwarden_demo user=agent password=agent-password sslmode=require" \
      "host=127.0.0.1 port=$GW_PORT dbname=sqlwarden_demo user=dba password=dba-password sslmode=require" \
      "host=127.0.0.1 port=$GW_PORT dbname=sqlwarden_demo user=claude password=$token sslmode=require" ;;
  psycopg2) /usr/bin/python3 "$here/gateway_psycopg2.py" "$GW_PORT" "$token" "$expired" ;;
  node) NODE_PATH="$node_dir/node_modules" node "$here/gateway_node.js" "$GW_PORT" "$token" ;;
  jdbc)
    mkdir -p "$GW_DIR/java"
    javac -d "$GW_DIR/java" "$here/gateway_jdbc.java"
    java -cp "$jar:$GW_DIR/java" GatewayJdbc "$GW_PORT" "$token" ;;
esac || fail "$CLIENT client"

if grep -q -- "$GW_UPSTREAM_PASSWORD_VALUE" "$GW_LOG"; then fail "upstream password in the gateway log"; fi
echo "gateway $CLIENT: passed"
