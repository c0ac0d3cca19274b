"""Hostile and malformed protocol sequences against the real gateway.

Each case asserts what happens to its own connection (the exact SQLSTATE of
the ErrorResponse, or a silent close, or that the session goes on), and after
each one a session opened before all of them (the observer) must still
answer. Run by gateway_hostile_test.sh, which starts PostgreSQL and the
gateway with short limits (startup_timeout 2s, idle_timeout 4s,
max_message_size 1MB, max_connections 30) and exports GW_PORT, GW_PID and
how to stop and start the database.
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateway_wire import (FLUSH, SYNC, TERMINATE, Closed, Conn, bind, cancel_request, cstr, describe,  # noqa: E402
                          error_fields, execute, gssenc_request, msg, parse, query, ssl_request, startup_packet,
                          summarize)

PORT = int(os.environ["GW_PORT"])
GW_PID = int(os.environ["GW_PID"])
STARTUP_TIMEOUT = 2.0
IDLE_TIMEOUT = 4.0


def login(user="agent", **kw):
    """A logged-in session: agent (ai-agents policy) or dba (allowed pg_sleep)."""
    c = Conn(PORT)
    c.login(user, user + "-password", **kw)
    return c


def expect_error(c, code, severity="FATAL", timeout=8.0):
    """Reads to the first ErrorResponse: its severity and SQLSTATE must match.
    A FATAL must then be followed by the connection closing."""
    while True:
        try:
            t, p = c.read(timeout)
        except Closed:
            raise AssertionError("closed without an ErrorResponse (wanted %s %s)" % (severity, code))
        if t == b"E":
            f = error_fields(p)
            assert f.get("V", f.get("S")) == severity and f.get("C") == code, "got %r, wanted %s %s" % (f, severity, code)
            if severity == "FATAL":
                assert c.is_closed(), "still open after FATAL"
            return f


def expect_works(c):
    rows, errors, _ = c.simple("SELECT 41 + 1")
    assert not errors and rows == [["42"]], (rows, errors)


def psql(sql):
    """Straight to PostgreSQL (not through the gateway), as its superuser."""
    return subprocess.run(["psql", "-X", "-A", "-t", "-d", "sqlwarden_demo", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


class Observer:
    """A session opened before the cases; a thread keeps it busy enough for
    the idle timeout, and check() proves it still answers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.conn = login()
        self.stop = False
        self.failure = None
        self.thread = threading.Thread(target=self._keep, daemon=True)
        self.thread.start()

    def _keep(self):
        while not self.stop:
            time.sleep(1.0)
            with self.lock:
                if self.stop:
                    return
                try:
                    expect_works(self.conn)
                except Exception as e:  # noqa: BLE001
                    self.failure = self.failure or repr(e)

    def check(self):
        with self.lock:
            expect_works(self.conn)
        assert self.failure is None, "observer failed in the background: " + self.failure

    def close(self):
        self.stop = True
        with self.lock:
            self.conn.close()


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# --- Startup phase -------------------------------------------------------------

@case
def startup_length_too_short():
    c = Conn(PORT)
    c.send(struct.pack("!I", 4))  # a startup packet must be at least 8 bytes
    expect_error(c, "08P01")


@case
def startup_packet_huge():
    c = Conn(PORT)
    c.send(struct.pack("!II", 1 << 30, 196608))  # refused from the header, nothing buffered
    expect_error(c, "08P01")


@case
def startup_packet_just_over_limit():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "application_name": "x" * 10050}))
    expect_error(c, "08P01")


@case
def protocol_version_2():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent"}, version=2 << 16))
    expect_error(c, "0A000")


@case
def protocol_version_4():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent"}, version=4 << 16))
    expect_error(c, "0A000")


@case
def protocol_version_3_9_negotiated_down():
    c = Conn(PORT)
    seen = c.login("agent", "agent-password", version=(3 << 16) | 9, extra={"_pq_.fancy": "1"})
    t, p = seen[0]
    assert t == b"v", "expected NegotiateProtocolVersion first, got %r" % t
    newest, n = struct.unpack("!II", p[:8])
    assert newest == 0 and n == 1 and p[8:] == b"_pq_.fancy\0", p
    expect_works(c)  # the session goes on in 3.0
    c.close()


@case
def startup_parameter_without_terminator():
    c = Conn(PORT)
    body = struct.pack("!I", 196608) + b"user\0agent"  # no NUL after the value, no final NUL
    c.send(struct.pack("!I", len(body) + 4) + body)
    expect_error(c, "08P01")


