#!/usr/bin/env bash
# Runs one integration test binary many times while busy loops keep every
# core loaded, to bring out timing races (a connect still in progress, a
# slow joiner) that an idle machine hides.
#
#   ci/under-load.sh RUNS TEST [test-name filter...] [-- cargo args...]
#   e.g. ci/under-load.sh 20 examples examples_zguide::task_
#
# Builds the test (and the examples, which the example tests run) with
# cargo, then starts one busy loop per core plus one, and runs the binary
# RUNS times, each bounded by a time limit. Prints each run's result line
# and a summary; exits non-zero if any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:?usage: ci/under-load.sh RUNS TEST [filter...] [-- cargo args...]}"
test="${2:?usage: ci/under-load.sh RUNS TEST [filter...] [-- cargo args...]}"
shift 2
filters=()
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
    filters+=("$1")
    shift
done
[ "${1:-}" = -- ] && shift
cargo_args=("$@")

cargo build --quiet --examples ${cargo_args[@]+"${cargo_args[@]}"}
exe="$(cargo test --quiet --test "$test" --no-run --message-format=json ${cargo_args[@]+"${cargo_args[@]}"} |
    python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["profile"]["test"]:
            print(msg["executable"])
' | tail -n1)"
[ -x "$exe" ] || { echo "ci/under-load.sh: no test binary for $test" >&2; exit 1; }

loops=$(($(nproc) + 1))
pids=()
stop_load() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_load EXIT
for _ in $(seq "$loops"); do
    # A busy loop that also ends by itself, should this script be killed.
    timeout 3600 sh -c 'while :; do :; done' &
    pids+=("$!")
done
echo "ci/under-load.sh: $loops busy loops on $(nproc) cores; $runs runs of $exe ${filters[*]}"

failed=0
for i in $(seq "$runs"); do
    start=$SECONDS
    set +e
    out="$(timeout 300 "$exe" ${filters[@]+"${filters[@]}"} 2>&1)"
    rc=$?
    set -e
    result="$(grep -E '^test result: ' <<<"$out" | tail -n1)"
    echo "run $i: exit $rc in $((SECONDS - start))s: ${result:-no result line}"
    if [ "$rc" -ne 0 ]; then
        failed=$((failed + 1))
        grep -E '^test .* FAILED|panicked|still running' <<<"$out" | head -n 5 || true
    fi
done
echo "under load: $((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
