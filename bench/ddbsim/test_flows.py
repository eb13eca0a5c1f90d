"""The flows replay the recorded requests: for every recorded operation, the flow for one uncontended client emits
exactly the recorded sequence of calls (targets, tables, number of items); and the function's retry policy is the
C library's (policy.py), driven by the model's clock. DDBSIM_TRACE names another trace (default: the fixture)."""
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from ddbsim import flows, policy as pol, workload  # noqa: E402
from ddbsim.flows import Mapper, parse_call  # noqa: E402
from ddbsim.model import Params  # noqa: E402
from ddbsim.sim import T0, Sim  # noqa: E402
from ddbsim.trace import Trace  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TRACE = os.environ.get("DDBSIM_TRACE", os.path.join(HERE, "fixtures", "trace-fixture.jsonl"))


def shape_of_record(trace, rec):
    target, parsed, _ = parse_call(trace, rec)
    return target, [t for _, t, _, _ in parsed]


def shape_of_call(call):
    return call.target, [op.table.split("/", 1)[0] for op in call.items]


def run_one(trace, layout, label, seats=1000, prepare=None, seed=5):
    ctx = workload.setup(trace, layout, seats, Params(), seed=seed)
    if prepare:
        prepare(ctx)
    emitted = []
    sim = Sim(ctx.service, ctx.policy, random.Random(seed), trace_calls=emitted)
    done = []
    m = Mapper(ctx, 1, 1, 0, sim.now)
    gen = flows.flow_for(label)(ctx, label, m, sim.now, sim.now + 10000.0, sim.clock)
    sim.start(gen, 10000.0, done.append)
    sim.run()
    return emitted, done[0].outcome, ctx


