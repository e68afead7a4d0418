#!/usr/bin/env bash
# What a Channeler costs per message, against the plain sockets: instructions
# per message (callgrind, every thread, (Ir(2N) - Ir(N)) / N, which cancels
# start-up and teardown) of examples/perf/channeler_thr, PUSH -> PULL over
# inproc with neither end, the sending end, the receiving end, or both going
# through a channeler; then one wall-clock run of each. Not part of .ci/run.
#
#   ci/bench-channeler.sh [message-size] [N]      (defaults: 1 and 20000)
#
# Settings (environment): CARGO_TARGET_DIR (default: the cargo default).
set -euo pipefail
cd "$(dirname "$0")/.."

size="${1:-1}"
n="${2:-20000}"
command -v valgrind >/dev/null || {
    echo "bench-channeler.sh: needs valgrind (apt-get install valgrind)" >&2
    exit 1
}
cargo build --release --features channeler --example channeler_thr >&2
tool="${CARGO_TARGET_DIR:-target}/release/examples/channeler_thr"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The total instructions of one run under callgrind.
instructions() {
    local file="$out/cg.$1.$3"
    valgrind --tool=callgrind --callgrind-out-file="$file" "$tool" "$1" "$2" "$3" \
        >/dev/null 2>&1
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

echo "instructions per message, $size B, N = $n (callgrind, all threads):"
for mode in socket send recv both; do
    one="$(instructions "$mode" "$size" "$n")"
    two="$(instructions "$mode" "$size" $((2 * n)))"
    echo "  $mode: $(( (two - one) / n ))"
done
echo "wall clock, $size B, 1000000 messages:"
for mode in socket send recv both; do
    "$tool" "$mode" "$size" 1000000 | awk -v m="$mode" '/per message/ { print "  " m ": " $3 " ns" }'
done
