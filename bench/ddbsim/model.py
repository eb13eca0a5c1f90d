"""The rules of DynamoDB that the model applies, each a small function or class citing the AWS page and the sentence
it models (docs/model.md lists them with their defaults). Virtual time is in milliseconds; nothing here sleeps.

The model keeps the values of the items whose values decide something (the concert item and the counter/pool items:
the seats and the counters) and evaluates the recorded condition and update expressions on them; every other item
a flow writes is fresh (its key made for the request) and its recorded outcome stands (its conditions passed)."""
import bisect
import hashlib
import heapq
import math
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

KB = 1024

# ---- rule 2: item sizes and billed units ------------------------------------------------------------------------

ITEM_SIZES_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html"
READ_WRITE_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html"
TXN_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html"


def number_size(text):
    """Size of an N value. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html: "Numbers are variable length, with up to 38 significant digits. Leading
    and trailing zeroes are trimmed. The size of a number is approximately (number of UTF-8-encoded bytes of
    attribute name) + (1 byte per two significant digits) + (1 byte).\""""
    digits = text.strip().lstrip("+-").replace(".", "")
    digits = digits.split("e")[0].split("E")[0].strip("0")
    return (len(digits) + 1) // 2 + 1


def value_size(v):
    """Size of an attribute value (DynamoDB JSON) without its name. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html: strings are "(number of
    UTF-8-encoded bytes)"; binary "the value's raw byte length"; "The size of a null attribute or a Boolean
    attribute is ... (1 byte)"; "An attribute of type List or Map requires 3 bytes of overhead, regardless of its
    contents" and "Each List or Map element also requires 1 byte of overhead"."""
    (t, x), = v.items()
    if t == "S":
        return len(x.encode("utf-8"))
    if t == "N":
        return number_size(x)
    if t == "B":
        return len(x) * 3 // 4 - x.count("=")  # base64 in the JSON: the raw bytes count
    if t in ("BOOL", "NULL"):
        return 1
    if t == "L":
        return 3 + sum(value_size(e) + 1 for e in x)
    if t == "M":
        return 3 + sum(len(k.encode("utf-8")) + value_size(e) + 1 for k, e in x.items())
    if t == "SS":
        return sum(len(e.encode("utf-8")) for e in x)
    if t == "NS":
        return sum(number_size(e) for e in x)
    if t == "BS":
        return sum(len(e) * 3 // 4 - e.count("=") for e in x)
    raise ValueError(f"unknown attribute type {t}")


def item_size(item):
    """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html: "The total size of an item is the sum of the lengths of its attribute names and values,
    plus any applicable overhead as described below.\""""
    return sum(len(k.encode("utf-8")) + value_size(v) for k, v in item.items())


def write_units(size_before, size_after, transactional=False):
    """Write units of one item written. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html: "One write request unit represents one write for an item
    up to 1 KB in size"; for UpdateItem "DynamoDB considers the size of the item as it appears before and after the
    update. The provisioned throughput consumed reflects the larger of these item sizes"; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html (Capacity
    management for transactions): transactional writes "perform two underlying reads or writes of every item in the
    transaction: one to prepare the transaction and one to commit the transaction" (2 units per KB)."""
    units = max(1, math.ceil(max(size_before, size_after) / KB))
    return units * (2 if transactional else 1)


def read_units(size, mode="strong"):
    """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html: "A strongly consistent read request of an item up to 4 KB requires one read unit. An
    eventually consistent read request of an item up to 4 KB requires one-half read unit. A transactional read
    request of an item up to 4 KB requires two read units." "Item sizes for reads are rounded up to the next 4 KB
    multiple.\""""
    blocks = max(1, math.ceil(size / (4 * KB)))
    return blocks * {"eventual": 0.5, "strong": 1.0, "transactional": 2.0}[mode]


def condition_check_units(size):
    """A ConditionCheck in TransactWriteItems reads the item it checks, within the transaction:
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html ("two underlying reads or
    writes of every item in the transaction") and
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html ("A transactional
    read request of an item up to 4 KB requires two read units"): 2 read units per 4 KB. DynamoDB Local reports
    exactly that (test_vs_local.py: 2.0 for items up to 4 KB, 4.0 for 5,000 bytes)."""
    return read_units(size, "transactional")


def gsi_projection_size(item, base_keys, gsi):
    """The index entry of an item written to a GSI: its keys, the table's keys and the projected attributes
    (ProjectionType ALL: the whole item; KEYS_ONLY; INCLUDE NonKeyAttributes). None when the item lacks the index's
    key attributes (not in the index: a sparse index)."""
    keys = [k["AttributeName"] for k in gsi["KeySchema"]]
    if any(k not in item for k in keys):
        return None
    proj = gsi.get("Projection", {}).get("ProjectionType", "ALL")
    if proj == "ALL":
        return item_size(item)
    names = set(keys) | set(base_keys)
    if proj == "INCLUDE":
        names |= set(gsi["Projection"].get("NonKeyAttributes", []))
    return item_size({k: v for k, v in item.items() if k in names})


# ---- rule 3: partitions, budgets, split for heat ------------------------------------------------------------------

PARTITION_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html"
ON_DEMAND_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html"
SPLIT_URL = ("https://aws.amazon.com/blogs/database/part-3-scaling-dynamodb-how-partitions-hot-keys-and-split-for-"
             "heat-impact-performance/")
WARM_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput.html"
GSI_THROTTLE_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/gsi-throttling.html"


class TokenBucket:
    """A partition's budget of units a second, reads and writes in separate buckets. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html / https://aws.amazon.com/blogs/database/part-3-scaling-dynamodb-how-partitions-hot-keys-and-split-for-heat-impact-performance/:
    "each individual partition is limited to 1,000 write units per second and 3,000 read units per second"
    (warm-throughput-scenarios.html); "DynamoDB's partition-level throttling operates independently for reads and writes"
    (throttling-key-range-limit-exceeded-mitigation). depth_s: how many seconds of units may be taken at once."""

    __slots__ = ("rate", "depth", "tokens", "last")

    def __init__(self, rate_per_s, depth_s=1.0):
        self.rate = rate_per_s / 1000.0  # per ms
        self.depth = rate_per_s * depth_s
        self.tokens = self.depth
        self.last = 0.0

    def _refill(self, now):
        if now > self.last:
            self.tokens = min(self.depth, self.tokens + (now - self.last) * self.rate)
            self.last = now

    def can(self, units, now):
        self._refill(now)
        return self.tokens >= units

    def take(self, units, now):
        self._refill(now)
        self.tokens -= units


def key_hash(pk):
    """Where a partition key lands: DynamoDB "uses the partition key's value as input to an internal hash
    function" (HowItWorks.Partitions); a uniform value in [0, 1)."""
    return int.from_bytes(hashlib.md5(pk.encode("utf-8")).digest()[:8], "big") / 2.0 ** 64


class Partition:
    """One partition of a table or index: a range of key hashes with its write and read buckets, and what the
    current second sent it (for split for heat and the report)."""

    def __init__(self, lo, hi, p):
        self.lo, self.hi = lo, hi
        self.w = TokenBucket(p.partition_wcu, p.bucket_depth_s)
        self.r = TokenBucket(p.partition_rcu, p.bucket_depth_s)
        self.sec = -1
        self.units_w = 0.0
        self.units_r = 0.0
        self.keys = {}  # pk -> units this second
        self.sk_last = {}  # pk -> last sort key written this second (None: decreased)
        self.hot_since = None
        self.peak_w = 0.0
        self.refused = None
        self.last = None  # the last whole second: (units_w, units_r, keys, sk_last)

    def note(self, now, pk, sk, units, write):
        s = int(now // 1000)
        if s != self.sec:
            if self.sec >= 0:
                quiet = s != self.sec + 1  # a second without traffic in between
                self.last = None if quiet else (self.units_w, self.units_r, self.keys, self.sk_last)
            self.sec, self.units_w, self.units_r, self.keys, self.sk_last = s, 0.0, 0.0, {}, {}
            self.rolled = True
        if write:
            self.units_w += units
            self.peak_w = max(self.peak_w, self.units_w)
        else:
            self.units_r += units
        self.keys[pk] = self.keys.get(pk, 0.0) + units
        if sk is not None and write:
            last = self.sk_last.get(pk, "")
            self.sk_last[pk] = sk if (last is not None and sk > last) else None


class KeySpace:
    """The partitions of one table or one GSI. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html: (Initial throughput and scaling properties) newly
    created on-demand tables can sustain up to 4,000 writes per second and 12,000 reads per second (initial_partitions = 4 by default: 4 x 1,000 WCU).
    Split for heat, https://aws.amazon.com/blogs/database/part-3-scaling-dynamodb-how-partitions-hot-keys-and-split-for-heat-impact-performance/: a table adds partitions when "A partition receives read or write traffic near its
    throughput capacity limit"; a table can be pre-warmed (WARM_URL: warm throughput, the reads and writes a
    second a table or index can take at once; the model gives it ceil(warm_wcu / 1,000) partitions); splitting cannot help a single hot item (the split still leaves that item's key on
    one partition: "the partition's throughput is still capped") nor a partition key whose sort key only grows
    (after a split "all writes go to the newest range": the upper half keeps all the traffic); the model does not
    split then."""

    def __init__(self, name, p):
        self.name, self.p = name, p
        n = max(1, p.initial_partitions, math.ceil(p.warm_wcu / p.partition_wcu))
        self.bounds = [i / n for i in range(n)]
        self.parts = [Partition(i / n, (i + 1) / n, p) for i in range(n)]
        self.splits = 0
        self._hash = {}

    def find(self, pk):
        h = self._hash.get(pk)
        if h is None:
            h = self._hash[pk] = key_hash(pk)
        return self.parts[bisect.bisect_right(self.bounds, h) - 1], h

    def heat(self, part, now):
        """Split for heat: a partition above split_threshold of its write or read limit for split_delay_s seconds
        in a row is split in two at the median of its traffic's key hashes, unless one key takes the traffic."""
        if not getattr(part, "rolled", False):
            return
        part.rolled = False
        p = self.p
        last = part.last
        hot = last is not None and (last[0] >= p.split_threshold * p.partition_wcu or
                                    last[1] >= p.split_threshold * p.partition_rcu)
        if not hot:
            part.hot_since = None
            return
        if part.hot_since is None:
            part.hot_since = now
            return
        if now - part.hot_since < p.split_delay_s * 1000.0:
            return
        part.hot_since = None
        keys, sk_last = last[2], last[3]
        if len(keys) < 2:
            (pk,) = keys.keys() if keys else ("",)
            part.refused = ("one partition key whose sort key only grows" if sk_last.get(pk) is not None
                            else "one item")
            return
        hs = sorted((self._hash[k], u) for k, u in keys.items())
        total, acc, cut = sum(u for _, u in hs), 0.0, None
        for i, (h, u) in enumerate(hs):
            acc += u
            if acc >= total / 2 and i + 1 < len(hs):
                cut = (h + hs[i + 1][0]) / 2
                break
        if cut is None:
            cut = (hs[-2][0] + hs[-1][0]) / 2
        i = self.parts.index(part)
        left, right = Partition(part.lo, cut, p), Partition(cut, part.hi, p)
        self.parts[i:i + 1] = [left, right]
        self.bounds[i:i + 1] = [part.lo, cut]
        self.splits += 1


# ---- rule 1: transaction conflicts; rule 4: latency ---------------------------------------------------------------

CONFLICT_URL = TXN_URL + "#transaction-conflict-handling"
LATENCY_URL = ON_DEMAND_URL
RETRY_URL = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html"
             "#Programming.Errors.RetryAndBackoff")


class Locks:
    """Items held by in-flight transactions. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling: "A PutItem, UpdateItem, or DeleteItem request for an
    item conflicts with an ongoing TransactWriteItems request that includes the same item" and "An item within a
    TransactWriteItems request is part of another ongoing TransactWriteItems request" (the transaction is cancelled
    with reason TransactionConflict); reads outside transactions (GetItem, Query, BatchGetItem) take no part and
    read the last committed value. A transaction holds its items from its prepare to its commit."""

    def __init__(self):
        self.until = {}

    def held(self, key, now):
        return self.until.get(key, -1.0) > now

    def hold(self, key, until):
        self.until[key] = until


@dataclass
class Params:
    """The model's parameters; defaults cited in docs/model.md."""
    partition_wcu: float = 1000.0     # PARTITION_URL: 1,000 write units a second per partition
    partition_rcu: float = 3000.0     # PARTITION_URL: 3,000 read units a second per partition
    bucket_depth_s: float = 1.0       # a partition's budget is per second: at most one second's units at once
    initial_partitions: int = 4       # ON_DEMAND_URL: a new on-demand table sustains 4,000 WCU = 4 partitions
    warm_wcu: float = 0.0             # WARM_URL: a table (and each GSI) pre-warmed to this many writes a second
    split_threshold: float = 0.8      # SPLIT_URL: "near its throughput capacity limit"
    split_delay_s: float = 60.0       # SPLIT_URL: splits follow sustained traffic, not a burst; configurable
    read_ms: float = 3.0              # LATENCY_URL: "single-digit millisecond latency"
    write_ms: float = 5.0             # a single-item write
    txn_phase_ms: float = 5.0         # a transaction = prepare + commit, each a write round trip
    txn_item_ms: float = 0.1          # per item of a transaction or batch
    jitter_sigma: float = 0.25        # lognormal spread of each call's service time
    condition_check: str = "read"     # a ConditionCheck: transactional read units (condition_check_units)


def service_ms(p, target, n_items, rng):
    """A call's service time. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html: "Tables that use
    on-demand mode deliver the same single-digit millisecond latency ... that DynamoDB already offers"; a TransactWriteItems is two phases (prepare, commit: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html's two underlying writes of every item),
    each a write round trip. Lognormal jitter around the median."""
    if target == "TransactWriteItems":
        base = 2 * p.txn_phase_ms + p.txn_item_ms * n_items
    elif target in ("PutItem", "UpdateItem", "DeleteItem"):
        base = p.write_ms
    elif target == "BatchGetItem":
        base = p.read_ms + p.txn_item_ms * n_items / 2
    else:
        base = p.read_ms
    return base * math.exp(rng.gauss(0.0, p.jitter_sigma)) if p.jitter_sigma > 0 else base


# ---- expressions, on the items whose values the model keeps -------------------------------------------------------

_CLAUSE = re.compile(r"\s+AND\s+", re.I)
_CMP = re.compile(r"^\s*(\S+)\s*(<>|>=|<=|=|<|>)\s*(\S+)\s*$")
_FN = re.compile(r"^\s*(attribute_exists|attribute_not_exists)\s*\(\s*(\S+?)\s*\)\s*$")


def _name(tok, names):
    return names.get(tok, tok) if tok.startswith("#") else tok


def _operand(tok, item, names, values):
    if tok.startswith(":"):
        return values[tok]
    return item.get(_name(tok, names))


def _num(v):
    return Decimal(v["N"]) if v is not None and "N" in v else None


def _cmp(a, op, b):
    if a is None or b is None:
        return op == "<>" and not (a is None and b is None)
    (ta, xa), = a.items()
    (tb, xb), = b.items()
    if ta != tb:
        return op == "<>"
    if ta == "N":
        xa, xb = Decimal(xa), Decimal(xb)
    return {"=": xa == xb, "<>": xa != xb, "<": xa < xb, "<=": xa <= xb, ">": xa > xb, ">=": xa >= xb}[op]


_OR = re.compile(r"\s+OR\s+", re.I)
_NOT = re.compile(r"^\s*NOT\s+(.*)$", re.I)
_CONTAINS = re.compile(r"^\s*contains\s*\(\s*(\S+?)\s*,\s*(\S+?)\s*\)\s*$")


def _clause_holds(clause, item, names, values):
    m = _NOT.match(clause)
    if m:
        return not _clause_holds(m.group(1), item, names, values)
    m = _FN.match(clause)
    if m:
        present = item is not None and _name(m.group(2), names) in item
        return present == (m.group(1) == "attribute_exists")
    m = _CONTAINS.match(clause)
    if m:
        have = _operand(m.group(1), item or {}, names, values)
        want = _operand(m.group(2), item or {}, names, values)
        if have is None or want is None:
            return False
        (t, x), = have.items()
        w = next(iter(want.values()))
        return w in x if t in ("SS", "NS", "S") else want in x if t == "L" else False
    m = _CMP.match(clause)
    if not m:
        raise ValueError(f"condition not modelled: {clause!r}")
    return _cmp(_operand(m.group(1), item or {}, names, values), m.group(2),
                _operand(m.group(3), item or {}, names, values))


def condition_holds(expr, item, names, values):
    """A ConditionExpression of comparisons, attribute_exists/attribute_not_exists, contains and NOT, joined by
    AND and OR (AND binds tighter; no parentheses) on the item (None: no item). Other forms raise (the model must
    not guess)."""
    if not expr:
        return True
    if "(" in expr.replace("attribute_exists(", "").replace("attribute_not_exists(", "").replace("contains(", ""):
        raise ValueError(f"condition not modelled: {expr!r}")
    return any(all(_clause_holds(c, item, names, values) for c in _CLAUSE.split(alt.strip()))
               for alt in _OR.split(expr.strip()))


_SECTION = re.compile(r"\b(SET|ADD|REMOVE|DELETE)\b", re.I)


def apply_update(expr, item, names, values, key):
    """The item after an UpdateExpression of SET a = b, SET a = b +/- c, ADD a n, REMOVE a (numbers exact as
    Decimal). Other forms raise."""
    out = dict(item) if item is not None else dict(key)
    parts = _SECTION.split(expr)
    i = 1
    while i < len(parts):
        kw, body = parts[i].upper(), parts[i + 1]
        i += 2
        for clause in [c.strip() for c in body.split(",") if c.strip()]:
            if kw == "SET":
                lhs, rhs = [s.strip() for s in clause.split("=", 1)]
                m = re.match(r"^(\S+)\s*([+-])\s*(\S+)$", rhs)
                if m:
                    a = _num(_operand(m.group(1), out, names, values))
                    b = _num(_operand(m.group(3), out, names, values))
                    if a is None or b is None:
                        raise ValueError(f"update on a missing number: {expr!r}")
                    v = a + b if m.group(2) == "+" else a - b
                    out[_name(lhs, names)] = {"N": str(v)}
                elif re.match(r"^\S+$", rhs):
                    out[_name(lhs, names)] = _operand(rhs, out, names, values)
                else:
                    raise ValueError(f"update not modelled: {expr!r}")
            elif kw == "ADD":
                path, val = clause.split()
                cur = _num(out.get(_name(path, names))) or Decimal(0)
                out[_name(path, names)] = {"N": str(cur + _num(values[val]))}
            elif kw == "REMOVE":
                out.pop(_name(clause, names), None)
            else:
                raise ValueError(f"update not modelled: {expr!r}")
    return out


# ---- the service ---------------------------------------------------------------------------------------------------

@dataclass
class ItemOp:
    """One item of a call: action Get/Put/Update/Delete/ConditionCheck on table's key; body: the recorded action
    (Put's Item, Update's expressions); image: the item after the write as recorded (fresh items: for its size and
    its GSI keys); size_before: the item's size before (0 for a fresh one)."""
    action: str
    table: str
    key: tuple
    pk: str
    sk: str = None
    body: dict = field(default_factory=dict)
    image: dict = None
    size_before: int = 0
    gsi: list = None  # [(index, pk, sk, projected size)] for a fresh item, as the flow mapped its index keys
    size_after: int = None  # item_size(image), when the flow knows it
    charges: tuple = None   # (transactional, Service._units) of a fresh item, kept across attempts


@dataclass
class Call:
    target: str
    items: list
    consistent: str = "strong"  # strong / eventual
    label: str = ""
    return_conflicts: bool = False  # ddb_client_return_conflicts on around this call
    invalid: str = None             # _validate's verdict, once known
    prep: list = None               # [((table, key), kept, op)], once known


@dataclass
class Result:
    ok: bool
    error: str = ""
    reasons: list = None
    items: dict = None      # key -> item (reads of kept items)
    unprocessed: list = None
    wcu: float = 0.0
    rcu: float = 0.0
    by_table: dict = None   # table or table/index -> units
    detail: str = ""


class Service:
    """DynamoDB as the model sees it: tables and GSIs of partitions, locks, the kept items, pending commits."""

    def __init__(self, tables, params=None, kept_tables=(), seed=1):
        self.p = params or Params()
        self.rng = random.Random(seed)
        self.tables = tables  # name -> DescribeTable's Table
        self.keys = {}        # name or name/index -> KeySpace
        for name, desc in tables.items():
            self.keys[name] = KeySpace(name, self.p)
            for g in desc.get("GlobalSecondaryIndexes", []):
                self.keys[f"{name}/{g['IndexName']}"] = KeySpace(f"{name}/{g['IndexName']}", self.p)
        self.kept = set(kept_tables)
        self.state = {}       # (table, key) -> item, for kept tables
        self.sizes = {}       # (table, key) -> item_size of the kept item
        self.locks = Locks()
        self.pending = []     # (commit time, seq, [(table,key,item)])
        self.seq = 0
        self.throttles = 0
        self.calls = 0

    # -- helpers
    def base_keys(self, table):
        return [k["AttributeName"] for k in self.tables[table]["KeySchema"]]

    def put_state(self, table, key, item):
        self._set((table, key), item)

    def _set(self, k, item):
        if item is None:
            self.state.pop(k, None)
            self.sizes.pop(k, None)
        else:
            self.state[k] = item
            self.sizes[k] = item_size(item)

    def get_state(self, table, key):
        return self.state.get((table, key))

    def _flush(self, now):
        while self.pending and self.pending[0][0] <= now:
            _, _, writes = heapq.heappop(self.pending)
            for table, key, item in writes:
                self._set((table, key), item)

    def _after(self, op, before):
        """The item after op, for a kept item (None: deleted)."""
        b = op.body
        if op.action == "Put":
            return b["Item"]
        if op.action == "Update":
            return apply_update(b["UpdateExpression"], before, b.get("ExpressionAttributeNames", {}),
                                b.get("ExpressionAttributeValues", {}), {a: {"S": v} for a, v in op.key})
        if op.action == "Delete":
            return None
        return before

    def _units(self, op, before, after, transactional, now):
        """[(keyspace, pk, sk, units)] that op writes: its table's partition and each GSI's. A transaction's index
        writes are billed as transactional too (2 per KB): what DynamoDB Local reports (test_vs_local.py). A fresh
        item's charges do not change between attempts: kept on the op."""
        if op.charges is not None and op.charges[0] == transactional:
            return op.charges[1]
        out = self._units_of(op, before, after, transactional)
        if op.table not in self.kept:
            op.charges = (transactional, out)
        return out

    def _units_of(self, op, before, after, transactional):
        img = after if after is not None else (op.image or before or {})
        sb = self.sizes.get((op.table, op.key), 0) if before is not None else op.size_before
        if after is None and op.size_after is not None:
            sa = op.size_after
        else:
            sa = item_size(img) if img else 0
        if op.action == "ConditionCheck":
            if self.p.condition_check == "write":
                return [(self.keys[op.table], op.pk, op.sk, write_units(sb or sa, sb or sa, True), True)]
            return [(self.keys[op.table], op.pk, op.sk, condition_check_units(sb or sa), False)]
        out = [(self.keys[op.table], op.pk, op.sk, write_units(sb, sa, transactional), True)]
        if op.gsi is not None:  # the flow mapped the index keys of a fresh item: [(index, pk, sk, size)]
            for index, gpk, gsk, size in op.gsi:
                out.append((self.keys[f"{op.table}/{index}"], gpk, gsk, write_units(0, size, transactional), True))
            return out
        desc = self.tables[op.table]
        for g in desc.get("GlobalSecondaryIndexes", []):
            size = gsi_projection_size(img, self.base_keys(op.table), g) if img else None
            if size is None:
                continue
            ks = [k["AttributeName"] for k in g["KeySchema"]]
            gpk = next(iter(img[ks[0]].values()))
            gsk = next(iter(img[ks[1]].values())) if len(ks) > 1 else None
            out.append((self.keys[f"{op.table}/{g['IndexName']}"], str(gpk), gsk, write_units(0, size, transactional),
                        True))
        return out

    def _admit(self, charges, now):
        """True when every partition has the units (GSI back-pressure, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/gsi-throttling.html: "If a GSI doesn't have
        sufficient capacity to handle these updates, DynamoDB throttles writes to the base table to maintain data
        consistency"); then takes them."""
        for ks, pk, sk, u, write in charges:
            part, _ = ks.find(pk)
            if not (part.w if write else part.r).can(u, now):
                return False
        for ks, pk, sk, u, write in charges:
            part, _ = ks.find(pk)
            (part.w if write else part.r).take(u, now)
            part.note(now, pk, sk, u, write)
            ks.heat(part, now)
        return True

    def _tally(self, res, charges):
        bt = res.by_table = res.by_table or {}
        for ks, pk, sk, u, write in charges:
            bt[ks.name] = bt.get(ks.name, 0.0) + u
            if write:
                res.wcu += u
            else:
                res.rcu += u

    # -- the calls
    MAX_TXN_ITEMS = 100
    MAX_TXN_BYTES = 4 * KB * KB
    MAX_ITEM_BYTES = 400 * KB

    def _validate(self, call):
        """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html: "TransactWriteItems
        is a synchronous and idempotent write operation that groups up to 100 write actions"; "The aggregate size of
        the items in the transaction cannot exceed 4 MB"; and an item is at most 400 KB
        (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html). A ValidationException
        before anything is prepared."""
        if len(call.items) > self.MAX_TXN_ITEMS:
            return f"{len(call.items)} items: at most {self.MAX_TXN_ITEMS}"
        total = 0
        for op in call.items:
            if op.action == "Put":
                size = op.size_after if op.size_after is not None else item_size(op.body["Item"])
            else:
                size = op.size_before
            if size > self.MAX_ITEM_BYTES:
                return f"an item of {size} bytes: at most {self.MAX_ITEM_BYTES}"
            total += size
        if total > self.MAX_TXN_BYTES:
            return f"{total} bytes in all: at most {self.MAX_TXN_BYTES}"
        return ""

    def execute(self, call, now):
        """(Result, service time in ms) of call sent at now."""
        self.calls += 1
        self._flush(now)
        svc = service_ms(self.p, call.target, len(call.items), self.rng)
        t = call.target
        if t == "TransactWriteItems":
            return self._transact(call, now, svc)
        if t in ("PutItem", "UpdateItem", "DeleteItem"):
            return self._single(call, now, svc)
        return self._read(call, now, svc), svc

    def _transact(self, call, now, svc):
        bad = call.invalid
        if bad is None:
            bad = call.invalid = self._validate(call)  # once per call, not per attempt
        if bad:
            return Result(False, "ValidationException", detail=bad), svc / 2
        prep = call.prep
        if prep is None:
            prep = call.prep = [((op.table, op.key), op.table in self.kept, op) for op in call.items]
        until = self.locks.until
        held = [until.get(k, -1.0) > now for k, _, _ in prep]  # Locks.held, inlined: a conflict storm's hot path
        if any(held):
            return Result(False, "TransactionCanceledException", [
                "TransactionConflict" if h else ("ConditionalCheckFailed" if kept and not self._holds(op) else "None")
                for h, (k, kept, op) in zip(held, prep)]), svc / 2
        reasons, plan = [], []
        for k, kept, op in prep:
            before = self.state.get(k) if kept else None
            b = op.body
            if kept and not condition_holds(b.get("ConditionExpression"), before,
                                                             b.get("ExpressionAttributeNames", {}),
                                                             b.get("ExpressionAttributeValues", {})):
                reasons.append("ConditionalCheckFailed")
                plan.append(None)
                continue
            after = self._after(op, before) if kept else None
            reasons.append("None")
            plan.append((op, before, after))
        if any(r != "None" for r in reasons):
            return Result(False, "TransactionCanceledException", reasons), svc / 2
        charges_all = []
        for i, (op, before, after) in enumerate(plan):
            ch = self._units(op, before, after, True, now)
            for ks, pk, sk, u, write in ch:
                part, _ = ks.find(pk)
                if not (part.w if write else part.r).can(u, now):
                    reasons[i] = "ThrottlingError"
            charges_all.extend(ch)
        if any(r != "None" for r in reasons):
            self.throttles += 1
            return Result(False, "TransactionCanceledException", reasons), svc / 2
        self._admit(charges_all, now)
        writes = []
        for op, before, after in plan:
            self.locks.hold((op.table, op.key), now + svc)
            if op.table in self.kept and op.action != "ConditionCheck":
                writes.append((op.table, op.key, after))
        if writes:
            self.seq += 1
            heapq.heappush(self.pending, (now + svc, self.seq, writes))
        res = Result(True)
        self._tally(res, charges_all)
        return res, svc

    def _holds(self, op):
        b = op.body
        return condition_holds(b.get("ConditionExpression"), self.state.get((op.table, op.key)),
                               b.get("ExpressionAttributeNames", {}), b.get("ExpressionAttributeValues", {}))

    def _single(self, call, now, svc):
        op = call.items[0]
        if op.action == "Put" and item_size(op.body["Item"]) > self.MAX_ITEM_BYTES:
            return Result(False, "ValidationException", detail="item over 400 KB"), svc
        k = (op.table, op.key)
        if self.locks.held(k, now):
            return Result(False, "TransactionConflictException"), svc
        before = self.state.get(k) if op.table in self.kept else None
        b = op.body
        if op.table in self.kept and not condition_holds(b.get("ConditionExpression"), before,
                                                         b.get("ExpressionAttributeNames", {}),
                                                         b.get("ExpressionAttributeValues", {})):
            return Result(False, "ConditionalCheckFailedException"), svc
        after = self._after(op, before) if op.table in self.kept else None
        ch = self._units(op, before, after, False, now)
        if not self._admit(ch, now):
            self.throttles += 1
            return Result(False, "ProvisionedThroughputExceededException"), svc
        if op.table in self.kept:
            self._set(k, after)
        res = Result(True)
        self._tally(res, ch)
        return res, svc

    def _read(self, call, now, svc):
        res = Result(True, items={}, unprocessed=[])
        mode = call.consistent
        any_ok = False
        for op in call.items:
            k = (op.table, op.key)
            item = self.state.get(k) if op.table in self.kept else None
            size = self.sizes[k] if item is not None else (
                op.size_after if op.size_after is not None else (item_size(op.image) if op.image else 0))
            ch = [(self.keys[op.table], op.pk, op.sk, read_units(size, mode), False)]
            if not self._admit(ch, now):
                res.unprocessed.append(op)
                continue
            any_ok = True
            self._tally(res, ch)
            if item is not None:
                res.items[k] = item
        if res.unprocessed and (not any_ok or call.target != "BatchGetItem"):
            self.throttles += 1
            return Result(False, "ProvisionedThroughputExceededException")
        return res

    # -- report
    def hottest_wcu(self):
        best, name = 0.0, ""
        for ks in self.keys.values():
            for part in ks.parts:
                if part.peak_w > best:
                    best, name = part.peak_w, ks.name
        return best, name
