#!/usr/bin/env bash
# Proves which libzmq the test executables were linked against.
#
#   ci/check-linkage.sh vendored|system [extra cargo args, e.g. --features draft]
#
# The test executables are the ones `cargo test --workspace --no-run` builds
# with the same environment (CARGO_TARGET_DIR, ZMQ4_VENDORED, ...) and the
# same extra arguments as the test run they check.
#   system:   the shared libzmq (libzmq.so / libzmq.*.dylib) is among the
#             executables' dynamic dependencies, and no executable carries
#             its own copy of libzmq.
#   vendored: no executable depends on a shared libzmq, and libzmq's code
#             (its zmq_* functions) is inside them.
# Linux uses ldd, macOS otool -L; on Windows the check is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in
    vendored | system) shift ;;
    *)
        echo "usage: ci/check-linkage.sh vendored|system [cargo args...]" >&2
        exit 2
        ;;
esac

case "$(uname -s)" in
    Linux)
        list_deps() { ldd "$1"; }
        shared_re='libzmq\.so'
        ;;
    Darwin)
        list_deps() { otool -L "$1"; }
        shared_re='libzmq[.0-9]*\.dylib'
        ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
        echo "ci/check-linkage.sh: skipped on Windows (no ldd/otool check there)"
        exit 0
        ;;
    *)
        echo "ci/check-linkage.sh: skipped: no linkage check for $(uname -s)"
        exit 0
        ;;
esac

command -v python3 >/dev/null || { echo "ci/check-linkage.sh: python3 is needed to read cargo's JSON" >&2; exit 1; }

json="$(mktemp)"
trap 'rm -f "$json"' EXIT
cargo test --workspace --no-run --message-format=json "$@" >"$json"

# The executables of the test targets: unit and integration tests (the
# ones whose profile.test is true). A read loop rather than mapfile, for the
# bash 3 of macOS.
exes=()
while IFS= read -r exe; do
    exes+=("$exe")
done < <(python3 -c '
import json, sys
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line.startswith("{"):
        continue
    msg = json.loads(line)
    if msg.get("reason") != "compiler-artifact":
        continue
    exe = msg.get("executable")
    if exe and msg.get("profile", {}).get("test") and exe not in seen:
        seen.add(exe)
        print(exe)
' "$json")

if [ "${#exes[@]}" -eq 0 ]; then
    echo "ci/check-linkage.sh: cargo built no test executable" >&2
    exit 1
fi

shared=0   # executables that depend on a shared libzmq
bundled=0  # executables that carry libzmq's code themselves
fail=0
for exe in "${exes[@]}"; do
    name="${exe##*/}"
    deps="$(list_deps "$exe")"
    if grep -Eq 'not found' <<<"$deps"; then
        echo "  $name: a shared library is not found:" >&2
        grep -E 'not found' <<<"$deps" >&2
        fail=1
    fi
    if line="$(grep -E "$shared_re" <<<"$deps" | head -n1)"; then
        has_shared=1
        shared=$((shared + 1))
    else
        has_shared=0
    fi
    # A function of libzmq's API defined inside the executable itself.
    if nm "$exe" 2>/dev/null | grep -Eq ' [Tt] _?zmq_[a-z0-9_]+$'; then
        has_code=1
        bundled=$((bundled + 1))
    else
        has_code=0
    fi
    if [ "$has_shared" = 1 ]; then
        echo "  $name: shared libzmq: $(echo "$line" | sed -E 's/^[[:space:]]+//; s/ \(0x[0-9a-f]+\)$//')"
    elif [ "$has_code" = 1 ]; then
        echo "  $name: libzmq linked in statically"
    else
        echo "  $name: does not call libzmq"
    fi
    if [ "$mode" = vendored ] && [ "$has_shared" = 1 ]; then
        echo "  $name: depends on a shared libzmq, but the vendored (static) one was expected" >&2
        fail=1
    fi
    if [ "$mode" = system ] && [ "$has_code" = 1 ]; then
        echo "  $name: carries its own libzmq, but the system's shared one was expected" >&2
        fail=1
    fi
done

if [ "$mode" = system ] && [ "$shared" -eq 0 ]; then
    echo "ci/check-linkage.sh: no test executable depends on the shared libzmq" >&2
    fail=1
fi
if [ "$mode" = vendored ] && [ "$bundled" -eq 0 ]; then
    echo "ci/check-linkage.sh: no test executable carries the vendored libzmq" >&2
    fail=1
fi
if [ "$fail" != 0 ]; then
    echo "ci/check-linkage.sh: FAILED: the test executables are not linked to the $mode libzmq" >&2
    exit 1
fi
echo "ci/check-linkage.sh: ok: ${#exes[@]} test executables, $shared with the shared libzmq, $bundled with libzmq linked in; $mode as expected"
