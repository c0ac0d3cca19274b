"""Statements that need approval, through the real gateway.

  gateway_approvals.py hold    (gateway with: approvals hold; approval_timeout 6s)
  gateway_approvals.py reject  (gateway with: approvals reject)

In hold mode the client waits: a NOTICE names the request and the exact
command that approves it; the test runs that command (as another identity)
and the statement runs once; a denial, a timeout and a CancelRequest each end
the wait with a clear ERROR and the session goes on. Meanwhile another
session keeps working. In reject mode the statement is refused at once
naming the request, and runs once approved.

Environment: GW_PORT, SQLWARDEN (the binary).
"""
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateway_wire import Conn, cancel_request, error_fields, query, summarize  # noqa: E402

PORT = int(os.environ["GW_PORT"])
SQLWARDEN = os.environ["SQLWARDEN"]
UPDATE = "UPDATE staging.imports SET payload = '%s'"  # no WHERE: ai-agents needs approval for it
REJECT_UPDATE = "UPDATE staging.imports SET payload = upper('%s')"
n = 0


def ok(text):
    global n
    n += 1
    print("ok %d - %s" % (n, text), flush=True)


def login(user="agent"):
    c = Conn(PORT, timeout=30)
    c.login(user, user + "-password")
    return c


def psql(sql):
    return subprocess.run(["psql", "-X", "-A", "-t", "-d", "sqlwarden_demo", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def approvals(command_line):
    """Runs an approvals command as printed by the gateway, as approver alice."""
    args = command_line.split()
    assert args[0] == "sqlwarden" and args[1] == "approvals", command_line
    r = subprocess.run([SQLWARDEN] + args[1:] + ["--as", "alice", "--reason", "checked by alice"],
                       capture_output=True, text=True)
    assert r.returncode == 0, (command_line, r.stdout, r.stderr)


def held_notice(c):
    """Reads the NOTICE of a held statement: (request id, approve command)."""
    t, p = c.read(10)
    assert t == b"N", "expected a NOTICE first, got %r %r" % (t, p[:80])
    f = error_fields(p)
    m = re.search(r"request (\d+); an approver runs `([^`]+)`", f["M"])
    assert m, f
    assert m.group(2).endswith("approve " + m.group(1)), f["M"]
    return m.group(1), m.group(2)


class Busy:
    """Another session querying in a loop while one is held."""

    def __init__(self):
        self.c = login("dba")
        self.count = 0
        self.error = None
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                rows, errors, _ = self.c.simple("SELECT count(*) FROM staging.imports")
                assert not errors and rows, errors
                self.count += 1
            except Exception as e:  # noqa: BLE001
                self.error = repr(e)
                return
            time.sleep(0.1)

    def finish(self):
        self.stop = True
        self.t.join()
        assert self.error is None, self.error
        return self.count


def hold():
    # Rows for the UPDATEs to change (the seed has none in staging.imports).
    psql("INSERT INTO staging.imports VALUES (8001, 7, 'seed'), (8002, 7, 'seed')")
    c = login()
    busy = Busy()

    # Approved: the held statement runs once the approver says yes.
    c.send(query(UPDATE % "approved while held"))
    rid, command = held_notice(c)
    time.sleep(1.0)  # really waiting
    approvals(command)
    rows, errors, _ = summarize(c.until_ready(15))
    assert not errors, errors
    assert psql("SELECT count(*) FROM staging.imports WHERE payload = 'approved while held'") == "2"
    ok("held UPDATE: NOTICE names request %s and `%s`; runs once approved" % (rid, command))
    assert busy.finish() > 5
    ok("another session kept working while one was held")

    # Used once: the same statement again needs a new approval.
    c.send(query(UPDATE % "second time"))
    rid2, command2 = held_notice(c)
    assert rid2 != rid
    approvals(command2.replace(" approve ", " deny "))
    _, errors, _ = summarize(c.until_ready(15))
    assert [e["C"] for e in errors] == ["42501"] and "denied by alice" in errors[0]["M"], errors
    assert psql("SELECT count(*) FROM staging.imports WHERE payload = 'second time'") == "0"
    rows, errors, _ = c.simple("SELECT 1")
    assert rows == [["1"]] and not errors
    ok("an approval is used once; a denied request ends the wait with 42501 and the session goes on")

    # Nobody decides: a clear error after approval_timeout (6 s).
    t0 = time.monotonic()
    c.send(query(UPDATE % "never decided"))
    held_notice(c)
    _, errors, _ = summarize(c.until_ready(20))
    waited = time.monotonic() - t0
    assert [e["C"] for e in errors] == ["57014"], errors
    assert "not decided within 6s" in errors[0]["M"] or "expired" in errors[0]["M"], errors
    assert 5.5 < waited < 10, waited
    ok("an undecided request times out after approval_timeout with 57014 (%.1f s)" % waited)

    # CancelRequest while held (what psql sends on Ctrl-C).
    pid, key = int.from_bytes(c.key[:4], "big"), c.key[4:]
    c.send(query(UPDATE % "cancelled"))
    held_notice(c)
    x = Conn(PORT)
    x.send(cancel_request(pid, key))
    x.is_closed()
    _, errors, _ = summarize(c.until_ready(10))
    assert [e["C"] for e in errors] == ["57014"] and "user request" in errors[0]["M"], errors
    rows, errors, _ = c.simple("SELECT 2")
    assert rows == [["2"]] and not errors
    ok("a CancelRequest ends the wait with 57014 and the session goes on")

    # Inside a transaction block: approved, then committed.
    for sql in ("BEGIN",):
        c.simple(sql)
    c.send(query(UPDATE % "in a transaction"))
    _, command = held_notice(c)
    approvals(command)
    _, errors, _ = summarize(c.until_ready(15))
    assert not errors, errors
    _, errors, _ = c.simple("COMMIT")
    assert not errors
    assert psql("SELECT count(*) FROM staging.imports WHERE payload = 'in a transaction'") == "2"
    ok("a statement held inside BEGIN runs once approved and commits")
    c.close()

    # The client hangs up while held: approving later runs nothing.
    gone = login()
    gone.send(query(UPDATE % "nobody waits"))
    _, command = held_notice(gone)
    gone.close()
    time.sleep(1.5)
    approvals(command)
    time.sleep(1.0)
    assert psql("SELECT count(*) FROM staging.imports WHERE payload = 'nobody waits'") == "0"
    ok("a client that hangs up while held is let go; approving afterwards runs nothing")
    # (The approval stays usable by the same identity until it expires, as
    # in reject mode: an approval is for identity and statement, not session.)


def reject():
    # Another statement shape than hold()'s: its last request, approved after
    # the client left, is still usable by agent for that shape.
    c = login()
    rows, errors, _ = c.simple(REJECT_UPDATE % "rejected first")
    assert [e["C"] for e in errors] == ["42501"], errors
    m = re.search(r"request (\d+).*`(sqlwarden approvals \S+ approve \1)`", errors[0]["M"])
    assert m, errors[0]["M"]
    assert psql("SELECT count(*) FROM staging.imports WHERE payload = 'REJECTED FIRST'") == "0"
    ok("reject mode: refused at once with 42501 naming request %s and `%s`" % (m.group(1), m.group(2)))
    approvals(m.group(2))
    rows, errors, _ = c.simple(REJECT_UPDATE % "rejected first")
    assert not errors, errors
    assert psql("SELECT count(*) FROM staging.imports WHERE payload = 'REJECTED FIRST'") == "2"
    rows, errors, _ = c.simple(REJECT_UPDATE % "rejected first")
    assert [e["C"] for e in errors] == ["42501"], errors
    ok("reject mode: once approved the same statement runs, once")
    c.close()


if __name__ == "__main__":
    {"hold": hold, "reject": reject}[sys.argv[1]]()