@case
def startup_without_user():
    c = Conn(PORT)
    c.send(startup_packet({"database": "sqlwarden_demo"}))
    expect_error(c, "28000")


@case
def startup_unknown_database():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "postgres"}))
    expect_error(c, "3D000")


@case
def startup_options_refused():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo", "options": "-c search_path=evil"}))
    expect_error(c, "0A000")


@case
def startup_client_encoding_refused():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo", "client_encoding": "LATIN1"}))
    expect_error(c, "0A000")


@case
def ssl_request_twice():
    c = Conn(PORT)
    c.send(ssl_request())
    assert c.read_byte() == b"S"
    c.start_tls()
    c.send(ssl_request())  # again, inside TLS
    expect_error(c, "08P01")


@case
def gssenc_request_twice():
    c = Conn(PORT)
    c.send(gssenc_request())
    assert c.read_byte() == b"N"
    c.send(gssenc_request())
    expect_error(c, "08P01")


@case
def plaintext_after_ssl_request():
    # CVE-2021-23214: bytes sent before the handshake must not count as TLS.
    c = Conn(PORT)
    c.send(ssl_request() + startup_packet({"user": "agent", "database": "sqlwarden_demo"}))
    assert c.is_closed(), "gateway kept a connection with plaintext after SSLRequest"


@case
def tls_garbage_handshake():
    c = Conn(PORT)
    c.send(ssl_request())
    assert c.read_byte() == b"S"
    c.send(b"\x16\x03\x01\x00\x05hello" + os.urandom(64))  # not a ClientHello
    assert c.is_closed()


@case
def slowloris_startup():
    # One byte of the startup packet every 300 ms: cut off at startup_timeout.
    c = Conn(PORT)
    packet = startup_packet({"user": "agent", "database": "sqlwarden_demo", "application_name": "slow" * 20})
    t0 = time.monotonic()
    got = None
    for b in packet:
        try:
            c.send(bytes([b]))
        except OSError:
            break
        time.sleep(0.3)
        if time.monotonic() - t0 > STARTUP_TIMEOUT + 2:
            break
    try:
        t, p = c.read(3)
        got = error_fields(p) if t == b"E" else None
    except (Closed, TimeoutError):
        pass
    elapsed = time.monotonic() - t0
    assert got and got["C"] == "08P01" and "timeout" in got["M"], got
    assert elapsed < STARTUP_TIMEOUT + 5, elapsed


@case
def silent_client():
    c = Conn(PORT)
    t0 = time.monotonic()
    expect_error(c, "08P01")
    assert STARTUP_TIMEOUT - 0.2 < time.monotonic() - t0 < STARTUP_TIMEOUT + 4  # (slack for a loaded machine)


@case
def stalled_during_scram():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo"}))
    t, _ = c.read()
    assert t == b"R"
    expect_error(c, "08P01")  # never answers AuthenticationSASL


@case
def disconnect_mid_startup_packet():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo"})[:11])
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
    c.close()


@case
def cancel_with_wrong_key():
    c = Conn(PORT)
    c.send(cancel_request(12345, b"\x01\x02\x03\x04"))
    assert c.is_closed()


@case
def cancel_followed_by_garbage():
    c = Conn(PORT)
    c.send(cancel_request(1, b"\0\0\0\0") + b"garbage after the cancel")
    assert c.is_closed()


@case
def password_message_before_startup():
    c = Conn(PORT)
    c.send(msg(b"p", cstr("agent-password")))
    expect_error(c, "08P01")


@case
def query_instead_of_sasl_response():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo"}))
    t, _ = c.read()
    assert t == b"R"
    c.send(query("SELECT 1"))
    expect_error(c, "28P01")


@case
def sasl_unknown_mechanism():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo"}))
    c.read()
    data = b"n,,n=,r=abc"
    c.send(msg(b"p", cstr("SCRAM-SHA-1") + struct.pack("!i", len(data)) + data))
    expect_error(c, "28P01")


@case
def sasl_garbage_proof():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo"}))
    c.read()
    data = b"n,,n=,r=abcdefgh"
    c.send(msg(b"p", cstr("SCRAM-SHA-256") + struct.pack("!i", len(data)) + data))
    t, _ = c.read()
    assert t == b"R"
    c.send(msg(b"p", b"c=biws,r=nonsense,p=AAAA"))
    expect_error(c, "28P01")


@case
def garbage_after_startup():
    c = Conn(PORT)
    c.send(startup_packet({"user": "agent", "database": "sqlwarden_demo"}) + b"\xfe\xff\xff\xff\xff")
    expect_error(c, "08P01")


