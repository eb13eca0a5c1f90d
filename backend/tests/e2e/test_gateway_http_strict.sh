#!/usr/bin/env bash
# local-gateway's HTTP edges under RFC 9112, with raw requests (python3 sockets): request smuggling with
# Content-Length + Transfer-Encoding, NUL or control bytes in the target, a negative Content-Length,
# an HTTP/0.9 request line, a bad chunk size, a header line without a colon, an HTTP/2 preface, on a
# new connection and on a kept-alive one. Each gets a JSON 4xx (one status line, never
# libmicrohttpd's HTML page) or a closed connection, and is never served. x-api-key is one header,
# compared without leading/trailing spaces and tabs. A decoded %00 in the path does not cut it: the route
# is chosen on the whole path and the parameter reaches the function with its NUL. An oversized body sent whole before reading
# (Python's urllib) still gets its 413.
# Private gateway with tests/e2e/fake-serverless.yml and the fake runtime.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT
here="$root/backend/tests/e2e"
key="k-$$-strict"
gw_start --config "$here/fake-serverless.yml" --bootstrap "$here/fake-bootstrap.sh" --api-key "$key"

python3 - "$GW_PORT" "$GW_LOG" "$key" <<'EOF'
import json, re, socket, sys, time
port, log, key = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
failed = []

def exchange(data, wait=5.0):
    """Sends data, reads until the server closes (or wait passes). Returns (bytes, closed)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    out, closed = b"", False
    try:
        s.sendall(data)
        end = time.time() + wait
        while time.time() < end:
            b = s.recv(65536)
            if not b:
                closed = True
                break
            out += b
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    finally:
        s.close()
    return out, closed

def responses(raw):
    """Splits a byte stream into (status, headers, body) by Content-Length."""
    res = []
    while raw:
        head, sep, rest = raw.partition(b"\r\n\r\n")
        if not sep:
            res.append((None, {}, raw))
            break
        lines = head.split(b"\r\n")
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", lines[0])
        hdrs = {}
        for l in lines[1:]:
            k, _, v = l.partition(b":")
            hdrs[k.strip().lower().decode()] = v.strip().decode("latin1")
        n = int(hdrs.get("content-length", "0"))
        res.append((int(m.group(1)) if m else None, hdrs, rest[:n]))
        raw = rest[n:]
    return res

def check(name, data, served_before=0):
    """A refused request: after `served_before` good answers, one JSON 4xx (or nothing) and a close."""
    raw, closed = exchange(data)
    rs = responses(raw)
    problems = []
    if b"<html" in raw.lower():
        problems.append("HTML in the answer")
    if not closed:
        problems.append("connection left open")
    good, rest = rs[:served_before], rs[served_before:]
    if any(r[0] != 200 for r in good):
        problems.append("earlier request not served: %r" % [r[0] for r in good])
    if len(rest) > 1:
        problems.append("%d answers after the bad request (status line twice / request served)" % len(rest))
    for status, hdrs, body in rest:
        if status is None or not 400 <= status < 500:
            problems.append("status %r, want a 4xx" % status)
        if not hdrs.get("content-type", "").startswith("application/json"):
            problems.append("Content-Type %r" % hdrs.get("content-type"))
        try:
            if "message" not in json.loads(body):
                problems.append("no message in %r" % body)
        except ValueError:
            problems.append("body not JSON: %r" % body[:80])
    print(("ok    " if not problems else "FAIL  ") + name + ("" if not problems else ": " + "; ".join(problems)
                                                          + " | " + repr(raw[-300:])))
    if problems:
        failed.append(name)

ok = b"GET /test/echo HTTP/1.1\r\nHost: x\r\n\r\n"
bad = {
    "Content-Length + Transfer-Encoding (smuggling)":
        b"POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\nGET /test/echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in the path": b"GET /test/echo\x00junk HTTP/1.1\r\nHost: x\r\n\r\n",
    "control byte in the path": b"GET /test/ec\x01ho HTTP/1.1\r\nHost: x\r\n\r\n",
    "negative Content-Length": b"POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "HTTP/0.9 request line": b"GET /test/echo\r\n\r\n",
    "bad chunk size": b"POST /test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    "header line without a colon": b"GET /test/echo HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n",
    "HTTP/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "Transfer-Encoding other than chunked": b"POST /test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
}
for name, data in bad.items():
    check(name + " (new connection)", data)
    check(name + " (after a served request on the same connection)", ok + data, served_before=1)

time.sleep(1)   # access lines are written once the answers are out
with open(log, errors="replace") as f:
    access = [json.loads(l) for l in f if '"event":"access"' in l]
served = [a for a in access if a.get("status", 0) < 400 and not a.get("path", "").startswith("/__gateway/")]
# exactly the good requests sent ahead of a bad one on the same connection were served
if len(served) != len(bad) or any(a.get("path") != "/test/echo" for a in served):
    print("FAIL  requests served: %r, want %d x /test/echo" % ([a.get("path") for a in served], len(bad)))
    failed.append("served")

def key_status(*values):
    data = b"GET /test/secret HTTP/1.1\r\nHost: x\r\n" + b"".join(b"x-api-key:" + v + b"\r\n" for v in values) + \
           b"Connection: close\r\n\r\n"
    rs = responses(exchange(data)[0])
    return (rs[0][0], rs[0][2]) if rs else (None, b"")

for label, vals, want in [
        ("no whitespace", [key], 200), ("leading space", [b" " + key], 200), ("trailing space", [key + b" "], 200),
        ("leading tab", [b"\t" + key], 200), ("trailing tab", [key + b"\t"], 200),
        ("spaces and tabs both sides", [b" \t" + key + b"\t "], 200),
        ("wrong key with spaces", [b" x" + key + b" "], 403),
        ("two x-api-key headers, both right", [key, key], 403),
        ("two x-api-key headers, right then wrong", [key, b"wrong"], 403),
        ("two x-api-key headers, wrong then right", [b"wrong", key], 403)]:
    status, body = key_status(*vals)
    good = status == want and (want == 200 or json.loads(body) == {"message": "Forbidden"})
    print(("ok    " if good else "FAIL  ") + "x-api-key %s -> %r (want %d)" % (label, status, want))
    if not good:
        failed.append("x-api-key " + label)
sys.exit(1 if failed else 0)
EOF

echo "a 12 MB body sent whole before reading (urllib) gets the JSON 413, not a broken pipe"
out=$(python3 - "$GW_URL/echo" <<'EOF'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], data=b"a" * 12_000_000, method="POST",
                             headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=60) as r:
        print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
except Exception as e:
    print("ERROR", type(e).__name__, e)
EOF
)
expect_eq "urllib's answer" '413 {"message":"Request Too Long"}' "$out"

echo "a decoded %00 in the path: routed on the whole path, the parameter handed over whole"
http GET "$GW_URL/echo/abc%00junk"
expect_status 200
expect_eq "pathParameters.proxy" '"abc\u0000junk"' "$(jq -c .event.pathParameters.proxy <<<"$HTTP_BODY")"
http GET "$GW_URL/sleep/0%00junk/stats"
expect_status 403   # no route is /sleep/{seconds}/stats: never /sleep/{seconds} with "0"
expect_eq "the refusal" '{"message":"Missing Authentication Token"}' "$HTTP_BODY"

echo "the gateway still serves"
http GET "$GW_URL/echo"
expect_status 200
echo PASS
