#!/usr/bin/env bash
# The gateway against PostgreSQL and PgBouncer, in one run on loopback
# (issue 5, acceptance 4; issue 6, acceptance 3).
#
# pgbench select-only and TPC-B-like, -M simple and -M extended, 1, 8 and 32
# clients, each straight to PostgreSQL, through PgBouncer (session pooling)
# and through sqlwarden with examples/policies/ai-agents.rules active
# (recording off); then select-only at 8 clients through sqlwarden with
# recording off, `durability strict` and `durability fast`, interleaved.
# Every path is plain TCP on 127.0.0.1 with a SCRAM login. The three runs of
# one row follow each other, so their ratios come from the same minute.
#
# Identities: select-only runs as local user "agent" (group ai-agents:
# ai-agents.rules as it is); TPC-B-like as "bench" (groups ai-agents and
# pgbench: ai-agents.rules plus tools/bench/pgbench.rules, which allows
# pgbench's writes on its own tables). The gateway loads
# tools/bench/pgbench.rules, which includes ai-agents.rules.
#
# CPU per statement: utime+stime of the gateway (or PgBouncer) process from
# /proc/PID/stat over the run, divided by the statements it relayed
# (transactions x 1 for select-only, x 7 for TPC-B-like).
#
# Usage: tools/bench/gateway_compare.sh [SQLWARDEN] [SECONDS]
#   defaults: build/sqlwarden, 10 s per run
# Environment: WORKLOADS ("select-only tpcb-like"), MODES ("simple extended"),
#   CLIENT_COUNTS ("1 8 32"), SCALE (10), RECORDING_REPEATS (3),
#   ROUNDS (1): each row's three runs repeated, interleaved; the table shows
#   medians. SKIP_MATRIX=1 (recording comparison only), SKIP_RECORDING=1,
#   GW_THREADS (the gateways' `limits { threads N; }`; default one per core),
#   SQLWARDEN_ALT (a second binary, e.g. the commit before a change: its
#   columns follow, from the same rounds), ALT_THREADS (that gateway's
#   thread count, to compare thread counts with one binary).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SQLWARDEN=$(realpath "${1:-$SRC/build/sqlwarden}")
SECS=${2:-10}
WORKLOADS=${WORKLOADS:-select-only tpcb-like}
MODES=${MODES:-simple extended}
CLIENT_COUNTS=${CLIENT_COUNTS:-1 8 32}
SCALE=${SCALE:-10}
RECORDING_REPEATS=${RECORDING_REPEATS:-3}
ROUNDS=${ROUNDS:-1}
command -v pgbouncer >/dev/null || { echo "gateway_compare: pgbouncer is not installed (scripts/setup.sh)" >&2; exit 1; }
export SQLWARDEN SRC
export PG_EXTRA_OPTIONS="-c max_connections=300"
GW_TLS_MODE=optional source "$SRC/tests/integration/gateway_lib.sh"
CLK_TCK=$(getconf CLK_TCK)

# The library's gateway is replaced by three of ours (recording off, strict,
# fast), each on its own port with the benchmark's policy and identities.
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=
agent_scram=$(sed -n '/^user "agent"/,/^}/s/.*scram "\(.*\)";/\1/p' "$GW_CONF")
declare -A GW_PORTS GW_PIDS
bench_conf() {  # bench_conf NAME AUDIT-BLOCK [THREADS]
  local conf="$GW_DIR/bench-$1.conf" threads=${3:-${GW_THREADS:-}}
  sed -e "s|^listen .*|listen \"127.0.0.1:${GW_PORTS[$1]}\";|" \
      -e "s|^policy .*|policy \"$SRC/tools/bench/pgbench.rules\";|" \
      ${threads:+-e "s|^limits {|limits {\n  threads $threads;|"} "$GW_CONF" >"$conf"
  cat >>"$conf" <<EOF
user "bench" {
  scram "$agent_scram";   # the password is agent-password
  groups "ai-agents", "pgbench";
  claim "tenant_id" = "7";
}
$2
EOF
  echo "$conf"
}
GATEWAYS="off strict fast"
# SQLWARDEN_ALT: a second binary (say, the commit before a change), run with
# recording off next to the first in every row of the matrix.
if [[ -n ${SQLWARDEN_ALT:-} ]]; then SQLWARDEN_ALT=$(realpath "$SQLWARDEN_ALT"); GATEWAYS="$GATEWAYS alt"; fi
for name in $GATEWAYS; do GW_PORTS[$name]=$(free_port); done
declare -A GW_CONFS=(
  [off]=$(bench_conf off "")
  [strict]=$(bench_conf strict 'audit { file "audit-strict.db"; durability strict; }')
  [fast]=$(bench_conf fast 'audit { file "audit-fast.db"; durability fast; }')
)
[[ -n ${SQLWARDEN_ALT:-} ]] && GW_CONFS[alt]=$(bench_conf alt "" "${ALT_THREADS:-}")
for name in $GATEWAYS; do
  log="$GW_DIR/gateway-$name.log"
  binary=$SQLWARDEN; [[ $name == alt ]] && binary=$SQLWARDEN_ALT
  SQLWARDEN_UPSTREAM_PASSWORD="$GW_UPSTREAM_PASSWORD_VALUE" "$binary" proxy --config "${GW_CONFS[$name]}" >"$log" 2>&1 &
  GW_PIDS[$name]=$!
