"""Unit tests of the model's rules (model.py), one class per rule of docs/model.md."""
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from ddbsim import model as m  # noqa: E402
from ddbsim.model import Call, ItemOp, Params, Service  # noqa: E402

S = lambda v: {"S": v}  # noqa: E731
N = lambda v: {"N": str(v)}  # noqa: E731

TABLES = {
    "T": {"TableName": "T", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]},
    "J": {"TableName": "J", "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"},
                                          {"AttributeName": "sk", "KeyType": "RANGE"}],
          "GlobalSecondaryIndexes": [{"IndexName": "byC", "KeySchema": [{"AttributeName": "c", "KeyType": "HASH"}],
                                      "Projection": {"ProjectionType": "ALL"}}]},
}


def quiet(**kw):
    kw.setdefault("jitter_sigma", 0.0)
    return Params(**kw)


def upd(table, key, expr, cond=None, values=None):
    body = {"UpdateExpression": expr, "ExpressionAttributeValues": values or {}}
    if cond:
        body["ConditionExpression"] = cond
    return ItemOp("Update", table, (("id", key),), key, body=body)


def put(table, key, item, sk=None):
    k = (("id", key),) if sk is None else (("day", key), ("sk", sk))
    return ItemOp("Put", table, k, key, sk, body={"Item": item}, image=item)


def get(table, key):
    return ItemOp("Get", table, (("id", key),), key)


class TestConflicts(unittest.TestCase):
    """Rule 1: item-level transaction conflicts."""

    def setUp(self):
        self.s = Service(TABLES, quiet(), kept_tables=["T"])
        self.s.put_state("T", (("id", "a"),), {"id": S("a"), "n": N(5)})

    def test_transaction_holds_its_items_until_commit(self):
        r1, t1 = self.s.execute(Call("TransactWriteItems", [upd("T", "a", "ADD n :one", values={":one": N(1)}),
                                                            upd("T", "b", "ADD n :one", values={":one": N(1)})]), 0.0)
        self.assertTrue(r1.ok)
        self.assertAlmostEqual(t1, 2 * 5.0 + 0.2)
        r2, _ = self.s.execute(Call("TransactWriteItems", [put("T", "c", {"id": S("c")}),
                                                           upd("T", "a", "ADD n :one", values={":one": N(1)})]), 3.0)
        self.assertFalse(r2.ok)
        self.assertEqual(r2.error, "TransactionCanceledException")
        self.assertEqual(r2.reasons, ["None", "TransactionConflict"])
        r3, _ = self.s.execute(Call("TransactWriteItems", [upd("T", "a", "ADD n :one", values={":one": N(1)})]),
                               t1 + 0.01)
        self.assertTrue(r3.ok)

    def test_single_write_on_held_item_gets_transaction_conflict_exception(self):
        self.s.execute(Call("TransactWriteItems", [upd("T", "a", "ADD n :one", values={":one": N(1)})]), 0.0)
        r, _ = self.s.execute(Call("UpdateItem", [upd("T", "a", "ADD n :one", values={":one": N(1)})]), 1.0)
        self.assertEqual(r.error, "TransactionConflictException")
        for target in ("PutItem", "DeleteItem"):
            op = put("T", "a", {"id": S("a")}) if target == "PutItem" else ItemOp("Delete", "T", (("id", "a"),), "a")
            r, _ = self.s.execute(Call(target, [op]), 1.0)
            self.assertEqual(r.error, "TransactionConflictException")

    def test_reads_never_conflict_and_see_the_last_committed(self):
        self.s.execute(Call("TransactWriteItems", [upd("T", "a", "ADD n :one", values={":one": N(1)})]), 0.0)
        for target in ("GetItem", "BatchGetItem"):
            r, _ = self.s.execute(Call(target, [get("T", "a")]), 1.0)
            self.assertTrue(r.ok)
            self.assertEqual(r.items[("T", (("id", "a"),))]["n"], N(5))
        r, _ = self.s.execute(Call("GetItem", [get("T", "a")]), 100.0)
        self.assertEqual(r.items[("T", (("id", "a"),))]["n"], {"N": "6"})

    def test_condition_check_and_delete_take_part(self):
        cc = ItemOp("ConditionCheck", "T", (("id", "a"),), "a", body={"ConditionExpression": "attribute_exists(id)"})
        r, _ = self.s.execute(Call("TransactWriteItems", [cc]), 0.0)
        self.assertTrue(r.ok)
        r, _ = self.s.execute(Call("TransactWriteItems", [ItemOp("Delete", "T", (("id", "a"),), "a")]), 1.0)
        self.assertEqual(r.reasons, ["TransactionConflict"])

    def test_failed_condition_is_named_at_its_index(self):
        r, _ = self.s.execute(Call("TransactWriteItems", [
            put("T", "z", {"id": S("z")}),
            upd("T", "a", "SET n = n - :q", "n >= :q", {":q": N(6)})]), 0.0)
        self.assertEqual(r.reasons, ["None", "ConditionalCheckFailed"])
        self.assertEqual(self.s.get_state("T", (("id", "a"),))["n"], N(5))


