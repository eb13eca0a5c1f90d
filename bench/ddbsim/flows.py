"""The function's flows per operation and layout, replayed from the recorded requests (DESIGN19 §A for the layout
`pooled`, today's for `small`). A flow is a generator: it yields the Call to send (or a Sleep), receives its
Result (after the DynamoDB client's own retries, sim.py) and returns an Outcome. It never invents a request: every
call it yields is a recorded call of that operation (target, tables, number of items, conditions, sizes), its keys
mapped for one synthetic client by the table roles of the trace:
  concerts  -> the concert;           counters -> <concertId>#k, k as the flow picks (layout_pick / pool plan);
  tickets, orders, codes, shifts' own keys -> fresh per request; operators -> one per client;
  journal   -> day bucket layout_journal_bucket ("YYYY-MM-DD" for 0, "YYYY-MM-DD#b" else), sk fresh and growing
               with time; its byConcert key "id" / "id#b" likewise.
The layout small is today's: no buckets (b = 0)."""
import copy
from dataclasses import dataclass

from . import policy as pol
from .model import Call, ItemOp, gsi_projection_size, item_size


@dataclass
class Outcome:
    kind: str            # ok | sold_out | unavailable | conflict | error
    q: int = 0
    seats_left: int = -1
    detail: str = ""


@dataclass
class Sleep:
    ms: float


ACTIONS = ("Put", "Update", "Delete", "ConditionCheck")


def _sval(v):
    return next(iter(v.values()))


class Ctx:
    """What the flows share: the trace, the policy library, the service (kept items), the concert of each layout."""

    def __init__(self, trace, policy, service, rng, layout):
        self.trace, self.policy, self.service, self.rng, self.layout = trace, policy, service, rng, layout
        self.concert = trace.concerts[layout]
        self.K = int(trace.layout.get("shards", 64))
        self.T = trace.table_of
        ops = trace.items.keys()
        self.operator_subs = {dict(k)[trace.key_attrs(t)[0]] for t, k in ops if trace.role.get(t) == "operators"}
        for (op, n), calls in trace.calls.items():
            for c in calls:  # the subs the calls name (ConditionCheck on operators)
                for it in c["request"].get("TransactItems", []):
                    for b in it.values():
                        if trace.role.get(b.get("TableName")) == "operators":
                            self.operator_subs.add(_sval(next(iter(b["Key"].values()))))
        self.concert_ids = set(trace.concerts.values())  # every concert the recording touched
        for (t, k) in trace.items:
            if trace.role.get(t) == "concerts":
                self.concert_ids.add(k[0][1])
        for calls in trace.calls.values():
            for c in calls:
                r = c["request"]
                bodies = [b for it in r.get("TransactItems", []) for b in it.values()] + [r]
                for b in bodies:
                    if trace.role.get(b.get("TableName")) == "concerts":
                        src = b.get("Key") or b.get("Item") or {}
                        if "id" in src:
                            self.concert_ids.add(_sval(src["id"]))
                for t, spec in r.get("RequestItems", {}).items():
                    if trace.role.get(t) == "concerts":
                        self.concert_ids.update(_sval(k["id"]) for k in spec.get("Keys", []) if "id" in k)

    def rnd(self):
        return self.rng.getrandbits(32)


class Mapper:
    """Maps the recorded key values of one request to the synthetic client's (see the module's doc)."""

    def __init__(self, ctx, req_id, client_id, bucket, now_ms):
        self.ctx, self.req, self.client, self.bucket, self.now = ctx, req_id, client_id, bucket, now_ms
        self.counter_k = None

    def _concert_b(self, v):
        base = v.split("#", 1)[0] if v.split("#", 1)[0] in self.ctx.concert_ids else v
        base = self.ctx.concert if base in self.ctx.concert_ids else base
        return base if self.bucket == 0 else f"{base}#{self.bucket}"

    def key_value(self, table, attr, value):
        role = self.ctx.trace.role.get(table)
        if role == "concerts":
            return self.ctx.concert  # the workload's one concert
        if role == "counters":
            k = self.counter_k if self.counter_k is not None else value.rsplit("#", 1)[1]
            return f"{self.ctx.concert}#{k}"
        if role == "operators":
            return f"{value}~c{self.client}"
        if role == "shifts":
            return f"{value}~c{self.client}"
        if role == "journal":
            if attr == "day":
                day = value.split("#", 1)[0]
                return day if self.bucket == 0 else f"{day}#{self.bucket}"
            if attr == "sk":
                return f"{self.now:015.3f}#{self.req}"
        return f"{value}~r{self.req}"

    def gsi_value(self, table, attr, value):
        role = self.ctx.trace.role.get(table)
        if role == "journal" and attr == "concertId":
            return self._concert_b(value)
        if role == "journal" and attr == "sk":
            return f"{self.now:015.3f}#{self.req}"
        if value in self.ctx.operator_subs:
            return f"{value}~c{self.client}"
        if value in self.ctx.concert_ids:
            return self.ctx.concert
        return f"{value}~r{self.req}"


