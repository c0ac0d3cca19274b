#!/usr/bin/env python3
"""Runs the attack and benign corpora end to end against a real PostgreSQL.

For every case: `sqlwarden rewrite` decides the message for the case's
identity. When every statement is allowed, the forwarded SQL runs as the
gateway's non-superuser role (sqlwarden_gateway) with psycopg2, and
everything that comes back -- rows, COPY output, notices, error messages --
is scanned for raw masked values and other tenants' data; afterwards the
tables are checked for side effects (other tenants' rows changed, raw values
copied into other tables). When any statement is denied, nothing runs and
the database is checked to be unchanged.

Attack cases pass when nothing leaks (denied or allowed). Benign cases pass
when they are allowed, run without error, leak nothing and meet their
`#=> value` expectation. Ends with `N passed, N failed`.

usage: run_corpus.py SQLWARDEN_BINARY SOURCE_DIR CORPUS_FILE...
Environment: PGHOST, PGPORT, PGUSER (a superuser) as set by tests/integration/pg.sh.
"""
import io
import json
import os
import re
import subprocess
import sys

import psycopg2
import psycopg2.extensions

TENANT = "7"
DB = "sqlwarden_test"
ROW_CAP = 1000

# What must never reach a client of tenant 7 under masks.
RAW_PATTERNS = [
    ("other tenant's data", re.compile(r"OTHERTENANT")),
    ("raw e-mail", re.compile(r"canary")),
    ("raw SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("raw card number", re.compile(r"\b4000000000\d{6}\b")),
]
# Only the writer identity's policy masks birth dates (with `year`).
BIRTH_DATES = re.compile(r"\b(1980-03-14|1991-07-02|1985-05-05|1975-01-30|1969-12-01|2000-02-29|1970-06-06)\b")
CURRENT_IDENTITY = "agent"


def leaks(text):
    found = [name for name, rx in RAW_PATTERNS if rx.search(text)]
    if CURRENT_IDENTITY == "writer" and BIRTH_DATES.search(text):
        found.append("raw birth date")
    return found


def parse_corpus(path):
    cases = []
    category = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("category "):
                category = line[len("category "):].strip()
                continue
            identity = "agent"
            if line.startswith("[writer] "):
                identity = "writer"
                line = line[len("[writer] "):]
            expect = None
            if " #=> " in line:
                line, expect = line.split(" #=> ", 1)
            cases.append({"file": os.path.basename(path), "line": number, "category": category,
                          "identity": identity, "sql": line.strip(), "expect": expect})
    return cases


def decide(binary, source, case):
    rules = {
        "agent": (os.path.join(source, "examples/policies/ai-agents.rules"), "ai-agents"),
        "writer": (os.path.join(source, "tests/attack/writer.rules"), "writers"),
    }[case["identity"]]
    cmd = [binary, "rewrite", "--format", "json", "--rules", rules[0], "--schema",
           os.path.join(source, "examples/schema.sql"), "--user", "agent-1", "--group", rules[1],
           "--claim", "tenant_id=" + TENANT, case["sql"]]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError("sqlwarden rewrite failed: " + out.stderr)
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


def connect(dbname, role):
    conn = psycopg2.connect(dbname=dbname, user=role)
    return conn


def snapshot(conn):
    """Other tenants' rows, and every value that could carry a copied secret."""
    cur = conn.cursor()
    state = {}
    for table in ("public.users", "public.orders", "staging.imports"):
        cur.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t "
                    f"WHERE tenant_id IS DISTINCT FROM {TENANT}")
        state[table] = cur.fetchone()[0]
    cur.execute("SELECT count(*) FROM public.users WHERE tenant_id IS DISTINCT FROM %s", (TENANT,))
    state["other users"] = cur.fetchone()[0]
    return state


def copied_secrets(conn):
    """Raw values written into tables of tenant 7 (copied through a write)."""
    cur = conn.cursor()
    cur.execute("SELECT coalesce(string_agg(coalesce(note, ''), '|'), '') FROM public.orders WHERE tenant_id = %s",
                (TENANT,))
    text = cur.fetchone()[0]
    cur.execute("SELECT coalesce(string_agg(coalesce(payload, ''), '|'), '') FROM staging.imports")
    text += cur.fetchone()[0]
    cur.execute("SELECT coalesce(string_agg(coalesce(name, ''), '|'), '') FROM public.users WHERE tenant_id = %s",
                (TENANT,))
    text += cur.fetchone()[0]
    return leaks(text)


def cell(v):
    if isinstance(v, bool):
        return "t" if v else "f"
    return str(v)


