#!/usr/bin/env bash
# Side-by-side benchmark, three sets of perf tools linked to the very same
# static libzmq: libzmq's own C tools (perf/*.cpp of the libzmq source that
# the vendored build compiles), the same-calls C loops (ci/bench/c/: the
# libzmq calls a binding with no cost of its own makes, the limit for
# zmq4) and zmq4's ports (examples/perf/).
#
#   ci/bench.sh                  full mode: every cell, 5 interleaved runs
#                                each (C tool, same-calls C, zmq4, C tool...),
#                                ~1 s per run
#   ci/bench.sh --quick          CI mode: small counts, one run per cell;
#                                checks that every tool works and pairs
#                                with the others, prints the table
#   ci/bench.sh --callgrind      also count instructions per message of the
#                                inproc tools (valgrind), blocking and async
#   ci/bench.sh --callgrind-only only that count (a few minutes; the cells
#                                are chosen with BENCH_CALLGRIND_*, see
#                                ci/bench/callgrind.py)
#   ci/bench.sh --build-only     builds the three sets and says where they
#                                are ($CARGO_TARGET_DIR/bench-results/
#                                locate.env; ci/bench-peers.sh uses it)
#
# Settings (environment):
#   CARGO_TARGET_DIR   where to build (default target/bench)
#   BENCH_PROFILE      cargo profile of the Rust tools (default release;
#                      the quick mode in CI uses dev to reuse its build)
#   BENCH_RUNS         runs per cell and language (full mode: 5)
#   BENCH_SECONDS      target length of one run (full mode: 1)
#   BENCH_SIZES        message sizes (default "1 64 1024 65536 1048576")
#   BENCH_TRANSPORTS   default "inproc ipc tcp"
#   BENCH_CXXFLAGS     flags for the C tools and loops (default -O3, as
#                      libzmq's)
#   BENCH_CARGO_ARGS   extra cargo arguments (e.g. "--features draft"):
#                      give the features of an existing build to reuse its
#                      libzmq (the tools are always built with "tokio")
#
# The vendored libzmq is forced (ZMQ4_VENDORED=1): the C tools need its
# static library and its source. Output: the table (markdown) on stdout,
# raw figures in $CARGO_TARGET_DIR/bench-results/. The same-calls loops
# and zmq4's tools read BENCH_HWM and the other settings of
# ci/bench/c/perf.h (none by default).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
callgrind=0
build_only=0
for arg in "$@"; do
    case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --callgrind) callgrind=1 ;;
    --callgrind-only) callgrind=2 ;;
    --build-only) build_only=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "bench.sh: unknown argument $arg (see --help)" >&2
        exit 2
        ;;
    esac
done

if [ "$mode" = quick ]; then
    # The scripts' own logic: medians with timed-out runs, line checks,
    # zmq4's package id.
    python3 ci/bench/test_tools.py
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench}"
export ZMQ4_VENDORED=1
profile="${BENCH_PROFILE:-release}"
results="$CARGO_TARGET_DIR/bench-results"
mkdir -p "$results"
cxx="${CXX:-c++}"
cc="${CC:-cc}"

# 1. The Rust tools, with the vendored libzmq; cargo's JSON messages say
#    where the build script put libzmq and what it links.
tools=(local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat)
example_args=()
for t in "${tools[@]}" async_inproc_thr async_inproc_lat async_thr; do
    example_args+=(--example "$t")
done
echo "building the Rust tools (profile $profile, $CARGO_TARGET_DIR, vendored libzmq)..." >&2
read -r -a cargo_args <<<"${BENCH_CARGO_ARGS:-}"
cargo build --profile "$profile" --features tokio "${cargo_args[@]}" "${example_args[@]}" \
    --message-format=json-render-diagnostics >"$results/build.json"

python3 ci/bench/locate.py "$results/build.json" "$results" >"$results/locate.env"
# shellcheck source=/dev/null
. "$results/locate.env"
# Sets: ZMQ_OUT (libzmq build root: include/ lib/ config/), LINK_ARGS (an
# array: the link line cargo used for libzmq), LIBZMQ_FLAGS,
# LIBZMQ_SOURCE_USED (the source tree), RUST_BIN (the Rust tools).
: "${ZMQ_OUT:?}" "${RUST_BIN:?}" "${LIBZMQ_SOURCE_USED:?}"

