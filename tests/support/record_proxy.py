#!/usr/bin/python3
"""A recording pass-through for the contract check: the real client (the box office in tmux, the CLI) talks
to the API through it, and every answer it passes on is appended to the record that scripts/openapi-check.py
validates against docs/openapi.yaml, in the format of tests/lib/openapi_log.sh:
{test, method, url, path, status, headers (as curl -D writes them), body}.

    record_proxy.py API_BASE LOG PORT_FILE TEST_NAME

Listens on 127.0.0.1 on a port of the system's choosing and writes that port to PORT_FILE once it accepts.
API_BASE is http://HOST:PORT/STAGE; the answers to requests under /STAGE are recorded (others, say a wrong
stage's 403, pass through unrecorded, as openapi_is_api leaves them out). Each request goes to HOST:PORT on
a connection of its own, unchanged but for
the hop-by-hop headers; the answer comes back unchanged but for those and Content-Length. Nothing is
retried: when the target refuses or drops a connection before answering, the client's connection is reset,
and nothing is recorded. The record (LOG, the test run's state directory) is the only thing written:
request headers (the operator key) are never written anywhere, and this process logs nothing per request.
Appends take an exclusive flock on LOG.lock, as openapi_record does. Ends when its parent process ends.
Python's standard library only.
"""
import fcntl
import http.client
import http.server
import json
import os
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
       "trailer", "transfer-encoding", "upgrade", "expect"}


def stage_path(path):
    """The path after the stage ("/dev/concerts?x" -> "/concerts?x"), as openapi_record cuts it."""
    rest = path.lstrip("/")
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    target = None        # (host, port)
    origin = ""
    stage = ""           # "/dev"
    log_path = ""
    test_name = ""

    def log_message(self, format, *args):  # nothing per request: paths and timings stay out of any log
        pass

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else None

    def reset(self):
        """Drops the client's connection with a TCP reset: the client sees no answer, as from the target."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True

    def relay(self):
        body = self.read_body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        up = http.client.HTTPConnection(*self.target, timeout=300)
        try:
            up.request(self.command, self.path, body=body, headers=headers)
            resp = up.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            up.close()
            self.reset()
            return
        up.close()
        status, reason = resp.status, resp.reason or ""
        out = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP and k.lower() != "content-length"]
        closing = "close" in (resp.getheader("Connection") or "").lower()
        p = self.path.split("?", 1)[0]
        if p == self.stage or p.startswith(self.stage + "/"):
            self.record(status, reason, resp.version, out, data)
        try:
            self.send_response_only(status, reason)
            for k, v in out:
                self.send_header(k, v)
            if self.command != "HEAD" and not (100 <= status < 200 or status in (204, 304)):
                self.send_header("Content-Length", str(len(data)))
            if closing:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up first (its own timeout): the answer was recorded all the same
            self.close_connection = True

    def record(self, status, reason, version, headers, data):
        raw = "HTTP/%s %d %s\r\n" % ("1.0" if version == 10 else "1.1", status, reason)
        raw += "".join("%s: %s\r\n" % (k, v) for k, v in headers)
        if not any(k.lower() == "content-length" for k, _ in headers):
            raw += "Content-Length: %d\r\n" % len(data)
        line = json.dumps({
            "test": self.test_name, "method": self.command, "url": self.origin + self.path,
            "path": stage_path(self.path),
            "status": status, "headers": raw + "\r\n", "body": data.decode("utf-8", "replace"),
        }, ensure_ascii=False)
        with open(self.log_path + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(line + "\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = relay


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def watch_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: record_proxy.py API_BASE LOG PORT_FILE TEST_NAME")
    base, log, port_file, test = sys.argv[1:]
    u = urllib.parse.urlsplit(base)
    Handler.stage = "/" + u.path.strip("/").split("/")[0] if u.path.strip("/") else ""
    Handler.target = (u.hostname, u.port or 80)
    Handler.origin = "%s://%s" % (u.scheme, u.netloc)
    Handler.log_path, Handler.test_name = log, test
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
