#!/usr/bin/env bash
# zmq4 beside the ZeroMQ libraries a Rust user might pick instead: rzmq and
# zeromq (zmq.rs), both pure Rust on tokio, and rust-zmq (crate `zmq`,
# bindings to libzmq), with the same-calls C loop as the limit of a libzmq
# binding. Every library has the four tools of libzmq's perf/ (local_thr,
# remote_thr, local_lat, remote_lat: same arguments, same lines), so any
# two pair up.
#
#   ci/bench-peers.sh            the comparison over tcp://127.0.0.1: PUSH ->
#                                PULL throughput and REQ/REP latency at 64 B,
#                                1 KiB, 32 KiB, library defaults and tuned
#                                settings, 5 interleaved runs (about 15
#                                minutes on 2 CPUs); prints a table
#   ci/bench-peers.sh --interop  each peer against zmq4's tools, both ways:
#                                100,000 messages PUSH -> PULL and 10,000
#                                REQ/REP round trips (about a minute once
#                                built); exits non-zero on a failure
#
# The peers are built in their own cargo projects (ci/bench/peers: rzmq,
# zeromq; ci/bench/peers-zmq: rust-zmq), never as dependencies of zmq4;
# rust-zmq is linked to the very libzmq.a that zmq4's tools and the C loops
# use (cargo's `links` override replaces zmq-sys's own libzmq build).
#
# Settings (environment): CARGO_TARGET_DIR (default target/bench),
# BENCH_PROFILE, BENCH_CARGO_ARGS (as ci/bench.sh), BENCH_RUNS (5),
# BENCH_SECONDS (1), BENCH_PEER_SIZES ("64 1024 32768"), BENCH_PEER_HWM
# (the tuned HWM, 100000), BENCH_PEER_SETS (which columns),
# BENCH_PEER_PROFILES ("defaults tuned"), BENCH_PEER_KINDS ("thr lat"),
# BENCH_INTEROP_THR (100000), BENCH_INTEROP_LAT (10000).
set -euo pipefail
cd "$(dirname "$0")/.."

interop=0
for arg in "$@"; do
    case "$arg" in
    --interop) interop=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "bench-peers.sh: unknown argument $arg (see --help)" >&2
        exit 2
        ;;
    esac
done

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench}"
profile="${BENCH_PROFILE:-release}"
results="$CARGO_TARGET_DIR/bench-results"

# 1. zmq4's tools and the same-calls C loops, and where libzmq.a is.
ci/bench.sh --build-only
# shellcheck source=/dev/null
. "$results/locate.env"
: "${RUST_BIN:?}" "${SAME_BIN:?}" "${ZMQ_OUT:?}"

# 2. rzmq and zeromq.
peers_target="$CARGO_TARGET_DIR/peers"
echo "building rzmq and zeromq tools (ci/bench/peers, profile $profile)..." >&2
cargo build --locked --profile "$profile" --manifest-path ci/bench/peers/Cargo.toml \
    --target-dir "$peers_target" >&2

# 3. rust-zmq, linked to zmq4's libzmq.a: LINK_ARGS (-L dir, -l:libX.a,
#    -lX) as the `links = "zmq"` override of zmq-sys's build script.
host="$(rustc -vV | sed -n 's/^host: //p')"
search=() libs=()
for a in "${LINK_ARGS[@]}"; do
    case "$a" in
    -L*) search+=("\"${a#-L}\"") ;;
    -l:lib*.a) n="${a#-l:lib}" && libs+=("\"static=${n%.a}\"") ;;
    -l*) libs+=("\"${a#-l}\"") ;;
    esac
done
join() { local IFS=,; echo "$*"; }
echo "building rust-zmq tools (ci/bench/peers-zmq) on $ZMQ_OUT/lib/libzmq.a..." >&2
cargo build --locked --profile "$profile" --manifest-path ci/bench/peers-zmq/Cargo.toml \
    --target-dir "$peers_target-zmq" \
    --config "target.$host.zmq.rustc-link-search=[$(join "${search[@]}")]" \
    --config "target.$host.zmq.rustc-link-lib=[$(join "${libs[@]}")]" >&2

# 4. One directory of tools per library: links named as libzmq's tools.
dir_of() { [ "$profile" = dev ] && echo debug || echo "$profile"; }
bin_dir="$CARGO_TARGET_DIR/peers-bin"
for lib in rzmq zeromq rust-zmq; do
    case "$lib" in
    rzmq) exe="$PWD/$peers_target/$(dir_of)/rzmq_perf" ;;
    zeromq) exe="$PWD/$peers_target/$(dir_of)/zeromq_perf" ;;
    rust-zmq) exe="$PWD/$peers_target-zmq/$(dir_of)/zmq4-bench-rust-zmq" ;;
    esac
    [ -x "$exe" ] || { echo "bench-peers.sh: $exe not built" >&2; exit 1; }
    mkdir -p "$bin_dir/$lib"
    for t in local_thr remote_thr local_lat remote_lat; do
        ln -sf "$exe" "$bin_dir/$lib/$t"
    done
done

{
    cat "$results/build-info.txt"
    echo "peers: $(grep -A1 -E '^name = "(rzmq|zeromq|zmq)"$' ci/bench/peers/Cargo.lock ci/bench/peers-zmq/Cargo.lock |
        sed -n 's/.*version = "\(.*\)"/\1/p' | paste -sd' ' - | awk '{print "rzmq " $1 ", zeromq " $2 ", rust-zmq (zmq) " $3}')"
    echo "tokio: $(grep -A1 '^name = "tokio"$' ci/bench/peers/Cargo.lock | sed -n 's/.*version = "\(.*\)"/\1/p'), default multi-thread runtime (#[tokio::main])"
} >"$results/peers-info.txt"

args=(--results "$results" --info "$results/peers-info.txt" --same "$SAME_BIN" --zmq4 "$RUST_BIN"
    --rust-zmq "$bin_dir/rust-zmq" --rzmq "$bin_dir/rzmq" --zeromq "$bin_dir/zeromq")
if [ "$interop" = 1 ]; then
    python3 ci/bench/peers.py --interop "${args[@]}"
else
    python3 ci/bench/peers.py "${args[@]}"
fi
