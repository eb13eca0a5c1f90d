#!/usr/bin/python3
"""Runs the model of DynamoDB (bench/ddbsim/run.py) on a recorded trace for issue 19's two workloads on both
layouts, and writes the side-by-side table: today's layout ("small": every sale, refund and check-in on the
concert's own item) against the pooled one, each row's figures beside issue 19's targets.

    report.py --trace T [--doors 40] [--tickets 20000] [--seats 50000] [--rate 2000] [--max-q 4]
              [--seconds S] [--small-seconds S] [--seed N] [--model-args "OPTIONS"] [--jobs 2] [--timeout S] [--json-out F] [--md-out F] [--run PATH]

Targets (issue 19, "Done when"): door >= 1,000 check-ins/s sustained, p99 <= 100 ms of modelled time, no
conflict surfaced to a door; on-sale sold out at >= 1,000 tickets/s, p99 <= 200 ms for accepted orders, no
oversell, counts exact. Each is marked met or missed on every row; the small layout's rows are today's
layout's ceiling on the same model. Prints the Markdown table; --json-out keeps every run's own JSON (what
run.py answered) and the marks. Exit 0 when every run answered, whatever the marks (the marks are figures for
the bench, not a test: tests/scripts/test_model_replay.sh asserts the behaviour). Standard library only.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYOUTS = ("small", "pooled")
WORKLOADS = ("door", "onsale")


def at_least(x, b):
    return x is not None and x >= b


def at_most(x, b):
    return x is not None and x <= b


def targets(workload, r, seats):
    """[(name, met)] for one run's JSON (a figure the run could not give, e.g. no p99 without an accepted
    operation, is a target missed)."""
    if workload == "door":
        return [("door >= 1,000 check-ins/s", at_least(r.get("throughput_per_s"), 1000)),
                ("p99 <= 100 ms", at_most(r.get("p99_ms"), 100)),
                ("0 conflicts surfaced", r.get("conflicts_surfaced") == 0)]
    return [("sold out", at_least(r.get("seats_sold"), seats)),
            ("at >= 1,000 tickets/s", at_least(r.get("throughput_per_s"), 1000)),
            ("p99 <= 200 ms", at_most(r.get("p99_ms"), 200)),
            ("no oversell", not r["oversold"]),
            ("counts exact", bool(r["counts_exact"]))]


def command(a, layout, workload):
    cmd = [sys.executable, a.run, "--trace", a.trace, "--workload", workload, "--layout", layout,
           "--doors", str(a.doors), "--tickets", str(a.tickets), "--seats", str(a.seats), "--rate", str(a.rate),
           "--max-q", str(a.max_q), "--json"]
    seconds = a.small_seconds if layout == "small" and a.small_seconds else a.seconds
    if seconds:
        cmd += ["--seconds", str(seconds)]
    if a.seed is not None:
        cmd += ["--seed", str(a.seed)]
    return cmd + shlex.split(a.model_args)


def run_all(a, runs):
    """Each (layout, workload) through run.py, --jobs at a time: {(layout, workload): its JSON}."""
    results, pending, running = {}, list(runs), []

    def finish(key, proc, t0, out, err):
        out.seek(0)
        err.seek(0)
        text = out.read()
        if proc.returncode != 0:
            sys.stderr.write(err.read()[-3000:])
            raise SystemExit("report: run.py --layout %s --workload %s exited %d" % (key + (proc.returncode,)))
        try:
            r = json.loads(text)
        except ValueError:  # a last line of JSON after other output
            r = json.loads(text.strip().splitlines()[-1])
        r.setdefault("wall_seconds", round(time.monotonic() - t0, 2))
        results[key] = r

    deadline = time.monotonic() + a.timeout
    while pending or running:
        while pending and len(running) < a.jobs:
            key = pending.pop(0)
            out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
            running.append((key, subprocess.Popen(command(a, *key), stdout=out, stderr=err, text=True),
                            time.monotonic(), out, err))
        for x in list(running):
            if x[1].poll() is not None:
                running.remove(x)
                finish(*x)
        if time.monotonic() > deadline:
            for x in running:
                x[1].kill()
            raise SystemExit("report: the model ran longer than %d s" % a.timeout)
        time.sleep(0.05)
    return results


def num(x, p=0):
    return "-" if x is None else ("{:,.%df}" % p).format(x)


def markdown(a, meta, rows):
    scale = ("door: %s doors, %s tickets; on-sale: %s seats, 1-%d tickets an order, %s orders/s"
             % (num(a.doors), num(a.tickets), num(a.seats), a.max_q, num(a.rate)))
    opts = " ".join(shlex.split(a.model_args)) or "none (run.py's defaults: new on-demand tables)"
    out = ["Issue 19 on the model of DynamoDB (bench/ddbsim), replaying the function's requests recorded by "
           "bench/model/record.sh (trace of commit %s, %s). %s. Model options: %s." % (
               meta.get("commit", "?")[:12], meta.get("recorded_at", "?"), scale, opts), "",
           "| layout | workload | throughput | p50 | p99 | conflicts surfaced | 503s | oversold | counts exact "
           "| throttles | hottest partition WCU/s | targets |",
           "|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---|"]
    for x in rows:
        r = x["result"]
        unit = "check-ins/s" if x["workload"] == "door" else "tickets/s"
        marks = "; ".join("%s: %s" % (n, "met" if ok else "**missed**") for n, ok in x["targets"])
        layout = "small (today's layout's ceiling)" if x["layout"] == "small" else "pooled (new)"
        yes_no = lambda v: "-" if v is None else ("yes" if v else "no")
        out.append("| %s | %s | %s %s | %s ms | %s ms | %s | %s | %s | %s | %s | %s | %s |" % (
            layout, "door" if x["workload"] == "door" else "on-sale", num(r.get("throughput_per_s")), unit,
            num(r.get("p50_ms"), 1), num(r.get("p99_ms"), 1), num(r.get("conflicts_surfaced")),
            num(r.get("unavailable")), yes_no(r.get("oversold")), yes_no(r.get("counts_exact")),
            num(r.get("throttles")), num(r.get("hottest_partition_wcu_per_s")), marks))
    out.append("")
    out.append("Modelled seconds per run: %s; wall seconds: %s." % (
        ", ".join("%s %s %s" % (x["layout"], x["workload"], num(x["result"].get("modelled_seconds"), 1)) for x in rows),
        ", ".join(num(x["result"].get("wall_seconds"), 1) for x in rows)))
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--trace", required=True)
    p.add_argument("--doors", type=int, default=40)
    p.add_argument("--tickets", type=int, default=20000)
    p.add_argument("--seats", type=int, default=50000)
    p.add_argument("--rate", type=int, default=2000)
    p.add_argument("--max-q", type=int, default=4)
    p.add_argument("--seconds", type=float)
    p.add_argument("--small-seconds", type=float,
                   help="modelled seconds for today's layout's runs (default --seconds): a short case that checks "
                        "its behaviour, not its ceiling, need not wait for its retries to drain a whole sale")
    p.add_argument("--seed", type=int)
    p.add_argument("--model-args", default="",
                   help="more options for every run.py, e.g. \"--warm-wcu 20000\" (tables pre-warmed)")
    p.add_argument("--timeout", type=float, default=1800, help="for all the runs together")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2: the two cores)")
    p.add_argument("--run", default=os.path.join(ROOT, "bench/ddbsim/run.py"))
    p.add_argument("--json-out")
    p.add_argument("--md-out")
    a = p.parse_args()
    if not os.path.exists(a.run):
        raise SystemExit("report: %s is missing (the model, bench/ddbsim)" % a.run)
    with open(a.trace) as f:
        meta = json.loads(f.readline())
    runs = [(layout, workload) for layout in LAYOUTS for workload in WORKLOADS]
    results = run_all(a, runs)
    rows = [{"layout": l, "workload": w, "result": results[(l, w)], "targets": targets(w, results[(l, w)], a.seats)}
            for l, w in runs]
    md = markdown(a, meta, rows)
    if a.md_out:
        with open(a.md_out + ".tmp", "w") as f:
            f.write(md)
        os.replace(a.md_out + ".tmp", a.md_out)
    if a.json_out:
        doc = {"trace": {"commit": meta.get("commit"), "recorded_at": meta.get("recorded_at")},
               "model_args": shlex.split(a.model_args),
               "scale": {"doors": a.doors, "tickets": a.tickets, "seats": a.seats, "rate": a.rate, "max_q": a.max_q},
               "runs": [dict(x, targets=[{"target": n, "met": ok} for n, ok in x["targets"]]) for x in rows]}
        with open(a.json_out + ".tmp", "w") as f:
            json.dump(doc, f, indent=1)
        os.replace(a.json_out + ".tmp", a.json_out)
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
