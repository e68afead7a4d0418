#!/usr/bin/env python3
"""zmq4 beside the ZeroMQ libraries a Rust user might pick instead, and the
same-calls C loop, over tcp://127.0.0.1 (called by ci/bench-peers.sh, which
builds them all): PUSH -> PULL throughput and REQ/REP latency, each pair of
the same library, at 64 B, 1 KiB and 32 KiB, with each library's defaults
and with tuned settings; 5 interleaved runs per cell (every set in turn,
then again), medians and spreads.

With --interop: each peer's tools against zmq4's, both ways (peer local +
zmq4 remote, zmq4 local + peer remote), throughput and REQ/REP latency.

Every set is a directory of local_thr, remote_thr, local_lat and
remote_lat speaking libzmq's perf tools' arguments and lines (tools.py).
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools import RunError, Runner, Timeout, load, median, spread, timeouts  # noqa: E402

SETS = ["same", "zmq4", "rust-zmq", "rzmq", "zeromq"]
LABEL = {"same": "same-calls C", "zmq4": "zmq4", "rust-zmq": "rust-zmq", "rzmq": "rzmq",
         "zeromq": "zeromq"}
PEERS = ["rust-zmq", "rzmq", "zeromq"]
SIZES = [int(s) for s in os.environ.get("BENCH_PEER_SIZES", "64 1024 32768").split()]
HWM = os.environ.get("BENCH_PEER_HWM", "100000")

# The settings of each profile, as the environment of every tool of a run.
# defaults: every library as it comes (libzmq, hence zmq4, rust-zmq and the
# C loop: HWM 1000; rzmq: HWM 256, adaptive throttle on; zeromq: no HWM).
# tuned: the settings of rzmq's own benchmarks (HWM 100,000, throttle off)
# and the same HWM for every library that has one; zeromq has neither knob.
PROFILES = {
    "defaults": {},
    "tuned": {"BENCH_HWM": HWM, "BENCH_RZMQ_THROTTLE": "0"},
}
PROBE = {"thr": 200000, "lat": 5000}


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    env.update(extra)
    return env


def calibrate(runner, kind, size, seconds):
    """Count for a run of about `seconds` of the same-calls C loop."""
    for attempt in range(3):
        try:
            value = runner.run(kind, "tcp", size, PROBE[kind], "same", env=clean_env({}))
            break
        except Timeout as e:
            if attempt == 2:
                raise RunError(f"calibration of {kind} {size} B: {e}") from None
    per_second = value if kind == "thr" else 1e6 / (2 * value)
    return max(100, int(per_second * seconds))


def fmt(kind, v):
    if v is None:
        return "timed out"
    return f"{v / 1e6:.2f} M" if kind == "thr" and v >= 1e6 else (
        f"{v / 1e3:.0f} k" if kind == "thr" else f"{v:.1f}")


def compare(runner, args):
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    seconds = float(os.environ.get("BENCH_SECONDS", "1"))
    runner.limit = 10 + 5 * seconds
    sets = os.environ.get("BENCH_PEER_SETS", " ".join(SETS)).split()
    profiles = os.environ.get("BENCH_PEER_PROFILES", "defaults tuned").split()
    kinds = os.environ.get("BENCH_PEER_KINDS", "thr lat").split()
    load_before = load()
    start = time.time()
    results = []
    timed_out = []
    for kind in kinds:
        for size in SIZES:
            cell_load = load()
            count = calibrate(runner, kind, size, seconds)
            samples = {(p, s): [] for p in profiles for s in sets}
            for _ in range(runs):
                for p in profiles:
                    for s in sets:
                        try:
                            v = runner.run(kind, "tcp", size, count, s,
                                           env=clean_env(PROFILES[p]))
                        except (Timeout, RunError) as e:
                            # Kept as the slowest run of its cell, and
                            # listed: a library that fails now and then
                            # is part of the comparison.
                            what = "timed out" if isinstance(e, Timeout) else "failed"
                            timed_out.append(f"{LABEL[s]} ({p}), {kind} {size} B x {count}, "
                                             f"{what}: {e}".strip())
                            print(f"  ({what}: {e})", file=sys.stderr, flush=True)
                            v = None
                        samples[(p, s)].append(v)
            for p in profiles:
                row = {"kind": kind, "size": size, "profile": p, "count": count,
                       "load": cell_load,
                       "samples": {s: samples[(p, s)] for s in sets},
                       "median": {s: median(kind, samples[(p, s)]) for s in sets}}
                results.append(row)
                print(f"  {kind} {size:>6} B x {count} {p} (load {cell_load}): " +
                      "; ".join(f"{LABEL[s]} {samples[(p, s)]}" for s in sets),
                      file=sys.stderr, flush=True)
    elapsed = time.time() - start

    with open(os.path.join(args.results, "peers.json"), "w") as f:
        json.dump({"results": results, "timed_out": timed_out, "load_before": load_before,
                   "load_after": load()}, f, indent=1)
    print("## zmq4 beside the other Rust choices (tcp://127.0.0.1, two processes)\n")
    print("```")
    if args.info:
        print(open(args.info).read().strip())
    print(f"machine: {os.cpu_count()} CPUs, {os.uname().sysname} {os.uname().release}; "
          f"load average before: {load_before}, after: {load()}; {elapsed:.0f} s of runs; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(start))}")
    print(f"profiles: defaults = each library's own; tuned = HWM {HWM} where the library has "
          f"one, rzmq's adaptive throttle off (rzmq's own benchmark settings)")
    print("```\n")
    for kind in kinds:
        unit = "msg/s" if kind == "thr" else "us, half a round trip"
        print(f"{'Throughput, PUSH -> PULL' if kind == 'thr' else 'Latency, REQ/REP'} "
              f"({unit}; median of {runs} runs; spread = (max - min) / median; "
              f"zmq4 / x: {'above 1 = zmq4 faster' if kind == 'thr' else 'below 1 = zmq4 faster'})\n")
        head = ["size", "settings", "count"] + [LABEL[s] for s in sets] + \
            [f"zmq4 / {LABEL[s]}" for s in sets if s != "zmq4"] + ["spreads", "load"]
        print("| " + " | ".join(head) + " |")
        print("|---|---|" + "--:|" * (len(head) - 2))
        for r in (r for r in results if r["kind"] == kind):
            m = r["median"]
            cells = [f"{r['size']} B", r["profile"], str(r["count"])]
            cells += [fmt(kind, m[s]) for s in sets]
            for s in sets:
                if s != "zmq4":
                    cells.append("-" if m[s] is None or m["zmq4"] is None
                                 else f"{m['zmq4'] / m[s]:.2f}")
            cells.append(" / ".join(spread(r["samples"][s]) +
                                    (f" ({timeouts(r['samples'][s])} not done)"
                                     if timeouts(r["samples"][s]) else "") for s in sets))
            cells.append(r["load"])
            print("| " + " | ".join(cells) + " |")
        print()
    print(f"Runs that failed or were stopped at the time limit ({runner.limit:.0f} s), "
          f"counted as their cell's slowest (\"not done\"): {len(timed_out) or 'none'}")
    for line in timed_out:
        print(f"- {line}")
    print()


def interop(runner, args):
    """Each peer with zmq4's tools, both ways; fails on the first pair that
    does not deliver every message, in order of size, and the right count."""
    n_thr = int(os.environ.get("BENCH_INTEROP_THR", "100000"))
    n_lat = int(os.environ.get("BENCH_INTEROP_LAT", "10000"))
    runner.limit = 60
    peers = os.environ.get("BENCH_PEER_SETS", " ".join(PEERS)).split()
    env = clean_env({})
    start = time.time()
    failed = 0
    for peer in [p for p in peers if p in PEERS]:
        for kind, count in (("thr", n_thr), ("lat", n_lat)):
            for local, remote in ((peer, "zmq4"), ("zmq4", peer)):
                what = (f"{kind} tcp 64 B x {count}: {LABEL[local]} local_{kind} + "
                        f"{LABEL[remote]} remote_{kind}")
                try:
                    v = runner.run(kind, "tcp", 64, count, local, remote, env=env)
                    figure = f"{v:,.0f} msg/s" if kind == "thr" else f"{v:.1f} us"
                    print(f"ok {what} ({figure})", flush=True)
                except (RunError, Timeout) as e:
                    failed += 1
                    print(f"FAILED {what}: {e}", flush=True)
    print(f"interop: {failed} failed in {time.time() - start:.0f} s")
    if failed:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interop", action="store_true")
    ap.add_argument("--results", required=True)
    ap.add_argument("--info")
    for s in SETS:
        ap.add_argument(f"--{s}", required=True, metavar="DIR", help=f"{LABEL[s]}'s tools")
    args = ap.parse_args()
    bins = {s: getattr(args, s.replace("-", "_")) for s in SETS}
    with tempfile.TemporaryDirectory(prefix="zmq4-peers-") as tmp:
        runner = Runner(bins, tmp)
        try:
            (interop if args.interop else compare)(runner, args)
        except RunError as e:
            sys.exit(f"bench: {e}")


if __name__ == "__main__":
    main()
