"""Loading a recorded trace (DESIGN19 §D: JSON lines of meta, table, call and item records)."""
import json

ROLES = ("concerts", "counters", "tickets", "orders", "codes", "operators", "shifts", "journal")


class Trace:
    """The recorded requests by operation label and instance, the tables (DescribeTable) and their roles, and the
    items as stored at the end of the recording."""

    def __init__(self, path):
        self.path = path
        self.meta = None
        self.tables = {}
        self.calls = {}
        self.items = {}
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                kind = rec.get("kind")
                if kind == "meta":
                    self.meta = rec
                elif kind == "table":
                    self.tables[rec["name"]] = rec["desc"]
                elif kind == "call":
                    self.calls.setdefault((rec["op"], rec["n"]), []).append(rec)
                elif kind == "item":
                    self.items[(rec["table"], self.key_of(rec["table"], rec["item"]))] = rec["item"]
                else:
                    raise ValueError(f"{path}:{n}: unknown record kind {kind!r}")
        if not self.meta:
            raise ValueError(f"{path}: no meta record")
        for v in self.calls.values():
            v.sort(key=lambda c: c["i"])
        self.role = dict(self.meta["tables"])            # table name -> role
        self.table_of = {r: t for t, r in self.role.items()}  # role -> table name
        self.layout = self.meta.get("layout", {})
        self.concerts = self.meta.get("concerts", {})

    def key_attrs(self, table):
        return [k["AttributeName"] for k in self.tables[table]["KeySchema"]]

    def key_of(self, table, item):
        """The key of an item (or of a Key map) as a tuple of (attribute, value) in key-schema order."""
        if table not in self.tables:
            return tuple(sorted((a, next(iter(v.values()))) for a, v in item.items()))
        return tuple((a, next(iter(item[a].values()))) for a in self.key_attrs(table))

    def stored(self, table, key):
        return self.items.get((table, key))

    def ops(self):
        return sorted({op for op, _ in self.calls})

    def instance(self, op, n=1):
        """The calls of one recorded instance of op, in order."""
        if (op, n) not in self.calls:
            raise KeyError(f"{self.path}: no recorded instance {n} of {op}")
        return self.calls[(op, n)]

    def has(self, op):
        return (op, 1) in self.calls