# --- After login -----------------------------------------------------------------

@case
def unknown_message_type():
    c = login()
    c.send(msg(b"z", b"whatever"))
    expect_error(c, "08P01")


@case
def length_below_four():
    c = login()
    c.send(b"Q" + struct.pack("!I", 2))
    expect_error(c, "08P01")


@case
def message_over_size_limit():
    c = login()
    c.send(b"Q" + struct.pack("!I", 2 << 20))  # 2 MB declared, limit 1 MB: refused from the header
    expect_error(c, "08P01")


@case
def sync_with_payload():
    c = login()
    c.send(msg(b"S", b"\0\0\0\0"))
    expect_error(c, "08P01")


@case
def query_without_terminator():
    c = login()
    c.send(msg(b"Q", b"SELECT 1"))  # no NUL
    expect_error(c, "08P01")


@case
def bind_with_bad_parameter_count():
    c = login()
    c.send(msg(b"B", cstr("") + cstr("") + struct.pack("!HH", 0, 3) + struct.pack("!i", 1) + b"x"))
    expect_error(c, "08P01")


@case
def startup_message_after_login():
    c = login()
    c.send(startup_packet({"user": "agent"}))
    expect_error(c, "08P01")


@case
def password_message_after_login():
    c = login()
    c.send(msg(b"p", cstr("agent-password")))
    expect_error(c, "08P01")


@case
def bind_unknown_statement():
    c = login()
    c.send(bind("", "no_such_statement") + execute() + SYNC)
    _, errors, _ = summarize(c.until_ready())
    assert [e["C"] for e in errors] == ["26000"], errors
    expect_works(c)
    c.close()


@case
def execute_unknown_portal():
    c = login()
    c.send(execute("no_such_portal") + SYNC)
    _, errors, _ = summarize(c.until_ready())
    assert [e["C"] for e in errors] == ["34000"], errors
    expect_works(c)
    c.close()


@case
def describe_unknown_statement():
    c = login()
    c.send(describe(b"S", "nope") + SYNC)
    _, errors, _ = summarize(c.until_ready())
    assert [e["C"] for e in errors] == ["26000"], errors
    expect_works(c)
    c.close()


@case
def parse_two_statements():
    c = login()
    c.send(parse("", "SELECT 1; SELECT 2") + bind("", "") + execute() + SYNC)
    _, errors, _ = summarize(c.until_ready())
    assert [e["C"] for e in errors] == ["42601"], errors  # Bind/Execute after the error are discarded
    expect_works(c)
    c.close()


@case
def denied_parse_discards_until_sync():
    c = login()
    c.send(parse("", "DROP TABLE users") + bind("", "") + execute() + FLUSH + describe(b"P", "") + SYNC)
    _, errors, _ = summarize(c.until_ready())
    assert [e["C"] for e in errors] == ["42501"], errors
    expect_works(c)
    c.close()


@case
def function_call_message():
    c = login()
    c.send(msg(b"F", struct.pack("!IH", 1598, 0) + struct.pack("!H", 0) + struct.pack("!H", 0)))
    _, errors, _ = summarize(c.until_ready())
    assert [e["C"] for e in errors] == ["42501"], errors
    expect_works(c)
    c.close()


@case
def copy_data_outside_copy():
    c = login()
    c.send(msg(b"d", b"1\t7\tstray\n") + msg(b"c") + msg(b"f", cstr("stray CopyFail")))
    expect_works(c)  # PostgreSQL ignores them outside COPY; so does the gateway
    c.close()


@case
def terminate_mid_transaction():
    c = login()
    for sql in ("BEGIN", "INSERT INTO staging.imports VALUES (9001, 7, 'never committed')"):
        _, errors, _ = c.simple(sql)
        assert not errors, errors
    c.send(TERMINATE)
    assert c.is_closed()
    time.sleep(0.3)
    assert psql("SELECT count(*) FROM staging.imports WHERE id = 9001") == "0"


@case
def disconnect_mid_message():
    before = psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'sqlwarden_gateway'")
    c = login()
    c.send(query("SELECT 'half a message'")[:9])
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    for _ in range(50):  # the upstream connection goes too
        if psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'sqlwarden_gateway'") == before:
            return
        time.sleep(0.1)
    raise AssertionError("the upstream connection of a vanished client stayed open")


@case
def disconnect_mid_query():
    c = login("dba")
    c.send(query("SELECT pg_sleep(3)"))
    time.sleep(0.2)
    c.close()


