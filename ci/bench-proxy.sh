#!/usr/bin/env bash
# What a proxy costs on the hot path: libzmq's zmq_proxy against zmq4's
# SteerableProxy (its own forwarding loop), through examples/perf/proxy_thr
# (PUSH -> proxy -> PULL over inproc), on the vendored libzmq. Prints
# instructions per message (callgrind: the proxy thread alone, and the
# whole pipeline) and wall-clock throughput; see ci/bench/proxy.py for the
# method and its settings. Takes about ten minutes; not part of .ci/run.
#
#   ci/bench-proxy.sh
#
# Settings (environment): CARGO_TARGET_DIR (default target/bench), and the
# PROXY_BENCH_* variables of ci/bench/proxy.py.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench}"
export ZMQ4_VENDORED=1
command -v valgrind >/dev/null || {
    echo "bench-proxy.sh: needs valgrind (apt-get install valgrind)" >&2
    exit 1
}
cargo build --release --example proxy_thr >&2
exec python3 ci/bench/proxy.py "$CARGO_TARGET_DIR/release/examples/proxy_thr" \
    "$CARGO_TARGET_DIR/bench-results/proxy"
