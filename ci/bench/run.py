#!/usr/bin/env python3
"""Runs libzmq's C perf tools and their Rust ports side by side (called by
ci/bench.sh, which builds both) and prints a table of medians.

Throughput: local_thr (PULL, binds) + remote_thr (PUSH) over ipc and tcp,
inproc_thr over inproc. Latency: local_lat (REP, binds) + remote_lat (REQ)
over ipc and tcp, inproc_lat over inproc. A "C" figure pairs two C tools, a
"Rust" figure two Rust tools; the runs alternate C, Rust, C, Rust... Mixed
pairs (Rust local with C remote and the reverse) are run as an interop
check. Every line a tool prints must have the C tools' exact format.

With --callgrind: instructions per message of `inproc_thr 1 N` for C and
Rust, as (Ir(2N) - Ir(N)) / N, which cancels start-up and teardown.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1 64 1024 65536 1048576").split()]
TRANSPORTS = os.environ.get("BENCH_TRANSPORTS", "inproc ipc tcp").split()

# The C tools' printf formats, as regular expressions.
LINE = {
    "size": re.compile(r"^message size: (-?\d+) \[B\]$"),
    "count": re.compile(r"^message count: (-?\d+)$"),
    "rt": re.compile(r"^roundtrip count: (-?\d+)$"),
    "msgs": re.compile(r"^mean throughput: (-?\d+) \[msg/s\]$"),
    "mbits": re.compile(r"^mean throughput: (-?\d+\.\d{3}) \[Mb/s\]$"),
    "lat": re.compile(r"^average latency: (-?\d+\.\d{3}) \[us\]$"),
}
SHAPE = {
    "thr": ["size", "count", "msgs", "mbits"],
    "lat": ["size", "rt", "lat"],
}

# Quick mode: counts that take a fraction of a second even unoptimised.
QUICK = {"thr": 2000, "lat": 200}
QUICK_BIG = {"thr": 100, "lat": 20}  # 64 KiB and more
# Full mode: the count of the calibration run (then scaled to ~1 s).
PROBE = {
    "thr": {1: 200000, 64: 200000, 1024: 100000, 65536: 5000, 1048576: 500},
    "lat": {1: 5000, 64: 5000, 1024: 5000, 65536: 1000, 1048576: 100},
}
INT_MAX = 2**31 - 1


class RunError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(ep):
    """Whether a socket listens on this tcp:// or ipc:// endpoint (Linux:
    /proc/net); None when that cannot be told."""
    try:
        if ep.startswith("tcp://"):
            port = ":%04X" % int(ep.rsplit(":", 1)[1])
            with open("/proc/net/tcp") as f:
                return any(line.split()[1].endswith(port) and line.split()[3] == "0A"
                           for line in list(f)[1:])
        path = ep[len("ipc://"):]
        with open("/proc/net/unix") as f:
            # Flags 00010000: __SO_ACCEPTCON, a listening socket.
            return any(len(fields) >= 8 and fields[7] == path and fields[3] == "00010000"
                       for fields in (line.split() for line in list(f)[1:]))
    except OSError:
        return None


def wait_listening(ep, proc, limit=10):
    deadline = time.time() + limit
    while time.time() < deadline and proc.poll() is None:
        state = listening(ep)
        if state is None:
            time.sleep(0.2)
            return
        if state:
            return
        time.sleep(0.002)


class Runner:
    def __init__(self, c_bin, rust_bin, tmp):
        self.bins = {"C": c_bin, "Rust": rust_bin}
        self.tmp = tmp
        self.n = 0
        self.limit = 60
        self.retried = {"C": 0, "Rust": 0}

    def endpoint(self, transport):
        self.n += 1
        if transport == "tcp":
            return f"tcp://127.0.0.1:{free_port()}"
        return f"ipc://{self.tmp}/bench-{self.n}.ipc"

    def tool(self, lang, name):
        return os.path.join(self.bins[lang], name)

    def run(self, kind, transport, size, count, local="C", remote=None):
        """One measurement; returns the parsed figure (msg/s or us).

        Over ipc and tcp, remote_thr is given more messages than local_thr
        waits for (2 x count + 10000), and is stopped once local_thr has
        printed its figures. With equal counts the run can hang in libzmq
        4.3.5, whichever the language, and over ipc with small messages it
        nearly always does: remote_thr writes its last messages into the
        kernel and exits; if local_thr's pipe is full at that moment (its
        engine has stopped reading), the hang-up is taken as an I/O error
        and the bytes still in the socket are dropped
        (stream_engine_base_t::in_event_internal, `_input_stopped`), so
        local_thr waits forever for the rest. The extra messages keep the
        sender busy until the receiver has its count: what is measured is
        unchanged (the receiver's rate, from its first message to its
        last, with the sender ahead of it all along).

        Should a run hang all the same, it is killed after a time limit
        and made again, and counted.
        """
        remote = remote or local
        for attempt in range(4):
            try:
                return self.run_once(kind, transport, size, count, local, remote)
            except subprocess.TimeoutExpired as e:
                if attempt == 3:
                    raise
                self.retried[local if "local_" in " ".join(e.cmd) else remote] += 1
                print(f"  (hung, made again: {' '.join(e.cmd)})", file=sys.stderr, flush=True)

    def run_once(self, kind, transport, size, count, local, remote):
        limit = self.limit
        if transport == "inproc":
            cmd = [self.tool(local, f"inproc_{kind}"), str(size), str(count)]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, timeout=limit)
            return self.parse(kind, cmd, p.returncode, p.stdout, p.stderr, size, count)
        ep = self.endpoint(transport)
        rcount = min(INT_MAX, 2 * count + 10000) if kind == "thr" else count
        lcmd = [self.tool(local, f"local_{kind}"), ep, str(size), str(count)]
        rcmd = [self.tool(remote, f"remote_{kind}"), ep, str(size), str(rcount)]
        lp = subprocess.Popen(lcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        rp = None
        try:
            # Start the connecting side once the binder listens: a connect
            # that is refused is only retried after libzmq's reconnect
            # interval (100 ms), which remote_lat would count as latency.
            wait_listening(ep, lp)
            rp = subprocess.Popen(rcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
            if kind == "thr":
                lout, lerr = lp.communicate(timeout=limit)
                early = rp.poll()
                rp.kill()
                rout, rerr = rp.communicate()
                if early is not None:
                    raise RunError(f"{' '.join(rcmd)}: exited early ({early}): {rout}{rerr}")
                return self.parse(kind, lcmd, lp.returncode, lout, lerr, size, count)
            rout, rerr = rp.communicate(timeout=limit)
            lout, lerr = lp.communicate(timeout=limit)
            if lp.returncode != 0 or lout:
                raise RunError(f"{' '.join(lcmd)}: exit {lp.returncode}: {lout}{lerr}")
            return self.parse(kind, rcmd, rp.returncode, rout, rerr, size, count)
        finally:
            for p in (lp, rp):
                if p is not None and p.poll() is None:
                    p.kill()
                    p.wait()

    @staticmethod
    def parse(kind, cmd, rc, out, err, size, count):
        where = " ".join(cmd)
        if rc != 0:
            raise RunError(f"{where}: exit {rc}: {out}{err}")
        lines = out.splitlines()
        shape = SHAPE[kind]
        if len(lines) != len(shape):
            raise RunError(f"{where}: expected {len(shape)} lines, got:\n{out}")
        values = {}
        for line, key in zip(lines, shape):
            m = LINE[key].match(line)
            if not m:
                raise RunError(f"{where}: line {line!r} is not in the C tools' format")
            values[key] = m.group(1)
        if int(values["size"]) != size or int(values.get("count", values.get("rt"))) != count:
            raise RunError(f"{where}: reports size/count {values}")
        if kind == "thr":
            msgs = int(values["msgs"])
            # Both C tools compute Mb/s from the rate (local_thr before it
            # is truncated to an int, inproc_thr after): within rounding.
            expect = msgs * size * 8 / 1e6
            if abs(float(values["mbits"]) - expect) > max(0.002, 1e-6 * expect + size * 8 / 1e6):
                raise RunError(f"{where}: Mb/s {values['mbits']} does not match {msgs} msg/s")
            return float(msgs)
        return float(values["lat"])


def mode_counts(mode, kind, size):
    if mode == "quick":
        return (QUICK_BIG if size >= 65536 else QUICK)[kind]
    return None


def calibrate(runner, kind, transport, size, seconds):
    """Count for a run of about `seconds`, from one short C run."""
    probe = PROBE[kind].get(size, 1000)
    value = runner.run(kind, transport, size, probe, "C")
    per_second = value if kind == "thr" else 1e6 / (2 * value)
    return max(100, min(INT_MAX, int(per_second * seconds)))


def fmt_rate(v):
    return f"{v:,.0f}"


def fmt_mb(v):
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def spread(samples):
    """(max - min) / median of one language's runs, in percent."""
    m = statistics.median(samples)
    return f"{100 * (max(samples) - min(samples)) / m:.0f}%" if m else "-"