class TestFlowsReplayTheRecording(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.trace = Trace(TRACE)

    def prepare_for(self, label):
        """The state in which the recorded instance ran: sold out, or the first pool short."""
        if label.endswith(".soldout"):
            return 0, None
        if label.startswith("concert.create"):
            def fresh(ctx):  # the concert does not exist yet
                for k in list(ctx.service.state):
                    ctx.service._set(k, None)
            return 1000, fresh
        if label == "order.pooled.short" and "counters" in self.trace.table_of:
            def short(ctx):
                first = ctx.policy.pick(random.Random(5).getrandbits(32), ctx.K, 0)
                for k in range(ctx.K):
                    key = (("id", f"{ctx.concert}#{k}"),)
                    item = dict(ctx.service.get_state(ctx.T["counters"], key))
                    item["available"] = {"N": "10" if k == (first + 1) % ctx.K else "0"}
                    ctx.service.put_state(ctx.T["counters"], key, item)
            return 1000, short
        return 1000, None

    def test_every_recorded_operation(self):
        ops = self.trace.ops()
        self.assertTrue(ops)
        for label in ops:
            # a trace recorded before the pooled layout (no counters table) has today's calls for both concerts
            layout = "pooled" if ".pooled" in label and "counters" in self.trace.table_of else "small"
            with self.subTest(op=label):
                seats, prep = self.prepare_for(label)
                emitted, outcome, _ = run_one(self.trace, layout, label, seats, prep)
                want = [shape_of_record(self.trace, r) for r in self.trace.instance(label)]
                got = [shape_of_call(c) for c in emitted]
                self.assertEqual(got, want)
                kind = "sold_out" if label.endswith("soldout") else "ok"
                self.assertEqual(outcome.kind, kind, outcome)


class TestRetryPolicyThroughCtypes(unittest.TestCase):
    def setUp(self):
        self.p = pol.Policy()

    def test_classification(self):
        conflict = pol.make_error("TransactionCanceledException", ["None", "TransactionConflict"])
        cond = pol.make_error("TransactionCanceledException", ["ConditionalCheckFailed", "TransactionConflict"])
        throttled = pol.make_error("ProvisionedThroughputExceededException")
        self.assertTrue(self.p.contention(conflict) and self.p.conflict_only(conflict))
        self.assertFalse(self.p.contention(cond) or self.p.conflict_only(cond))
        self.assertTrue(self.p.contention(throttled) and not self.p.conflict_only(throttled))

    def test_contention_retried_until_the_deadline(self):
        e = pol.make_error("TransactionConflictException")
        now, deadline = T0, T0 + 10000
        ok, sleep = self.p.retry_decide(e, 50, int(now), int(deadline), 7)
        self.assertTrue(ok)
        self.assertLessEqual(sleep, 500)
        ok, _ = self.p.retry_decide(e, 1, int(deadline - 150), int(deadline), 7)
        self.assertFalse(ok)
        ok, _ = self.p.retry_decide(e, 3, int(now), 0, 7)  # no deadline: the old cap of 3 attempts
        self.assertFalse(ok)

    def test_layout(self):
        self.assertEqual(sum(self.p.pool_seats(50000, k, 64) for k in range(64)), 50000)
        self.assertNotEqual(self.p.pick(3, 2, 1), 0)
        code, plan, left = self.p.pool_plan([0, 1, 2, 0], 3, 64, 9)
        self.assertEqual((code, sorted(plan), left), (pol.LAYOUT_PLAN_OK, [(1, 1), (2, 2)], 3))
        self.assertEqual(self.p.pool_plan([0, 1], 3, 64, 9)[0], pol.LAYOUT_PLAN_SOLD_OUT)
        self.assertIn(self.p.journal_bucket(12345), range(16))

    def test_conflicting_transactions_are_retried_by_the_client(self):
        """Two clients order on the small layout's one concert item at once: the second meets TransactionConflict,
        its client backs off (ddb_retry_decide) and the order goes through; counts stay exact."""
        tr = Trace(TRACE)
        ctx = workload.setup(tr, "small", 100, Params(jitter_sigma=0.0))
        sim = Sim(ctx.service, ctx.policy, random.Random(1))
        done = []
        for i in range(2):
            m = Mapper(ctx, i, i, 0, sim.now)
            sim.start(flows.order_flow(ctx, "order.small.q1", m, sim.now, sim.now + 10000, sim.clock), 10000,
                      done.append)
        sim.run()
        self.assertEqual([r.outcome.kind for r in done], ["ok", "ok"])
        self.assertEqual(sim.conflicts_retried, 1)
        self.assertEqual(workload.counters_total(ctx, "sold"), 2)

    def test_time_running_out_is_unavailable(self):
        tr = Trace(TRACE)
        ctx = workload.setup(tr, "small", 100, Params(jitter_sigma=0.0))
        sim = Sim(ctx.service, ctx.policy, random.Random(1))
        done = []
        m = Mapper(ctx, 0, 0, 0, sim.now)
        sim.start(flows.order_flow(ctx, "order.small.q1", m, sim.now, sim.now + 100, sim.clock), 100, done.append)
        sim.run()
        self.assertEqual(done[0].outcome.kind, "unavailable")


class TestWorkloadsSmall(unittest.TestCase):
    """Short runs of both workloads on both layouts: no oversell, exact counts, no conflict surfaced on pooled."""

    def test_short_runs(self):
        tr = Trace(TRACE)
        for layout in ("small", "pooled"):
            if layout == "pooled" and "counters" not in tr.table_of:
                continue  # a trace recorded before the pooled layout
            with self.subTest(layout=layout):
                r = workload.onsale(tr, layout, seats=600, rate=400, seconds=5, params=Params(warm_wcu=8000))
                self.assertFalse(r["oversold"])
                self.assertTrue(r["counts_exact"])
                self.assertEqual(r["seats_sold"], 600)
                if layout == "pooled":
                    self.assertEqual(r["conflicts_surfaced"], 0)
                d = workload.door(tr, layout, doors=10, tickets=300, seconds=20)
                self.assertTrue(d["counts_exact"])
                self.assertEqual(d["ok"], 300)


if __name__ == "__main__":
    unittest.main()