class TestSizesAndUnits(unittest.TestCase):
    """Rule 2: item sizes as DynamoDB computes them, and the units billed."""

    def test_sizes(self):
        self.assertEqual(m.item_size({"ab": S("héllo")}), 2 + 6)
        self.assertEqual(m.number_size("12345"), 4)       # 5 digits: 3 + 1
        self.assertEqual(m.number_size("-0.0012300"), 3)  # 123: 2 + 1 (leading and trailing zeroes trimmed)
        self.assertEqual(m.number_size("100"), 2)
        self.assertEqual(m.item_size({"b": {"BOOL": True}, "n": {"NULL": True}}), 4)
        self.assertEqual(m.item_size({"l": {"L": [S("ab"), N(7)]}}), 1 + 3 + (2 + 1) + (2 + 1))
        self.assertEqual(m.item_size({"m": {"M": {"k": S("v")}}}), 1 + 3 + (1 + 1 + 1))
        self.assertEqual(m.item_size({"x": {"B": "AAEC"}}), 1 + 3)

    def test_write_units(self):
        self.assertEqual(m.write_units(0, 1024), 1)
        self.assertEqual(m.write_units(0, 1025), 2)
        self.assertEqual(m.write_units(3000, 500), 3)  # the larger of before and after
        self.assertEqual(m.write_units(0, 1024, transactional=True), 2)
        self.assertEqual(m.condition_check_units(100), 2)
        self.assertEqual(m.condition_check_units(5000), 4)

    def test_read_units(self):
        self.assertEqual(m.read_units(4096), 1)
        self.assertEqual(m.read_units(4097), 2)
        self.assertEqual(m.read_units(100, "eventual"), 0.5)
        self.assertEqual(m.read_units(5000, "transactional"), 4)

    def test_gsi_write_and_sparse_index(self):
        s = Service(TABLES, quiet())
        item = {"day": S("d"), "sk": S("1"), "c": S("concert"), "x": S("y" * 1500)}
        r, _ = s.execute(Call("TransactWriteItems", [put("J", "d", item, "1")]), 0.0)
        self.assertEqual(r.by_table, {"J": 4, "J/byC": 4})  # 2 KB: 2 x 2 transactional, on the index too
        item2 = {"day": S("d"), "sk": S("2")}
        r, _ = s.execute(Call("PutItem", [put("J", "d", item2, "2")]), 100.0)
        self.assertEqual(r.by_table, {"J": 1})


class TestLimits(unittest.TestCase):
    def test_transaction_limits(self):
        s = Service(TABLES, quiet())
        many = [put("T", f"k{i}", {"id": S(f"k{i}")}) for i in range(101)]
        r, _ = s.execute(Call("TransactWriteItems", many), 0.0)
        self.assertEqual(r.error, "ValidationException")
        r, _ = s.execute(Call("TransactWriteItems", many[:100]), 0.0)
        self.assertTrue(r.ok)
        big = [put("T", f"b{i}", {"id": S(f"b{i}"), "p": S("x" * 390000)}) for i in range(11)]
        r, _ = s.execute(Call("TransactWriteItems", big), 100.0)
        self.assertEqual(r.error, "ValidationException")
        r, _ = s.execute(Call("TransactWriteItems", big[:10]), 5000.0)
        self.assertTrue(r.ok)
        r, _ = s.execute(Call("PutItem", [put("T", "h", {"id": S("h"), "p": S("x" * 409600)})]), 9000.0)
        self.assertEqual(r.error, "ValidationException")