def table(results, runs, mode):
    out = []
    if mode == "quick":
        out.append("(quick mode: counts too small to measure anything; this table only shows "
                   "that every tool ran and printed its figures)")
        out.append("")
    thr = [r for r in results if r["kind"] == "thr"]
    lat = [r for r in results if r["kind"] == "lat"]
    if thr:
        out.append("Throughput (median of %d runs each; MB/s = 10^6 bytes/s; target Rust/C >= 0.98; "
                   "spread = (max - min) / median of a language's runs)" % runs)
        out.append("")
        out.append("| transport | size [B] | count | C [msg/s] | Rust [msg/s] | C [MB/s] | Rust [MB/s] "
                   "| Rust/C | spread C / Rust |")
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
        for r in thr:
            c, rs = r["C"], r["Rust"]
            ratio = rs / c
            mark = "" if ratio >= 0.98 or mode == "quick" else " (below)"
            out.append(
                f"| {r['transport']} | {r['size']} | {r['count']} | {fmt_rate(c)} | {fmt_rate(rs)} | "
                f"{fmt_mb(c * r['size'] / 1e6)} | {fmt_mb(rs * r['size'] / 1e6)} | {ratio:.3f}{mark} | "
                f"{spread(r['samples']['C'])} / {spread(r['samples']['Rust'])} |"
            )
        out.append("")
    if lat:
        out.append("Latency (median of %d runs each; the tools' \"average latency\": half a round trip; "
                   "target Rust/C <= 1.02; spread as above)" % runs)
        out.append("")
        out.append("| transport | size [B] | round trips | C [us] | Rust [us] | Rust/C | spread C / Rust |")
        out.append("|---|--:|--:|--:|--:|--:|--:|")
        for r in lat:
            c, rs = r["C"], r["Rust"]
            ratio = rs / c
            mark = "" if ratio <= 1.02 or mode == "quick" else " (above)"
            out.append(
                f"| {r['transport']} | {r['size']} | {r['count']} | {c:.3f} | {rs:.3f} | {ratio:.3f}{mark} | "
                f"{spread(r['samples']['C'])} / {spread(r['samples']['Rust'])} |"
            )
        out.append("")
    return "\n".join(out)