@case
def pipelined_flood_without_reading():
    # 5,000 queries sent at once, answers never read, then the client vanishes.
    c = login()
    try:
        c.send(query("SELECT repeat('x', 1000)") * 5000)
    except OSError:
        pass
    time.sleep(0.5)
    c.close()


def gateway_send_queue(client_sock):
    """Bytes the gateway has queued on its side of this client's connection
    (from /proc/net/tcp), or None when the socket is not found."""
    port = client_sock.getsockname()[1]
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if int(local.split(":")[1], 16) == PORT and int(remote.split(":")[1], 16) == port:
                return int(fields[4].split(":")[0], 16)
    return None


# 30 MB: more than the kernel buffers on both sides of a loopback connection.
BIG_ANSWER = "SELECT g, repeat('x', 30000) FROM generate_series(1, 1000) AS g"


def wait_for_full_socket(c, timeout=15.0):
    """Waits (not reading) until the gateway has bytes queued for this client."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gateway_send_queue(c.sock):
            return
        time.sleep(0.1)
    raise AssertionError("the gateway's writes never had to wait (send queue %r)" % gateway_send_queue(c.sock))


@case
def slow_reader_gets_every_byte():
    # A client that stops reading a 30 MB answer: the gateway's side of the
    # socket fills and its writes wait (another session meanwhile answers).
    # Then it reads slowly for longer than idle_timeout, which is activity,
    # not idleness, and at last every row has arrived whole and in order.
    rows, width = 1000, 30000
    c = login()
    c.send(query(BIG_ANSWER))
    wait_for_full_socket(c)
    other = login()
    expect_works(other)
    other.close()
    data = bytearray(c.buf)
    c.sock.settimeout(20.0)
    slow_until = time.monotonic() + IDLE_TIMEOUT + 2.0
    while time.monotonic() < slow_until:
        chunk = c.sock.recv(128 * 1024)
        assert chunk, "closed after %d bytes, while the client was reading" % len(data)
        data += chunk
        time.sleep(0.1)
    assert len(data) < rows * width, "the answer ended before the slow reading did: %d bytes" % len(data)
    while not data.endswith(b"Z\x00\x00\x00\x05I"):
        chunk = c.sock.recv(1 << 20)
        assert chunk, "closed after %d bytes" % len(data)
        data += chunk
    c.buf = b""
    seen, i = 0, 0
    while i < len(data):
        t, length = data[i], struct.unpack_from("!I", data, i + 1)[0]
        assert t != ord("E"), error_fields(bytes(data[i + 5:i + 1 + length]))
        if t == ord("D"):
            n = struct.unpack_from("!H", data, i + 5)[0]
            g_len = struct.unpack_from("!i", data, i + 7)[0]
            g = int(data[i + 11:i + 11 + g_len])
            x_len = struct.unpack_from("!i", data, i + 11 + g_len)[0]
            x = data[i + 15 + g_len:i + 15 + g_len + x_len]
            assert n == 2 and g == seen + 1 and x_len == width and x.count(b"x") == width, (n, g, seen, x_len)
            seen += 1
        i += 1 + length
    assert i == len(data) and seen == rows, (i, len(data), seen)
    expect_works(c)
    c.close()


@case
def stalled_reader_closed_after_idle_timeout():
    # A client that never reads its 30 MB answer holds the gateway's writes
    # only until idle_timeout: then its session and upstream connection go.
    before = int(psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'sqlwarden_gateway'"))
    c = login()
    c.send(query(BIG_ANSWER))
    try:
        wait_for_full_socket(c)
        deadline = time.monotonic() + IDLE_TIMEOUT + 3.0
        while time.monotonic() < deadline:
            if int(psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'sqlwarden_gateway'")) <= before:
                return
            time.sleep(0.2)
        raise AssertionError("a session whose client stopped reading outlived idle_timeout")
    finally:
        c.close()


@case
def idle_timeout():
    c = login()
    t0 = time.monotonic()
    expect_error(c, "57P05", timeout=IDLE_TIMEOUT + 4)
    assert time.monotonic() - t0 >= IDLE_TIMEOUT - 0.2


@case
def slow_sender_mid_message():
    c = login()
    c.send(query("SELECT 1")[:6])  # and never the rest: only complete messages count as activity
    expect_error(c, "57P05", timeout=IDLE_TIMEOUT + 4)


@case
def too_many_connections():
    conns, refused = [], 0
    try:
        for _ in range(40):
            conns.append(Conn(PORT))
        for c in conns:
            try:
                t, p = c.read(0.3)
                if t == b"E" and error_fields(p).get("C") == "53300":
                    refused += 1
            except (TimeoutError, Closed):
                pass
    finally:
        for c in conns:
            c.close()
    assert refused >= 10, "expected the connections over max_connections (30) to get 53300, got %d" % refused
    time.sleep(0.5)
    c = login()  # room again once they are gone
    expect_works(c)
    c.close()


@case
def upstream_backend_terminated_mid_query():
    c = login("dba", extra={"application_name": "hostile-victim"})
    c.send(query("SELECT pg_sleep(10)"))
    time.sleep(0.5)
    psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hostile-victim'")
    codes = []
    try:
        while True:
            t, p = c.read(5)
            if t == b"E":
                codes.append(error_fields(p)["C"])
    except Closed:
        pass
    assert codes == ["57P01", "08006"], codes  # the database's own FATAL first, then ours
    c2 = login()  # a new session gets a new upstream connection
    expect_works(c2)
    c2.close()


def run_cases(observer):
    failed = 0
    for i, fn in enumerate(CASES, 1):
        name = fn.__name__
        try:
            fn()
            observer.check()
            print("ok %d - %s" % (i, name), flush=True)
        except Exception as e:  # noqa: BLE001
            failed += 1
            print("not ok %d - %s: %r" % (i, name, e), flush=True)
    return failed


def pg_ctl(action):
    args = [os.environ["PG_CTL"], "-D", os.environ["PG_DATA"], "-w"]
    if action == "stop":
        args += ["-m", "fast", "stop"]
    else:
        args += ["-l", os.environ["PG_DATA"] + "/../server.log", "-o", os.environ["PG_OPTIONS"], "start"]
    if os.getuid() == 0:
        args = ["runuser", "-u", "postgres", "--"] + args
    subprocess.run(args, check=True, capture_output=True)


def database_restart(n):
    """The database goes down under an open session, refuses logins, comes back."""
    victim = login()
    pg_ctl("stop")
    try:
        expect_works(victim)
        raise AssertionError("a session whose database went away still answered")
    except (AssertionError, Closed, TimeoutError) as e:
        if "still answered" in str(e):
            raise
    print("ok %d - database stopped: the open session ends with an error" % n, flush=True)
    c = Conn(PORT)
    try:
        c.login("agent", "agent-password")
        raise AssertionError("login succeeded with the database down")
    except AssertionError as e:
        assert "'C': '08006'" in str(e), e
    print("ok %d - database down: a new login gets FATAL 08006" % (n + 1), flush=True)
    pg_ctl("start")
    c = login()
    expect_works(c)
    print("ok %d - database back: new sessions work, the gateway never went down" % (n + 2), flush=True)
    return c


def graceful_shutdown(n, idle):
    """SIGTERM: idle sessions end at once with 57P01, a running statement finishes first."""
    busy = login("dba")
    busy.send(query("SELECT 'finished', pg_sleep(2)"))
    time.sleep(0.3)
    os.kill(GW_PID, signal.SIGTERM)
    expect_error(idle, "57P01", timeout=5)
    print("ok %d - SIGTERM: an idle session ends with FATAL 57P01" % n, flush=True)
    rows, errors, _ = summarize(busy.until_ready(timeout=10))
    assert rows == [["finished", ""]] and not errors, (rows, errors)
    expect_error(busy, "57P01", timeout=5)
    print("ok %d - SIGTERM: the running statement finished, then the session ended" % (n + 1), flush=True)
    try:
        Conn(PORT, timeout=2)
        raise AssertionError("still accepting after SIGTERM")
    except (ConnectionRefusedError, OSError) as e:
        if "still accepting" in str(e):
            raise
    for _ in range(100):
        try:
            os.kill(GW_PID, 0)
        except ProcessLookupError:
            break
        if open("/proc/%d/stat" % GW_PID).read().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the gateway did not exit after its sessions ended")
    print("ok %d - SIGTERM: no new connections, the gateway exits" % (n + 2), flush=True)


def main():
    observer = Observer()
    failed = run_cases(observer)
    observer.close()
    n = len(CASES) + 1
    try:
        c = database_restart(n)
        n += 3
        graceful_shutdown(n, c)
        n += 3
    except Exception as e:  # noqa: BLE001
        failed += 1
        print("not ok %d - upstream restart / shutdown: %r" % (n, e), flush=True)
    print("%d hostile sequences, %d failed" % (n - 1, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
