#!/usr/bin/env bash
# End-to-end checks of `sqlwarden audit`, `sessions` and `approvals` on a
# file written by audit_cli_fixture (the store's own API): listings and their
# formats, verify (clean, tampered, with keys), prune, transcripts, approval
# decisions, usage errors. Registered with ctest as cli_audit_<case> by
# tests/CMakeLists.txt.
#
# usage: audit_cli_test.sh SQLWARDEN_BINARY AUDIT_CLI_FIXTURE CASE
set -uo pipefail

bin=$1
fixture=$2
case_name=$3

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

alice=$("$fixture" "$work") || { echo "FAIL ($case_name): fixture failed" >&2; exit 1; }
db=$work/audit.db

expect_line() {  # expect_line REGEX: some line of stdout matches
  grep -Eq "$1" "$work/out" || fail "no line matching: $1"
}

case $case_name in
  list)
    run 0 audit "$db"
    [[ $(wc -l <"$work/out") -eq 6 ]] || fail "expected a header and 5 statements"
    expect_line '^ID +TIME +USER +DECISION +RESULT +SQL$'
    expect_line '^2 +2024-05-01 12:00:02 +alice +deny +SELECT \* FROM secrets  -- table public.secrets is denied$'
    expect_line '^4 .* allow +ERROR 22012 +SELECT 1/0$'
    if grep -q $'\x1b' "$work/out"; then fail "colour when not on a terminal"; fi
    ;;
  filters)
    run 0 audit "$db" --user bob
    [[ $(wc -l <"$work/out") -eq 2 ]] || fail "--user bob: expected 1 statement"
    run 0 audit "$db" --decision deny --format csv
    [[ $(wc -l <"$work/out") -eq 2 ]] || fail "--decision deny: expected 1 statement"
    run 0 audit "$db" --since 2024-05-01T12:00:02 --until 2024-05-01T12:00:04
    [[ $(wc -l <"$work/out") -eq 3 ]] || fail "--since/--until: expected 2 statements"
    run 0 audit "$db" --table SECRETS
    expect_line 'SELECT \* FROM secrets'
    [[ $(wc -l <"$work/out") -eq 2 ]] || fail "--table: expected 1 statement"
    run 0 audit "$db" --limit 2
    expect_line '^5 '
    [[ $(wc -l <"$work/out") -eq 3 ]] || fail "--limit 2: expected 2 statements"
    run 2 audit "$db" --since yesterday
    grep -q "expected a date" "$work/err" || fail "no explanation for a bad --since"
    run 2 audit "$db" --decision maybe
    ;;
  json)
    run 0 audit "$db" --format json
    python3 - "$work/out" <<'PY' || fail "JSON lines have the wrong shape"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 5, len(rows)