# 2. The C tools from the same source, against the same libzmq.a.
perf_src="$LIBZMQ_SOURCE_USED/perf"
for t in "${tools[@]}"; do
    if [ ! -f "$perf_src/$t.cpp" ]; then
        echo "bench.sh: $perf_src/$t.cpp not found (libzmq source: $LIBZMQ_SOURCE_USED)" >&2
        exit 1
    fi
done
c_bin="$CARGO_TARGET_DIR/bench-c"
mkdir -p "$c_bin"
read -r -a cxxflags <<<"${BENCH_CXXFLAGS:--O3}"
echo "building the C tools: $cxx ${cxxflags[*]} ... ${LINK_ARGS[*]}" >&2
for t in "${tools[@]}"; do
    if [ ! -x "$c_bin/$t" ] || [ "$c_bin/$t" -ot "$ZMQ_OUT/lib/libzmq.a" ] ||
        [ "$c_bin/$t" -ot "$perf_src/$t.cpp" ] || [ "$c_bin/$t" -ot "$0" ]; then
        "$cxx" "${cxxflags[@]}" -std=c++11 -DZMQ_STATIC \
            -I"$ZMQ_OUT/include" -I"$ZMQ_OUT/config" \
            "$perf_src/$t.cpp" -o "$c_bin/$t" "${LINK_ARGS[@]}"
    fi
done

# 3. The same-calls C loops, same flags, same libzmq.a.
same_bin="$CARGO_TARGET_DIR/bench-same"
mkdir -p "$same_bin"
echo "building the same-calls C loops: $cc ${cxxflags[*]} -std=c99 ..." >&2
for t in "${tools[@]}"; do
    if [ ! -x "$same_bin/$t" ] || [ "$same_bin/$t" -ot "$ZMQ_OUT/lib/libzmq.a" ] ||
        [ "$same_bin/$t" -ot ci/bench/c/$t.c ] || [ "$same_bin/$t" -ot ci/bench/c/perf.h ] ||
        [ "$same_bin/$t" -ot "$0" ]; then
        "$cc" "${cxxflags[@]}" -std=c99 -D_POSIX_C_SOURCE=200809L -DZMQ_STATIC \
            -I"$ZMQ_OUT/include" "ci/bench/c/$t.c" -o "$same_bin/$t" "${LINK_ARGS[@]}"
    fi
done

libs=()
for a in "${LINK_ARGS[@]}"; do [[ "$a" == -L* ]] || libs+=("$a"); done
{
    echo "libzmq: $(grep -E '^#define ZMQ_VERSION_(MAJOR|MINOR|PATCH)' "$ZMQ_OUT/include/zmq.h" | awk '{printf "%s%s", sep, $3; sep="."}')"
    echo "libzmq source: $(basename "$(dirname "$LIBZMQ_SOURCE_USED")")/$(basename "$LIBZMQ_SOURCE_USED")"
    echo "libzmq build flags: $LIBZMQ_FLAGS"
    echo "C tools: $($cxx --version | head -n1); ${cxxflags[*]} -std=c++11, linked: ${libs[*]}"
    echo "same-calls C loops: $($cc --version | head -n1); ${cxxflags[*]} -std=c99, linked the same"
    echo "Rust tools: $(rustc --version); cargo profile $profile"
} >"$results/build-info.txt"

{
    echo "C_BIN=$(printf '%q' "$c_bin")"
    echo "SAME_BIN=$(printf '%q' "$same_bin")"
} >>"$results/locate.env"

if [ "$build_only" = 1 ]; then
    exit 0
fi

bins=(--c-bin "$c_bin" --same-bin "$same_bin" --rust-bin "$RUST_BIN" --results "$results")
if [ "$callgrind" -ne 2 ]; then
    python3 ci/bench/run.py --mode "$mode" "${bins[@]}" --info "$results/build-info.txt"
    if [ "$mode" = quick ]; then
        # async_thr's interleaved runs and summary, with small counts.
        echo '```text'
        "$RUST_BIN/async_thr" --count 2000 --runs 3
        echo '```'
        echo
    fi
fi
if [ "$callgrind" -ne 0 ]; then
    echo "libzmq $(sed -n 's/^libzmq: //p' "$results/build-info.txt"), $(sed -n 's/^Rust tools: //p' "$results/build-info.txt")"
    echo
    python3 ci/bench/callgrind.py --mode "$mode" "${bins[@]}"
fi