def parse_call(trace, rec):
    """A recorded call as (target, [(action, table, body, key map)], consistent)."""
    t, r = rec["target"], rec["request"]
    if t == "TransactWriteItems":
        out = []
        for it in r["TransactItems"]:
            (action, body), = it.items()
            key = body.get("Key") or {a: body["Item"][a] for a in trace.key_attrs(body["TableName"])}
            out.append((action, body["TableName"], body, key))
        return t, out, "strong"
    if t == "BatchGetItem":
        out = []
        cons = "eventual"
        for table, spec in r["RequestItems"].items():
            cons = "strong" if spec.get("ConsistentRead") else "eventual"
            for key in spec["Keys"]:
                out.append(("Get", table, spec, key))
        return t, out, cons
    if t in ("GetItem", "DeleteItem", "UpdateItem"):
        action = {"GetItem": "Get", "DeleteItem": "Delete", "UpdateItem": "Update"}[t]
        return t, [(action, r["TableName"], r, r["Key"])], "strong" if r.get("ConsistentRead") else "eventual"
    if t == "PutItem":
        key = {a: r["Item"][a] for a in trace.key_attrs(r["TableName"])}
        return t, [("Put", r["TableName"], r, key)], "strong"
    if t == "Query":
        table = r["TableName"] if not r.get("IndexName") else f"{r['TableName']}/{r['IndexName']}"
        kce = r.get("KeyConditionExpression", "")
        first = kce.split(" AND ")[0].split("=")
        v = r.get("ExpressionAttributeValues", {}).get(first[1].strip(), {"S": ""}) if len(first) == 2 else {"S": ""}
        name = first[0].strip() if len(first) == 2 else "pk"
        name = r.get("ExpressionAttributeNames", {}).get(name, name)
        return t, [("Query", table, r, {name: v})], "strong" if r.get("ConsistentRead") else "eventual"
    raise ValueError(f"target not modelled: {t}")


_PRE = {}


def _pre(ctx, action, base, body, key):
    """What does not change between requests for one recorded item: its image, sizes and index specs."""
    k = (id(body), id(key) if action in ("Get", "Query") else 0, action)  # a batch's keys share one body
    got = _PRE.get(k)
    if got is not None and got[0] is body:
        return got[1]
    tr = ctx.trace
    kept = base in ctx.service.kept
    attrs = tr.key_attrs(base)
    if action == "Put":
        image, size_before = body["Item"], 0
    else:
        image = tr.stored(base, tr.key_of(base, key)) if not kept else None
        size_before = item_size(image) if image else 0
    gsi = None
    if not kept and image and action != "Get":
        gsi = []
        for g in tr.tables[base].get("GlobalSecondaryIndexes", []):
            size = gsi_projection_size(image, attrs, g)
            if size is None:
                continue
            ks = [kk["AttributeName"] for kk in g["KeySchema"]]
            gsi.append((g["IndexName"], ks[0], str(_sval(image[ks[0]])), ks[1] if len(ks) > 1 else None,
                        str(_sval(image[ks[1]])) if len(ks) > 1 else None, size))
    pre = (kept, attrs, image, size_before, item_size(image) if image else None, gsi)
    _PRE[k] = (body, pre)
    return pre


