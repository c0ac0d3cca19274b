"""A small PostgreSQL v3 client on raw sockets, for tests that must send what
no driver would: broken frames, messages out of order, slow or half sends.

Used by gateway_hostile.py and gateway_approvals.py (blocking sockets) and by
tools/bench/gateway_load.py (asyncio: the SCRAM helpers and frame builders).
https://www.postgresql.org/docs/current/protocol-message-formats.html
"""
import base64
import hashlib
import hmac
import os
import socket
import ssl
import struct
import time

PROTOCOL_3_0 = 196608


# --- Frames -----------------------------------------------------------------

def msg(type_byte, payload=b""):
    """A typed frame: type byte, Int32 length (itself included), payload."""
    return type_byte + struct.pack("!I", len(payload) + 4) + payload


def cstr(s):
    return (s.encode() if isinstance(s, str) else s) + b"\0"


def startup_packet(params, version=PROTOCOL_3_0):
    body = struct.pack("!I", version) + b"".join(cstr(k) + cstr(v) for k, v in params.items()) + b"\0"
    return struct.pack("!I", len(body) + 4) + body


def ssl_request():
    return struct.pack("!II", 8, 80877103)


def gssenc_request():
    return struct.pack("!II", 8, 80877104)


def cancel_request(pid, key):
    return struct.pack("!III", 16, 80877102, pid) + key


def query(sql):
    return msg(b"Q", cstr(sql))


def parse(name, sql, types=()):
    return msg(b"P", cstr(name) + cstr(sql) + struct.pack("!H", len(types)) + b"".join(struct.pack("!I", t) for t in types))


def bind(portal, statement, params=()):
    body = cstr(portal) + cstr(statement) + struct.pack("!H", 0) + struct.pack("!H", len(params))
    for p in params:
        if p is None:
            body += struct.pack("!i", -1)
        else:
            b = p.encode()
            body += struct.pack("!i", len(b)) + b
    return msg(b"B", body + struct.pack("!H", 0))


def execute(portal="", max_rows=0):
    return msg(b"E", cstr(portal) + struct.pack("!I", max_rows))


def describe(kind, name):
    return msg(b"D", kind + cstr(name))


SYNC = msg(b"S")
FLUSH = msg(b"H")
TERMINATE = msg(b"X")


def error_fields(payload):
    """ErrorResponse/NoticeResponse payload -> {'C': sqlstate, 'M': message, ...}."""
    fields, i = {}, 0
    while i < len(payload) and payload[i] != 0:
        code = chr(payload[i])
        end = payload.index(b"\0", i + 1)
        fields[code] = payload[i + 1:end].decode(errors="replace")
        i = end + 1
    return fields


# --- SCRAM-SHA-256 (RFC 5802 / 7677), client side, no channel binding -------

class Scram:
    def __init__(self, password):
        self.password = password.encode()
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.first_bare = "n=,r=" + self.nonce
        self.server_signature = None

    def initial_response(self):
        """The SASLInitialResponse 'p' frame."""
        data = ("n,," + self.first_bare).encode()
        return msg(b"p", cstr("SCRAM-SHA-256") + struct.pack("!i", len(data)) + data)

    def final_response(self, server_first):
        """The SASLResponse 'p' frame answering AuthenticationSASLContinue."""
        attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
        salted = hashlib.pbkdf2_hmac("sha256", self.password, base64.b64decode(attrs["s"]), int(attrs["i"]))
        client_key = hmac.new(salted, b"Client Key", "sha256").digest()
        stored_key = hashlib.sha256(client_key).digest()
        final_bare = "c=biws,r=" + attrs["r"]
        auth_message = ",".join([self.first_bare, server_first, final_bare]).encode()
        signature = hmac.new(stored_key, auth_message, "sha256").digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b"Server Key", "sha256").digest()
        self.server_signature = base64.b64encode(hmac.new(server_key, auth_message, "sha256").digest()).decode()
        return msg(b"p", (final_bare + ",p=" + base64.b64encode(proof).decode()).encode())


# --- A blocking connection ---------------------------------------------------

class Closed(Exception):
    """The peer closed the connection."""


class Conn:
    def __init__(self, port, host="127.0.0.1", timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.key = None
        self.parameters = {}

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer in time (have %r)" % self.buf[:40])
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, ssl.SSLError, ssl.SSLEOFError):
                chunk = b""
            except socket.timeout:
                raise TimeoutError("no answer in time (have %r)" % self.buf[:40])
            if not chunk:
                raise Closed()
            self.buf += chunk

    def read_byte(self, timeout=10.0):
        self._fill(1, time.monotonic() + timeout)
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def read(self, timeout=10.0):
        """The next message as (type byte, payload); raises Closed at EOF."""
        deadline = time.monotonic() + timeout
        self._fill(5, deadline)
        length = struct.unpack("!I", self.buf[1:5])[0]
        self._fill(1 + length, deadline)
        t, payload = self.buf[:1], self.buf[5:1 + length]
        self.buf = self.buf[1 + length:]
        return t, payload

    def is_closed(self, timeout=5.0):
        """True when the peer closes within `timeout` (messages before that are skipped)."""
        try:
            while True:
                self.read(timeout)
        except Closed:
            return True
        except TimeoutError:
            return False

    def start_tls(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.sock = ctx.wrap_socket(self.sock)

    def login(self, user, password, database="sqlwarden_demo", extra=None, tls=False, version=PROTOCOL_3_0):
        """Startup and SCRAM; returns the messages seen up to ReadyForQuery."""
        if tls:
            self.send(ssl_request())
            if self.read_byte() != b"S":
                raise AssertionError("TLS refused")
            self.start_tls()
        params = {"user": user, "database": database}
        params.update(extra or {})
        self.send(startup_packet(params, version))
        seen, scram = [], Scram(password)
        while True:
            t, p = self.read()
            seen.append((t, p))
            if t == b"R":
                code = struct.unpack("!I", p[:4])[0]
                if code == 10:
                    self.send(scram.initial_response())
                elif code == 11:
                    self.send(scram.final_response(p[4:].decode()))
                elif code == 12:
                    if p[4:].decode() != "v=" + scram.server_signature:
                        raise AssertionError("server signature does not verify")
                elif code != 0:
                    raise AssertionError("unexpected authentication request %d" % code)
            elif t == b"K":
                self.key = p
            elif t == b"S":
                k, v = p.split(b"\0")[:2]
                self.parameters[k.decode()] = v.decode()
            elif t == b"E":
                raise AssertionError("login failed: %r" % error_fields(p))
            elif t == b"Z":
                return seen

    def until_ready(self, timeout=10.0):
        """Messages up to and including ReadyForQuery."""
        out = []
        while True:
            t, p = self.read(timeout)
            out.append((t, p))
            if t == b"Z":
                return out

    def simple(self, sql, timeout=10.0):
        """Runs a simple query; returns (rows as lists of str, errors as field dicts, notices)."""
        self.send(query(sql))
        return summarize(self.until_ready(timeout))


def summarize(messages):
    rows, errors, notices = [], [], []
    for t, p in messages:
        if t == b"D":
            n, i, row = struct.unpack("!H", p[:2])[0], 2, []
            for _ in range(n):
                ln = struct.unpack("!i", p[i:i + 4])[0]
                i += 4
                if ln < 0:
                    row.append(None)
                else:
                    row.append(p[i:i + ln].decode())
                    i += ln
            rows.append(row)
        elif t == b"E":
            errors.append(error_fields(p))
        elif t == b"N":
            notices.append(error_fields(p))
    return rows, errors, notices
