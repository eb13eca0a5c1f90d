#!/usr/bin/env python3
"""The model's CLI (docs/model.md):
  python3 bench/ddbsim/run.py --trace T --workload door|onsale --layout small|pooled [--doors 40] [--lanes 1]
      [--tickets 20000] [--seats 50000] [--rate 2000] [--max-q 4] [--seconds S] [--seed N] [--json]"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from ddbsim import workload  # noqa: E402
from ddbsim.model import Params  # noqa: E402
from ddbsim.trace import Trace  # noqa: E402

COLUMNS = ("workload", "layout", "modelled_seconds", "wall_seconds", "ops", "ok", "sold_out_answers",
           "conflicts_surfaced", "unavailable", "throughput_per_s", "p50_ms", "p99_ms", "oversold", "seats_sold",
           "counts_exact", "throttles", "conflicts_retried", "hottest_partition_wcu_per_s", "attempts_p99")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--workload", choices=("door", "onsale"), required=True)
    ap.add_argument("--layout", choices=("small", "pooled"), required=True)
    ap.add_argument("--doors", type=int, default=40)
    ap.add_argument("--lanes", type=int, default=1)
    ap.add_argument("--tickets", type=int, default=20000)
    ap.add_argument("--seats", type=int, default=50000)
    ap.add_argument("--rate", type=float, default=2000.0)
    ap.add_argument("--max-q", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--deadline-ms", type=float, default=None, help="default: the function's timeout")
    ap.add_argument("--initial-partitions", type=int, default=Params.initial_partitions)
    ap.add_argument("--warm-wcu", type=float, default=Params.warm_wcu,
                    help="pre-warm every table and index to this many WCU/s (partitions of 1,000)")
    ap.add_argument("--split-delay-s", type=float, default=Params.split_delay_s)
    ap.add_argument("--txn-phase-ms", type=float, default=Params.txn_phase_ms)
    ap.add_argument("--read-ms", type=float, default=Params.read_ms)
    ap.add_argument("--write-ms", type=float, default=Params.write_ms)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--header", action="store_true", help="print the table's header line first")
    a = ap.parse_args(argv)
    params = Params(initial_partitions=a.initial_partitions, warm_wcu=a.warm_wcu, split_delay_s=a.split_delay_s,
                    txn_phase_ms=a.txn_phase_ms, read_ms=a.read_ms, write_ms=a.write_ms)
    tr = Trace(a.trace)
    if a.workload == "door":
        r = workload.door(tr, a.layout, doors=a.doors, lanes=a.lanes, tickets=a.tickets, seconds=a.seconds,
                          seed=a.seed, params=params, deadline_ms=a.deadline_ms)
    else:
        r = workload.onsale(tr, a.layout, seats=a.seats, rate=a.rate, max_q=a.max_q, seconds=a.seconds,
                            seed=a.seed, params=params, deadline_ms=a.deadline_ms)
    if a.json:
        print(json.dumps(r, sort_keys=True))
    else:
        if a.header:
            print("\t".join(COLUMNS))
        print("\t".join(str(r.get(c)) for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