def build_op(ctx, mapper, action, table, body, key):
    """The ItemOp of one recorded item, its keys mapped."""
    base = table.split("/", 1)[0]
    keymap = {a: {next(iter(v.keys())): mapper.key_value(base, a, _sval(v))} for a, v in key.items()}
    if action == "Query":
        ktuple = tuple((a, _sval(v)) for a, v in keymap.items())
        pk = _sval(next(iter(keymap.values())))
        return ItemOp("Get", table, ktuple, pk)
    kept, attrs, image, size_before, size_after, gsi_spec = _pre(ctx, action, base, body, key)
    ktuple = tuple((a, _sval(keymap[a])) for a in attrs)
    pk = ktuple[0][1]
    sk = ktuple[1][1] if len(attrs) > 1 else None
    b = body
    if kept and action == "Put":
        b = dict(body)
        b["Item"] = {**body["Item"], **keymap}
    gsi = None
    if gsi_spec is not None:
        gsi = [(ix, mapper.gsi_value(base, a0, v0), mapper.gsi_value(base, a1, v1) if a1 else None, size)
               for ix, a0, v0, a1, v1, size in gsi_spec]
    return ItemOp(action, table, ktuple, pk, sk, body=b, image=image, size_before=size_before, gsi=gsi,
                  size_after=None if kept else size_after)


def make_call(ctx, mapper, rec, label, return_conflicts=False, counter_plan=None):
    """The Call of a recorded call. counter_plan: [(k, take, q)]: the counter item of the recording becomes one
    Update per entry (its key <concert>#k, its :q-like values scaled to take)."""
    target, parsed, cons = parse_call(ctx.trace, rec)
    items = []
    for action, table, body, key in parsed:
        role = ctx.trace.role.get(table)
        if role == "counters" and action in ACTIONS and counter_plan is not None:
            for k, take, q in counter_plan:
                mapper.counter_k = k
                op = build_op(ctx, mapper, action, table, _scaled(body, take, q), key)
                items.append(op)
            mapper.counter_k = None
            continue
        items.append(build_op(ctx, mapper, action, table, body, key))
    return Call(target, items, cons, label, return_conflicts)


def _scaled(body, take, q):
    """An Update's values for taking `take` of the recorded q seats: the values equal to q become take, money
    values (with a '.') scale by take/q."""
    if take == q:
        return body
    b = copy.deepcopy(body)
    for name, v in b.get("ExpressionAttributeValues", {}).items():
        if "N" in v:
            if v["N"] == str(q):
                v["N"] = str(take)
            elif "." in v["N"]:
                from decimal import Decimal
                v["N"] = str((Decimal(v["N"]) * take / q).quantize(Decimal("0.01")))
    return b


def seat_index(ctx, rec):
    """Index of the seat item (concert Update with a condition, or counter Update) in a recorded transaction."""
    for i, it in enumerate(rec["request"].get("TransactItems", [])):
        (action, body), = it.items()
        role = ctx.trace.role.get(body["TableName"])
        if action == "Update" and role in ("concerts", "counters") and body.get("ConditionExpression"):
            return i
    return None


def template_q(ctx, rec):
    i = seat_index(ctx, rec)
    body = next(iter(rec["request"]["TransactItems"][i].values()))
    return int(body["ExpressionAttributeValues"][":q"]["N"]) if ":q" in body.get("ExpressionAttributeValues", {}) \
        else 1


def _err(res):
    return pol.make_error(res.error, res.reasons or [])


