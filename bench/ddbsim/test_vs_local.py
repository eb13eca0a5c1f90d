"""The model against DynamoDB Local (docs/model.md, "What DynamoDB Local implements"): the same requests, sent to
both, for each rule Local implements; what it does not implement is asserted as found, so that a Local that
starts implementing it is noticed. Needs DDBSIM_LOCAL_URL (tests/scripts/test_ddbsim.sh starts Local); skipped
without it. DDBSIM_TRACE names the trace (default: the fixture)."""
import copy
import json
import os
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from ddbsim.model import Call, ItemOp, Params, Service  # noqa: E402
from ddbsim.trace import Trace  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TRACE = os.environ.get("DDBSIM_TRACE", os.path.join(HERE, "fixtures", "trace-fixture.jsonl"))
URL = os.environ.get("DDBSIM_LOCAL_URL", "")
AUTH = ("AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
        "Signature=0")
FINDINGS = []


def local(op, body):
    req = urllib.request.Request(URL, data=json.dumps(body).encode(), headers={
        "X-Amz-Target": "DynamoDB_20120810." + op, "Content-Type": "application/x-amz-json-1.0",
        "Authorization": AUTH})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def etype(body):
    return body.get("__type", "").rsplit("#", 1)[-1]


def local_units(body):
    """{table or table/index: units} from Local's ConsumedCapacity (INDEXES)."""
    out = {}
    cc = body.get("ConsumedCapacity") or []
    for c in cc if isinstance(cc, list) else [cc]:
        t = c["TableName"]
        out[t] = c.get("Table", {}).get("CapacityUnits", c.get("CapacityUnits", 0.0))
        for ix, v in (c.get("GlobalSecondaryIndexes") or {}).items():
            out[f"{t}/{ix}"] = v["CapacityUnits"]
    return {k: v for k, v in out.items() if v}


def sval(v):
    return next(iter(v.values()))


