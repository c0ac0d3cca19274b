#!/usr/bin/python3
"""Every statement PostgreSQL received from the gateway's clients has its
audit record (tests/integration/audit_crash_test.sh).

Usage: audit_crash_check.py AUDIT_DB PG_CSV_LOG...

PostgreSQL's CSV log (log_statement=all) names each statement with the
session's user and application_name. Statements of the gateway's role whose
application_name starts with "crash-" are the clients' (the gateway relays
the client's application_name; its own catalog queries say "sqlwarden
catalog"). They are matched, per application_name, against the audit
store's allowed statements by the exact SQL forwarded (trailing blanks and
semicolons aside):

- "statement: SQL" (Simple Query) and "execute <unnamed>: SQL" (an unnamed
  Parse per execution) need one record each: the log's count of a text
  must not exceed the audit's;
- "execute NAME: SQL" (a named prepared statement, parsed once, executed
  many times) needs at least one record.
"""
import collections
import csv
import re
import sqlite3
import sys

# PostgreSQL 13+ csvlog columns.
USER, MESSAGE, SEVERITY, APP = 1, 13, 11, 22
GATEWAY_ROLE = "sqlwarden_gateway"
DENIAL_STAND_IN = "DO $sqlwarden$"
LOGGED = re.compile(r"^(statement|execute ([^:]*)): (.*)$", re.S)


def norm(sql):
    return sql.strip().rstrip(";").rstrip()


def read_log(paths):
    per_text = collections.Counter()  # (app, sql) -> Simple Query / unnamed executions
    named = set()                     # (app, sql) executed as a named prepared statement
    other_apps = collections.Counter()
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) <= APP or row[USER] != GATEWAY_ROLE or row[SEVERITY] != "LOG":
                    continue
                m = LOGGED.match(row[MESSAGE])
                if not m:
                    continue
                app = row[APP]
                if not app.startswith("crash-"):
                    other_apps[app] += 1
                    continue
                sql = norm(m.group(3))
                if sql.startswith(DENIAL_STAND_IN):
                    continue  # the gateway's stand-in for a denial: nothing of the client's ran
                name = m.group(2)
                if name is not None and name != "<unnamed>" and not name.startswith("<unnamed>/"):
                    named.add((app, sql))
                else:
                    per_text[(app, sql)] += 1
    return per_text, named, other_apps


def read_audit(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    recorded = collections.Counter()
    rows = db.execute(
        "SELECT s.application_name, st.sql_forwarded FROM statements st "
        "JOIN sessions s ON s.id = st.session_id WHERE st.decision = 'allow'")
    for app, forwarded in rows:
        recorded[(app, norm(forwarded))] += 1
    return recorded


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    recorded = read_audit(sys.argv[1])
    per_text, named, other_apps = read_log(sys.argv[2:])
    missing = []
    for key in set(per_text) | named:
        need = per_text[key] + (1 if key in named else 0)
        if recorded[key] < need:
            missing.append((key, need, recorded[key]))
    logged = sum(per_text.values()) + len(named)
    apps = collections.Counter()
    for (app, _), n in per_text.items():
        apps[app] += n
    print(f"PostgreSQL log: {logged} client statements checked "
          f"({', '.join(f'{a}: {n}' for a, n in sorted(apps.items()))}; {len(named)} named prepared texts); "
          f"gateway's own: {dict(other_apps)}")
    print(f"audit store: {sum(recorded.values())} allowed statement records")
    if logged < 100:
        print("too few statements reached PostgreSQL for the test to mean anything", file=sys.stderr)
        return 1
    for (app, sql), need, have in sorted(missing)[:20]:
        print(f"MISSING [{app}] logged {need}x, recorded {have}x: {sql[:200]}", file=sys.stderr)
    if missing:
        print(f"{len(missing)} statement texts ran without their audit record", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
