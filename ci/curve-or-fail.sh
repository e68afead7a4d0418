#!/usr/bin/env bash
# A vendored build with feature `curve` (the default) either has CURVE or
# fails: it never goes on without it. Here the C compiler that libsodium
# needs is made to fail (CC is `false`; libzmq's C++ compiler is left
# alone), with no libzmq visible to pkg-config so that libzmq is vendored.
# The build must fail, and say that CURVE needs libsodium and how to build
# without it. libsodium is compiled before libzmq, so this takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Forget every zmq4 setting from the environment, plain or target-prefixed.
while IFS= read -r var; do
    unset "$var"
done < <(compgen -e | grep 'ZMQ4_' || true)

empty="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$empty" "$log"' EXIT

host="$(rustc -vV | sed -n 's/^host: //p')"
export "CC_${host//-/_}=false"
export PKG_CONFIG_LIBDIR="$empty"
export PKG_CONFIG_PATH=""
export CARGO_TARGET_DIR="${CURVE_TARGET_DIR:-target/curve-or-fail}"

echo "ci/curve-or-fail.sh: CC_${host//-/_}=false PKG_CONFIG_LIBDIR=<empty> cargo build -p zmq4"
if cargo build -p zmq4 >"$log" 2>&1; then
    cat "$log"
    echo "ci/curve-or-fail.sh: FAILED: the build succeeded although libsodium could not be compiled" >&2
    exit 1
fi
for needle in "compiling libsodium failed" "CURVE needs libsodium" "--no-default-features"; do
    if ! grep -qF -- "$needle" "$log"; then
        cat "$log"
        echo "ci/curve-or-fail.sh: FAILED: the build failed, but its output does not say: $needle" >&2
        exit 1
    fi
done
echo "ci/curve-or-fail.sh: the build failed as it should:"
grep -F -e "compiling libsodium failed" -e "CURVE needs libsodium" "$log" | head -n 3 | sed 's/^/    /'
echo "ci/curve-or-fail.sh: ok"
