#!/usr/bin/env bash
# Formatting, clippy with warnings denied, and the docs with warnings denied,
# over the whole workspace and every feature.
# `--all-features` includes `draft` (the vendored libzmq is compiled) and
# `bindgen` (libclang must be installed).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "ci/lint.sh: ci/layers.py (no module uses a higher layer)"
python3 ci/layers.py --self-test
python3 ci/layers.py

echo "ci/lint.sh: cargo fmt --all --check"
cargo fmt --all --check

echo "ci/lint.sh: cargo clippy --workspace --all-targets --all-features -- -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

echo "ci/lint.sh: cargo doc --workspace --no-deps --all-features (RUSTDOCFLAGS=-Dwarnings)"
RUSTDOCFLAGS="${RUSTDOCFLAGS:+$RUSTDOCFLAGS }-Dwarnings" cargo doc --workspace --no-deps --all-features

echo "ci/lint.sh: ok"