class TestPartitions(unittest.TestCase):
    """Rule 3: partitions, their write and read budgets, GSI back-pressure, split for heat."""

    def test_defaults_cited(self):
        p = Params()
        self.assertEqual((p.partition_wcu, p.partition_rcu, p.initial_partitions), (1000, 3000, 4))
        self.assertEqual(len(m.KeySpace("t", p).parts), 4)
        self.assertEqual(len(m.KeySpace("t", Params(warm_wcu=40000)).parts), 40)

    def test_one_partition_takes_1000_wcu_a_second(self):
        s = Service(TABLES, quiet(), kept_tables=["T"])
        ok = 0
        for i in range(2000):  # 2,000 single writes of one item within half a second
            r, _ = s.execute(Call("UpdateItem", [upd("T", "hot", "ADD n :one", values={":one": N(1)})]), i * 0.25)
            ok += r.ok
            if not r.ok:
                self.assertEqual(r.error, "ProvisionedThroughputExceededException")
        self.assertAlmostEqual(ok, 1000 + 500, delta=2)  # a second's units at once, then 1,000 a second
        s2 = Service(TABLES, quiet(), kept_tables=["T"])
        for i in range(1000):
            s2.execute(Call("UpdateItem", [upd("T", "hot", "ADD n :one", values={":one": N(1)})]), 0.0)
        r, _ = s2.execute(Call("GetItem", [get("T", "hot")]), 0.0)  # reads have their own budget
        self.assertTrue(r.ok)
        r, _ = s2.execute(Call("TransactWriteItems", [upd("T", "hot", "ADD n :one", values={":one": N(1)})]), 0.5)
        self.assertEqual(r.reasons, ["ThrottlingError"])

    def test_gsi_partition_over_budget_throttles_the_base_write(self):
        s = Service(TABLES, quiet())
        results = []
        for i in range(700):  # distinct base keys (spread), one index key: 2 WCU each on it, over 70 ms
            item = {"day": S(f"d{i}"), "sk": S("1"), "c": S("same"), "x": S("y" * 1100)}
            r, _ = s.execute(Call("PutItem", [put("J", f"d{i}", item, "1")]), i * 0.1)
            results.append(r.ok)
        self.assertIn(False, results)  # the index's partition (2 WCU per entry) ran out first
        self.assertAlmostEqual(results.count(True), (1000 + 70) / 2, delta=1)

    def test_split_for_heat(self):
        p = quiet(split_delay_s=2.0)
        ks = m.KeySpace("t", p)
        part, _ = ks.find("k0")
        keys = [f"k{i}" for i in range(5000) if ks.find(f"k{i}")[0] is part][:50]
        t = 0.0
        while t < 4000.0:
            for k in keys:
                part = ks.find(k)[0]
                part.note(t, k, None, 18.0, True)
                ks.heat(part, t)
            t += 100.0
        self.assertEqual(ks.splits, 1)
        self.assertEqual(len(ks.parts), 5)

    def test_no_split_for_one_item_or_a_growing_sort_key(self):
        for case in ("item", "sk"):
            ks = m.KeySpace("t", quiet(split_delay_s=1.0))
            t, i = 0.0, 0
            while t < 3000.0:
                part = ks.find("one")[0]
                part.note(t, "one", f"{i:08d}" if case == "sk" else None, 90.0, True)
                ks.heat(part, t)
                t += 50.0
                i += 1
            self.assertEqual(ks.splits, 0)
            self.assertEqual(part.refused, "one partition key whose sort key only grows" if case == "sk" else "one item")


class TestLatency(unittest.TestCase):
    """Rule 4: a call's service time; a transaction is two phases and holds its items for its time."""

    def test_medians(self):
        p, rng = quiet(), random.Random(1)
        self.assertEqual(m.service_ms(p, "GetItem", 1, rng), 3.0)
        self.assertEqual(m.service_ms(p, "UpdateItem", 1, rng), 5.0)
        self.assertAlmostEqual(m.service_ms(p, "TransactWriteItems", 10, rng), 2 * 5.0 + 1.0)
        lat = sorted(m.service_ms(Params(), "GetItem", 1, rng) for _ in range(5000))
        self.assertLess(lat[int(0.99 * len(lat))], 10.0)  # single-digit milliseconds

    def test_hold_equals_service_time(self):
        s = Service(TABLES, Params(), kept_tables=["T"], seed=3)
        r, t = s.execute(Call("TransactWriteItems", [upd("T", "a", "ADD n :one", values={":one": N(1)})]), 0.0)
        self.assertTrue(s.locks.held(("T", (("id", "a"),)), t - 0.001))
        self.assertFalse(s.locks.held(("T", (("id", "a"),)), t))


class TestExpressions(unittest.TestCase):
    def test_conditions_and_updates(self):
        item = {"id": S("a"), "avail": N(3)}
        names, vals = {"#a": "avail", "#id": "id"}, {":q": N(3), ":v": N("12.50")}
        self.assertTrue(m.condition_holds("attribute_exists(#id) AND #a >= :q", item, names, vals))
        self.assertFalse(m.condition_holds("#a > :q", item, names, vals))
        self.assertFalse(m.condition_holds("attribute_exists(#id)", None, names, vals))
        out = m.apply_update("SET #a = #a - :q ADD sold :q, rev :v", item, names, vals, {})
        self.assertEqual((out["avail"], out["sold"], out["rev"]), (N(0), N(3), N("12.50")))
        with self.assertRaises(ValueError):
            m.condition_holds("size(#a) > :q", item, names, vals)


if __name__ == "__main__":
    unittest.main()
