#!/usr/bin/python3
"""The API side of bench/model/record.sh (read that first): on a stack whose function talks to DynamoDB
through the recorder (ddb_record.py), makes one labelled API request at a time for each op label of
DESIGN19 §D (n = 1..3), then writes the trace: the meta line, a table line per table, the recorded call
lines, an item line per key the recorded calls touched (DESIGN19 §D).

    record_ops.py --api URL --recorder URL --ddb URL --cognito-env FILE --calls FILE --out FILE --root DIR

The trace, JSON lines, in this order:
  {"kind":"meta","tables":{TableName: role},"layout":{"shards":K,"journal_buckets":J,"pool_min_capacity":N},
   "concerts":{"small":id,"pooled":id},"recorded_at":ISO,"commit":rev,"short_found":n}
      roles from the function's environment (CONCERTS_TABLE -> concerts, COUNTERS_TABLE -> counters, ...), the
      layout constants from backend/lambda/include/layout.h; short_found: how many order.pooled.short
      instances really read the pools (a layout without pools has none: the instances are plain orders)
  {"kind":"table","name":TableName,"desc":DescribeTable's "Table"}                     one per table
  {"kind":"call","op":label,"n":1..3,"i":1..,"target":"GetItem","request":the body the function sent,
   "http":200,"error":"" or the __type without its prefix,"reasons":[CancellationReasons' codes],"ms":latency}
      in the order they were made (ddb_record.py)
  {"kind":"item","table":TableName,"item":the item at the end of the run}
      one per distinct key a recorded call named or was answered (read or written) that still exists
Op labels, one API request each, n = 1..3, one at a time: concert.create.small|pooled (500 and 20,000 seats),
order.small|pooled.q1..q4 (public POST /orders, card), checkin.small|pooled (the door operator),
refund.small|pooled (the manager, card: no shift), stats.small|pooled, order.pooled.short (an order of 4 whose
first pool was short, on a 2,000-seat pooled concert sold to 90 %), order.pooled.soldout and order.small.soldout
(an order of 1 once sold out).

Prints a line per phase on stderr; never a token, password, ticket code or e-mail. Python's standard library.
"""
import argparse
import concurrent.futures
import datetime
import hashlib
import hmac
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

SMALL_SEATS = 500
POOLED_SEATS = 20000
SOLDOUT_SEATS = 2000
INSTANCES = 3
SHORT_ATTEMPTS = 40
SELL_JOBS = 4          # unlabelled orders side by side (selling out)
PRESELL_Q = 15         # their size before the short orders: under half a pool (2,000 / 64 = 31 or 32 seats),
                       # so that each takes one pool, two of them leave a pool 1 or 2 seats, and an order of 4
                       # then finds its first pool short


T0 = time.monotonic()


def say(msg):
    print("record: %s (%.1f s)" % (msg, time.monotonic() - T0), file=sys.stderr, flush=True)


