"""The two workloads: the door (closed loops of scanners) and the on-sale (Poisson buyers), on a concert of the
layout small (today's: one concert item) or pooled (DESIGN19 §A: K counter shards / seat pools)."""
import copy
import random
import re
import time

from . import flows
from .flows import Ctx, Mapper
from .model import Params, Service
from .policy import Policy
from .sim import T0, Sim


def function_deadline_ms(root=None):
    """The request's time: the function's timeout in backend/serverless.yml (API Gateway's 29 s integration
    timeout is longer, so the function's own governs)."""
    import os
    path = os.path.join(root or os.path.join(os.path.dirname(__file__), "..", ".."), "backend", "serverless.yml")
    try:
        with open(path, encoding="utf-8") as f:
            m = re.search(r"^\s+timeout:\s*(\d+)\s*$", f.read(), re.M)
        return min(int(m.group(1)), 29) * 1000.0 if m else 10000.0
    except OSError:
        return 10000.0


def n(v):
    return {"N": str(v)}


def setup(trace, layout, seats, params=None, seed=1, admitted=0):
    """A service with the concert of `layout` holding `seats` seats (small: on the concert item; pooled: split over
    the K pools by layout_pool_seats, the item's availableTickets 0)."""
    if layout == "pooled" and "counters" not in trace.table_of:
        raise ValueError(f"{trace.path}: no counters table (recorded before the pooled layout): layout pooled "
                         "cannot be replayed from it")
    policy = Policy()
    kept = [trace.table_of["concerts"]] + ([trace.table_of["counters"]] if "counters" in trace.table_of else [])
    svc = Service(trace.tables, params or Params(), kept_tables=kept, seed=seed)
    rng = random.Random(seed)
    ctx = Ctx(trace, policy, svc, rng, layout)
    ct = trace.table_of["concerts"]
    cid = ctx.concert
    item = copy.deepcopy(trace.stored(ct, (("id", cid),)) or {"id": {"S": cid}})
    for a in ("sold", "refunded", "admitted", "revenueCard", "revenueCash", "revenueComp"):
        item.pop(a, None)
    if layout == "pooled":
        item["availableTickets"] = n(0)
        item["capacity"] = n(seats)
        item["shards"] = n(ctx.K)
        tt = trace.table_of["counters"]
        for k in range(ctx.K):
            key = (("id", f"{cid}#{k}"),)
            c = copy.deepcopy(trace.stored(tt, key) or {})
            c.update({"id": {"S": f"{cid}#{k}"}, "concertId": {"S": cid}, "shard": n(k),
                      "available": n(policy.pool_seats(seats, k, ctx.K)), "sold": n(0), "refunded": n(0),
                      "admitted": n(0), "revenueCard": n("0"), "revenueCash": n("0"), "revenueComp": n("0")})
            svc.put_state(tt, key, c)
    else:
        item["availableTickets"] = n(seats)
    svc.put_state(ct, (("id", cid),), item)
    return ctx


def counters_total(ctx, attr):
    """The sum of attr over the concert item and its shards (what GET /concerts/{id}/stats adds up)."""
    svc = ctx.service
    svc._flush(float("inf"))
    cid = ctx.concert
    total = 0
    it = svc.get_state(ctx.T["concerts"], (("id", cid),))
    name = "availableTickets" if attr == "available" else attr
    if it and name in it:
        total += int(float(it[name]["N"]))
    if ctx.layout == "pooled":
        for k in range(ctx.K):
            c = svc.get_state(ctx.T["counters"], (("id", f"{cid}#{k}"),))
            if c and attr in c:
                total += int(float(c[attr]["N"]))
    return total


