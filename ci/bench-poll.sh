#!/usr/bin/env bash
# What a poll of one ready socket costs: the same-calls C loop
# (ci/bench/c/poll_cost.c, zmq_poll over one item) against zmq4::poll,
# Socket::poll and Poller::poll (examples/perf/poll_cost.rs), in
# instructions per poll (callgrind), each with a zero, a 5 ms and no
# timeout; on the vendored libzmq that ci/bench.sh builds, linked the same
# way. See ci/bench/poll.py for the settings (POLL_BENCH_*). About two
# minutes once built; not part of .ci/run.
#
#   ci/bench-poll.sh
#
# Settings (environment): CARGO_TARGET_DIR (default target/bench),
# BENCH_CXXFLAGS (default -O3), and those of ci/bench/poll.py.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench}"
export ZMQ4_VENDORED=1
command -v valgrind >/dev/null || {
    echo "bench-poll.sh: needs valgrind (apt-get install valgrind)" >&2
    exit 1
}
results="$CARGO_TARGET_DIR/bench-results"
# The vendored libzmq, its link line and the Rust tools' directory, as
# ci/bench.sh builds them (the same features, so the same libzmq.a).
ci/bench.sh --build-only >&2
# shellcheck source=/dev/null
. "$results/locate.env"
: "${ZMQ_OUT:?}" "${RUST_BIN:?}"
read -r -a cargo_args <<<"${BENCH_CARGO_ARGS:-}"
cargo build --profile "${BENCH_PROFILE:-release}" --features tokio "${cargo_args[@]}" \
    --example poll_cost >&2
read -r -a cflags <<<"${BENCH_CXXFLAGS:--O3}"
same_bin="$CARGO_TARGET_DIR/bench-same"
mkdir -p "$same_bin"
"${CC:-cc}" "${cflags[@]}" -std=c99 -D_POSIX_C_SOURCE=200809L -DZMQ_STATIC \
    -I"$ZMQ_OUT/include" ci/bench/c/poll_cost.c -o "$same_bin/poll_cost" "${LINK_ARGS[@]}"
echo "libzmq $(sed -n 's/^libzmq: //p' "$results/build-info.txt"), $(sed -n 's/^Rust tools: //p' "$results/build-info.txt")"
echo
exec python3 ci/bench/poll.py "$same_bin/poll_cost" "$RUST_BIN/poll_cost" "$results/poll"
