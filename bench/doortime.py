#!/usr/bin/env python3
"""doortime: scan -> verdict drawn, for the door mode of the real box office in a pseudo-terminal.

    doortime.py --api URL --key ID_TOKEN [--scans 1000] [--warmup 30] [--rows 24 --cols 80] -- BOXOFFICE [ARGS...]

Sets up one concert with enough tickets (orders of 40 through POST /box-office/orders, every ticket with
its own attendee name), starts `BOXOFFICE --door CONCERT ARGS...` on a pty of ROWSxCOLS and, one scan at a
time, writes a ticket's code and Enter (as a USB scanner does) and times until the verdict for that ticket,
its ADMIT band with the attendee's name, has been drawn (the name appears in what the program writes to the
terminal). Consecutive names differ in every character, so curses must draw each name whole. The first
--warmup scans are not counted. After each counted scan another ticket is checked in straight to the API (one
kept-alive connection, no terminal), so the floor is measured on the same stack at the same moment. Prints one JSON object: n, p50_ms, p90_ms, p99_ms, max_ms,
mean_ms, floor_n, floor_p50_ms, floor_p99_ms.
"""
import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
import urllib.parse
import urllib.request
import http.client

PER_ORDER = 40


def name_for(i):
    # 8 letters; name i and name i+1 differ in every position (each letter moves on by one)
    return "".join(chr(65 + (i + 7 * k) % 26) for k in range(8))


def api(method, url, key, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": key, "content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def setup(base, key, total):
    c = api("POST", base + "/concerts", key, {"name": "Door Bench", "date": "2027-09-01T19:00:00Z", "venue": "Bench Hall",
                                             "availableTickets": total + 10, "ticketPrice": 10,
                                             "timezone": "Europe/Berlin", "maxPerOrder": 47})
    tickets = []
    while len(tickets) < total:
        q = min(PER_ORDER, total - len(tickets))
        names = [name_for(len(tickets) + k) for k in range(q)]
        o = api("POST", base + "/box-office/orders", key,
                {"concertId": c["id"], "quantity": q, "attendees": names, "payment": {"method": "card"}})
        tickets += [(t["code"], t["attendee"]) for t in o["tickets"]]
    return c["id"], tickets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--scans", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--no-floor", action="store_true", help="no check-ins straight to the API for comparison")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    total = a.scans + a.warmup
    n_floor = 0 if a.no_floor else a.scans
    concert, tickets = setup(a.api.rstrip("/"), a.key, total + n_floor)
    floor_tickets, tickets = tickets[total:], tickets[:total]
    u = urllib.parse.urlsplit(a.api.rstrip("/"))
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    floor = []

    def direct(i):
        # the floor: a check-in straight to the API on one kept-alive connection, no terminal
        code = floor_tickets[i][0]
        body = json.dumps({"code": code, "concertId": concert, "nonce": "floor-%d-%d" % (os.getpid(), i)})
        t0 = time.monotonic()
        conn.request("POST", u.path + "/checkins", body=body,
                     headers={"Authorization": a.key, "content-type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit("doortime: floor check-in answered %d" % r.status)
        floor.append((time.monotonic() - t0) * 1000.0)

    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "BOXOFFICE_API_URL": a.api,
                           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        os.execvp(cmd[0], cmd + ["--door", concert])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", a.rows, a.cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)

    buf = bytearray()

    def wait_for(text, deadline):
        needle = text.encode()
        while True:
            if needle in buf:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                buf.extend(chunk)

    times = []
    try:
        if not wait_for("scan a ticket", time.monotonic() + 20) or not wait_for("Admitted", time.monotonic() + 20):
            raise SystemExit("doortime: the door screen did not come up: " + buf[-2000:].decode(errors="replace"))
        time.sleep(0.5)  # the concert's name and the counts have landed
        for i, (code, name) in enumerate(tickets):
            while select.select([fd], [], [], 0)[0]:  # what was drawn before this scan
                buf.extend(os.read(fd, 65536))
            buf.clear()
            t0 = time.monotonic()
            os.write(fd, code.encode() + b"\r")
            if not wait_for(name, t0 + a.timeout):
                raise SystemExit("doortime: no verdict for scan %d within %.0f s: %s"
                                 % (i, a.timeout, buf[-2000:].decode(errors="replace")))
            if i >= a.warmup:
                times.append((time.monotonic() - t0) * 1000.0)
                if n_floor:
                    direct(i - a.warmup)  # right after, on the same warm stack: a paired comparison
    finally:
        os.kill(pid, signal.SIGTERM)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    conn.close()
    times.sort()
    floor.sort()

    def pct(v, p):
        return round(v[min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))], 2) if v else None

    print(json.dumps({"n": len(times), "p50_ms": pct(times, 50), "p90_ms": pct(times, 90), "p99_ms": pct(times, 99),
                      "max_ms": round(times[-1], 2), "mean_ms": round(sum(times) / len(times), 2),
                      "floor_n": len(floor), "floor_p50_ms": pct(floor, 50), "floor_p99_ms": pct(floor, 99),
                      "concert": concert}))


if __name__ == "__main__":
    main()
