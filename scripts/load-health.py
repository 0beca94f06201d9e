#!/usr/bin/env python3
"""Hostile load against a running Frontline server on loopback (issue 17),
bounded in time and count; Python's standard library only.

  slow   CLIENTS threads send the slowest event filters for SECONDS while
         /healthz is asked every 100 ms on a fresh connection: its latency
         (median, p95, max) and status, and the status counts of the load.
  idle   IDLE connections that send nothing and TRICKLE that send a request
         head a byte a second: when the server closes them, against its
         --header-timeout; /healthz meanwhile.
  alone  each slow filter on its own, TIMES times: medians.

Usage: load-health.py alone BASE [TIMES]
       load-health.py slow BASE [CLIENTS] [SECONDS]
       load-health.py idle BASE [IDLE] [TRICKLE] [TIMEOUT]
Prints a markdown table."""

import collections
import http.client
import selectors
import socket
import statistics
import sys
import threading
import time
import urllib.parse

# The filters the attack probe found slowest on 1M events (a filter that
# matches nothing, a rare threshold, words with an absent actor, the whole
# country with an absent actor), the largest page, and the areas.
SLOW = [
    "/api/events?actor=nobody",
    "/api/events?actor=Russie",
    "/api/events?type=clash&min_fatalities=500",
    "/api/events?q=synth%C3%A9tique&actor=nobody",
    "/api/events?bbox=35.5,32.3,42.5,37.4&actor=nobody",
    "/api/events?type=strike&subtype=ied&actor=nobody",
    "/api/events?limit=10000",
    "/api/events.csv?type=strike&from=2016&to=2016&limit=20000",
    "/api/control/areas?at=2016-12-31",
]


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def ms(x):
    return f"{x * 1000:.1f} ms"


class Health(threading.Thread):
    """/healthz every 100 ms on a fresh connection, until stopped."""

    def __init__(self, host, port):
        super().__init__(daemon=True)
        self.host, self.port = host, port
        self.stop = threading.Event()
        self.latencies, self.statuses = [], collections.Counter()
        self.saturated = 0

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                c = http.client.HTTPConnection(self.host, self.port, timeout=10)
                c.request("GET", "/healthz")
                r = c.getresponse()
                body = r.read()
                c.close()
                self.statuses[r.status] += 1
                if b'"saturated":true' in body or b'"status":"busy"' in body:
                    self.saturated += 1
            except Exception as e:  # noqa: BLE001 - any failure counts
                self.statuses[type(e).__name__] += 1
            self.latencies.append(time.monotonic() - started)
            self.stop.wait(max(0.0, 0.1 - (time.monotonic() - started)))

    def report(self, out):
        lat = self.latencies
        out.append(
            f"| /healthz during the run | {len(lat)} | {ms(statistics.median(lat))} | "
            f"{ms(pct(lat, 95))} | {ms(max(lat))} | {dict(self.statuses)} (busy or saturated in {self.saturated}) |"
        )


def alone(base, times):
    """Each slow filter on its own, `times` times in a row: the median."""
    u = urllib.parse.urlsplit(base)
    out = [
        f"Each filter alone, {times} times in a row (no other load from this script):",
        "",
        "| filter | median | max | status |",
        "|---|---|---|---|",
    ]
    for path in SLOW:
        lat, status = [], None
        for _ in range(times):
            c = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=60)
            started = time.monotonic()
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            lat.append(time.monotonic() - started)
            status = r.status
            c.close()
        out.append(f"| `{path}` | {ms(statistics.median(lat))} | {ms(max(lat))} | {status} |")
    print("\n".join(out))


