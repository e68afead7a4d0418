#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ (nightly, libFuzzer, AddressSanitizer
# over zmq4 and over the vendored libzmq it builds: the cc crate passes the
# sanitizer on to the C++; coverage feedback comes from the Rust side only)
# for a while each,
# starting from the committed seed corpus, and prints each target's
# figures: executions, executions per second, coverage (libFuzzer's cov
# and ft), peak memory. Any crash, panic, leak, sanitizer report or a case
# slower than the per-case timeout fails the script; libFuzzer leaves the
# input in fuzz/artifacts/TARGET/.
#
#   ci/fuzz.sh [--time SECONDS] [--features draft] [--work DIR] [TARGET...]
#
# Default: every target, 30 seconds each. New inputs found go to
# DIR/corpus/TARGET, the logs to DIR/logs (DIR is target/fuzz unless
# --work names another, so that a short run can go on beside a long one;
# kept between runs, never committed); a long run is
# `ci/fuzz.sh --time 3600 TARGET`. Each target runs in a network
# namespace of its own with only the loopback interface (unshare --net, as
# root or with user namespaces): the endpoint and option targets hand
# arbitrary addresses to libzmq, which must reach no real network.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
features=()
work=target/fuzz
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) seconds="$2"; shift 2 ;;
        --features) features=(--features "$2"); shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | grep '^#'; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done

# The toolchain and tools, installed by this script when missing: the
# nightly toolchain with its sources (libFuzzer's sanitizer flags are
# nightly-only), and cargo-fuzz from crates.io at a fixed version.
cargo_fuzz_version=0.13.2
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version 2>/dev/null | grep -qF "$cargo_fuzz_version"; then
    cargo install cargo-fuzz --locked --version "$cargo_fuzz_version"
fi
command -v unshare >/dev/null && command -v ip >/dev/null || {
    echo "ci/fuzz.sh: needs unshare (util-linux) and ip (iproute2)" >&2
    exit 1
}

mkdir -p "$work/logs"
work="$(cd "$work" && pwd)"
cd fuzz
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
# -O: optimised, as fuzzing wants; -a: debug assertions stay on.
build=(cargo +nightly fuzz build -O -a "${features[@]}")
echo "ci/fuzz.sh: ${build[*]}"
"${build[@]}"

summary=()
failed=0
for t in "${targets[@]}"; do
    mkdir -p "$work/corpus/$t" "corpus/$t"
    log="$work/logs/$t.log"
    echo "ci/fuzz.sh: $t for ${seconds}s"
    # -timeout: a case that takes 30 s is a hang; -rss_limit_mb: libzmq's
    # own buffers and a few large messages stay far below it.
    run=(cargo +nightly fuzz run -O -a "${features[@]}" "$t" "$work/corpus/$t" "corpus/$t" --
         -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1)
    # A bound over the whole run, should libFuzzer itself not return
    # (a hang outside a case, at exit or in the leak check): the set
    # time, plus the build check cargo-fuzz makes first, plus a margin.
    if timeout --kill-after=10 "$((seconds + 300))" \
        unshare --net sh -c 'ip link set lo up && exec "$@"' sh "${run[@]}" >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed=1
        tail -n 60 "$log"
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
    corpus=$(find "$work/corpus/$t" -type f | wc -l)
    summary+=("$(printf '%-16s %-6s %12s %8s  %-22s %7s %6s' "$t" "$status" "$execs" "$rate" "${cov:-?}" "$corpus" "$rss")")
done
echo
printf '%-16s %-6s %12s %8s  %-22s %7s %6s\n' target result executions exec/s coverage corpus rss_mb
printf '%s\n' "${summary[@]}"
exit "$failed"
