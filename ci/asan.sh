#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer, with LeakSanitizer: zmq4 and
# the standard library (nightly, -Zbuild-std) and the vendored libzmq
# 4.3.5 (its C++ compiled with -fsanitize=address by the cc crate), so
# that an invalid access or a leak on either side of
# the FFI fails the run. libsodium (CURVE) is not instrumented.
#
#   ci/asan.sh [extra cargo args, e.g. --features draft]
#   ASAN_TESTS="security core::message" ci/asan.sh   (unit tests and those only)
#
# First a canary proves that libzmq's own code is instrumented (an
# overflow inside zmq_z85_decode must be reported), then the unit and
# integration tests (the compile-fail tests included) run, then the
# doctests, with leak checking off: the porting guide's example leaks a
# context with Box::leak on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal --component rust-src
elif ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    rustup component add rust-src --toolchain nightly
fi

target="$(rustc +nightly -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/asan}"
export RUSTFLAGS="-Zsanitizer=address"
export RUSTDOCFLAGS="-Zsanitizer=address"
# The cc crate already passes -Zsanitizer=address on to the C++ it
# compiles (as -fsanitize=address); saying it for the target's C++ too
# keeps libzmq instrumented should that inheritance change, and the
# canary below checks the result. Build scripts and libsodium's configure
# stay as they are.
export "CXXFLAGS_${target//-/_}=-fsanitize=address -fno-omit-frame-pointer"
# Only the vendored build can be instrumented.
export ZMQ4_VENDORED=1
# Symbolising a backtrace in a sanitized debug build takes seconds, longer
# than the handshake timeouts of the tests in which a panic is expected
# (a ZAP callback that panics): no backtraces.
export RUST_BACKTRACE=0
# The async stress tests send 100,000 messages by default; instrumented,
# on two cores, the multi-thread ping-pong took over its 120 s limit once.
# A tenth keeps each run well inside it (the Linux passes run the full count).
export ZMQ4_ASYNC_BURST="${ZMQ4_ASYNC_BURST:-10000}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}"

cargo=(cargo +nightly test -Zbuild-std --target "$target" --workspace --features tokio "$@")
echo "ci/asan.sh: ${cargo[*]}"
echo "ci/asan.sh: CARGO_TARGET_DIR=$CARGO_TARGET_DIR ASAN_OPTIONS=$ASAN_OPTIONS"

# ASAN_TESTS="security core::message ...": the unit tests and those
# integration tests only (and the canary), no doctests; what CI runs. An
# entry is a test binary (all of its tests) or BINARY::MODULE, the tests of
# one module of an area binary (those whose names contain `MODULE::`:
# libtest's filters match substrings).
selected=(--lib --bins --tests)
filtered=() # "BINARY FILTER..." per binary run with filters
if [ -n "${ASAN_TESTS:-}" ]; then
    selected=(--lib --test sanitizer_canary)
    declare -A modules=()
    for t in $ASAN_TESTS; do
        case "$t" in
            *::*) modules[${t%%::*}]+=" ${t#*::}::" ;;
            *) selected+=(--test "$t") ;;
        esac
    done
    for bin in "${!modules[@]}"; do
        filtered+=("$bin${modules[$bin]}")
    done
fi
built=("${selected[@]}")
for entry in ${filtered[@]+"${filtered[@]}"}; do built+=(--test "${entry%% *}"); done

start=$SECONDS
"${cargo[@]}" "${built[@]}" --no-run
echo "ci/asan.sh: built in $((SECONDS - start))s"

# The canary: the test must die with the sanitizer's report, from libzmq.
canary="$(mktemp)"
trap 'rm -f "$canary"' EXIT
if "${cargo[@]}" --test sanitizer_canary -- --ignored >"$canary" 2>&1; then
    cat "$canary"
    echo "ci/asan.sh: the canary's overflow went unnoticed" >&2
    exit 1
fi
if ! grep -q 'ERROR: AddressSanitizer: heap-buffer-overflow' "$canary" ||
    ! grep -q 'in zmq_z85_decode' "$canary"; then
    cat "$canary"
    echo "ci/asan.sh: the canary failed, but not with a report from inside libzmq" >&2
    exit 1
fi
echo "ci/asan.sh: canary: AddressSanitizer reports an overflow inside libzmq (zmq_z85_decode)"

start=$SECONDS
"${cargo[@]}" "${selected[@]}"
for entry in ${filtered[@]+"${filtered[@]}"}; do
    read -r -a words <<<"$entry"
    echo "ci/asan.sh: --test ${words[0]} -- ${words[*]:1}"
    "${cargo[@]}" --test "${words[0]}" -- "${words[@]:1}"
done
echo "ci/asan.sh: unit and integration tests passed in $((SECONDS - start))s"
if [ -n "${ASAN_TESTS:-}" ]; then
    echo "ci/asan.sh: doctests not run (ASAN_TESTS chooses the tests)"
    exit 0
fi

start=$SECONDS
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" "${cargo[@]}" --doc
echo "ci/asan.sh: doctests passed in $((SECONDS - start))s"