def execute(admin, decisions, case):
    """Runs the forwarded statements; returns (findings, error text, last first cell, max rows)."""
    kinds = {d["kind"] for d in decisions}
    read_only = kinds <= {"SELECT", "EXPLAIN", "SHOW", "SET", "RESET"}
    dbname = DB
    if not read_only:
        # Writes and transaction control run in a throwaway copy of the database.
        dbname = "case_%d" % case["line"]
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {dbname}")
        admin.cursor().execute(f"CREATE DATABASE {dbname} TEMPLATE {DB}")
    conn = connect(dbname, "sqlwarden_gateway")
    conn.autocommit = not read_only
    findings = []
    error = None
    first = None
    max_rows = 0
    try:
        cur = conn.cursor()
        for d in decisions:
            try:
                if d["kind"] == "COPY" and "TO STDOUT" in d["sql"].upper():
                    buf = io.StringIO()
                    cur.copy_expert(d["sql"], buf)
                    text = buf.getvalue()
                    findings += ["COPY output: " + l for l in leaks(text)]
                    max_rows = max(max_rows, text.count("\n"))
                    continue
                cur.execute(d["sql"])
                if cur.description is not None:
                    rows = cur.fetchall()
                    max_rows = max(max_rows, len(rows))
                    text = "\n".join("|".join(cell(v) for v in r) for r in rows)
                    findings += ["rows: " + l for l in leaks(text)]
                    if rows:
                        first = cell(rows[0][0])
                    else:
                        first = None
                findings += ["status: " + l for l in leaks(cur.statusmessage or "")]
            except psycopg2.Error as e:
                diag = e.diag
                text = " ".join(x or "" for x in (diag.message_primary, diag.message_detail, diag.message_hint,
                                                     diag.context))
                findings += ["error: " + l for l in leaks(text)]
                error = diag.message_primary
                break
        for n in conn.notices:
            # A notice is "SEVERITY:  message\n"; the statement text is not in it.
            findings += ["notice: " + l for l in leaks(n)]
        if error is None or not read_only:
            if conn.status == psycopg2.extensions.STATUS_IN_TRANSACTION and not conn.autocommit:
                pass
            try:
                lens = conn if error is None else connect(dbname, "sqlwarden_gateway")
                if lens.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INERROR:
                    lens.rollback()
                findings += ["copied into a table: " + l for l in copied_secrets(lens)]
                after = snapshot(lens)
                if after != BASELINE:
                    findings.append("other tenants' rows changed: " +
                                    ", ".join(k for k in after if after[k] != BASELINE[k]))
                if lens is not conn:
                    lens.close()
            except psycopg2.Error as e:
                findings.append("side-effect check failed: " + str(e).strip())
    finally:
        if not conn.closed:
            if not conn.autocommit:
                conn.rollback()
            conn.close()
        if dbname != DB:
            admin.cursor().execute(f"DROP DATABASE IF EXISTS {dbname}")
    return findings, error, first, max_rows


BASELINE = None


def main():
    global BASELINE
    binary, source = sys.argv[1], sys.argv[2]
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {DB}")
    admin.cursor().execute(f"CREATE DATABASE {DB}")
    setup = psycopg2.connect(dbname=DB)
    setup.autocommit = True
    for f in ("examples/schema.sql", "examples/seed.sql"):
        with open(os.path.join(source, f), encoding="utf-8") as fh:
            setup.cursor().execute(fh.read())
    setup.close()
    lens = connect(DB, "sqlwarden_gateway")
    BASELINE = snapshot(lens)
    lens.close()

    passed = failed = 0
    false_denials = []
    per_category = {}
    for path in sys.argv[3:]:
        benign = os.path.basename(path).startswith("benign")
        for case in parse_corpus(path):
            global CURRENT_IDENTITY
            CURRENT_IDENTITY = case["identity"]
            where = "%s:%d [%s]" % (case["file"], case["line"], case["category"])
            problems = []
            decisions = decide(binary, source, case)
            allowed = bool(decisions) and all(d["decision"] == "allow" for d in decisions)
            if allowed:
                findings, error, first, max_rows = execute(admin, decisions, case)
                problems += ["LEAK " + f for f in findings]
                if benign and error is not None:
                    problems.append("error: " + error)
                if case["expect"] is not None and error is None and first != case["expect"]:
                    problems.append("expected %r, got %r" % (case["expect"], first))
                if case["identity"] == "agent" and max_rows > ROW_CAP:
                    problems.append("returned %d rows, over the cap of %d" % (max_rows, ROW_CAP))
                outcome = "allowed" + (" (error: %s)" % error if error else "")
            else:
                lens = connect(DB, "sqlwarden_gateway")
                if snapshot(lens) != BASELINE:
                    problems.append("database changed although the statement was denied")
                lens.close()
                reason = next((d["reason"] for d in decisions if d["decision"] != "allow"), "no statement")
                outcome = "denied: %s" % reason
                if benign:
                    false_denials.append("%s %s -> %s" % (where, case["sql"], reason))
                    problems.append("false denial: " + str(reason))
            key = ("benign " if benign else "attack ") + case["category"]
            cat = per_category.setdefault(key, [0, 0, 0])
            cat[0] += 1
            cat[1 if allowed else 2] += 1
            if problems:
                failed += 1
                print("FAIL %s %s\n  %s\n  %s" % (where, case["sql"], outcome, "\n  ".join(problems)))
            else:
                passed += 1
                if os.environ.get("VERBOSE"):
                    print("ok   %s %s -> %s" % (where, case["sql"], outcome))
    print("\n%-45s %5s %7s %6s" % ("category", "cases", "allowed", "denied"))
    for key, (n, a, d) in per_category.items():
        print("%-45s %5d %7d %6d" % (key, n, a, d))
    if false_denials:
        print("\nfalse denials:\n  " + "\n  ".join(false_denials))
    print("\n%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
