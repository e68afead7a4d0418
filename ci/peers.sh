#!/usr/bin/env bash
# Sets up the peers we did not write, for the interop tests: pyzmq (from
# PyPI, in a virtual environment under target/peers) and JeroMQ (Debian's
# libjeromq-java, an independent Java implementation of ZMTP, with a JDK to
# compile the Java peers). Prints the environment that points the tests at
# them, for `eval "$(ci/peers.sh)"`:
#
#   ZMQ4_PYTHON=...        a python with pyzmq
#   ZMQ4_JEROMQ_JAR=...    the JeroMQ jar
#   ZMQ4_REQUIRE_PEERS=1   an interop test fails (instead of skipping) when a
#                          peer is missing
#
# Progress goes to stderr; only the assignments go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

PYZMQ_VERSION="${PYZMQ_VERSION:-27.1.0}"
venv="$PWD/target/peers/venv"

sudo_() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in libjeromq-java default-jdk-headless; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "ci/peers.sh: apt-get install ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    sudo_ apt-get update -qq >&2
    sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if ! "$venv/bin/python" -c "import zmq, sys; sys.exit(zmq.__version__ != '$PYZMQ_VERSION')" >/dev/null 2>&1; then
    echo "ci/peers.sh: pyzmq $PYZMQ_VERSION into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "pyzmq==$PYZMQ_VERSION" >&2
fi
echo "ci/peers.sh: $("$venv/bin/python" -c 'import zmq; print("pyzmq", zmq.__version__, "libzmq", zmq.zmq_version())')" >&2

jar=""
for candidate in /usr/share/java/jeromq.jar /usr/share/java/jeromq-*.jar; do
    if [ -f "$candidate" ]; then jar="$candidate"; break; fi
done
if [ -z "$jar" ]; then
    echo "ci/peers.sh: no JeroMQ jar found after installing libjeromq-java" >&2
    exit 1
fi
echo "ci/peers.sh: JeroMQ $jar, $(javac -version 2>&1)" >&2

printf 'export ZMQ4_PYTHON=%q\n' "$venv/bin/python"
printf 'export ZMQ4_JEROMQ_JAR=%q\n' "$jar"
echo 'export ZMQ4_REQUIRE_PEERS=1'
