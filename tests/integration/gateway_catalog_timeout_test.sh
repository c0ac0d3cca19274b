#!/usr/bin/env bash
# The gateway's own catalog queries are bounded (upstream.catalog_timeout):
# against a database that logs the gateway in and then never answers a
# query, the refresh fails after the timeout with a clear log line, the
# server was asked for a statement_timeout first, and the gateway stays up
# and keeps accepting clients. No PostgreSQL needed: the upstream is a
# stand-in that speaks just enough of the protocol.
# usage: gateway_catalog_timeout_test.sh SQLWARDEN SOURCE_DIR
set -euo pipefail
SQLWARDEN=$(realpath "$1")
SRC=$(realpath "$2")
DIR=$(mktemp -d /tmp/sqlwarden-catalog-timeout.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$DIR"; }
trap cleanup EXIT
passed=0 failed=0
check() {  # check NAME COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

cat >"$DIR/silent_upstream.py" <<'PY'
import socket, struct, sys, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0)); srv.listen(8)
print(srv.getsockname()[1], flush=True)
log = open(sys.argv[1], "a")
def recv_exact(c, n):
    b = b""
    while len(b) < n:
        chunk = c.recv(n - len(b))
        if not chunk: raise EOFError
        b += chunk
    return b
def msg(t, body): return t + struct.pack("!I", len(body) + 4) + body
def serve(c):
    try:
        while True:
            n, code = struct.unpack("!II", recv_exact(c, 8))
            rest = recv_exact(c, n - 8)
            if code in (80877103, 80877104): c.sendall(b"N"); continue
            break
        c.sendall(msg(b"R", struct.pack("!I", 5) + b"salt"))           # md5, any password will do
        t = recv_exact(c, 1); n, = struct.unpack("!I", recv_exact(c, 4)); recv_exact(c, n - 4)
        out = msg(b"R", struct.pack("!I", 0))
        for k, v in ((b"server_version", b"15.0"), (b"client_encoding", b"UTF8"), (b"standard_conforming_strings", b"on")):
            out += msg(b"S", k + b"\0" + v + b"\0")
        out += msg(b"K", struct.pack("!II", 1234, 5678)) + msg(b"Z", b"I")
        c.sendall(out)
        while True:                                                     # read queries, answer none
            t = recv_exact(c, 1); n, = struct.unpack("!I", recv_exact(c, 4)); body = recv_exact(c, n - 4)
            if t == b"Q": log.write(body.rstrip(b"\0").decode() + "\n"); log.flush()
    except (EOFError, OSError):
        pass
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
/usr/bin/python3 "$DIR/silent_upstream.py" "$DIR/queries.log" >"$DIR/port" &
PIDS+=($!)
for _ in $(seq 50); do [[ -s $DIR/port ]] && break; sleep 0.1; done
UP_PORT=$(cat "$DIR/port")
GW_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cp -r "$SRC/examples/gateway" "$DIR/gateway"
cp -r "$SRC/examples/policies" "$DIR/policies"
sed -e "s/127.0.0.1:6432/127.0.0.1:$GW_PORT/" -e "s/port 5432;/port $UP_PORT;/" \
    -e "s/  tls prefer;/  tls disable;\n  catalog_timeout 1s;/" "$SRC/examples/gateway.conf" >"$DIR/gateway.conf"
grep -q "catalog_timeout 1s;" "$DIR/gateway.conf"
"$SQLWARDEN" lint "$DIR/gateway.conf" >/dev/null

start=$(date +%s.%N)
SQLWARDEN_UPSTREAM_PASSWORD=not-checked "$SQLWARDEN" proxy --config "$DIR/gateway.conf" >"$DIR/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
for _ in $(seq 100); do grep -q "catalog refresh failed" "$DIR/gateway.log" && break; sleep 0.1; done
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
cat "$DIR/gateway.log"
check "the refresh fails with the timeout named" grep -q "catalog refresh failed: introspection queries took longer than 1000 ms" "$DIR/gateway.log"
check "after about the timeout (${elapsed} s)" awk -v e="$elapsed" 'BEGIN { exit !(e >= 0.9 && e < 6) }'
check "the server was asked to stop the statements first" grep -qx "SET statement_timeout = 900" "$DIR/queries.log"
check "the gateway is still running" kill -0 "$GW_PID"
check "and still accepts clients" /usr/bin/python3 -c "
import socket, struct
s = socket.create_connection(('127.0.0.1', $GW_PORT), timeout=5)
s.sendall(struct.pack('!II', 8, 80877103))
assert s.recv(1) in (b'S', b'N')
"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