def bench(args, runner):
    runs = int(os.environ.get("BENCH_RUNS", "1" if args.mode == "quick" else "5"))
    seconds = float(os.environ.get("BENCH_SECONDS", "1"))
    # A run that takes this long has hung (see Runner.run).
    runner.limit = 20 if args.mode == "quick" else 10 + 5 * seconds
    results = []
    start = time.time()
    for kind in ("thr", "lat"):
        for transport in TRANSPORTS:
            for size in SIZES:
                count = mode_counts(args.mode, kind, size) or calibrate(
                    runner, kind, transport, size, seconds)
                samples = {"C": [], "Rust": []}
                for _ in range(runs):
                    for lang in ("C", "Rust"):
                        samples[lang].append(runner.run(kind, transport, size, count, lang))
                row = {"kind": kind, "transport": transport, "size": size, "count": count,
                       "C": statistics.median(samples["C"]),
                       "Rust": statistics.median(samples["Rust"]),
                       "samples": samples}
                results.append(row)
                print(f"  {kind} {transport:6} {size:>7} B x {count}: C {samples['C']} Rust {samples['Rust']}",
                      file=sys.stderr, flush=True)
    elapsed = time.time() - start

    # Interop: each Rust tool paired with the C tool of the other side.
    interop = []
    for kind in ("thr", "lat"):
        for transport in [t for t in TRANSPORTS if t != "inproc"]:
            size = 1024 if 1024 in SIZES else SIZES[0]
            count = QUICK[kind]
            for local, remote in (("Rust", "C"), ("C", "Rust")):
                v = runner.run(kind, transport, size, count, local, remote)
                interop.append(f"{kind} {transport} {size} B: {local} local_{kind} + {remote} "
                               f"remote_{kind}: ok ({f'{v:,.0f} msg/s' if kind == 'thr' else f'{v:.3f} us'})")

    with open(os.path.join(args.results, f"bench-{args.mode}.json"), "w") as f:
        json.dump({"results": results, "interop": interop}, f, indent=1)
    info = open(args.info).read().strip() if args.info else ""
    text = table(results, runs, args.mode)
    print(f"## zmq4 perf tools vs libzmq's C tools ({args.mode} mode)\n")
    print("```")
    print(info)
    print(f"machine: {os.cpu_count()} CPUs, {os.uname().sysname} {os.uname().release}; "
          f"load average before: {os.getloadavg()[0]:.2f}; {elapsed:.0f} s of runs")
    print("```\n")
    print(text)
    print(f"Throughput runs that hung in libzmq and were made again (see ci/bench/run.py): "
          f"C {runner.retried['C']}, Rust {runner.retried['Rust']}\n")
    print("Interop (Rust tool against C tool):\n")
    for line in interop:
        print(f"- {line}")
    print()
    with open(os.path.join(args.results, f"table-{args.mode}.md"), "w") as f:
        f.write(text + "\n")


