"""The event loop in virtual time (heapq, no ticking) and the function's DynamoDB client: each call is sent to the
model, and a failed attempt is retried as backend/ddb's client does, by the very ddb_retry_decide (policy.py) fed
with the model's clock and the request's deadline; with return_conflicts on, a cancellation that is only a
conflict goes back to the flow at once (ddb_client_return_conflicts)."""
import heapq

from . import policy as pol
from .flows import Sleep
from .model import Result

T0 = 1_000_000_000_000.0   # the virtual clock's epoch in ms (ddb_retry_decide takes 0 as "no deadline")
DDB_MIN_ATTEMPT_MS = 50     # ddb.h
DDB_DEADLINE_MARGIN_MS = 150


class Request:
    __slots__ = ("gen", "start", "deadline", "call", "attempts", "total_attempts", "on_done", "outcome", "end",
                 "conflicts_retried", "meta")

    def __init__(self, gen, start, deadline, on_done, meta):
        self.gen, self.start, self.deadline, self.on_done, self.meta = gen, start, deadline, on_done, meta
        self.call, self.attempts, self.total_attempts, self.conflicts_retried = None, 0, 0, 0
        self.outcome, self.end = None, None


class Sim:
    def __init__(self, service, policy, rng, trace_calls=None):
        self.service, self.policy, self.rng = service, policy, rng
        self.now = T0
        self.heap = []
        self.seq = 0
        self.conflicts_retried = 0
        self.throttles_retried = 0
        self.trace_calls = trace_calls  # a list to append (label, Call) to, or None

    def at(self, t, fn, arg):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, fn, arg))

    def run(self, until=None, stop=None):
        heap = self.heap
        while heap:
            t, _, fn, arg = heapq.heappop(heap)
            if until is not None and t > until:
                heapq.heappush(heap, (t, 0, fn, arg))
                self.now = until
                return
            self.now = t
            fn(arg)
            if stop is not None and stop():
                return

    def clock(self):
        return self.now

    def start(self, flow, deadline_ms, on_done, meta=None):
        """Starts a request whose flow is the generator flow at the current time."""
        req = Request(flow, self.now, self.now + deadline_ms if deadline_ms else 0, on_done, meta)
        self._step(req, None)
        return req

    def _step(self, req, value):
        try:
            nxt = req.gen.send(value)
        except StopIteration as e:
            req.outcome, req.end = e.value, self.now
            req.on_done(req)
            return
        if isinstance(nxt, Sleep):
            self.at(self.now + nxt.ms, self._wake, req)
            return
        if self.trace_calls is not None:
            self.trace_calls.append(nxt)
        req.call, req.attempts = nxt, 0
        self._attempt(req)

    def _wake(self, req):
        self._step(req, None)

    def _attempt(self, req):
        if req.deadline and self.now + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS > req.deadline:
            self._step(req, Result(False, "Timeout"))
            return
        res, svc = self.service.execute(req.call, self.now)
        req.attempts += 1
        req.total_attempts += 1
        self.at(self.now + svc, self._answered, (req, res))

    def _answered(self, arg):
        req, res = arg
        if res.ok:
            self._step(req, res)
            return
        err = pol.make_error(res.error, res.reasons or [])
        if req.call.return_conflicts and self.policy.conflict_only(err):
            req.conflicts_retried += 1
            self.conflicts_retried += 1
            self._step(req, res)
            return
        retry, sleep = self.policy.retry_decide(err, req.attempts, int(self.now), int(req.deadline),
                                                self.rng.getrandbits(32))
        if not retry:
            self._step(req, res)
            return
        if "Conflict" in res.error or "TransactionConflict" in (res.reasons or []):
            req.conflicts_retried += 1
            self.conflicts_retried += 1
        else:
            self.throttles_retried += 1
        self.at(self.now + sleep, self._attempt, req)
