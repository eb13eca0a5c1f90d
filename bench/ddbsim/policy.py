"""The function's own policy, called through ctypes: backend/build/libboxpolicy.so (backend/Makefile, `make -C
backend policy`), built from backend/lambda/src/layout.c, backend/ddb/src/ddb_error.c and common/src/bo_backoff.c.
Nothing here re-implements a decision: the layout picks (layout_pick, layout_pool_plan, layout_journal_bucket,
layout_pool_seats) and the retry decision (ddb_retry_decide, ddb_error_contention, ddb_error_conflict_only) are the
very C functions the function runs. The ddb_error struct mirrors backend/ddb/include/ddb.h."""
import ctypes
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIB_PATH = os.environ.get("DDBSIM_POLICY_LIB", os.path.join(ROOT, "backend", "build", "libboxpolicy.so"))

DDB_MAX_REASONS = 100
# enum ddb_status (ddb.h), in order
DDB_OK = 0
DDB_ERR_CONDITIONAL_CHECK = 1
DDB_ERR_TRANSACTION_CANCELED = 2
DDB_ERR_THROTTLED = 3
DDB_ERR_TRANSACTION_CONFLICT = 4
DDB_ERR_VALIDATION = 5
DDB_ERR_SERVICE = 8
DDB_ERR_TIMEOUT = 10

LAYOUT_PLAN_OK = 0
LAYOUT_PLAN_SOLD_OUT = 1
LAYOUT_PLAN_TOO_WIDE = 2
LAYOUT_PLAN_MAX = 64


class DdbError(ctypes.Structure):
    """struct ddb_error of ddb.h, field for field."""
    _fields_ = [
        ("status", ctypes.c_int),
        ("http_status", ctypes.c_long),
        ("type", ctypes.c_char * 128),
        ("message", ctypes.c_char * 512),
        ("n_reasons", ctypes.c_size_t),
        ("reasons", (ctypes.c_char * 48) * DDB_MAX_REASONS),
    ]


_STATUS_OF_TYPE = {
    "ConditionalCheckFailedException": DDB_ERR_CONDITIONAL_CHECK,
    "TransactionCanceledException": DDB_ERR_TRANSACTION_CANCELED,
    "ProvisionedThroughputExceededException": DDB_ERR_THROTTLED,
    "ThrottlingException": DDB_ERR_THROTTLED,
    "TransactionConflictException": DDB_ERR_TRANSACTION_CONFLICT,
    "ValidationException": DDB_ERR_VALIDATION,
}


_ERRORS = {}


def make_error(type_name, reasons=None, http=400):
    """A ddb_error as the client's ddb_parse_error would fill it for this answer (one struct per distinct answer,
    kept: the C functions only read it)."""
    k = (type_name, tuple(reasons or ()), http)
    e = _ERRORS.get(k)
    if e is None:
        e = _ERRORS[k] = _make_error(type_name, reasons, http)
    return e


def _make_error(type_name, reasons=None, http=400):
    e = DdbError()
    e.status = _STATUS_OF_TYPE.get(type_name, DDB_ERR_SERVICE if http >= 500 else 14)
    e.http_status = http
    e.type = type_name.encode()[:127]
    reasons = list(reasons or []) if e.status == DDB_ERR_TRANSACTION_CANCELED else []
    e.n_reasons = len(reasons)
    for i, r in enumerate(reasons[:DDB_MAX_REASONS]):
        e.reasons[i].value = r.encode()[:47]
    return e


class Policy:
    """The shared object's functions with their C signatures."""

    def __init__(self, path=LIB_PATH):
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} missing: run `make -C backend policy`")
        lib = ctypes.CDLL(path)
        u32, u64, i64 = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int64
        lib.ddb_retry_decide.argtypes = [ctypes.POINTER(DdbError), ctypes.c_uint, u64, u64, u32,
                                         ctypes.POINTER(u64)]
        lib.ddb_retry_decide.restype = ctypes.c_bool
        lib.ddb_error_contention.argtypes = [ctypes.POINTER(DdbError)]
        lib.ddb_error_contention.restype = ctypes.c_bool
        lib.ddb_error_conflict_only.argtypes = [ctypes.POINTER(DdbError)]
        lib.ddb_error_conflict_only.restype = ctypes.c_bool
        lib.layout_pick.argtypes = [u32, ctypes.c_int, u64]
        lib.layout_pick.restype = ctypes.c_int
        lib.layout_journal_bucket.argtypes = [u32]
        lib.layout_journal_bucket.restype = ctypes.c_int
        lib.layout_pool_seats.argtypes = [i64, ctypes.c_int, ctypes.c_int]
        lib.layout_pool_seats.restype = i64
        lib.layout_pooled.argtypes = [i64]
        lib.layout_pooled.restype = ctypes.c_int
        lib.layout_pool_plan.argtypes = [ctypes.POINTER(i64), ctypes.c_int, ctypes.c_int, ctypes.c_int, u32,
                                         ctypes.POINTER(ctypes.c_int), ctypes.POINTER(i64),
                                         ctypes.POINTER(ctypes.c_int), ctypes.POINTER(i64)]
        lib.layout_pool_plan.restype = ctypes.c_int
        self.lib = lib
        self._sleep = u64()

    def retry_decide(self, err, failed_attempts, now_ms, deadline_ms, rnd):
        """(retry?, sleep_ms) from ddb_retry_decide."""
        ok = self.lib.ddb_retry_decide(ctypes.byref(err), failed_attempts, int(now_ms), int(deadline_ms),
                                       rnd & 0xFFFFFFFF, ctypes.byref(self._sleep))
        return bool(ok), int(self._sleep.value)

    def contention(self, err):
        return bool(self.lib.ddb_error_contention(ctypes.byref(err)))

    def conflict_only(self, err):
        return bool(self.lib.ddb_error_conflict_only(ctypes.byref(err)))

    def pick(self, rnd, k_total, tried):
        return self.lib.layout_pick(rnd & 0xFFFFFFFF, k_total, tried & 0xFFFFFFFFFFFFFFFF)

    def journal_bucket(self, rnd):
        return self.lib.layout_journal_bucket(rnd & 0xFFFFFFFF)

    def pool_seats(self, capacity, k, k_total):
        return self.lib.layout_pool_seats(capacity, k, k_total)

    def pooled(self, capacity):
        return bool(self.lib.layout_pooled(capacity))

    def pool_plan(self, avail, q, max_pools, rnd):
        """(code, [(pool, take)...], seats_left) from layout_pool_plan."""
        k = len(avail)
        arr = (ctypes.c_int64 * k)(*avail)
        pools = (ctypes.c_int * LAYOUT_PLAN_MAX)()
        takes = (ctypes.c_int64 * LAYOUT_PLAN_MAX)()
        n = ctypes.c_int()
        left = ctypes.c_int64()
        code = self.lib.layout_pool_plan(arr, k, q, max_pools, rnd & 0xFFFFFFFF, pools, takes, ctypes.byref(n),
                                         ctypes.byref(left))
        return code, [(pools[i], takes[i]) for i in range(n.value)], left.value
