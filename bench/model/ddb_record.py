#!/usr/bin/python3
"""The recorder of the function's DynamoDB requests (issue 19, DESIGN19 §D): an HTTP proxy that the function's
DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB, the gateway's --dynamodb-endpoint) points at. Every request goes
on unchanged (but for the hop-by-hop headers) to DynamoDB Local; while a label is set, each one is written as a
`call` line of the trace:

    {"kind":"call","op":LABEL,"n":N,"i":INDEX,"target":"GetItem","request":BODY,"http":200,"error":"",
     "reasons":[...],"ms":LATENCY}

    ddb_record.py DDB_URL CALLS_OUT PORT_FILE

DDB_URL is DynamoDB Local (http://127.0.0.1:PORT). Listens on 127.0.0.1 on a port of the system's choosing and
writes it to PORT_FILE once it accepts. The control requests (never forwarded):
  POST /__label {"op": LABEL, "n": N}   the calls from now on are instance N of LABEL ({"op": null}: stop
                                        recording); the instance that was open is closed. With "drop": true
                                        the closed instance is thrown away; with "keep_if": TARGET it is
                                        written only when one of its calls was a TARGET (the driver keeps
                                        only instances that show what it looks for). Answers {"closed": {"op", "n",
                                        "targets": [...], "written": bool} or null}.
  GET /__keys                           every key the written calls touched: {"keys": [{"table", "key"}]},
                                        from the requests (Key, Item, Keys, each transaction item) and the
                                        answers (Item, Items, Responses, Attributes), by each table's key
                                        schema (one DescribeTable per table, the recorder's own, unrecorded).
The instance's lines are kept in memory until it closes, then appended to CALLS_OUT. What is written is the
request body the function sent (the DynamoDB JSON: keys, items, conditions) and never a header: the
SigV4 Authorization and the session token go to DynamoDB Local and nowhere else; this process logs nothing
per request. Ends when its parent process ends. Python's standard library only.
"""
import http.client
import http.server
import json
import os
import socketserver
import sys
import threading
import time
import urllib.parse

HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
       "trailer", "transfer-encoding", "upgrade", "expect"}


def short_type(t):
    """`com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` -> `ConditionalCheckFailedException`."""
    return (t or "").rsplit("#", 1)[-1]


