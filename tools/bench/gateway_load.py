"""Many concurrent client connections against the gateway, held open and
active: each logs in (SCRAM), then runs a masked, filtered SELECT about once
a second until the run ends, then Terminates. asyncio on raw sockets, so one
process holds thousands of connections.

  gateway_load.py PORT CONNECTIONS SECONDS [GATEWAY_PID]

Prints one line of JSON: connections held, queries, errors, latency
percentiles, and (with GATEWAY_PID) the gateway's RSS sampled during the run.
Exit status 1 when any connection failed or any query returned an error.
"""
import asyncio
import json
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "integration"))
from gateway_wire import TERMINATE, Scram, error_fields, query, startup_packet  # noqa: E402

QUERY = "SELECT id, email, ssn FROM users WHERE id = %d"


async def read_msg(reader):
    head = await reader.readexactly(5)
    length = struct.unpack("!I", head[1:5])[0]
    return head[:1], await reader.readexactly(length - 4)


async def login(port, user, password):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(startup_packet({"user": user, "database": "sqlwarden_demo", "application_name": "load"}))
    scram = Scram(password)
    while True:
        t, p = await read_msg(reader)
        if t == b"R":
            code = struct.unpack("!I", p[:4])[0]
            if code == 10:
                writer.write(scram.initial_response())
            elif code == 11:
                writer.write(scram.final_response(p[4:].decode()))
        elif t == b"E":
            raise RuntimeError("login: %s %s" % (error_fields(p).get("C"), error_fields(p).get("M")))
        elif t == b"Z":
            return reader, writer


async def run_query(reader, writer, sql):
    writer.write(query(sql))
    await writer.drain()
    rows, error = 0, None
    while True:
        t, p = await read_msg(reader)
        if t == b"D":
            rows += 1
        elif t == b"E":
            error = "%s %s" % (error_fields(p).get("C"), error_fields(p).get("M"))
        elif t == b"Z":
            return rows, error


class Stats:
    def __init__(self):
        self.connected = 0
        self.queries = 0
        self.errors = []
        self.latencies = []


async def client(i, port, stats, connected_all, stop_at, login_gate):
    try:
        async with login_gate:
            reader, writer = await login(port, "agent", "agent-password")
        stats.connected += 1
        await connected_all.wait()
        await asyncio.sleep(random.random())  # spread the queries over the second
        while time.monotonic() < stop_at[0]:
            t0 = time.monotonic()
            rows, error = await run_query(reader, writer, QUERY % (1 + i % 10))
            stats.latencies.append((t0, time.monotonic() - t0, i))
            stats.queries += 1
            if error:
                stats.errors.append(error)
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))
        writer.write(TERMINATE)
        await writer.drain()
        writer.close()
    except Exception as e:  # noqa: BLE001
        stats.errors.append("connection %d: %r" % (i, e))


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def percentiles(values):
    v = sorted(values) or [0.0]
    return {"p50": round(1000 * v[len(v) // 2], 2), "p99": round(1000 * v[int(len(v) * 0.99)], 2),
            "max": round(1000 * v[-1], 2)}


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def main():
    port, n, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    pid = int(sys.argv[4]) if len(sys.argv) > 4 else None
    stats = Stats()
    connected_all = asyncio.Event()
    stop_at = [float("inf")]
    login_gate = asyncio.Semaphore(64)  # logins in flight at once (SCRAM costs CPU on both sides)
    rss_before = rss_kb(pid) if pid else None
    t_start = time.monotonic()
    tasks = [asyncio.create_task(client(i, port, stats, connected_all, stop_at, login_gate)) for i in range(n)]
    while stats.connected + len(stats.errors) < n:
        await asyncio.sleep(0.05)
    connect_seconds = time.monotonic() - t_start
    active_from = time.monotonic()
    stop_at[0] = active_from + seconds
    cpu_before = cpu_seconds(pid) if pid else None
    connected_all.set()
    samples, held_min = [], n
    while time.monotonic() < stop_at[0]:
        await asyncio.sleep(1.0)
        if pid:
            samples.append(rss_kb(pid))
        held_min = min(held_min, stats.connected)
    cpu_used = cpu_seconds(pid) - cpu_before if pid else None
    await asyncio.gather(*tasks)
    # The first round also pays for 1,000 fresh PostgreSQL backends loading
    # their caches: steady state is reported apart, from 10 s in.
    warm = active_from + min(10.0, seconds / 3)
    overall = percentiles([d for _, d, _ in stats.latencies])
    steady = percentiles([d for t, d, _ in stats.latencies if t >= warm])
    if os.environ.get("LOAD_DUMP"):  # every query: start (s from the active period), latency (s), connection
        with open(os.environ["LOAD_DUMP"], "w") as f:
            for t, d, i in stats.latencies:
                f.write("%.3f %.4f %d\n" % (t - active_from, d, i))
    result = {
        "connections": n,
        "connected": stats.connected,
        "connect_seconds": round(connect_seconds, 1),
        "active_seconds": seconds,
        "queries": stats.queries,
        "queries_per_second": round(stats.queries / seconds, 1),
        "errors": len(stats.errors),
        "first_errors": stats.errors[:5],
        "latency_ms": overall,
        "latency_ms_steady": steady,
    }
    if pid:
        peak = max(samples) if samples else rss_kb(pid)
        result.update({
            "gateway_rss_kb_before": rss_before,
            "gateway_rss_kb_peak": peak,
            "gateway_rss_kb_per_connection": round((peak - rss_before) / max(1, stats.connected), 1),
            "gateway_cpu_seconds": round(cpu_used, 2),
            "gateway_cpu_us_per_query": round(1e6 * cpu_used / max(1, stats.queries), 1),
        })
    print(json.dumps(result))
    return 0 if stats.connected == n and not stats.errors else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
