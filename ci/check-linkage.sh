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
# Linux uses ldd, macOS otool -L, Windows objdump -p (the DLLs a PE file
# imports). With `--target TRIPLE` among the cargo arguments the
# executables are that target's (a cross build: Windows binaries checked
# on Linux, for example); the inspection follows the target, not the host.
#
# Whether an executable carries libzmq's code: one of libzmq's functions in
# its symbol table (nm), or, for a binary without one (MSVC keeps symbols
# in .pdb files), the name of libzmq's source file ctx.cpp, which its
# assertions compile in (__FILE__). (Not an error text of libzmq's: the
# tests hold some of those themselves.)
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

triple=""
prev=""
for arg in "$@"; do
    case "$arg" in
        --target=*) triple="${arg#--target=}" ;;
        *) if [ "$prev" = --target ]; then triple="$arg"; fi ;;
    esac
    prev="$arg"
done
case "$triple" in
    *-windows-*) system=Windows ;;
    *-apple-*) system=Darwin ;;
    *-linux-*) system=Linux ;;
    "")
        case "$(uname -s)" in
            MINGW* | MSYS* | CYGWIN* | Windows_NT) system=Windows ;;
            *) system="$(uname -s)" ;;
        esac
        ;;
    *) system="$triple" ;;
esac

case "$system" in
    Linux)
        list_deps() { ldd "$1"; }
        shared_re='libzmq\.so'
        ;;
    Darwin)
        list_deps() { otool -L "$1"; }
        shared_re='libzmq[.0-9]*\.dylib'
        ;;
    Windows)
        objdump=""
        for tool in x86_64-w64-mingw32-objdump objdump llvm-objdump; do
            if command -v "$tool" >/dev/null 2>&1; then objdump="$tool"; break; fi
        done
        if [ -z "$objdump" ]; then
            echo "ci/check-linkage.sh: objdump is needed to read a Windows executable's imports (MinGW's binutils, or LLVM's llvm-objdump)" >&2
            exit 1
        fi
        # Only the imported DLLs: a Windows loader finds them at run time,
        # so "not found" cannot be checked here.
        list_deps() { "$objdump" -p "$1" | grep -E 'DLL Name:' || true; }
        # libzmq.dll, libzmq-mt-4_3_5.dll (vcpkg), ...
        shared_re='[Ll][Ii][Bb][Zz][Mm][Qq][-_.0-9a-z]*\.[Dd][Ll][Ll]'
        ;;
    *)
        echo "ci/check-linkage.sh: skipped: no linkage check for $system"
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

# With a system libzmq the build compiles no C or C++ at all: zmq4's build
# script leaves no library (no libzmq, no libsodium) in its output
# directory, and no package of the build compiles libsodium.
if [ "$mode" = system ]; then
    compiled="$(python3 -c '
import json, os, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("{"):
        continue
    msg = json.loads(line)
    if msg.get("reason") != "build-script-executed":
        continue
    name = msg["package_id"]
    if "sodium" in name:
        print("a package that builds libsodium: " + name)
    if "zmq4" in name and "zmq4_libzmq=\"system\"" in msg.get("cfgs", []):
        for root, _, files in os.walk(msg["out_dir"]):
            for f in files:
                if f.endswith((".a", ".lib", ".o", ".obj")):
                    print("compiled by zmq4 with a system libzmq: " + os.path.join(root, f))
' "$json")"
    if [ -n "$compiled" ]; then
        echo "$compiled" | head -n 5 >&2
        echo "ci/check-linkage.sh: FAILED: the build with the system libzmq compiled C or C++ code" >&2
        exit 1
    fi
    echo "ci/check-linkage.sh: the build with the system libzmq compiled no libzmq and no libsodium"
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
    # A function of libzmq's API defined inside the executable itself, or
    # the source file name that libzmq's assertions compiled in.
    if nm "$exe" 2>/dev/null | grep -Eq ' [Tt] _?zmq_[a-z0-9_]+$' ||
        LC_ALL=C grep -aqE '[/\\]ctx\.cpp' "$exe"; then
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
