#!/usr/bin/env bash
# Token logins against keys fetched from an issuer's JWKS URL over HTTPS
# (identity_provider { jwks_url ...; jwks_ca ...; }): the gateway fetches the
# keys before its first login and checks the server's certificate; a token
# whose kid it does not know makes it fetch again (key rotation), at most
# once per 30 s; an issuer whose certificate it cannot verify gets no keys,
# and its tokens are refused. A real HTTPS server (python3 http.server over
# ssl) serves the JWKS; the logins go through the real gateway with psql.
# usage: gateway_jwks_url_test.sh SQLWARDEN SOURCE_DIR
set -euo pipefail
export SQLWARDEN=$(realpath "$1") SRC=$(realpath "$2")
WEB=$(mktemp -d /tmp/sqlwarden-jwks.XXXXXX)
WEB_PID=
stop_web() { [[ -n $WEB_PID ]] && kill "$WEB_PID" 2>/dev/null || true; rm -rf "$WEB"; }

# The issuer's web server: a certificate for 127.0.0.1 from its own CA.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=test issuer CA" \
  -keyout "$WEB/ca.key" -out "$WEB/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$WEB/server.key" -out "$WEB/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$WEB/san.ext"
openssl x509 -req -in "$WEB/server.csr" -CA "$WEB/ca.pem" -CAkey "$WEB/ca.key" -CAcreateserial -days 2 \
  -extfile "$WEB/san.ext" -out "$WEB/server.pem" 2>/dev/null
mkdir "$WEB/root"
# At first the issuer publishes only its RS256 key.
/usr/bin/python3 - "$SRC/examples/gateway/jwks.json" "$WEB/root/jwks.json" <<'PY'
import json, sys
keys = json.load(open(sys.argv[1]))["keys"]
json.dump({"keys": [k for k in keys if k.get("kid") == "dev-rs256"]}, open(sys.argv[2], "w"))
PY
cat >"$WEB/serve.py" <<'PY'
import http.server, ssl, sys, functools
root, cert, key, log = sys.argv[1:5]
class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(log, "a") as f: f.write(self.requestline + "\n")
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
PY
/usr/bin/python3 "$WEB/serve.py" "$WEB/root" "$WEB/server.pem" "$WEB/server.key" "$WEB/requests.log" >"$WEB/port" 2>"$WEB/serve.err" &
WEB_PID=$!
for _ in $(seq 50); do [[ -s $WEB/port ]] && break; sleep 0.1; done
WEB_PORT=$(cat "$WEB/port")
URL="https://127.0.0.1:$WEB_PORT/jwks.json"

export GW_EXTRA_CONF="
identity_provider \"remote\" {
  issuer \"https://idp2.sqlwarden.invalid\";
  audience \"sqlwarden\";
  jwks_url \"$URL\";
  jwks_ca \"$WEB/ca.pem\";
  user_claim \"preferred_username\";
}
identity_provider \"untrusted\" {
  issuer \"https://idp3.sqlwarden.invalid\";
  audience \"sqlwarden\";
  jwks_url \"$URL\";   # no jwks_ca: the system's store does not know this CA
  user_claim \"preferred_username\";
}"
source "$SRC/tests/integration/gateway_lib.sh"
trap 'gw_cleanup; stop_web' EXIT
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fetches() { grep -c "GET /jwks.json" "$WEB/requests.log" 2>/dev/null || true; }
login() {  # login ISSUER-NUMBER TOKEN-ARGS... -> psql output
  local issuer=$1; shift
  local t
  t=$(mint --user claude --group ai-agents --claim tenant_id=7 --issuer "https://idp$issuer.sqlwarden.invalid" "$@")
  gw_psql claude "$t" -A -t -c "SELECT current_user" 2>&1 || true
}

"$SQLWARDEN" lint "$GW_CONF" >/dev/null || fail "the config with jwks_url does not lint"
expect_contains "keys fetched before the first login" "$(cat "$GW_LOG")" "identity_provider \"remote\": 1 keys from $URL"
expect_contains "an unverifiable certificate gets no keys" "$(cat "$GW_LOG")" "identity_provider \"untrusted\": cannot fetch its JWKS"
expect_contains "... and says why" "$(grep untrusted "$GW_LOG")" "certificate verify failed"
ok "keys fetched over HTTPS at start; the server's certificate is checked"

out=$(login 2 --alg RS256)
expect_contains "RS256 token against the fetched key" "$out" "claude"
ok "a token signed with a published key logs in"

# A kid the issuer does not publish (yet): refused. The keys were fetched
# less than 30 s ago, so the gateway does not fetch again.
before=$(fetches)
out=$(login 2 --alg ES256)
expect_contains "a kid the issuer does not publish" "$out" 'password authentication failed for user "claude"'
[[ $(fetches) -eq $before ]] || fail "an unknown kid within 30 s of a fetch must not fetch again"
ok "an unknown kid is refused; unknown kids cannot make the gateway hammer the issuer (one fetch per 30 s)"

# The issuer rotates: it now publishes the ES256 key too. Once 30 s have
# passed, a token with the new kid makes the gateway fetch again, and logs in.
cp "$SRC/examples/gateway/jwks.json" "$WEB/root/jwks.json"
sleep 30
before=$(fetches)
out=$(login 2 --alg ES256)
expect_contains "ES256 token after the rotation" "$out" "claude"
[[ $(fetches) -eq $((before + 1)) ]] || fail "the new kid should fetch the JWKS once (before $before, now $(fetches))"
expect_contains "rotation logged" "$(cat "$GW_LOG")" "identity_provider \"remote\": 2 keys from $URL"
ok "after the issuer rotated its keys, a token with the new kid fetches them once and logs in"

# A forged kid right after: refused, no fetch.
before=$(fetches)
out=$(login 2 --alg ES256 --kid forged-kid)
expect_contains "forged kid" "$out" 'password authentication failed for user "claude"'
[[ $(fetches) -eq $before ]] || fail "a forged kid right after a fetch must not fetch again"
ok "a forged kid right after is refused without another fetch"

out=$(login 3 --alg RS256)
expect_contains "untrusted issuer" "$out" 'password authentication failed for user "claude"'
ok "tokens of an issuer whose keys could not be fetched are refused"

# The issuer goes away: the gateway keeps the keys it has.
kill "$WEB_PID"; wait "$WEB_PID" 2>/dev/null || true; WEB_PID=
out=$(login 2 --alg RS256)
expect_contains "keys kept while the issuer is down" "$out" "claude"
ok "while the issuer is unreachable, the keys fetched before keep working"
echo "$passed passed, 0 failed"