def post_json(url, body, headers=None, method="POST", timeout=60):
    """(status, parsed JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, None


class Cognito:
    def __init__(self, env_file):
        env = {}
        with open(env_file) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
        self.url, self.pool, self.client = env["COGNITO_URL"].rstrip("/") + "/", env["USER_POOL_ID"], env["CLIENT_ID"]
        self.manager, self.manager_pw = env["MANAGER_USER"], env["MANAGER_PASSWORD"]

    def call(self, op, body):
        return post_json(self.url, body, {"Content-Type": "application/x-amz-json-1.1",
                                          "X-Amz-Target": "AWSCognitoIdentityProviderService." + op})

    def token(self, user, password):
        st, d = self.call("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client,
                                           "AuthParameters": {"USERNAME": user, "PASSWORD": password}})
        tok = (d or {}).get("AuthenticationResult", {}).get("IdToken")
        if not tok:
            raise SystemExit("record: no ID token from the user pool (%s)" % ((d or {}).get("__type") or st))
        return tok

    def set_password(self, user, password):
        st, d = self.call("AdminSetUserPassword", {"UserPoolId": self.pool, "Username": user, "Password": password,
                                                   "Permanent": True})
        if st != 200:
            raise SystemExit("record: AdminSetUserPassword answered %d" % st)


class Driver:
    def __init__(self, a, roles):
        self.pools = "counters" in roles.values()
        self.api, self.rec, self.ddb_url = a.api.rstrip("/"), a.recorder.rstrip("/"), a.ddb.rstrip("/")
        self.cog = Cognito(a.cognito_env)
        self.rnd = random.Random()
        self.short_found = 0

    # ---- the recorder's label
    def label(self, op, n=1, drop=False, keep_if=None):
        st, d = post_json(self.rec + "/__label", {"op": op, "n": n, "drop": drop, "keep_if": keep_if})
        if st != 200:
            raise SystemExit("record: the recorder answered %d to a label" % st)
        return (d or {}).get("closed")

    def labelled(self, op, n, fn):
        """fn() as instance n of op: the label is set before and taken off after (nothing else runs)."""
        self.label(op, n)
        try:
            result = fn()
        except BaseException:
            self.label(None, drop=True)
            raise
        closed = self.label(None)
        if not closed or not closed.get("written"):
            raise SystemExit("record: %s #%d made no DynamoDB call" % (op, n))
        return result

    # ---- the API
    def call(self, method, path, body=None, token=None, expect=None):
        h = {"Authorization": token} if token else {}
        st, d = post_json(self.api + path, body, h, method=method)
        if expect is not None and st not in (expect if isinstance(expect, tuple) else (expect,)):
            err = (d or {}).get("error") if isinstance(d, dict) else None
            raise SystemExit("record: %s %s answered %d (%s)" % (method, path.split("/")[1], st, err))
        return st, d

    def concert(self, name, seats, max_per_order=10):
        _, d = self.call("POST", "/concerts", {"name": name, "date": "2027-06-01T19:00:00Z", "venue": "Model Hall",
                                               "availableTickets": seats, "ticketPrice": 20,
                                               "maxPerOrder": max_per_order}, self.manager, 201)
        return d["id"]

    def order(self, concert, q, expect=201):
        k = self.rnd.randrange(10 ** 9)
        return self.call("POST", "/orders", {"concertId": concert, "quantity": q, "customerName": "Model Buyer %d" % k,
                                             "customerEmail": "buyer-%d@example.com" % k,
                                             "payment": {"method": "card"}}, None, expect)

    def left(self, status, body):
        """Seats left from an order's refusal ("Only N tickets left", "No tickets available"), else None."""
        msg = (body or {}).get("error", "") if isinstance(body, dict) else ""
        m = re.search(r"Only (\d+) tickets? left", msg)
        if m:
            return int(m.group(1))
        if "No tickets available" in msg or "sold out" in msg.lower():
            return 0
        return None

    def available(self, concert):
        _, d = self.call("GET", "/concerts/%s" % concert, None, None, 200)
        return int(d["availableTickets"])

    def sell(self, concert, q, orders):
        """`orders` unlabelled orders of q, SELL_JOBS at a time (the recorder records none of them)."""
        with concurrent.futures.ThreadPoolExecutor(SELL_JOBS) as pool:
            for f in [pool.submit(self.order, concert, q) for _ in range(orders)]:
                f.result()

    def sell_out(self, concert, big):
        """Unlabelled orders of `big` (side by side while there is room for all of them, then one by one, then
        of what is left) until none is left."""
        self.sell(concert, big, max(0, self.available(concert) // big - SELL_JOBS))
        q = big
        for _ in range(10000):
            st, d = self.order(concert, q, expect=(201, 400, 409))
            if st == 201:
                continue
            left = self.left(st, d)
            if left is None:
                raise SystemExit("record: an order to sell out answered %d" % st)
            if left == 0:
                return
            q = min(big, left)
        raise SystemExit("record: the concert did not sell out")

    def operator(self):
        user = "model-door-%d@example.com" % self.rnd.randrange(10 ** 9)
        pw = "Door-%d-Aa1!" % self.rnd.randrange(10 ** 9)
        self.call("POST", "/operators", {"username": user, "name": "Model door", "group": "door",
                                         "temporaryPassword": pw}, self.manager, 201)
        self.cog.set_password(user, pw)
        return self.cog.token(user, pw)

    def run(self):
        self.label(None)
        self.manager = self.cog.token(self.cog.manager, self.cog.manager_pw)
        self.door = self.operator()
        say("signed in; a door operator made")
        ids = {}
        for kind, seats in (("small", SMALL_SEATS), ("pooled", POOLED_SEATS)):
            made = [self.labelled("concert.create." + kind, n,
                                  lambda n=n: self.concert("Model %s %d" % (kind, n), seats, 47))
                    for n in range(1, INSTANCES + 1)]
            ids[kind] = made[0]
        soldout = self.concert("Model sell-out", SOLDOUT_SEATS, 47)
        self.concerts = ids
        orders = {}
        for kind in ("small", "pooled"):
            for q in range(1, 5):
                for n in range(1, INSTANCES + 1):
                    _, d = self.labelled("order.%s.q%d" % (kind, q), n, lambda: self.order(ids[kind], q))
                    orders[(kind, q, n)] = d
        say("orders recorded")
        for kind in ("small", "pooled"):
            for n in range(1, INSTANCES + 1):
                t = orders[(kind, 4, n)]["tickets"][0]
                self.labelled("checkin.%s" % kind, n, lambda: self.call(
                    "POST", "/checkins", {"code": t["code"], "concertId": ids[kind],
                                          "nonce": "model-%d" % self.rnd.randrange(10 ** 12), "door": "Gate %d" % n},
                    self.door, 200))
            for n in range(1, INSTANCES + 1):
                o = orders[(kind, 2, n)]
                self.labelled("refund.%s" % kind, n, lambda: self.call(
                    "POST", "/orders/%s/refund" % o["id"], {"reason": "cannot come"}, self.manager, 200))
            for n in range(1, INSTANCES + 1):
                self.labelled("stats.%s" % kind, n, lambda: self.call(
                    "GET", "/concerts/%s/stats" % ids[kind], None, self.manager, 200))
        say("check-ins, refunds, stats recorded")
        self.short(soldout)
        say("short orders: %d read the pools" % self.short_found)
        self.sell_out(soldout, 47)
        for n in range(1, INSTANCES + 1):
            self.labelled("order.pooled.soldout", n, lambda: self.order(soldout, 1, expect=(400, 409)))
        self.sell_out(ids["small"], 47)
        for n in range(1, INSTANCES + 1):
            self.labelled("order.small.soldout", n, lambda: self.order(ids["small"], 1, expect=(400, 409)))
        say("sold out; short orders found: %d of %d" % (self.short_found, INSTANCES))

    def short(self, concert):
        """order.pooled.short: on the 2,000-seat pooled concert nearly sold out (unlabelled orders of 47 to 90 %),
        orders of 4 until INSTANCES of them made a BatchGetItem (the fallback read of the pools after a short
        pool); the others are dropped. When the attempts run out, the last ones are kept as they are, and the
        meta line says how many were short (`short_found`); a function without pools (no counters table:
        today's main) has no short order, and its first three orders of 4 are kept as they are."""
        self.sell(concert, PRESELL_Q, SOLDOUT_SEATS * 9 // 10 // PRESELL_Q)
        say("the 2,000-seat concert sold to 90 %")
        kept = 0
        attempts = SHORT_ATTEMPTS if self.pools else INSTANCES
        for attempt in range(attempts):
            if kept == INSTANCES:
                break
            must_keep = attempts - attempt <= INSTANCES - kept
            self.label("order.pooled.short", kept + 1)
            self.order(concert, 4, expect=(201, 400, 409))
            closed = self.label(None, keep_if=None if must_keep else "BatchGetItem")
            if closed and closed.get("written"):
                kept += 1
                self.short_found += "BatchGetItem" in closed.get("targets", [])

    # ---- the trace
    def ddb(self, target, body):
        st, d = post_json(self.ddb_url + "/", body, {
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + target,
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                             "SignedHeaders=host, Signature=0"})
        if st != 200:
            raise SystemExit("record: DynamoDB Local answered %d to %s" % (st, target))
        return d

    def write(self, root, calls, out, roles):
        layout = {}
        with open(os.path.join(root, "backend/lambda/include/layout.h")) as f:
            h = f.read()
        for key, name in (("shards", "LAYOUT_SHARDS"), ("journal_buckets", "LAYOUT_JOURNAL_BUCKETS"),
                          ("pool_min_capacity", "LAYOUT_POOL_MIN_CAPACITY")):
            m = re.search(r"#define\s+%s\s+(\d+)" % name, h)
            if not m:
                raise SystemExit("record: %s not found in layout.h" % name)
            layout[key] = int(m.group(1))
        try:
            commit = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True,
                                    check=True).stdout.strip()
            # the function recorded may not be HEAD's: changes not committed (a merge under way) say so
            if subprocess.run(["git", "-C", root, "diff-index", "--quiet", "HEAD", "--"]).returncode != 0:
                commit += "-dirty"
        except (OSError, subprocess.CalledProcessError):
            commit = ""
        meta = {"kind": "meta", "tables": roles, "layout": layout, "concerts": self.concerts,
                "recorded_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "commit": commit, "short_found": self.short_found}
        lines = [meta]
        for name in sorted(roles):
            lines.append({"kind": "table", "name": name, "desc": self.ddb("DescribeTable", {"TableName": name})["Table"]})
        with open(calls) as f:
            lines.extend(json.loads(x) for x in f if x.strip())
        st, d = post_json(self.rec + "/__keys", None, method="GET")
        keys = (d or {}).get("keys", [])
        for k in sorted(keys, key=lambda k: (k["table"], json.dumps(k["key"], sort_keys=True))):
            item = self.ddb("GetItem", {"TableName": k["table"], "Key": k["key"], "ConsistentRead": True}).get("Item")
            if item:
                lines.append({"kind": "item", "table": k["table"], "item": item})
        tmp = out + ".tmp"
        mask = Mask()
        with open(tmp, "w", encoding="utf-8") as f:
            for x in lines:
                f.write(mask(json.dumps(x, separators=(",", ":"))) + "\n")
        os.replace(tmp, out)
        n_calls = sum(1 for x in lines if x["kind"] == "call")
        n_items = sum(1 for x in lines if x["kind"] == "item")
        say("trace: %d calls, %d items, %d tables" % (n_calls, n_items, len(roles)))


class Mask:
    """Ticket codes and e-mail addresses never reach the trace in full: each is replaced, wherever it occurs
    (keys, items, conditions), by a stand-in of the same length and shape, the same stand-in for the same value
    within a run (a keyed hash with a key of this run, thrown away): keys stay distinct and consistent across
    the calls and the items, and every size the model computes is unchanged."""
    ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"     # Crockford's base32 (common/include/bo_code.h)
    CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){3}\b")
    EMAIL = re.compile(r"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")

    def __init__(self):
        self.key = os.urandom(32)

    def stand_in(self, value, alphabet):
        out, i = [], 0
        digest = b""
        while len(digest) < len(value):
            digest += hmac.new(self.key, ("%d:" % i).encode() + value.encode(), hashlib.sha256).digest()
            i += 1
        for ch, b in zip(value, digest):
            out.append(ch if ch in "-." else alphabet[b % len(alphabet)])
        return "".join(out)

    def __call__(self, text):
        text = self.CODE.sub(lambda m: self.stand_in(m.group(0), self.ALPHABET), text)
        return self.EMAIL.sub(lambda m: self.stand_in(m.group(1), "abcdefghijklmnopqrstuvwxyz0123456789") + "@" +
                              m.group(2), text)


def table_roles(root):
    """{TableName: role} from the function's environment (X_TABLE -> x) as the gateway resolves serverless.yml."""
    cfg = json.loads(subprocess.run([os.path.join(root, "backend/build/local-gateway"), "--print-config"],
                                    capture_output=True, text=True, check=True).stdout)
    fns = cfg["functions"]
    roles = {}
    for fn in (fns.values() if isinstance(fns, dict) else fns):
        for k, v in (fn.get("environment") or {}).items():
            if k.endswith("_TABLE") and isinstance(v, str):
                roles[v] = k[:-len("_TABLE")].lower()
    return roles


def main():
    p = argparse.ArgumentParser()
    for k in ("api", "recorder", "ddb", "cognito-env", "calls", "out", "root"):
        p.add_argument("--" + k, required=True)
    a = p.parse_args()
    roles = table_roles(a.root)
    d = Driver(a, roles)
    d.run()
    d.write(a.root, a.calls, a.out, roles)


if __name__ == "__main__":
    main()
