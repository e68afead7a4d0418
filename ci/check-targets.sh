#!/usr/bin/env bash
# macOS and Windows MSVC, from Linux: type-checks the whole workspace (lib,
# tests, examples) for each target with each feature set, with clippy and
# warnings denied, so that a warning or an error on those systems shows
# here. Nothing is linked, so no SDK is needed.
#
#   ci/check-targets.sh [TARGET...]
#       default: x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc
#       (their feature sets without tokio also catch what only a build
#       without the optional modules warns about; ci/lint.sh uses
#       --all-features)
#
# libzmq is named as an explicit install (ZMQ4_PREFIX) that holds only
# libzmq 4.3.5's zmq.h and an empty lib/: the build script then needs no
# C++ cross compiler, and nothing is linked by a check. Feature `bindgen`
# is left out: it runs libclang on the host's headers, which says nothing
# about another target.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc)
fi
# Each feature set, as cargo arguments: none, the default (curve), the
# async sockets, and every one but bindgen (draft's code paths, the
# command-line tool, the channeler, the signal handlers of each platform).
feature_sets=(
    "--no-default-features"
    ""
    "--features tokio"
    "--features curve,vendored,draft,tokio,cli,channeler,signal,bytes"
)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/check-targets}"
prefix="$PWD/$CARGO_TARGET_DIR/zmq-header-only"
mkdir -p "$prefix/include" "$prefix/lib"
cp zmq-sys-vendored/libzmq/include/zmq.h "$prefix/include/zmq.h"
export ZMQ4_PREFIX="$prefix"

installed="$(rustup target list --installed)"
for target in "${targets[@]}"; do
    if ! grep -qx "$target" <<<"$installed"; then
        rustup target add "$target"
    fi
done

for target in "${targets[@]}"; do
    for features in "${feature_sets[@]}"; do
        # shellcheck disable=SC2086 # the feature set is words
        echo "ci/check-targets.sh: cargo clippy --target $target --workspace --all-targets ${features:-(default features)} -- -D warnings"
        # shellcheck disable=SC2086
        cargo clippy --quiet --target "$target" --workspace --all-targets $features -- -D warnings
    done
done
echo "ci/check-targets.sh: ok: ${targets[*]}, ${#feature_sets[@]} feature sets each, no warning"