def callgrind_ir(args, runner, lang, kind, count):
    """Instructions (all threads) of one run of inproc_KIND 1 COUNT."""
    out = os.path.join(args.results, f"callgrind.{kind}.{lang}.{count}.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
           runner.tool(lang, f"inproc_{kind}"), "1", str(count)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=900)
    Runner.parse(kind, cmd, p.returncode, p.stdout, p.stderr, 1, count)
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit(f"bench: no instruction total in {out}")


def callgrind(args, runner):
    if shutil.which("valgrind") is None:
        sys.exit("bench: --callgrind needs valgrind (apt-get install valgrind)")
    quick = args.mode == "quick"
    n_thr = int(os.environ.get("BENCH_CALLGRIND_N", "2000" if quick else "100000"))
    n_lat = max(1, n_thr // 10)
    # valgrind runs one thread at a time; where it switches moves a few
    # instructions per message between runs: take the median of `reps`.
    reps = int(os.environ.get("BENCH_CALLGRIND_REPS", "1" if quick else "5"))
    rows = []
    for kind, n, unit in (("thr", n_thr, "message"), ("lat", n_lat, "round trip")):
        per = {"C": [], "Rust": []}
        for _ in range(reps):
            for lang in ("C", "Rust"):
                ir = [callgrind_ir(args, runner, lang, kind, count) for count in (n, 2 * n)]
                per[lang].append((ir[1] - ir[0]) / n)
        print(f"  callgrind inproc_{kind}: C {per['C']} Rust {per['Rust']}", file=sys.stderr)
        rows.append((kind, n, unit, statistics.median(per["C"]), statistics.median(per["Rust"])))
    print(f"## Instructions (callgrind, all threads; per unit = (Ir(2N) - Ir(N)) / N; "
          f"median of {reps})\n")
    print("| case | N | C | Rust | Rust/C |")
    print("|---|--:|--:|--:|--:|")
    for kind, n, unit, c, r in rows:
        mark = "" if kind != "thr" or r / c <= 1.02 or quick else " (above 1.02)"
        print(f"| inproc_{kind} 1 B, per {unit} | {n} | {c:.1f} | {r:.1f} | {r / c:.4f}{mark} |")
    print()
    with open(os.path.join(args.results, f"callgrind-{args.mode}.json"), "w") as f:
        json.dump([{"kind": k, "n": n, "C": c, "Rust": r} for k, n, _, c, r in rows], f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["quick", "full"], default="full")
    ap.add_argument("--c-bin", required=True)
    ap.add_argument("--rust-bin", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--info")
    ap.add_argument("--callgrind", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zmq4-bench-") as tmp:
        runner = Runner(args.c_bin, args.rust_bin, tmp)
        try:
            if args.callgrind:
                callgrind(args, runner)
            else:
                bench(args, runner)
        except (RunError, subprocess.TimeoutExpired) as e:
            sys.exit(f"bench: {e}")


main()