done
stop_gateways() {
  for pid in "${GW_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [[ -f ${PGB_DIR:-/nonexistent}/pgbouncer.pid ]]; then kill "$(cat "$PGB_DIR/pgbouncer.pid")" 2>/dev/null || true; fi
  rm -rf "${PGB_DIR:-}"
  gw_cleanup
}
trap stop_gateways EXIT
for name in $GATEWAYS; do
  for _ in $(seq 100); do grep -q "catalog loaded" "$GW_DIR/gateway-$name.log" && break; sleep 0.1; done
  grep -q "listening on" "$GW_DIR/gateway-$name.log" || { cat "$GW_DIR/gateway-$name.log" >&2; exit 1; }
done

# PgBouncer, session pooling, SCRAM on both sides with the gateway's role.
# It refuses to run as root: as "postgres" when we are root.
PGB_PORT=$(free_port)
PGB_DIR=$(mktemp -d /tmp/sqlwarden-pgbouncer.XXXXXX)
cat >"$PGB_DIR/pgbouncer.ini" <<EOF
[databases]
sqlwarden_demo = host=127.0.0.1 port=$PGPORT dbname=sqlwarden_demo
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $PGB_DIR/userlist.txt
pool_mode = session
max_client_conn = 200
default_pool_size = 64
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
ignore_startup_parameters = extra_float_digits
EOF
echo '"sqlwarden_gateway" "gateway-sandbox-password"' >"$PGB_DIR/userlist.txt"
if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$PGB_DIR"; runuser -u postgres -- pgbouncer -d -q "$PGB_DIR/pgbouncer.ini"
else pgbouncer -d -q "$PGB_DIR/pgbouncer.ini"; fi
for _ in $(seq 50); do [[ -s $PGB_DIR/pgbouncer.pid ]] && break; sleep 0.1; done
PGB_PID=$(cat "$PGB_DIR/pgbouncer.pid")

echo "pgbench -i -s $SCALE ..." >&2
pgbench -q -i -s "$SCALE" sqlwarden_demo >/dev/null 2>&1
psql -q -X -d sqlwarden_demo -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO sqlwarden_gateway" >/dev/null
# Each gateway learns pgbench's tables on first use (a catalog refresh, at
# most one a second); warm them up before measuring.
sleep 1.1
for name in $GATEWAYS; do
  PGPASSWORD=agent-password PGSSLMODE=disable psql -X -q -A -t -h 127.0.0.1 -p "${GW_PORTS[$name]}" -U bench \
    -d sqlwarden_demo -c "SELECT count(*) FROM pgbench_branches" >/dev/null ||
    { cat "$GW_DIR/gateway-$name.log" >&2; exit 1; }
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# bench TARGET WORKLOAD MODE CLIENTS [GATEWAY] -> "tps latency_ms transactions cpu_us_per_statement"
bench() {
  local target=$1 workload=$2 mode=$3 clients=$4 gw=${5:-off} pid="" user password port
  case $target in
    direct) port=$PGPORT user=sqlwarden_gateway password=gateway-sandbox-password ;;
    pgbouncer) port=$PGB_PORT user=sqlwarden_gateway password=gateway-sandbox-password pid=$PGB_PID ;;
    sqlwarden) port=${GW_PORTS[$gw]} password=agent-password pid=${GW_PIDS[$gw]}
      if [[ $workload == select-only ]]; then user=agent; else user=bench; fi ;;
  esac
  local threads=$clients; ((threads > 4)) && threads=4
  local before=0 after=0 out
  [[ -n $pid ]] && before=$(cpu_ticks "$pid")
  out=$(PGPASSWORD=$password PGSSLMODE=disable pgbench -n -b "$workload" -M "$mode" -c "$clients" -j "$threads" \
        -T "$SECS" -h 127.0.0.1 -p "$port" -U "$user" sqlwarden_demo 2>&1) || { echo "$out" >&2; return 1; }
  [[ -n $pid ]] && after=$(cpu_ticks "$pid")
  grep -q "number of failed transactions: 0 " <<<"$out" || { echo "$out" >&2; return 1; }
  local per_txn=1; [[ $workload == tpcb-like ]] && per_txn=7
  awk -v before="$before" -v after="$after" -v tck="$CLK_TCK" -v per="$per_txn" -v haspid="$pid" '
    /^tps = / { tps = $3 }
    /^latency average = / { lat = $4 }
    /^number of transactions actually processed: / { n = $6 }
    END {
      cpu = haspid == "" ? "-" : sprintf("%.1f", (after - before) * 1e6 / tck / (n * per))
      printf "%s %s %s %s\n", tps, lat, n, cpu
    }' <<<"$out"
}