def order_flow(ctx, op_label, mapper, start_ms, deadline_ms, now):
    """POST /orders. small: GetItem concert, one transaction with the concert's seat Update; a failed condition:
    the recorded re-read (decide_seats) and the order replay read, then 409. pooled (DESIGN19 §A): GetItem concert;
    a transaction with pool p = layout_pick; a failed condition on a pool: BatchGetItem of the K pools and
    layout_pool_plan (sold out at once, or one pool with room, or several); a conflict on a pool: another pool at
    once (tried mask); a conflict elsewhere: back off per ddb_retry_decide and resend."""
    tr = ctx.trace
    calls = tr.instance(op_label)
    if not any(c["target"] == "TransactWriteItems" for c in calls):
        # a recorded refusal without a transaction (today's sold out): the order's calls are those of a sale
        main = next(f"order.{ctx.layout}.q{k}" for k in range(1, 9) if tr.has(f"order.{ctx.layout}.q{k}"))
        calls = tr.instance(main)
    twi_i = next(i for i, c in enumerate(calls) if c["target"] == "TransactWriteItems")
    rec = calls[twi_i]
    q = template_q(ctx, rec)
    pooled = ctx.layout == "pooled"
    for c in calls[:twi_i]:
        res = yield make_call(ctx, mapper, c, op_label)
        if not res.ok:
            return Outcome("unavailable", q, detail=res.error)
    soldout_label = f"order.{ctx.layout}.soldout"
    if not pooled:
        tail = tr.instance(soldout_label) if tr.has(soldout_label) else []
        if tail and not any(c["target"] == "TransactWriteItems" for c in tail):
            # today's store refuses at once when the concert just read has fewer than q seats
            st = ctx.service.get_state(ctx.T["concerts"], (("id", ctx.concert),))
            left = int(st["availableTickets"]["N"]) if st else 0
            if left < q:
                for c in tail[twi_i:]:
                    yield make_call(ctx, mapper, c, op_label)
                return Outcome("sold_out", q, seats_left=left)
        res = yield make_call(ctx, mapper, rec, op_label)
        if res.ok:
            for c in calls[twi_i + 1:]:
                yield make_call(ctx, mapper, c, op_label)
            return Outcome("ok", q)
        si = seat_index(ctx, rec)
        if res.error == "TransactionCanceledException" and res.reasons and res.reasons[si] == "ConditionalCheckFailed":
            tail = tr.instance(soldout_label) if tr.has(soldout_label) else []
            ti = next((i for i, c in enumerate(tail) if c["target"] == "TransactWriteItems"), len(tail))
            for c in tail[ti + 1:]:
                yield make_call(ctx, mapper, c, op_label)
            st = ctx.service.get_state(ctx.T["concerts"], (("id", ctx.concert),))
            left = int(st["availableTickets"]["N"]) if st else 0
            return Outcome("sold_out", q, seats_left=left)
        return _failure(res, q)
    # pooled
    K = ctx.K
    tried = 0
    plan = [(ctx.policy.pick(ctx.rnd(), K, tried), q, q)]
    failed = 0
    batch_call = getattr(ctx, "batch_call", None)
    if batch_call is None:  # the read of the K pools: the same keys for every request, built once
        batch_call = ctx.batch_call = make_call(ctx, mapper, _batch_template(ctx), "pools")
    while True:
        call = make_call(ctx, mapper, rec, op_label, return_conflicts=True, counter_plan=plan)
        res = yield call
        if res.ok:
            for c in calls[twi_i + 1:]:
                if c["target"] == "BatchGetItem" or c["target"] == "TransactWriteItems":
                    continue  # the recorded fallback's calls (order.pooled.short): not taken this time
                yield make_call(ctx, mapper, c, op_label)
            return Outcome("ok", q)
        reasons = res.reasons or []
        pool_ix = [i for i, o in enumerate(call.items) if tr.role.get(o.table) == "counters"]
        short = any(reasons[i] == "ConditionalCheckFailed" for i in pool_ix if i < len(reasons))
        err = _err(res)
        if short:
            for i in pool_ix:
                tried |= 1 << int(call.items[i].key[0][1].rsplit("#", 1)[1])
            bres = yield batch_call
            if not bres.ok:
                return _failure(bres, q)
            avail = []
            for k in range(K):
                it = bres.items.get((ctx.T["counters"], (("id", f"{ctx.concert}#{k}"),)))
                avail.append(int(it["available"]["N"]) if it else 0)
            max_pools = max(1, min(pol.LAYOUT_PLAN_MAX, 100 - (len(rec["request"]["TransactItems"]) - 1)))
            code, takes, left = ctx.policy.pool_plan(avail, q, max_pools, ctx.rnd())
            if code != pol.LAYOUT_PLAN_OK:
                tail = tr.instance(soldout_label) if tr.has(soldout_label) else []
                bi = next((i for i, c in enumerate(tail) if c["target"] == "BatchGetItem"), len(tail))
                for c in tail[bi + 1:]:
                    yield make_call(ctx, mapper, c, op_label)
                return Outcome("sold_out", q, seats_left=left)
            plan = [(k, t, q) for k, t in takes]
            continue
        if res.error == "TransactionCanceledException" and ctx.policy.conflict_only(err):
            pool_conflict = [i for i in pool_ix if i < len(reasons) and reasons[i] == "TransactionConflict"]
            if pool_conflict and len(plan) == 1:
                tried |= 1 << plan[0][0]
                plan = [(ctx.policy.pick(ctx.rnd(), K, tried), q, q)]
                continue
            failed += 1
            ok, sleep = ctx.policy.retry_decide(err, failed, int(now()), int(deadline_ms), ctx.rnd())
            if not ok:
                return Outcome("unavailable", q, detail="conflict, time ran out")
            yield Sleep(sleep)
            continue
        return _failure(res, q)


