#!/usr/bin/env bash
# Runs every integration test binary (and the library's unit tests) under
# valgrind memcheck: no invalid access, no definite or indirect leak.
# The compile-fail tests are left out: they only run the compiler.
#
#   ci/valgrind.sh [extra cargo args, e.g. --features vendored]
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "ci/valgrind.sh: valgrind is not installed" >&2; exit 1; }

# The build's errors must show and fail the script, so it is not run inside
# the process substitution (where `pipefail` does not reach).
json="$(mktemp)"
trap 'rm -f "$json"' EXIT
cargo test --workspace --no-run --message-format=json "$@" >"$json"
mapfile -t binaries < <(
    python3 - "$json" <<'PY'
import json, os, sys
skip = os.environ.get("VALGRIND_SKIP", "").split()
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["profile"]["test"]:
        name = msg["target"]["name"]
        if name != "compile_fail" and name not in skip:
            print(name + " " + msg["executable"])
PY
)
if [ "${#binaries[@]}" -eq 0 ]; then
    echo "ci/valgrind.sh: the build produced no test binary" >&2
    exit 1
fi

failed=0
for entry in "${binaries[@]}"; do
    name="${entry%% *}"
    exe="${entry#* }"
    log="$(mktemp)"
    # One test thread: valgrind serialises threads anyway, and the leak
    # report is clearer.
    if valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 --log-file="$log" "$exe" --test-threads=1 >/dev/null 2>&1; then
        echo "valgrind: $name: clean"
    else
        echo "valgrind: $name: FAILED"
        cat "$log"
        failed=1
    fi
    rm -f "$log"
done
exit "$failed"