assert rows[0]["user"] == "alice" and rows[0]["decision"] == "allow", rows[0]
assert rows[0]["forwarded"].startswith("SELECT id, mask_email(email)"), rows[0]
assert rows[0]["rules"] == ["analysts (policies/analysts.rules:4)"], rows[0]
assert rows[1]["duration_us"] is None and rows[1]["reason"] == "table public.secrets is denied"
assert rows[3]["error_sqlstate"] == "22012"
PY
    run 0 sessions "$db" --format json
    python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert [s["user"] for s in r]==["alice","bob"]; assert r[1]["end_reason"]=="client closed the connection"' \
      "$work/out" || fail "sessions JSON"
    ;;
  csv)
    run 0 audit "$db" --format csv
    head -1 "$work/out" | grep -q '^id,session,seq,time,user,decision,sql,forwarded,' || fail "CSV header"
    python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); assert len(r)==6 and r[5][12]=="1", r' \
      "$work/out" || fail "CSV does not parse back"
    ;;
  verify)
    run 0 audit verify "$db"
    expect_line ': OK: 13 records \(chain positions 1-13\), 1 checkpoint, signatures not checked'
    run 0 audit verify "$db" --key "$work/pub.pem"
    expect_line '1 signature verified$'
    openssl genpkey -algorithm ed25519 -out "$work/other.pem" 2>/dev/null
    openssl pkey -in "$work/other.pem" -pubout -out "$work/other.pub" 2>/dev/null
    run 1 audit verify "$db" --key "$work/other.pub"
    expect_line 'bad-signature: checkpoint 1: was signed by a different key'
    run 2 audit verify "$db" --key "$work/missing.pem"
    run 2 audit verify "$work/missing.db"
    grep -q "cannot open audit file" "$work/err" || fail "no reason for a missing file"
    ;;
  tampered)
    sqlite3 "$db" "UPDATE statements SET sql_received = 'SELECT 1' WHERE id = 2" ||
      fail "sqlite3 failed"
    run 1 audit verify "$db"
    expect_line 'FAILED: 1 problem, the first at chain position 4 '
    expect_line '^  position 4: edited: statement 2 \(session [0-9a-f]+ seq 2\): its content does not match its hash'
    sqlite3 "$db" "DELETE FROM statements WHERE id = 3"
    run 1 audit verify "$db"
    expect_line 'position 5: missing'
    ;;
  prune)
    run 0 audit prune "$db" --before 2024-05-01T12:00:03 --key "$work/key.pem"
    expect_line 'removed 3 records; records up to chain position 4 are pruned; checkpoint 2 written \(signed\)'
    run 0 audit verify "$db" --key "$work/pub.pem"
    expect_line 'OK: 9 records \(chain positions 5-13\), pruned up to 4, 2 checkpoints, 2 signatures verified'
    run 0 audit "$db"
    [[ $(wc -l <"$work/out") -eq 4 ]] || fail "expected 3 statements left"
    run 2 audit prune "$db" --before later
    run 2 audit prune "$db"
    ;;
  sessions)
    run 0 sessions "$db"
    expect_line '^ID +USER +DATABASE +APPLICATION +CLIENT +STARTED +ENDED +STATEMENTS +END REASON$'
    expect_line "^$alice +alice +shop +psql +10.0.0.7:51234 +2024-05-01 12:00:00 +4$"
    expect_line 'bob .* 1 +client closed the connection$'
    ;;
  show)
    run 0 sessions show "$db" "${alice:0:6}"
    expect_line "^-- session $alice: alice@shop \(psql, 10.0.0.7:51234, TLSv1.3, scram-sha-256\)$"
    expect_line '^alice=> SELECT id, email FROM users ORDER BY id$'
    expect_line '^-- forwarded as: SELECT id, mask_email\(email\) AS email FROM users ORDER BY id$'
    expect_line '^ id \| +email +$'
    expect_line '^----\+-+$'
    expect_line '^ 1  \| a\*\*\*@example.com$'
    expect_line '^\(2 rows\)$'
    expect_line '^ERROR:  denied by sqlwarden: table public.secrets is denied$'
    expect_line '^NOTICE:  sent for approval: delete without where$'
    expect_line '^ERROR:  division by zero \(SQLSTATE 22012\)$'
    run 1 sessions show "$db" nosuchsession
    grep -q "no session nosuchsession" "$work/err" || fail "no reason for an unknown session"
    ;;
  approvals)
    run 0 approvals "$db" list --pending
    expect_line '^1 +pending +alice .* DELETE FROM orders$'
    expect_line '^2 +pending +bob .* TRUNCATE audit_log$'
    run 1 approvals "$db" approve 1 --as alice
    grep -q "alice cannot decide their own approval request 1" "$work/err" || fail "self-approval"
    run 0 approvals "$db" approve 1 --as carol --reason "ticket OPS-7"
    expect_line '^approval request 1 approved by carol: alice may run it once until '
    run 1 approvals "$db" deny 1 --as dave
    grep -q "already approved" "$work/err" || fail "second decision"
    run 0 approvals "$db" deny 2 --as carol
    run 0 approvals "$db" list --pending
    [[ $(wc -l <"$work/out") -eq 1 ]] || fail "nothing should be pending"
    run 0 approvals "$db" list --format json
    grep -q '"id":1,"state":"approved","identity":"alice"' "$work/out" || fail "JSON list"
    run 1 approvals "$db" approve 99 --as carol
    run 0 audit verify "$db"
    ;;
  follow)
    "$bin" audit "$db" --follow --format json >"$work/out" 2>"$work/err" &
    pid=$!
    sleep 1
    # A new statement recorded by someone else appears without restarting.
    sqlite3 "$db" "INSERT INTO statements (session_id, seq, at, sql_received, fingerprint, decision,
      rules, reason, sql_forwarded, tables, chain_pos, prev_hash, hash)
      VALUES ('$alice', 9, 0, 'SELECT 42', '', 'allow', '[]', '', '', '[]', 99, x'00', x'00')"
    sleep 1.5
    kill -TERM $pid
    wait $pid || fail "--follow did not stop cleanly on SIGTERM"
    [[ $(wc -l <"$work/out") -eq 6 ]] || fail "expected 5 statements, then the new one"
    tail -1 "$work/out" | grep -q '"sql":"SELECT 42"' || fail "the new statement is missing"
    ;;
  usage)
    run 2 audit
    grep -q "the audit file is required" "$work/err" || fail "no reason for a missing DB"
    run 2 sessions
    run 2 approvals "$db"
    run 2 approvals "$db" approve
    run 2 audit "$work/missing.db"
    run 0 audit --help
    grep -q -- "--follow" "$work/out" || fail "--help does not list --follow"
    ;;
  *)
    fail "unknown case"
    ;;
esac
exit 0
