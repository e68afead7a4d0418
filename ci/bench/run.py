#!/usr/bin/env python3
"""Runs libzmq's C perf tools, the same-calls C loops (ci/bench/c/) and
zmq4's ports (examples/perf/) side by side (called by ci/bench.sh, which
builds all three against one libzmq.a) and prints a table of medians.

Throughput: local_thr (PULL, binds) + remote_thr (PUSH) over ipc and tcp,
inproc_thr over inproc. Latency: local_lat (REP, binds) + remote_lat (REQ)
over ipc and tcp, inproc_lat over inproc. A figure pairs two tools of the
same set; the runs of a cell alternate C tool, same-calls C, zmq4, C tool...
Mixed pairs (a zmq4 local tool with a C remote tool and the reverse) are
run as an interop check. Every line a tool prints must have the C tools'
exact format.

A run that takes longer than the limit is stopped and counted as the
slowest of its cell (see tools.py); it is not made again.
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools import RunError, Runner, Timeout, load, median, spread, timeouts  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1 64 1024 65536 1048576").split()]
TRANSPORTS = os.environ.get("BENCH_TRANSPORTS", "inproc ipc tcp").split()

# The three sets of tools, in the order their runs alternate.
LANGS = ["C", "same", "zmq4"]
LABEL = {"C": "C tool", "same": "same-calls C", "zmq4": "zmq4"}

# Quick mode: counts that take a fraction of a second even unoptimised.
QUICK = {"thr": 2000, "lat": 200}
QUICK_BIG = {"thr": 100, "lat": 20}  # 64 KiB and more
# Full mode: the count of the calibration run (then scaled to ~1 s).
PROBE = {
    "thr": {1: 200000, 64: 200000, 1024: 100000, 65536: 5000, 1048576: 500},
    "lat": {1: 5000, 64: 5000, 1024: 5000, 65536: 1000, 1048576: 100},
}
INT_MAX = 2**31 - 1


def mode_counts(mode, kind, size):
    if mode == "quick":
        return (QUICK_BIG if size >= 65536 else QUICK)[kind]
    return None


def calibrate(runner, kind, transport, size, seconds):
    """Count for a run of about `seconds`, from one short C run (made
    again, up to three times, should it time out)."""
    probe = PROBE[kind].get(size, 1000)
    for attempt in range(3):
        try:
            value = runner.run(kind, transport, size, probe, "C")
            break
        except Timeout as e:
            print(f"  (calibration run {e})", file=sys.stderr, flush=True)
            if attempt == 2:
                raise RunError(f"calibration of {kind} {transport} {size} B: {e}") from None
    per_second = value if kind == "thr" else 1e6 / (2 * value)
    return max(100, min(INT_MAX, int(per_second * seconds)))


def fmt_rate(v):
    return "timed out" if v is None else f"{v:,.0f}"


def fmt_us(v):
    return "timed out" if v is None else f"{v:.3f}"


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.3f}"


def table(results, runs, mode):
    out = []
    if mode == "quick":
        out.append("(quick mode: counts too small to measure anything; this table only shows "
                   "that every tool ran and printed its figures)")
        out.append("")
    spreads = lambda r: " / ".join(spread(r["samples"][lang]) for lang in LANGS)  # noqa: E731
    t_outs = lambda r: " / ".join(str(timeouts(r["samples"][lang])) for lang in LANGS)  # noqa: E731
    thr = [r for r in results if r["kind"] == "thr"]
    lat = [r for r in results if r["kind"] == "lat"]
    if thr:
        out.append(
            "Throughput, msg/s (median of %d runs each; spread = (max - min) / median of a set's "
            "runs; timed out: runs stopped at the time limit, counted as the slowest; load: 1-minute "
            "load average when the cell began)" % runs)
        out.append("")
        out.append("| transport | size [B] | count | C tool | same-calls C | zmq4 | zmq4 MB/s "
                   "| zmq4 / C tool | zmq4 / same-calls C | spread C / same / zmq4 "
                   "| timed out | load |")
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for r in thr:
            m = r["median"]
            mb = "-" if m["zmq4"] is None else f"{m['zmq4'] * r['size'] / 1e6:,.1f}"
            out.append(
                f"| {r['transport']} | {r['size']} | {r['count']} | {fmt_rate(m['C'])} | "
                f"{fmt_rate(m['same'])} | {fmt_rate(m['zmq4'])} | {mb} | "
                f"{ratio(m['zmq4'], m['C'])} | {ratio(m['zmq4'], m['same'])} | {spreads(r)} | "
                f"{t_outs(r)} | {r['load']} |")
        out.append("")
    if lat:
        out.append("Latency, us (the tools' \"average latency\": half a round trip; median of %d "
                   "runs each; spread, timed out and load as above)" % runs)
        out.append("")
        out.append("| transport | size [B] | round trips | C tool | same-calls C | zmq4 "
                   "| zmq4 / C tool | zmq4 / same-calls C | spread C / same / zmq4 "
                   "| timed out | load |")
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for r in lat:
            m = r["median"]
            out.append(
                f"| {r['transport']} | {r['size']} | {r['count']} | {fmt_us(m['C'])} | "
                f"{fmt_us(m['same'])} | {fmt_us(m['zmq4'])} | {ratio(m['zmq4'], m['C'])} | "
                f"{ratio(m['zmq4'], m['same'])} | {spreads(r)} | {t_outs(r)} | {r['load']} |")
        out.append("")
    return "\n".join(out)


def measure(runner, kind, transport, size, count, lang, timed_out):
    try:
        return runner.run(kind, transport, size, count, lang)
    except Timeout as e:
        timed_out.append(f"{LABEL[lang]}, {kind} {transport} {size} B x {count}: {e}")
        print(f"  ({LABEL[lang]}: {e})", file=sys.stderr, flush=True)
        return None


def bench(args, runner):
    runs = int(os.environ.get("BENCH_RUNS", "1" if args.mode == "quick" else "5"))
    seconds = float(os.environ.get("BENCH_SECONDS", "1"))
    runner.limit = 20 if args.mode == "quick" else 10 + 5 * seconds
    load_before = load()
    results = []
    timed_out = []
    start = time.time()
    for kind in ("thr", "lat"):
        for transport in TRANSPORTS:
            for size in SIZES:
                cell_load = load()
                count = mode_counts(args.mode, kind, size) or calibrate(
                    runner, kind, transport, size, seconds)
                samples = {lang: [] for lang in LANGS}
                for _ in range(runs):
                    for lang in LANGS:
                        samples[lang].append(
                            measure(runner, kind, transport, size, count, lang, timed_out))
                row = {"kind": kind, "transport": transport, "size": size, "count": count,
                       "median": {lang: median(kind, samples[lang]) for lang in LANGS},
                       "samples": samples, "load": cell_load}
                results.append(row)
                print(f"  {kind} {transport:6} {size:>7} B x {count} (load {cell_load}): " +
                      "; ".join(f"{LABEL[lang]} {samples[lang]}" for lang in LANGS),
                      file=sys.stderr, flush=True)
    elapsed = time.time() - start
    load_after = load()

    # Interop: each zmq4 tool paired with the other side's C tool and
    # same-calls C loop.
    interop = []
    for kind in ("thr", "lat"):
        for transport in [t for t in TRANSPORTS if t != "inproc"]:
            size = 1024 if 1024 in SIZES else SIZES[0]
            count = QUICK[kind]
            for local, remote in (("zmq4", "C"), ("C", "zmq4"), ("zmq4", "same"),
                                  ("same", "zmq4")):
                try:
                    v = runner.run(kind, transport, size, count, local, remote)
                except Timeout as e:
                    raise RunError(f"interop: {e}") from None
                figure = f"{v:,.0f} msg/s" if kind == "thr" else f"{v:.3f} us"
                interop.append(f"{kind} {transport} {size} B: {LABEL[local]} local_{kind} + "
                               f"{LABEL[remote]} remote_{kind}: ok ({figure})")

    with open(os.path.join(args.results, f"bench-{args.mode}.json"), "w") as f:
        json.dump({"results": results, "interop": interop, "timed_out": timed_out,
                   "load_before": load_before, "load_after": load_after}, f, indent=1)
    info = open(args.info).read().strip() if args.info else ""
    text = table(results, runs, args.mode)
    print(f"## zmq4 perf tools vs libzmq's C tools and the same-calls C loops ({args.mode} mode)\n")
    print("```")
    print(info)
    print(f"machine: {os.cpu_count()} CPUs, {os.uname().sysname} {os.uname().release}; "
          f"load average before: {load_before}, after: {load_after}; {elapsed:.0f} s of runs; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(start))}")
    print("```\n")
    print(text)
    if timed_out:
        print(f"Runs stopped at the time limit ({runner.limit:.0f} s), counted in their cell as "
              f"its slowest: {len(timed_out)}\n")
        for line in timed_out:
            print(f"- {line}")
        print()
    else:
        print(f"Runs stopped at the time limit ({runner.limit:.0f} s): none\n")
    print("Interop (zmq4 tool against C tool and same-calls C loop):\n")
    for line in interop:
        print(f"- {line}")
    print()
    with open(os.path.join(args.results, f"table-{args.mode}.md"), "w") as f:
        f.write(text + "\n")
    if args.mode != "quick":
        for r in results:
            for lang in LANGS:
                if r["median"][lang] is None:
                    print(f"note: {r['kind']} {r['transport']} {r['size']} B: the median run of "
                          f"{LABEL[lang]} timed out", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["quick", "full"], default="full")
    ap.add_argument("--c-bin", required=True, help="libzmq's C tools")
    ap.add_argument("--same-bin", required=True, help="the same-calls C loops")
    ap.add_argument("--rust-bin", required=True, help="zmq4's tools")
    ap.add_argument("--results", required=True)
    ap.add_argument("--info")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zmq4-bench-") as tmp:
        runner = Runner({"C": args.c_bin, "same": args.same_bin, "zmq4": args.rust_bin}, tmp)
        try:
            bench(args, runner)
        except RunError as e:
            sys.exit(f"bench: {e}")


if __name__ == "__main__":
    main()
