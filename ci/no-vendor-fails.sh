#!/usr/bin/env bash
# With the vendored fallback forbidden (ZMQ4_NO_VENDOR=1) and no libzmq to be
# found, the build must fail, and say what to install and which setting
# forbade the fallback.
# pkg-config is pointed at an empty directory so that an installed libzmq is
# not seen; the build has its own target directory. With the default
# features (curve): libsodium is compiled only for a vendored libzmq, so
# here nothing C is compiled before the failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Forget every zmq4 setting from the environment, plain or target-prefixed.
while IFS= read -r var; do
    unset "$var"
done < <(compgen -e | grep 'ZMQ4_' || true)

empty="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$empty" "$log"' EXIT

export ZMQ4_NO_VENDOR=1
export PKG_CONFIG_LIBDIR="$empty"
export PKG_CONFIG_PATH=""
export CARGO_TARGET_DIR="${NO_VENDOR_TARGET_DIR:-target/no-vendor}"

echo "ci/no-vendor-fails.sh: ZMQ4_NO_VENDOR=1 PKG_CONFIG_LIBDIR=<empty> cargo build -p zmq4"
if cargo build -p zmq4 "$@" >"$log" 2>&1; then
    cat "$log"
    echo "ci/no-vendor-fails.sh: FAILED: the build succeeded although no libzmq was visible and vendoring was forbidden" >&2
    exit 1
fi

missing=()
for needle in "libzmq3-dev" "ZMQ4_NO_VENDOR" "zmq4 could not find a usable libzmq"; do
    grep -qF -- "$needle" "$log" || missing+=("$needle")
done
if [ "${#missing[@]}" -ne 0 ]; then
    cat "$log"
    printf 'ci/no-vendor-fails.sh: FAILED: the build failed, but its output does not mention: %s\n' "${missing[*]}" >&2
    exit 1
fi

echo "ci/no-vendor-fails.sh: the build failed as it should; its message:"
awk '/zmq4 could not find a usable libzmq/ { on = 1 }
     /RUST_BACKTRACE|stack backtrace:|^warning: build failed/ { on = 0 }
     on && n++ < 30 { print "    " $0 }' "$log"
echo "ci/no-vendor-fails.sh: ok"