def _failure(res, q):
    if res.error in ("Timeout",) or res.error.endswith("ThroughputExceededException") or \
            res.error in ("ThrottlingException", "TransactionConflictException", "TransactionCanceledException"):
        return Outcome("unavailable", q, detail=res.error)
    return Outcome("error", q, detail=res.error)


def _batch_template(ctx):
    for label in ("order.pooled.short", "order.pooled.soldout", "stats.pooled"):
        if ctx.trace.has(label):
            for c in ctx.trace.instance(label):
                if c["target"] == "BatchGetItem":
                    return _pools_only(ctx, c)
    raise ValueError("no recorded BatchGetItem of the pools")


def _pools_only(ctx, rec):
    r = copy.deepcopy(rec)
    items = r["request"]["RequestItems"]
    for t in list(items):
        if ctx.trace.role.get(t) != "counters":
            del items[t]
    return r


def counter_flow(ctx, op_label, mapper, start_ms, deadline_ms, now):
    """Check-in, undo, refund: the recorded calls in order; the transaction's counter item (pooled: ONE shard
    <id>#k, k = layout_pick; a conflict on it: another shard at once) or the concert item (small: the client retries
    the conflict until the deadline, as today)."""
    tr = ctx.trace
    pooled = ctx.layout == "pooled"
    tried = 0
    for c in tr.instance(op_label):
        if c["target"] != "TransactWriteItems":
            res = yield make_call(ctx, mapper, c, op_label)
            if not res.ok and c["target"] != "GetItem":
                return _failure(res, 1)
            continue
        has_counter = any(tr.role.get(next(iter(it.values()))["TableName"]) == "counters"
                          for it in c["request"]["TransactItems"])
        failed = 0
        k = ctx.policy.pick(ctx.rnd(), ctx.K, tried) if has_counter else None
        while True:
            plan = [(k, 1, 1)] if has_counter else None
            call = make_call(ctx, mapper, c, op_label, return_conflicts=pooled and has_counter, counter_plan=plan)
            res = yield call
            if res.ok:
                break
            err = _err(res)
            if res.error == "TransactionCanceledException" and call.return_conflicts and ctx.policy.conflict_only(err):
                reasons = res.reasons or []
                if any(tr.role.get(o.table) == "counters" and reasons[i] == "TransactionConflict"
                       for i, o in enumerate(call.items) if i < len(reasons)):
                    tried |= 1 << k
                    k = ctx.policy.pick(ctx.rnd(), ctx.K, tried)
                    continue
                failed += 1
                ok, sleep = ctx.policy.retry_decide(err, failed, int(now()), int(deadline_ms), ctx.rnd())
                if not ok:
                    return Outcome("unavailable", 1, detail="conflict, time ran out")
                yield Sleep(sleep)
                continue
            return _failure(res, 1)
    return Outcome("ok", 1)


def replay_flow(ctx, op_label, mapper, start_ms, deadline_ms, now):
    """Any other operation (concert creation, stats): the recorded calls in order."""
    for c in ctx.trace.instance(op_label):
        res = yield make_call(ctx, mapper, c, op_label)
        if not res.ok:
            return _failure(res, 0)
    return Outcome("ok", 0)


def flow_for(op_label):
    if op_label.startswith("order."):
        return order_flow
    if op_label.startswith(("checkin", "refund", "undo")):
        return counter_flow
    return replay_flow