class Recorder:
    """The label, the open instance's lines, the touched keys; one lock for all of it."""

    def __init__(self, ddb, out):
        self.ddb = ddb            # (host, port)
        self.out = out
        self.lock = threading.Lock()
        self.op = None
        self.n = 0
        self.lines = []           # the open instance's call lines
        self.touched = []         # (table, key) of the open instance
        self.keys = {}            # (table, canonical key JSON) -> (table, key), written instances only
        self.schemas = {}         # table -> [key attribute names]

    def key_names(self, table):
        with self.lock:
            if table in self.schemas:
                return self.schemas[table]
        names = []
        c = http.client.HTTPConnection(*self.ddb, timeout=30)
        try:
            c.request("POST", "/", body=json.dumps({"TableName": table}), headers={
                "X-Amz-Target": "DynamoDB_20120810.DescribeTable", "Content-Type": "application/x-amz-json-1.0",
                "Authorization": "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                                 "SignedHeaders=host, Signature=0"})
            r = c.getresponse()
            d = json.loads(r.read() or b"{}")
            names = [k["AttributeName"] for k in d.get("Table", {}).get("KeySchema", [])]
        except (OSError, ValueError, http.client.HTTPException):
            names = []
        finally:
            c.close()
        with self.lock:
            if names:
                self.schemas[table] = names
        return names

    def keys_of(self, target, req, resp):
        """(table, key) of every item the request names or the answer returns."""
        out = []

        def item_key(table, item):
            names = self.key_names(table)
            if names and isinstance(item, dict) and all(n in item for n in names):
                out.append((table, {n: item[n] for n in names}))

        t = req.get("TableName")
        if target in ("GetItem", "UpdateItem", "DeleteItem") and t:
            item_key(t, req.get("Key"))
        if target == "PutItem" and t:
            item_key(t, req.get("Item"))
        if target == "TransactWriteItems":
            for x in req.get("TransactItems", []):
                for kind, body in x.items():
                    if kind == "Put":
                        item_key(body.get("TableName"), body.get("Item"))
                    else:
                        item_key(body.get("TableName"), body.get("Key"))
        if target == "TransactGetItems":
            for x in req.get("TransactItems", []):
                g = x.get("Get", {})
                item_key(g.get("TableName"), g.get("Key"))
        if target == "BatchGetItem":
            for table, spec in req.get("RequestItems", {}).items():
                for k in spec.get("Keys", []):
                    item_key(table, k)
        if target == "BatchWriteItem":
            for table, reqs in req.get("RequestItems", {}).items():
                for r in reqs:
                    if "PutRequest" in r:
                        item_key(table, r["PutRequest"].get("Item"))
                    elif "DeleteRequest" in r:
                        item_key(table, r["DeleteRequest"].get("Key"))
        if isinstance(resp, dict):
            if t and isinstance(resp.get("Item"), dict):
                item_key(t, resp["Item"])
            if t and isinstance(resp.get("Items"), list):       # Query, Scan
                for it in resp["Items"]:
                    item_key(t, it)
            if isinstance(resp.get("Responses"), dict):          # BatchGetItem
                for table, items in resp["Responses"].items():
                    for it in items:
                        item_key(table, it)
        return out

    def record(self, target, req, status, resp, ms):
        with self.lock:
            op, n = self.op, self.n
        if op is None:
            return
        touched = self.keys_of(target, req, resp)
        reasons = []
        if isinstance(resp, dict) and isinstance(resp.get("CancellationReasons"), list):
            reasons = [r.get("Code", "None") for r in resp["CancellationReasons"]]
        with self.lock:
            if self.op != op or self.n != n:   # the label moved while this call ran: it belongs to none
                return
            self.lines.append({"kind": "call", "op": op, "n": n, "i": len(self.lines) + 1, "target": target,
                               "request": req, "http": status,
                               "error": short_type(resp.get("__type")) if isinstance(resp, dict) else "",
                               "reasons": reasons, "ms": round(ms, 3)})
            self.touched.extend(touched)

    def label(self, op, n, drop, keep_if=None):
        with self.lock:
            closed = None
            if self.op is not None:
                written = not drop and bool(self.lines)
                if keep_if:
                    written = written and any(x["target"] == keep_if for x in self.lines)
                closed = {"op": self.op, "n": self.n, "targets": [x["target"] for x in self.lines],
                          "written": written}
                if written:
                    with open(self.out, "a", encoding="utf-8") as f:
                        for x in self.lines:
                            f.write(json.dumps(x, separators=(",", ":")) + "\n")
                    for table, key in self.touched:
                        self.keys[(table, json.dumps(key, sort_keys=True))] = (table, key)
            self.op, self.n, self.lines, self.touched = op, n, [], []
            return closed

    def all_keys(self):
        with self.lock:
            return [{"table": t, "key": k} for t, k in self.keys.values()]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    rec = None
    up = None

    def log_message(self, format, *args):  # nothing per request
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
        return self.rfile.read(n) if n > 0 else b""

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response_only(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def control(self, body):
        if self.path == "/__label" and self.command == "POST":
            try:
                d = json.loads(body or b"{}")
                op, n, drop = d.get("op"), int(d.get("n", 1)), bool(d.get("drop", False))
                keep_if = d.get("keep_if")
                if (op is not None and not isinstance(op, str)) or (keep_if is not None and not isinstance(keep_if, str)):
                    raise ValueError("op")
            except (ValueError, TypeError):
                self.answer(400, {"error": "body: {\"op\": label or null, \"n\": number, \"drop\": bool, \"keep_if\": target}"})
                return
            self.answer(200, {"closed": self.rec.label(op, n, drop, keep_if)})
        elif self.path == "/__keys" and self.command == "GET":
            self.answer(200, {"keys": self.rec.all_keys()})
        else:
            self.answer(404, {"error": "no such control"})

    def relay(self):
        body = self.read_body()
        if self.path.startswith("/__"):
            self.control(body)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        t0 = time.monotonic()
        for attempt in (0, 1):  # a kept connection DynamoDB Local closed meanwhile: once more on a new one
            if self.up is None:
                self.up = http.client.HTTPConnection(*self.rec.ddb, timeout=300)
            try:
                self.up.request(self.command, self.path, body=body, headers=headers)
                resp = self.up.getresponse()
                data = resp.read()
                break
            except (OSError, http.client.HTTPException):
                self.up.close()
                self.up = None
                if attempt == 1:
                    self.close_connection = True
                    return
                t0 = time.monotonic()
        ms = (time.monotonic() - t0) * 1000.0
        target = (self.headers.get("X-Amz-Target") or "").rsplit(".", 1)[-1]
        try:
            req = json.loads(body or b"{}")
            parsed = json.loads(data or b"{}")
        except ValueError:
            req, parsed = None, None
        if target and isinstance(req, dict):
            self.rec.record(target, req, resp.status, parsed, ms)
        out = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP and k.lower() != "content-length"]
        try:
            self.send_response_only(resp.status, resp.reason or "")
            for k, v in out:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = relay


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def watch_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: ddb_record.py DDB_URL CALLS_OUT PORT_FILE")
    url, out, port_file = sys.argv[1:]
    u = urllib.parse.urlsplit(url)
    Handler.rec = Recorder((u.hostname, u.port or 80), out)
    open(out, "a").close()
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