@unittest.skipUnless(URL, "DDBSIM_LOCAL_URL not set (tests/scripts/test_ddbsim.sh starts DynamoDB Local)")
class TestAgainstLocal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.trace = tr = Trace(TRACE)
        cls.prefix = f"ddbsim{os.getpid()}{int(time.time()) % 100000}-"
        cls.tables = {}
        for name, desc in tr.tables.items():
            new = cls.prefix + name
            body = {"TableName": new, "KeySchema": desc["KeySchema"], "BillingMode": "PAY_PER_REQUEST"}
            keys = {k["AttributeName"] for k in desc["KeySchema"]}
            gsis = []
            for g in desc.get("GlobalSecondaryIndexes", []):
                gsis.append({"IndexName": g["IndexName"], "KeySchema": g["KeySchema"],
                             "Projection": g.get("Projection", {"ProjectionType": "ALL"})})
                keys |= {k["AttributeName"] for k in g["KeySchema"]}
            if gsis:
                body["GlobalSecondaryIndexes"] = gsis
            types = {a["AttributeName"]: a["AttributeType"] for a in desc.get("AttributeDefinitions", [])}
            for a in keys - set(types):
                found = next((next(iter(it[a])) for (t, _), it in tr.items.items() if t == name and a in it), "S")
                types[a] = found if found in ("S", "N", "B") else "S"
            body["AttributeDefinitions"] = [{"AttributeName": a, "AttributeType": types[a]} for a in sorted(keys)]
            st, b = local("CreateTable", body)
            assert st == 200, b
            d = copy.deepcopy(desc)
            d["TableName"] = new
            cls.tables[new] = d
        cls.svc = Service(cls.tables, Params(jitter_sigma=0.0), kept_tables=list(cls.tables))
        for (t, key), item in tr.items.items():
            st, b = local("PutItem", {"TableName": cls.prefix + t, "Item": item})
            assert st == 200, b
            cls.svc.put_state(cls.prefix + t, key, item)
        cls.now = 0.0

    @classmethod
    def tearDownClass(cls):
        for t in cls.tables:
            local("DeleteTable", {"TableName": t})
        if FINDINGS:
            print("\nDynamoDB Local, as found:\n  " + "\n  ".join(FINDINGS), file=sys.stderr)

    # -- the model's side of a request
    def op_of(self, action, body):
        t = body["TableName"]
        attrs = [k["AttributeName"] for k in self.tables[t]["KeySchema"]]
        src = body.get("Key") or {a: body["Item"][a] for a in attrs}
        key = tuple((a, sval(src[a])) for a in attrs)
        return ItemOp(action, t, key, key[0][1], key[1][1] if len(key) > 1 else None, body=body)

    def model(self, target, items):
        self.__class__.now += 1000.0  # one request a second: no budget or lock in the way
        res, _ = self.svc.execute(Call(target, items), self.now)
        return res

    def renamed(self, body):
        b = copy.deepcopy(body)
        b["TableName"] = self.prefix + b["TableName"]
        return b

    def fresh_keys(self, action, body, tag):
        """A Put of the recording gets new key values (both sides get the same request)."""
        if action != "Put":
            return body
        t = body["TableName"][len(self.prefix):]
        for a in self.trace.key_attrs(t):
            v = body["Item"][a]
            (ty, x), = v.items()
            if ty == "S":
                body["Item"][a] = {"S": f"{x}-{tag}"}
        return body

    # -- rule 2 (and conditions): every recorded write, item by item
    def test_consumed_capacity_and_conditions_of_the_recorded_writes(self):
        agree = skipped = 0
        multi = []
        for (label, n), calls in sorted(self.trace.calls.items()):
            if n != 1:
                continue
            for c in calls:
                if c["target"] != "TransactWriteItems" or c["error"]:
                    continue
                items = []
                for j, it in enumerate(c["request"]["TransactItems"]):
                    (action, body), = it.items()
                    items.append((action, self.fresh_keys(action, self.renamed(body), f"{label}-{c['i']}-{j}")))
                for action, body in items:
                    try:
                        mres = self.model("TransactWriteItems", [self.op_of(action, body)])
                    except ValueError:  # an expression the model does not evaluate (list_append...)
                        skipped += 1
                        st, _ = local("TransactWriteItems", {"TransactItems": [{action: body}]})
                        self.svc._set((body["TableName"], self.op_of(action, body).key),
                                      self._local_item(body))
                        continue
                    st, lb = local("TransactWriteItems", {"TransactItems": [{action: body}],
                                                          "ReturnConsumedCapacity": "INDEXES"})
                    with self.subTest(op=label, action=action, table=body["TableName"]):
                        self.assertEqual(st == 200, mres.ok, (lb, mres))
                        if mres.ok:
                            self.assertEqual(local_units(lb), {k: v for k, v in (mres.by_table or {}).items() if v})
                        else:
                            self.assertEqual(etype(lb), mres.error)
                            got = [r.get("Code") for r in lb.get("CancellationReasons", [])]
                            self.assertEqual(got, mres.reasons)
                        agree += 1
                if len(items) > 1:
                    multi.append((label, len(items)))
        self.assertGreater(agree, 0)
        FINDINGS.append(f"ConsumedCapacity: agrees with the model on {agree} recorded items one by one "
                        f"({skipped} not evaluated by the model)")
        # a whole multi-item transaction: what Local reports against the sum of its items
        # the largest recorded transaction (a pooled concert's creation: 67 items, when recorded)
        label, c = max(((lb, c) for (lb, n), cs in sorted(self.trace.calls.items()) if n == 1 for c in cs
                        if c["target"] == "TransactWriteItems" and not c["error"]),
                       key=lambda x: len(x[1]["request"]["TransactItems"]))
        body = {"TransactItems": [], "ReturnConsumedCapacity": "INDEXES"}
        ops = []
        for j, it in enumerate(c["request"]["TransactItems"]):
            (action, b), = it.items()
            b = self.fresh_keys(action, self.renamed(b), f"whole-{j}")
            body["TransactItems"].append({action: b})
            ops.append(self.op_of(action, b))
        mres = self.model("TransactWriteItems", ops)
        st, lb = local("TransactWriteItems", body)
        self.assertEqual(st == 200, mres.ok, lb)
        lsum, msum = sum(local_units(lb).values()), sum((mres.by_table or {}).values())
        FINDINGS.append(f"a whole TransactWriteItems of {len(ops)} items ({label}): Local reports {lsum} units, "
                        f"the sum of its items is {msum}" + (" (Local does not add the items up)"
                                                             if lsum != msum else ""))

    def _local_item(self, body):
        t = body["TableName"]
        attrs = [k["AttributeName"] for k in self.tables[t]["KeySchema"]]
        src = body.get("Key") or {a: body["Item"][a] for a in attrs}
        st, b = local("GetItem", {"TableName": t, "Key": {a: src[a] for a in attrs}, "ConsistentRead": True})
        return b.get("Item")

    # -- reads
    def test_read_units(self):
        (t, key), item = next(((t, k), it) for (t, k), it in self.trace.items.items())
        t2 = self.prefix + t
        keymap = {a: item[a] for a, _ in key}
        for cons in (True, False):
            st, lb = local("GetItem", {"TableName": t2, "Key": keymap, "ConsistentRead": cons,
                                       "ReturnConsumedCapacity": "TOTAL"})
            op = ItemOp("Get", t2, key, key[0][1])
            res, _ = self.svc.execute(Call("GetItem", [op], "strong" if cons else "eventual"), self.now)
            self.assertEqual(lb["ConsumedCapacity"]["CapacityUnits"], res.rcu)
        FINDINGS.append("read units (strong 1, eventual 0.5 per 4 KB): agree")

    # -- limits
    def test_transaction_limits(self):
        t = self.prefix + self.trace.table_of["codes"]
        attr = self.trace.key_attrs(self.trace.table_of["codes"])[0]

        def puts(n, pad=0, tag="l"):
            return [{"Put": {"TableName": t, "Item": {attr: {"S": f"{tag}{i}"}, **({"p": {"S": "x" * pad}}
                                                                                  if pad else {})}}}
                    for i in range(n)]
        for n, pad, tag in ((101, 0, "a"), (100, 0, "b"), (11, 390000, "c"), (10, 390000, "d")):
            body = puts(n, pad, tag)
            st, lb = local("TransactWriteItems", {"TransactItems": body})
            mres = self.model("TransactWriteItems", [self.op_of("Put", x["Put"]) for x in body])
            with self.subTest(items=n, pad=pad):
                self.assertEqual(st == 200, mres.ok, lb)
                if not mres.ok:
                    self.assertEqual(etype(lb), mres.error)
        FINDINGS.append("limits (100 items, 4 MB a transaction, 400 KB an item): agree")

    # -- conditions on the seats
    def test_seat_condition(self):
        ct = self.prefix + self.trace.table_of["concerts"]
        cid = self.trace.concerts["small"]
        item = self.svc.get_state(ct, (("id", cid),))
        left = int(item["availableTickets"]["N"])
        upd = {"TableName": ct, "Key": {"id": {"S": cid}},
               "UpdateExpression": "SET #a = #a - :q", "ConditionExpression": "attribute_exists(#id) AND #a >= :q",
               "ExpressionAttributeNames": {"#a": "availableTickets", "#id": "id"},
               "ExpressionAttributeValues": {":q": {"N": str(left + 1)}}}
        codes = self.prefix + self.trace.table_of["codes"]
        attr = self.trace.key_attrs(self.trace.table_of["codes"])[0]
        put = {"TableName": codes, "Item": {attr: {"S": "seat-cond"}}}
        st, lb = local("TransactWriteItems", {"TransactItems": [{"Put": put}, {"Update": upd}]})
        mres = self.model("TransactWriteItems", [self.op_of("Put", put), self.op_of("Update", upd)])
        self.assertEqual((etype(lb), [r.get("Code") for r in lb.get("CancellationReasons", [])]),
                         (mres.error, mres.reasons))
        self.assertEqual(mres.reasons, ["None", "ConditionalCheckFailed"])
        FINDINGS.append("a failed condition is named at its index (TransactionCanceled reasons): agree")

    # -- rule 1: conflicts
    def test_transaction_conflicts(self):
        """Overlapping transactions on one item, 8 clients at once: the model cancels an overlapping one with
        TransactionConflict; Local is asked the same. If Local ever answers a conflict, the model must too (it
        does for any overlap); if it never does, that is recorded as found."""
        ct = self.prefix + self.trace.table_of["concerts"]
        cid = self.trace.concerts["small"]
        seen = {}
        lock = threading.Lock()

        def worker(w):
            for i in range(10):
                items = [{"Update": {"TableName": ct, "Key": {"id": {"S": cid}}, "UpdateExpression": "ADD #n :one",
                                     "ExpressionAttributeNames": {"#n": "probe"},
                                     "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
                st, b = local("TransactWriteItems", {"TransactItems": items})
                key = "ok" if st == 200 else etype(b) + ":" + ",".join(
                    r.get("Code", "") for r in b.get("CancellationReasons", []))
                with lock:
                    seen[key] = seen.get(key, 0) + 1
        ts = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
        for x in ts:
            x.start()
        for x in ts:
            x.join()
        upd = {"TableName": ct, "Key": {"id": {"S": cid}}, "UpdateExpression": "ADD #n :one",
               "ExpressionAttributeNames": {"#n": "probe"}, "ExpressionAttributeValues": {":one": {"N": "1"}}}
        now = self.now + 1000.0
        a, svc_ms = self.svc.execute(Call("TransactWriteItems", [self.op_of("Update", upd)]), now)
        b, _ = self.svc.execute(Call("TransactWriteItems", [self.op_of("Update", upd)]), now + svc_ms / 2)
        self.__class__.now = now + 1000.0
        self.assertTrue(a.ok)
        self.assertEqual(b.reasons, ["TransactionConflict"])
        conflicts = sum(v for k, v in seen.items() if "TransactionConflict" in k)
        self.assertEqual(sum(seen.values()), 80)
        if conflicts:
            FINDINGS.append(f"transaction conflicts: Local cancelled {conflicts} of 80 overlapping transactions "
                            "with TransactionConflict, as the model does")
        else:
            self.assertEqual(seen, {"ok": 80})
            FINDINGS.append("transaction conflicts: Local answered all 80 overlapping transactions on one item "
                            "with success (it serialises them): the rule is the model's alone")


if __name__ == "__main__":
    unittest.main()