def pct(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def _template(trace, prefix, q):
    for qq in [q] + list(range(q - 1, 0, -1)) + list(range(q + 1, 9)):
        if trace.has(f"{prefix}.q{qq}"):
            return f"{prefix}.q{qq}"
    raise KeyError(f"no recorded {prefix}.q*")


def _bucket(ctx):
    return ctx.policy.journal_bucket(ctx.rnd()) if ctx.layout == "pooled" else 0


def door(trace, layout, doors=40, lanes=1, tickets=20000, seconds=60.0, seed=1, params=None, deadline_ms=None):
    """40 doors, each `lanes` scanners in a closed loop (each scan waits for its verdict, no think time), over a
    concert of `tickets` sold tickets, until every ticket is admitted or `seconds` of modelled time pass."""
    wall0 = time.monotonic()
    ctx = setup(trace, layout, max(tickets, 1), params, seed)
    deadline_ms = deadline_ms or function_deadline_ms()
    sim = Sim(ctx.service, ctx.policy, random.Random(seed + 7))
    label = f"checkin.{layout}"
    state = {"next": 0, "done": [], "last_ok": T0}
    end = T0 + seconds * 1000.0

    def launch(client):
        if state["next"] >= tickets or sim.now >= end:
            return
        i = state["next"]
        state["next"] += 1
        m = Mapper(ctx, i, client, _bucket(ctx), sim.now)
        gen = flows.counter_flow(ctx, label, m, sim.now, sim.now + deadline_ms, sim.clock)
        sim.start(gen, deadline_ms, finished, client)

    def finished(req):
        state["done"].append(req)
        if req.outcome.kind == "ok":
            state["last_ok"] = req.end
        launch(req.meta)

    for d in range(doors):
        for lane in range(lanes):
            sim.at(sim.now, launch, d)
    sim.run()
    done = state["done"]
    ok = [r for r in done if r.outcome.kind == "ok"]
    span = max(1e-9, (state["last_ok"] - T0) / 1000.0)
    admitted = counters_total(ctx, "admitted")
    return _report("door", layout, sim, ctx, done, ok, wall0, throughput=len(ok) / span if ok else 0.0,
                   extra={"oversold": False, "seats_sold": 0, "counts_exact": admitted == len(ok),
                          "admitted": len(ok)})


def onsale(trace, layout, seats=50000, rate=2000.0, max_q=4, seconds=60.0, seed=1, params=None, deadline_ms=None,
           tail_s=2.0):
    """Buyers of 1..max_q tickets (uniform) arriving at `rate` orders/s (Poisson) on a concert of `seats`, until
    sold out (plus tail_s seconds of sold-out answers) or `seconds`."""
    wall0 = time.monotonic()
    ctx = setup(trace, layout, seats, params, seed)
    deadline_ms = deadline_ms or function_deadline_ms()
    arr = random.Random(seed + 11)
    sim = Sim(ctx.service, ctx.policy, random.Random(seed + 7))
    state = {"i": 0, "done": [], "sold": 0, "soldout_at": None, "last_sale": T0}
    end = T0 + seconds * 1000.0
    prefix = f"order.{layout}"

    def arrive(_):
        if sim.now >= end or (state["soldout_at"] is not None and sim.now >= state["soldout_at"] + tail_s * 1000):
            return
        q = arr.randint(1, max_q)
        label = _template(trace, prefix, q)
        i = state["i"]
        state["i"] += 1
        m = Mapper(ctx, i, i, _bucket(ctx), sim.now)
        gen = flows.order_flow(ctx, label, m, sim.now, sim.now + deadline_ms, sim.clock)
        sim.start(gen, deadline_ms, finished, q)
        sim.at(sim.now + arr.expovariate(rate / 1000.0), arrive, None)

    def finished(req):
        state["done"].append(req)
        if req.outcome.kind == "ok":
            state["sold"] += req.outcome.q
            state["last_sale"] = req.end
            if state["sold"] >= seats and state["soldout_at"] is None:
                state["soldout_at"] = req.end

    sim.at(sim.now, arrive, None)
    sim.run()
    done = state["done"]
    ok = [r for r in done if r.outcome.kind == "ok"]
    sold = sum(r.outcome.q for r in ok)
    span = max(1e-9, (state["last_sale"] - T0) / 1000.0)
    sold_counter = counters_total(ctx, "sold")
    avail = counters_total(ctx, "available")
    negative = _any_negative(ctx)
    return _report("onsale", layout, sim, ctx, done, ok, wall0, throughput=sold / span if ok else 0.0,
                   extra={"oversold": sold > seats or negative, "seats_sold": sold,
                          "counts_exact": sold_counter == sold and avail + sold == seats,
                          "sold_out_at_s": round((state["soldout_at"] - T0) / 1000.0, 3)
                          if state["soldout_at"] else None})


def _any_negative(ctx):
    svc = ctx.service
    for (t, k), it in svc.state.items():
        for a in ("available", "availableTickets"):
            if a in it and float(it[a]["N"]) < 0:
                return True
    return False


def _report(workload, layout, sim, ctx, done, ok, wall0, throughput, extra):
    lat = [r.end - r.start for r in ok]
    hot, hot_name = ctx.service.hottest_wcu()
    out = {
        "workload": workload, "layout": layout,
        "modelled_seconds": round((sim.now - T0) / 1000.0, 3),
        "wall_seconds": round(time.monotonic() - wall0, 3),
        "ops": len(done), "ok": len(ok),
        "sold_out_answers": sum(1 for r in done if r.outcome.kind == "sold_out"),
        # an answer that was a conflict (the function answering 409/500 for a TransactionConflict): the client
        # retries contention until the deadline, so a conflict ends as a 503 when time runs out (below)
        "conflicts_surfaced": sum(1 for r in done if r.outcome.kind == "conflict"),
        "unavailable": sum(1 for r in done if r.outcome.kind == "unavailable"),
        "unavailable_after_conflicts": sum(1 for r in done if r.outcome.kind == "unavailable" and
                                           ("onflict" in r.outcome.detail or "Canceled" in r.outcome.detail)),
        "errors": sum(1 for r in done if r.outcome.kind == "error"),
        "throughput_per_s": round(throughput, 1),
        "p50_ms": round(pct(lat, 50), 2), "p99_ms": round(pct(lat, 99), 2),
        "throttles": ctx.service.throttles,
        "conflicts_retried": sim.conflicts_retried,
        "hottest_partition_wcu_per_s": round(hot, 1), "hottest_partition": hot_name,
        "attempts_p99": pct([r.total_attempts for r in done], 99),
        "ddb_calls": ctx.service.calls,
        "splits": sum(ks.splits for ks in ctx.service.keys.values()),
    }
    out.update(extra)
    return out