# median "tps lat n cpu"... -> the run with the median tps (its latency and CPU with it)
median() { printf '%s\n' "$@" | sort -g -k1,1 | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "# sqlwarden gateway vs PostgreSQL vs PgBouncer: $(date -u +%FT%TZ), $(nproc) cores, ${SECS}s per run, scale $SCALE, median of $ROUNDS round(s) per row"
echo "# $(pgbouncer --version | head -1); $(postgres --version 2>/dev/null || "$pg_bindir/postgres" --version); sqlwarden: $SQLWARDEN"
echo
if [[ -z ${SKIP_MATRIX:-} ]]; then
  alt_head="" alt_rule=""
  if [[ -n ${SQLWARDEN_ALT:-} ]]; then
    alt_head=" alt tps | alt/PgBouncer | added lat alt µs | CPU/stmt alt µs |" alt_rule="---|---|---|---|"
  fi
  echo "| workload | mode | clients | direct tps | PgBouncer tps | sqlwarden tps | sqlwarden/direct | sqlwarden/PgBouncer | direct lat ms | added lat PgBouncer µs | added lat sqlwarden µs | CPU/stmt PgBouncer µs | CPU/stmt sqlwarden µs |$alt_head"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|$alt_rule"
  for workload in $WORKLOADS; do
    for mode in $MODES; do
      for clients in $CLIENT_COUNTS; do
        d=() b=() w=() a=()
        for _ in $(seq "$ROUNDS"); do
          d+=("$(bench direct "$workload" "$mode" "$clients")")
          b+=("$(bench pgbouncer "$workload" "$mode" "$clients")")
          w+=("$(bench sqlwarden "$workload" "$mode" "$clients")")
          [[ -n ${SQLWARDEN_ALT:-} ]] && a+=("$(bench sqlwarden "$workload" "$mode" "$clients" alt)")
        done
        read -r d_tps d_lat _ _ < <(median "${d[@]}")
        read -r b_tps b_lat _ b_cpu < <(median "${b[@]}")
        read -r s_tps s_lat _ s_cpu < <(median "${w[@]}")
        row=$(awk -v w="$workload" -v m="$mode" -v c="$clients" -v dt="$d_tps" -v bt="$b_tps" -v st="$s_tps" \
            -v dl="$d_lat" -v bl="$b_lat" -v sl="$s_lat" -v bc="$b_cpu" -v sc="$s_cpu" 'BEGIN {
          printf "| %s | %s | %d | %.0f | %.0f | %.0f | %.3f | %.3f | %.3f | %+.0f | %+.0f | %s | %s |",
                 w, m, c, dt, bt, st, st / dt, st / bt, dl, (bl - dl) * 1000, (sl - dl) * 1000, bc, sc }')
        if [[ -n ${SQLWARDEN_ALT:-} ]]; then
          read -r a_tps a_lat _ a_cpu < <(median "${a[@]}")
          row+=$(awk -v bt="$b_tps" -v at="$a_tps" -v dl="$d_lat" -v al="$a_lat" -v ac="$a_cpu" 'BEGIN {
            printf " %.0f | %.3f | %+.0f | %s |", at, at / bt, (al - dl) * 1000, ac }')
        fi
        echo "$row"
      done
    done
  done
  echo
fi

if [[ -z ${SKIP_RECORDING:-} ]]; then
  echo "Recording (select-only, -M simple, 8 clients, through sqlwarden; $RECORDING_REPEATS interleaved rounds):"
  echo
  echo "| round | off tps | strict tps | fast tps | strict/off | fast/off | CPU/stmt off µs | strict µs | fast µs |"
  echo "|---|---|---|---|---|---|---|---|---|"
  sum_off=0 sum_strict=0 sum_fast=0
  for round in $(seq "$RECORDING_REPEATS"); do
    read -r o_tps _ _ o_cpu < <(bench sqlwarden select-only simple 8 off)
    read -r s_tps _ _ s_cpu < <(bench sqlwarden select-only simple 8 strict)
    read -r f_tps _ _ f_cpu < <(bench sqlwarden select-only simple 8 fast)
    awk -v r="$round" -v o="$o_tps" -v s="$s_tps" -v f="$f_tps" -v oc="$o_cpu" -v sc="$s_cpu" -v fc="$f_cpu" 'BEGIN {
      printf "| %d | %.0f | %.0f | %.0f | %.3f | %.3f | %s | %s | %s |\n", r, o, s, f, s / o, f / o, oc, sc, fc }'
    sum_off=$(awk -v a="$sum_off" -v b="$o_tps" 'BEGIN { print a + b }')
    sum_strict=$(awk -v a="$sum_strict" -v b="$s_tps" 'BEGIN { print a + b }')
    sum_fast=$(awk -v a="$sum_fast" -v b="$f_tps" 'BEGIN { print a + b }')
  done
  awk -v o="$sum_off" -v s="$sum_strict" -v f="$sum_fast" 'BEGIN {
    printf "| all | %.0f | %.0f | %.0f | %.3f | %.3f | | | |\n", o, s, f, s / o, f / o }'
  echo
  for name in strict fast; do
    n=$(/usr/bin/python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM statements").fetchone()[0])' "$GW_DIR/audit-$name.db")
    echo "audit-$name.db: $n statement records"
  done
fi
