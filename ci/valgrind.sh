#!/usr/bin/env bash
# Runs every integration test binary (and the library's unit tests) under
# valgrind memcheck: no invalid access, no definite or indirect leak.
# The compile-fail tests are left out: they only run the compiler.
#
#   ci/valgrind.sh [extra cargo args, e.g. --features vendored]
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "ci/valgrind.sh: valgrind is not installed" >&2; exit 1; }

mapfile -t binaries < <(
    cargo test --workspace --no-run --message-format=json "$@" 2>/dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["profile"]["test"]:
        name = msg["target"]["name"]
        if name != "compile_fail":
            print(name + " " + msg["executable"])
'
)

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
