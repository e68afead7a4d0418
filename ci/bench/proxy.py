#!/usr/bin/env python3
"""What a proxy costs: libzmq's zmq_proxy against zmq4's SteerableProxy,
with examples/perf/proxy_thr (PUSH -> proxy -> PULL over inproc).

Three measures, each printed as a markdown table:
1. the proxy thread's own instructions per message (callgrind with
   --separate-threads, the `staged` mode of proxy_thr: every message is
   queued before the proxy starts, so the count does not depend on how
   valgrind schedules the threads);
2. the whole pipeline's instructions per message (callgrind, all threads,
   the three threads running together as in production), with `none` (no
   proxy) for reference;
3. wall-clock throughput and CPU time (all threads, user and system),
   the two proxies run alternately.

Instructions per message are (Ir(2N) - Ir(N)) / N, which cancels start-up
and teardown; each figure is the median of several runs.

usage: proxy.py PROXY_THR_BINARY RESULTS_DIR
settings (environment): PROXY_BENCH_N (callgrind N, default 100000),
PROXY_BENCH_REPS (callgrind runs, default 3), PROXY_BENCH_WALL_RUNS
(default 7), PROXY_BENCH_WALL_COUNT (messages per wall-clock run, default
2000000), PROXY_BENCH_SIZES (default "1 1024").
"""

import glob
import os
import re
import resource
import statistics
import subprocess
import sys

KINDS = ("libzmq", "steerable")


def env_int(name, default):
    return int(os.environ.get(name, default))


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=1800)
    if p.returncode != 0:
        sys.exit(f"proxy bench: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p.stdout


def total_ir(path):
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit(f"proxy bench: no instruction total in {path}")


def proxy_thread_ir(binary, results, kind, size, n):
    """Instructions of the proxy thread in a staged run of n messages."""
    out = os.path.join(results, f"proxy.{kind}.{size}.{n}")
    for old in glob.glob(out + "-*"):
        os.remove(old)
    run(["valgrind", "--tool=callgrind", "--separate-threads=yes",
         f"--callgrind-out-file={out}", binary, kind, str(size), str(n), "staged"])
    for path in glob.glob(out + "-*"):
        with open(path, errors="replace") as f:
            text = f.read()
        # The thread whose profile holds the forwarding function.
        if re.search(r"fn=.*(proxy::forward|zmq::proxy)", text):
            return total_ir(path)
    sys.exit(f"proxy bench: no proxy thread among {out}-*")


def pipeline_ir(binary, results, kind, size, n):
    """Instructions of all threads in a concurrent run of n messages."""
    out = os.path.join(results, f"pipeline.{kind}.{size}.{n}.out")
    run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         binary, kind, str(size), str(n)])
    return total_ir(out)


def per_message(measure, n, reps):
    return statistics.median((measure(2 * n) - measure(n)) / n for _ in range(reps))


def throughput(binary, kind, size, count):
    """Messages per second, and CPU microseconds per message (all threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = run([binary, kind, str(size), str(count)])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    rate = int(re.search(r"mean throughput: (\d+) \[msg/s\]", out).group(1))
    return rate, cpu * 1e6 / count


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, results = sys.argv[1], sys.argv[2]
    os.makedirs(results, exist_ok=True)
    n = env_int("PROXY_BENCH_N", 100000)
    reps = env_int("PROXY_BENCH_REPS", 3)
    wall_runs = env_int("PROXY_BENCH_WALL_RUNS", 7)
    count = env_int("PROXY_BENCH_WALL_COUNT", 2000000)
    sizes = [int(s) for s in os.environ.get("PROXY_BENCH_SIZES", "1 1024").split()]

    print(f"## Proxy thread, instructions per message (staged, N = {n}, median of {reps})\n")
    print("| size | libzmq zmq_proxy | zmq4 SteerableProxy | zmq4/libzmq |")
    print("|--:|--:|--:|--:|")
    for size in sizes:
        ir = {k: per_message(lambda m, k=k: proxy_thread_ir(binary, results, k, size, m), n, reps)
              for k in KINDS}
        print(f"| {size} B | {ir['libzmq']:.1f} | {ir['steerable']:.1f} | "
              f"{ir['steerable'] / ir['libzmq']:.3f} |", flush=True)

    print(f"\n## Whole pipeline, instructions per message (all threads, N = {n}, "
          f"median of {reps})\n")
    print("| size | no proxy | libzmq zmq_proxy | zmq4 SteerableProxy | proxy share: libzmq | zmq4 |")
    print("|--:|--:|--:|--:|--:|--:|")
    for size in sizes:
        ir = {k: per_message(lambda m, k=k: pipeline_ir(binary, results, k, size, m), n, reps)
              for k in ("none",) + KINDS}
        print(f"| {size} B | {ir['none']:.1f} | {ir['libzmq']:.1f} | {ir['steerable']:.1f} | "
              f"{ir['libzmq'] - ir['none']:.1f} | {ir['steerable'] - ir['none']:.1f} |",
              flush=True)

    print(f"\n## Wall clock ({count} messages, {wall_runs} runs each, alternating; median)\n")
    print("| size | msg/s libzmq | msg/s zmq4 | zmq4/libzmq | CPU us/msg libzmq | CPU us/msg zmq4 |")
    print("|--:|--:|--:|--:|--:|--:|")
    for size in sizes:
        got = {k: [] for k in KINDS}
        for _ in range(wall_runs):
            for k in KINDS:
                got[k].append(throughput(binary, k, size, count))
        rate = {k: statistics.median(r for r, _ in v) for k, v in got.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in got.items()}
        print(f"| {size} B | {rate['libzmq']:.0f} | {rate['steerable']:.0f} | "
              f"{rate['steerable'] / rate['libzmq']:.3f} | {cpu['libzmq']:.3f} | "
              f"{cpu['steerable']:.3f} |", flush=True)
        print(f"  runs (msg/s, CPU us/msg): {got}", file=sys.stderr)


if __name__ == "__main__":
    main()
