#!/usr/bin/env python3
"""Compares settings: one cell (kind, transport, size) run under several
variants, interleaved (A, B, C, A, B, C...), medians and spreads, the
machine's load with each. For the measurements behind BENCHMARKS.md's
notes on batch sizes, kernel buffers, I/O threads, affinity and spinning.

  python3 ci/bench/ab.py --kind thr --transport tcp --size 64 --count 2000000 \\
      --tools target/bench/bench-same \\
      default 'sndbuf 4M:BENCH_SNDBUF=4194304,BENCH_RCVBUF=4194304' \\
      'pinned:@local=0,remote=1'

A variant is NAME[:VAR=VALUE,...][@local=CPUS,remote=CPUS]: the
environment of both tools (ci/bench/c/perf.h, examples/perf/common.rs) and
the CPUs each tool is pinned to (taskset); `tools=DIR` among the variables
runs that variant with other tools (another library, a DRAFT build). BENCH_RUNS (default 5) runs of
each; --strace also counts the system calls of each side of one run per
variant (strace -f -c; slow, counts only).
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools import Runner, Timeout, load, median, spread, timeouts  # noqa: E402


def variant(text):
    name, _, rest = text.partition(":")
    if "@" in name:
        name, _, pin = name.partition("@")
        rest = (rest + "@" + pin) if rest else "@" + pin
    env_part, _, pin_part = rest.partition("@")
    env = dict(kv.split("=", 1) for kv in env_part.split(",") if kv)
    pin = dict(kv.split("=", 1) for kv in pin_part.split(",") if kv)
    # tools=DIR: this variant's tools instead of --tools.
    pin["tools"] = env.pop("tools", None)
    return name, env, pin


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["thr", "lat"], required=True)
    ap.add_argument("--transport", default="tcp")
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--tools", required=True, help="directory of the tools")
    ap.add_argument("--strace", action="store_true")
    ap.add_argument("variants", nargs="+")
    args = ap.parse_args()
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    variants = [variant(v) for v in args.variants]
    base = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    samples = {name: [] for name, _, _ in variants}
    loads = []
    with tempfile.TemporaryDirectory(prefix="zmq4-ab-") as tmp:
        runner = Runner({"t": args.tools}, tmp)
        for name, _, pin in variants:
            runner.bins[name] = pin["tools"] or args.tools
        runner.limit = 30
        for _ in range(runs):
            for name, env, pin in variants:
                loads.append(float(load()))
                runner.prefix = {side: (["taskset", "-c", pin[side]] if pin.get(side) else [])
                                 for side in ("local", "remote")}
                try:
                    v = runner.run(args.kind, args.transport, args.size, args.count, name,
                                   env={**base, **env})
                except Timeout as e:
                    print(f"  ({name}: {e})", file=sys.stderr)
                    v = None
                samples[name].append(v)
        print(f"{args.kind} {args.transport} {args.size} B x {args.count}, {args.tools}, "
              f"{runs} interleaved runs; load average {min(loads):.2f} - {max(loads):.2f}")
        unit = "msg/s" if args.kind == "thr" else "us"
        print(f"| variant | median {unit} | spread | timed out | runs |")
        print("|---|--:|--:|--:|---|")
        for name, _, _ in variants:
            s = samples[name]
            m = median(args.kind, s)
            print(f"| {name} | {'-' if m is None else f'{m:,.1f}'} | {spread(s)} | "
                  f"{timeouts(s)} | {', '.join('t/o' if v is None else f'{v:,.0f}' if args.kind == 'thr' else f'{v:.1f}' for v in s)} |")
        if args.strace:
            for name, env, pin in variants:
                counts = {}
                for side in ("local", "remote"):
                    # The remote side must end by itself for strace to
                    # write its counts: it sends exactly the count.
                    out = os.path.join(tmp, f"strace-{side}")
                    runner.prefix = {"local": [], "remote": []}
                    runner.prefix[side] = ["strace", "-f", "-c", "-o", out]
                    runner.limit = 300
                    runner.run(args.kind, args.transport, args.size, args.count, name,
                               env={**base, **env}, exact=side == "remote")
                    counts[side] = syscalls(out)
                print(f"{name}: system calls per message ({args.count} messages; local / remote): " +
                      "; ".join(f"{c} {counts['local'].get(c, 0) / args.count:.3f} / "
                                f"{counts['remote'].get(c, 0) / args.count:.3f}"
                                for c in sorted(set(counts["local"]) | set(counts["remote"]),
                                                key=lambda c: -(counts["local"].get(c, 0) +
                                                                counts["remote"].get(c, 0)))[:8]))


def syscalls(path):
    counts = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            # % time, seconds, usecs/call, calls, [errors], syscall
            if len(fields) >= 5 and fields[0][0].isdigit() and fields[-1] != "total":
                try:
                    counts[fields[-1]] = int(fields[3])
                except ValueError:
                    pass
    return counts


if __name__ == "__main__":
    main()
