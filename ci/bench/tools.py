"""What the benchmark scripts share (ci/bench/run.py, callgrind.py,
peers.py): running a pair of perf tools, or one inproc tool, and reading
the lines they print, which must be those of libzmq's C tools
(perf/*.cpp) exactly; medians and spreads of runs some of which may have
timed out.

A set of tools is a directory holding executables named as libzmq's:
local_thr, remote_thr, local_lat, remote_lat, inproc_thr, inproc_lat
(the inproc ones only where the implementation has inproc between two
processes' worth of sockets). Any local tool pairs with any remote tool.
"""
import os
import re
import socket
import statistics
import subprocess
import time

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
INT_MAX = 2**31 - 1


class RunError(Exception):
    pass


class Timeout(Exception):
    """A run that did not finish within the limit: a hang, or just a slow
    run (a loaded machine, a latency run given too many round trips); the
    script cannot tell which. It is a sample slower than any that
    finished, and is reported as such."""

    def __init__(self, cmd, limit):
        super().__init__(f"timed out after {limit:.0f} s: {' '.join(cmd)}")
        self.cmd = cmd
        self.limit = limit


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


def parse(kind, cmd, rc, out, err, size, count):
    """The figure of a tool's output (msg/s or us), after checking every
    line against the C tools' format and the size and count it reports."""
    where = " ".join(cmd)
    if rc != 0:
        raise RunError(f"{where}: exit {rc}: {out}{err}")
    lines = out.splitlines()
    shape = SHAPE[kind]
    if len(lines) != len(shape):
        raise RunError(f"{where}: expected {len(shape)} lines, got:\n{out}{err}")
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
        # Both C tools compute Mb/s from the rate (local_thr before it is
        # truncated to an int, inproc_thr after): within rounding.
        expect = msgs * size * 8 / 1e6
        if abs(float(values["mbits"]) - expect) > max(0.002, 1e-6 * expect + size * 8 / 1e6):
            raise RunError(f"{where}: Mb/s {values['mbits']} does not match {msgs} msg/s")
        return float(msgs)
    return float(values["lat"])


class Runner:
    """Runs tools from named sets (`bins`: name -> directory)."""

    def __init__(self, bins, tmp, env=None):
        self.bins = bins
        self.tmp = tmp
        self.n = 0
        self.limit = 60
        self.env = env
        # Commands put before the local and the remote tool (taskset...).
        self.prefix = {"local": [], "remote": []}

    def endpoint(self, transport):
        self.n += 1
        if transport == "tcp":
            return f"tcp://127.0.0.1:{free_port()}"
        return f"ipc://{self.tmp}/bench-{self.n}.ipc"

    def tool(self, lang, name):
        return os.path.join(self.bins[lang], name)

    def run(self, kind, transport, size, count, local, remote=None, env=None, exact=False):
        """One measurement; returns the figure (msg/s or us), or raises
        Timeout (the run is not made again: the caller reports it).

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
        last, with the sender ahead of it all along). With `exact`,
        remote_thr sends `count` and is waited for (to count its system
        calls, say), at the risk of that hang.
        """
        remote = remote or local
        env = env if env is not None else self.env
        limit = self.limit
        if transport == "inproc":
            cmd = self.prefix["local"] + [self.tool(local, f"inproc_{kind}"), str(size),
                                          str(count)]
            try:
                p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, timeout=limit, env=env)
            except subprocess.TimeoutExpired:
                raise Timeout(cmd, limit) from None
            return parse(kind, cmd, p.returncode, p.stdout, p.stderr, size, count)
        ep = self.endpoint(transport)
        rcount = min(INT_MAX, 2 * count + 10000) if kind == "thr" and not exact else count
        lcmd = self.prefix["local"] + [self.tool(local, f"local_{kind}"), ep, str(size),
                                       str(count)]
        rcmd = self.prefix["remote"] + [self.tool(remote, f"remote_{kind}"), ep, str(size),
                                        str(rcount)]
        lp = subprocess.Popen(lcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env)
        rp = None
        try:
            # Start the connecting side once the binder listens: a connect
            # that is refused is only retried after libzmq's reconnect
            # interval (100 ms), which remote_lat would count as latency.
            wait_listening(ep, lp)
            rp = subprocess.Popen(rcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env)
            if kind == "thr":
                try:
                    lout, lerr = lp.communicate(timeout=limit)
                except subprocess.TimeoutExpired:
                    raise Timeout(lcmd + ["+"] + rcmd, limit) from None
                # What remote_thr did after local_thr had its count does
                # not matter (it may have sent all it had, or, with a
                # library whose PUSH fails once its peer is gone, failed):
                # local_thr's lines say whether every message arrived.
                if exact:
                    try:
                        rp.communicate(timeout=limit)
                    except subprocess.TimeoutExpired:
                        raise Timeout(rcmd, limit) from None
                rp.kill()
                rout, rerr = rp.communicate()
                return parse(kind, lcmd, lp.returncode, lout, lerr, size, count)
            try:
                rout, rerr = rp.communicate(timeout=limit)
                lout, lerr = lp.communicate(timeout=limit)
            except subprocess.TimeoutExpired:
                raise Timeout(lcmd + ["+"] + rcmd, limit) from None
            if lp.returncode != 0 or lout:
                raise RunError(f"{' '.join(lcmd)}: exit {lp.returncode}: {lout}{lerr}")
            return parse(kind, rcmd, rp.returncode, rout, rerr, size, count)
        finally:
            for p in (lp, rp):
                if p is not None and p.poll() is None:
                    p.kill()
                    p.wait()


# Runs that timed out are kept as samples, as None: slower than any run
# that finished (a rate of 0, a latency of infinity), so the median stays
# the median of all runs made and none is replaced by a luckier one.

def _key(kind):
    # Sort from best to worst.
    if kind == "thr":
        return lambda v: -v if v is not None else float("inf")
    return lambda v: v if v is not None else float("inf")


def median(kind, samples):
    """Median of all runs, timed-out ones counted as the worst; None when
    the median itself falls on a timed-out run."""
    s = sorted(samples, key=_key(kind))
    n = len(s)
    if n == 0:
        return None
    if n % 2:
        return s[n // 2]
    a, b = s[n // 2 - 1], s[n // 2]
    if a is None or b is None:
        return None
    return (a + b) / 2


def spread(samples):
    """(max - min) / median of the runs that finished, in percent."""
    done = [v for v in samples if v is not None]
    if len(done) < 2:
        return "-"
    m = statistics.median(done)
    return f"{100 * (max(done) - min(done)) / m:.0f}%" if m else "-"


def timeouts(samples):
    return sum(v is None for v in samples)


def load():
    """The 1-minute load average, as text."""
    return f"{os.getloadavg()[0]:.2f}"
