#!/usr/bin/env bash
# Runs the test command the README gives, `cargo test --workspace --features
# tokio`, with any extra arguments passed through (for example `--features
# draft`).
# Which libzmq is used follows the environment: ZMQ4_VENDORED=1 forces the
# vendored build, CARGO_TARGET_DIR keeps one build apart from another.
set -euo pipefail
cd "$(dirname "$0")/.."

command=(cargo test --workspace --features tokio)
if ! grep -qF "${command[*]}" README.md; then
    echo "ci/test.sh: README.md no longer gives \`${command[*]}\` as the test command: change both together" >&2
    exit 1
fi
echo "ci/test.sh: ${command[*]} $*"
echo "ci/test.sh: CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target} ZMQ4_VENDORED=${ZMQ4_VENDORED:-} ZMQ4_NO_VENDOR=${ZMQ4_NO_VENDOR:-}"
exec "${command[@]}" "$@"