def slow(base, clients, seconds):
    u = urllib.parse.urlsplit(base)
    host, port = u.hostname, u.port or 80
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    statuses = collections.Counter()
    per_url = collections.defaultdict(list)

    def client(i):
        n = i
        conn = None
        while time.monotonic() < deadline:
            path = SLOW[n % len(SLOW)]
            n += 1
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                status = r.status
                if r.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except Exception as e:  # noqa: BLE001
                status = type(e).__name__
                conn = None
            took = time.monotonic() - started
            with lock:
                statuses[status] += 1
                if status == 200:
                    per_url[path].append(took)

    health = Health(host, port)
    health.start()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    health.stop.set()
    health.join(15)
    out = [
        f"{clients} clients sending the slowest filters for {seconds} s; /healthz every 100 ms:",
        "",
        "| what | requests | median | p95 | max | statuses |",
        "|---|---|---|---|---|---|",
    ]
    health.report(out)
    total = sum(statuses.values())
    out.append(f"| the load (all filters) | {total} | | | | {dict(statuses)} |")
    for path in SLOW:
        lat = per_url.get(path, [])
        if lat:
            out.append(
                f"| `{path}` (answered 200) | {len(lat)} | {ms(statistics.median(lat))} | {ms(pct(lat, 95))} | {ms(max(lat))} | |"
            )
    print("\n".join(out))


def idle(base, n_idle, n_trickle, timeout):
    u = urllib.parse.urlsplit(base)
    host, port = u.hostname, u.port or 80
    socks, opened_at = [], []
    opened = time.monotonic()
    for i in range(n_idle + n_trickle):
        s = socket.create_connection((host, port), timeout=10)
        s.setblocking(False)
        socks.append((s, i >= n_idle))
        opened_at.append(time.monotonic() - opened)
    ready_at = time.monotonic() - opened
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    sent = [0] * len(socks)
    closed_at = [None] * len(socks)
    health = Health(host, port)
    health.start()
    deadline = opened + timeout + 15
    next_trickle = time.monotonic()
    # epoll, not select(): a thousand sockets have descriptors past 1024.
    sel = selectors.DefaultSelector()
    for i, (s, _) in enumerate(socks):
        sel.register(s, selectors.EVENT_READ, i)
    while time.monotonic() < deadline and any(c is None for c in closed_at):
        now = time.monotonic()
        if now >= next_trickle:
            for i, (s, trickle) in enumerate(socks):
                if trickle and closed_at[i] is None and sent[i] < len(head):
                    try:
                        s.send(head[sent[i]:sent[i] + 1])
                        sent[i] += 1
                    except OSError:
                        closed_at[i] = now - opened
                        sel.unregister(s)
            next_trickle = now + 1.0
        for key, _ in sel.select(0.2):
            i = key.data
            try:
                data = socks[i][0].recv(4096)
            except OSError:
                data = b""
            if not data:
                closed_at[i] = time.monotonic() - opened
                sel.unregister(socks[i][0])
            # (an answer, e.g. 408, is read and the close awaited)
    health.stop.set()
    health.join(15)
    still = sum(1 for c in closed_at if c is None)
    for s, _ in socks:
        s.close()
    # How long each connection lived, from its own opening.
    lived = [c - o if c is not None else None for c, o in zip(closed_at, opened_at)]
    idle_t = [c for (c, (_, t)) in zip(lived, socks) if c is not None and not t]
    trickle_t = [c for (c, (_, t)) in zip(lived, socks) if c is not None and t]
    out = [
        f"{n_idle} idle and {n_trickle} trickling connections (a byte a second), opened in {ready_at:.2f} s; "
        f"--header-timeout {timeout} s:",
        "",
        "| what | connections | closed after its opening (median) | longest | still open at the end |",
        "|---|---|---|---|---|",
        f"| idle | {n_idle} | {statistics.median(idle_t):.2f} s | {max(idle_t):.2f} s | |"
        if idle_t else f"| idle | {n_idle} | - | - | |",
        f"| trickling | {n_trickle} | {statistics.median(trickle_t):.2f} s | {max(trickle_t):.2f} s | |"
        if trickle_t else f"| trickling | {n_trickle} | - | - | |",
        f"| all | {len(socks)} | | | {still} |",
        "",
        "| what | requests | median | p95 | max | statuses |",
        "|---|---|---|---|---|---|",
    ]
    health.report(out)
    print("\n".join(out))
    return 1 if still else 0


if __name__ == "__main__":
    mode, base = sys.argv[1], sys.argv[2]
    args = [int(a) for a in sys.argv[3:]]
    if mode == "alone":
        alone(base, *(args or [5]))
    elif mode == "slow":
        slow(base, *(args or [64, 30]))
    elif mode == "idle":
        sys.exit(idle(base, *(args or [1000, 200, 5])))
    else:
        sys.exit(__doc__)
