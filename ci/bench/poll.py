#!/usr/bin/env python3
"""Instructions per poll of one ready socket (callgrind): the same-calls C
loop (ci/bench/c/poll_cost.c, zmq_poll over one item) against zmq4's ways
to poll (examples/perf/poll_cost.rs: the raw zmq_poll through zmq4::sys,
zmq4::poll, Socket::poll, Poller::poll), each with several timeouts, as
(Ir(2N) - Ir(N)) / N, which cancels start-up and teardown. Called by
ci/bench-poll.sh, which builds both programs on the vendored libzmq.

usage: poll.py C_LOOP RUST_TOOL RESULTS_DIR
settings (environment):
  POLL_BENCH_N         polls of the shorter run (default 20000)
  POLL_BENCH_REPS      pairs of runs per cell, whose median is given (3)
  POLL_BENCH_TIMEOUTS  timeouts in ms, -1 for none (default "0 5 -1")
  POLL_BENCH_TOOLS     "same ffi poll socket poller"
  POLL_BENCH_JOBS      valgrind processes at a time (default: CPU count)
"""
import concurrent.futures
import os
import statistics
import subprocess
import sys

LABEL = {"same": "same-calls C (zmq_poll)", "ffi": "Rust, raw zmq_poll",
         "poll": "zmq4::poll", "socket": "Socket::poll", "poller": "Poller::poll"}


def ir(c_loop, rust_tool, results, tool, timeout, count, rep):
    exe = [c_loop] if tool == "same" else [rust_tool]
    out = os.path.join(results, f"callgrind.poll.{tool}.{timeout}.{count}.{rep}.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + exe + \
        [str(count), str(timeout)] + ([] if tool == "same" else [tool])
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=1800)
    if p.returncode != 0 or f"ready: {count}" not in p.stdout:
        sys.exit(f"poll bench: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit(f"poll bench: no instruction total in {out}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    c_loop, rust_tool, results = sys.argv[1:]
    os.makedirs(results, exist_ok=True)
    env = os.environ.get
    n = int(env("POLL_BENCH_N", "20000"))
    reps = int(env("POLL_BENCH_REPS", "3"))
    timeouts = [int(t) for t in env("POLL_BENCH_TIMEOUTS", "0 5 -1").split()]
    tools = env("POLL_BENCH_TOOLS", "same ffi poll socket poller").split()
    jobs = int(env("POLL_BENCH_JOBS", str(os.cpu_count() or 1)))
    for t in tools:
        if t not in LABEL:
            sys.exit(f"poll bench: unknown tool {t!r} (one of {' '.join(LABEL)})")

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = {(tool, timeout, rep, count): pool.submit(
                    ir, c_loop, rust_tool, results, tool, timeout, count, rep)
                for timeout in timeouts for rep in range(reps) for tool in tools
                for count in (n, 2 * n)}
        done = {k: f.result() for k, f in runs.items()}

    print(f"## Instructions per poll of one ready socket (callgrind; (Ir(2N) - Ir(N)) / N, "
          f"N = {n}; median of {reps}, in brackets the lowest and highest run)\n")
    head = ["timeout"] + [LABEL[t] for t in tools]
    base = "poll" if "poll" in tools else None
    if "same" in tools:
        head += [f"{LABEL[t]} / C" for t in tools if t != "same"]
    if base and "poller" in tools:
        head.append("Poller::poll / zmq4::poll")
    print("| " + " | ".join(head) + " |")
    print("|---|" + "--:|" * (len(head) - 1))
    for timeout in timeouts:
        per = {t: [(done[(t, timeout, r, 2 * n)] - done[(t, timeout, r, n)]) / n
                   for r in range(reps)] for t in tools}
        med = {t: statistics.median(v) for t, v in per.items()}
        name = "none (-1)" if timeout < 0 else f"{timeout} ms"
        cells = [name] + [f"{med[t]:.1f}" + (f" ({min(per[t]):.0f}-{max(per[t]):.0f})"
                                             if reps > 1 else "") for t in tools]
        if "same" in tools:
            cells += [f"{med[t] / med['same']:.3f}" for t in tools if t != "same"]
        if base and "poller" in tools:
            cells.append(f"{med['poller'] / med['poll']:.3f}")
        print("| " + " | ".join(cells) + " |")
    print()


if __name__ == "__main__":
    main()
