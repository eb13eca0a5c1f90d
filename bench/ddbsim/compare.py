#!/usr/bin/env python3
"""Today's layout against the pooled one, side by side on the model (issue 19's figures):
  python3 bench/ddbsim/compare.py --trace T [--quick] [--warm-wcu W] [--json]
door: 40 doors over 20,000 tickets; on-sale: 50,000 seats, buyers of 1-4 at 2,000 orders/s. --quick: 2,000
tickets, 5,000 seats, shorter caps (for make test). Prints a markdown table and the issue's targets, met or not."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from ddbsim import workload  # noqa: E402
from ddbsim.model import Params  # noqa: E402
from ddbsim.trace import Trace  # noqa: E402

COLS = ("workload", "layout", "throughput_per_s", "p50_ms", "p99_ms", "ok", "sold_out_answers", "unavailable",
        "conflicts_surfaced", "oversold", "counts_exact", "throttles", "conflicts_retried",
        "hottest_partition_wcu_per_s", "attempts_p99", "modelled_seconds", "wall_seconds")


def targets(r):
    """The issue's targets for the pooled layout."""
    if r["workload"] == "door":
        return (r["throughput_per_s"] >= 1000 and r["p99_ms"] <= 100 and r["conflicts_surfaced"] == 0
                and r["counts_exact"])
    return (r["throughput_per_s"] >= 1000 and r["p99_ms"] <= 200 and not r["oversold"] and r["counts_exact"]
            and r["conflicts_surfaced"] == 0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--warm-wcu", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    tr = Trace(a.trace)
    p = Params(warm_wcu=a.warm_wcu)
    tickets, seats = (2000, 5000) if a.quick else (20000, 50000)
    small_cap = 3.0 if a.quick else 6.0  # today's layout: its ceiling shows in seconds; its retry storm is slow
    rows = [
        workload.door(tr, "small", tickets=tickets, seconds=small_cap * 4, seed=a.seed, params=p),
        workload.door(tr, "pooled", tickets=tickets, seconds=60, seed=a.seed, params=p),
        workload.onsale(tr, "small", seats=seats, seconds=small_cap, seed=a.seed, params=p),
        workload.onsale(tr, "pooled", seats=seats, seconds=60, seed=a.seed, params=p),
    ]
    if a.json:
        for r in rows:
            print(json.dumps(r, sort_keys=True))
        return 0
    print(f"trace {os.path.basename(a.trace)}, tables pre-warmed to {a.warm_wcu:.0f} WCU" if a.warm_wcu else
          f"trace {os.path.basename(a.trace)}, new on-demand tables (4 partitions)")
    print("| " + " | ".join(COLS) + " | targets |")
    print("|" + "---|" * (len(COLS) + 1))
    ok = True
    for r in rows:
        met = targets(r)
        if r["layout"] == "pooled":
            ok = ok and met
        print("| " + " | ".join(str(r[c]) for c in COLS) + f" | {'met' if met else 'missed'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
