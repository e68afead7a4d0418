#!/usr/bin/env python3
"""Instructions per message (callgrind, all threads) of the inproc tools:
libzmq's C tools, the same-calls C loops, zmq4's blocking ports and zmq4's
async tools, as (Ir(2N) - Ir(N)) / N, which cancels start-up and teardown.
Called by ci/bench.sh (--callgrind, --callgrind-only), which builds them.

The cells (environment):
  BENCH_CALLGRIND_KINDS   "thr lat" (inproc_thr: per message; inproc_lat:
                          per round trip)
  BENCH_CALLGRIND_SIZES   "1 64 65536"
  BENCH_CALLGRIND_TOOLS   "C same zmq4 async" (async: the current-thread
                          runtime; async-multi: two workers); "zmq4+PATH"
                          and "same+PATH" measure another path of the
                          throughput tools: send_msg_mut, send_new
                          (built in place), send (copying),
                          recv_into (copying), recv_msg (zmq4 only for
                          send_msg_mut and recv_msg); "async+PATH" the
                          async form of send (copying) and recv_msg
  BENCH_CALLGRIND_N       messages of the thr runs (full: 50000, quick:
                          2000); the lat runs make N/10 round trips
  BENCH_CALLGRIND_REPS    pairs of runs per cell, whose median is given
                          (full: 3, quick: 1)
  BENCH_CALLGRIND_JOBS    valgrind processes at a time (default: the CPU
                          count; valgrind runs one thread at a time, and
                          the count does not depend on the machine's load)
  BENCH_CALLGRIND_OPTS    more valgrind options (e.g. --fair-sched=yes)
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools import RunError, parse  # noqa: E402

LABEL = {"C": "C tool", "same": "same-calls C", "zmq4": "zmq4",
         "async": "zmq4 async (current-thread)", "async-multi": "zmq4 async (multi-thread)"}


SEND_PATHS = {"send_msg", "send_msg_mut", "send_new", "send"}
RECV_PATHS = {"recv", "recv_into", "recv_msg"}


def label(tool):
    base, _, path = tool.partition("+")
    return LABEL[base] + (f" {path}" if path else "")


def path_env(tool):
    """The environment of a tool named with a path (`zmq4+recv_into`: the
    throughput tools send or receive that way, see examples/perf/common.rs
    and ci/bench/c/perf.h)."""
    _, _, path = tool.partition("+")
    if not path:
        return {}
    if path in SEND_PATHS:
        return {"BENCH_SEND": path}
    if path in RECV_PATHS:
        return {"BENCH_RECV": path}
    raise RunError(f"unknown path {path!r} in {tool!r} (one of "
                   f"{' '.join(sorted(SEND_PATHS | RECV_PATHS))})")


def program(args, tool, kind):
    """The command line of `tool`'s inproc_KIND, without size and count,
    and the arguments that follow them."""
    path_env(tool)
    tool = tool.partition("+")[0]
    if tool == "C":
        return [os.path.join(args.c_bin, f"inproc_{kind}")], []
    if tool == "same":
        return [os.path.join(args.same_bin, f"inproc_{kind}")], []
    if tool == "zmq4":
        return [os.path.join(args.rust_bin, f"inproc_{kind}")], []
    if tool == "async":
        return [os.path.join(args.rust_bin, f"async_inproc_{kind}")], ["current"]
    if tool == "async-multi":
        return [os.path.join(args.rust_bin, f"async_inproc_{kind}")], ["multi"]
    raise RunError(f"unknown tool {tool!r} in BENCH_CALLGRIND_TOOLS (one of {' '.join(LABEL)})")


def ir(args, tool, kind, size, count, rep):
    """Instructions (all threads) of one run."""
    exe, extra = program(args, tool, kind)
    out = os.path.join(args.results, f"callgrind.{kind}.{size}.{tool.replace('+', '-')}.{count}.{rep}.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + \
        os.environ.get("BENCH_CALLGRIND_OPTS", "").split() + exe + \
        [str(size), str(count)] + extra
    env = {k: v for k, v in os.environ.items() if k not in ("BENCH_SEND", "BENCH_RECV")}
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=1800, env={**env, **path_env(tool)})
    parse(kind, cmd, p.returncode, p.stdout, p.stderr, size, count)
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RunError(f"no instruction total in {out}")


def fmt(v):
    return "-" if v is None else f"{v:.1f}"


def ratio(a, b, digits=3):
    return "-" if a is None or b is None else f"{a / b:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["quick", "full"], default="full")
    ap.add_argument("--c-bin", required=True)
    ap.add_argument("--same-bin", required=True)
    ap.add_argument("--rust-bin", required=True)
    ap.add_argument("--results", required=True)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench: --callgrind needs valgrind (apt-get install valgrind)")
    quick = args.mode == "quick"
    env = os.environ.get
    kinds = env("BENCH_CALLGRIND_KINDS", "thr lat").split()
    sizes = [int(s) for s in env("BENCH_CALLGRIND_SIZES", "1 64 65536").split()]
    tools = env("BENCH_CALLGRIND_TOOLS", "C same zmq4 async").split()
    n_thr = int(env("BENCH_CALLGRIND_N", "2000" if quick else "50000"))
    reps = int(env("BENCH_CALLGRIND_REPS", "1" if quick else "3"))
    jobs = int(env("BENCH_CALLGRIND_JOBS", str(os.cpu_count() or 1)))
    for t in tools:
        program(args, t, "thr")  # fails early on an unknown name

    # Every run of every cell, all at once: valgrind serialises a program's
    # threads, so `jobs` runs share the CPUs without changing their counts.
    runs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for kind in kinds:
            n = n_thr if kind == "thr" else max(1, n_thr // 10)
            for size in sizes:
                for rep in range(reps):
                    for tool in tools:
                        for count in (n, 2 * n):
                            runs[(kind, size, tool, rep, count)] = pool.submit(
                                ir, args, tool, kind, size, count, rep)
        try:
            done = {k: f.result() for k, f in runs.items()}
        except (RunError, subprocess.TimeoutExpired) as e:
            for f in runs.values():
                f.cancel()
            sys.exit(f"bench: {e}")

    rows = []
    for kind in kinds:
        n = n_thr if kind == "thr" else max(1, n_thr // 10)
        for size in sizes:
            per = {}
            for tool in tools:
                per[tool] = [(done[(kind, size, tool, rep, 2 * n)] -
                              done[(kind, size, tool, rep, n)]) / n for rep in range(reps)]
            print(f"  callgrind inproc_{kind} {size} B: " +
                  "; ".join(f"{label(t)} {[round(v, 1) for v in per[t]]}" for t in tools),
                  file=sys.stderr)
            rows.append({"kind": kind, "size": size, "n": n, "runs": per,
                         "median": {t: statistics.median(per[t]) for t in tools}})

    m = lambda r, t: r["median"].get(t)  # noqa: E731
    print(f"## Instructions (callgrind, all threads; per message (thr) or round trip (lat) = "
          f"(Ir(2N) - Ir(N)) / N; median of {reps})\n")
    cols = [t for t in tools]
    head = ["case", "N"] + [label(t) for t in cols]
    if "zmq4" in tools and "C" in tools:
        head.append("zmq4 / C tool")
    if "zmq4" in tools and "same" in tools:
        head.append("zmq4 / same-calls C")
    for a in ("async", "async-multi"):
        if a in tools and "zmq4" in tools:
            head.append(f"{LABEL[a]} / zmq4")
    print("| " + " | ".join(head) + " |")
    print("|---|" + "--:|" * (len(head) - 1))
    for r in rows:
        cells = [f"inproc_{r['kind']} {r['size']} B", str(r["n"])]
        cells += [fmt(m(r, t)) + (f" ({min(r['runs'][t]):.0f}-{max(r['runs'][t]):.0f})"
                                  if reps > 1 else "") for t in cols]
        if "zmq4" in tools and "C" in tools:
            cells.append(ratio(m(r, "zmq4"), m(r, "C"), 4))
        if "zmq4" in tools and "same" in tools:
            cells.append(ratio(m(r, "zmq4"), m(r, "same"), 4))
        for a in ("async", "async-multi"):
            if a in tools and "zmq4" in tools:
                cells.append(ratio(m(r, a), m(r, "zmq4")))
        print("| " + " | ".join(cells) + " |")
    print()
    if reps > 1:
        print("(in brackets: the lowest and the highest of the runs)\n")
    with open(os.path.join(args.results, f"callgrind-{args.mode}.json"), "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
