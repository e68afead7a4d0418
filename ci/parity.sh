#!/usr/bin/env bash
# Shows that the vendored libzmq can do what the system's can.
#
# Builds and runs examples/build_info.rs twice: against the system libzmq
# (found by pkg-config; it must be installed, e.g. libzmq3-dev) and against
# the vendored one (feature `vendored`), each in its own target dir so that
# both stay cached. Prints the two side by side and fails unless:
#   - the vendored build has every capability the system build has, except
#     those that need a library the vendored build does not ship (below);
#   - keepalive, close-on-exec, eventfd and epoll behave the same in both.
#
# Usage: ci/parity.sh   (from anywhere; extra arguments go to both cargo runs)
set -euo pipefail

cd "$(dirname "$0")/.."

# Capabilities the vendored build lacks on purpose, with the reason.
declare -A EXEMPT=(
    [pgm]="needs OpenPGM (libpgm), which the vendored build does not ship"
    [norm]="needs NORM (libnorm), which the vendored build does not ship"
    [gssapi]="needs Kerberos GSSAPI (libgssapi_krb5), which the vendored build does not ship"
    [wss]="needs GnuTLS, which the vendored build does not ship (it leaves the wss transport out)"
    [vmci]="needs the VMware VMCI SDK headers, which the vendored build does not ship"
    [draft]="the DRAFT API is opt-in (feature \`draft\`), not a library; compared without it"
)
# Behaviour that must be the same in both builds.
BEHAVIOUR=(keepalive cloexec eventfd eventfd.cloexec epoll epoll.cloexec)

out=target/parity
mkdir -p "$out"
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

echo "== build_info against the system libzmq (target/system)" >&2
# ZMQ4_NO_VENDOR: if pkg-config does not find libzmq, fail instead of
# silently comparing the vendored build with itself.
ZMQ4_NO_VENDOR=1 CARGO_TARGET_DIR=target/system \
    cargo run --quiet --example build_info "$@" >"$out/system.txt" ||
    fail "build_info against the system libzmq did not build or run (is libzmq3-dev installed?)"
echo "== build_info against the vendored libzmq (target/vendored)" >&2
# ZMQ4_VENDORED rather than the feature: the same features as the test pass
# in target/vendored, so its libzmq build is reused.
ZMQ4_VENDORED=1 CARGO_TARGET_DIR=target/vendored \
    cargo run --quiet --example build_info "$@" >"$out/vendored.txt" ||
    fail "build_info against the vendored libzmq did not build or run"

# value FILE KEY: the value of KEY in FILE, or "-" if absent.
value() {
    awk -F= -v k="$2" '$1 == k { sub(/^[^=]*=/, ""); print; found = 1; exit }
        END { if (!found) print "-" }' "$1"
}

keys=$(cut -d= -f1 "$out/system.txt" "$out/vendored.txt" | awk '!seen[$0]++')

echo
printf '%-24s %-14s %-14s\n' "" "system" "vendored"
for key in $keys; do
    s=$(value "$out/system.txt" "$key")
    v=$(value "$out/vendored.txt" "$key")
    mark=""
    [[ "$s" != "$v" ]] && mark="  <- differs"
    printf '%-24s %-14s %-14s%s\n' "$key" "$s" "$v" "$mark"
done
echo

[[ $(value "$out/system.txt" source) == system ]] ||
    fail "the first build did not link the system libzmq (is libzmq3-dev installed?)"
[[ $(value "$out/vendored.txt" source) == vendored ]] ||
    fail "the second build did not link the vendored libzmq"

for key in $keys; do
    [[ $key == has.* ]] || continue
    cap=${key#has.}
    s=$(value "$out/system.txt" "$key")
    v=$(value "$out/vendored.txt" "$key")
    if [[ $s == true && $v != true ]]; then
        if [[ -n ${EXEMPT[$cap]+set} ]]; then
            echo "ok:   $cap is only in the system build: ${EXEMPT[$cap]}"
        else
            fail "the system libzmq has $cap, the vendored one does not"
        fi
    fi
done

for key in "${BEHAVIOUR[@]}"; do
    s=$(value "$out/system.txt" "$key")
    v=$(value "$out/vendored.txt" "$key")
    if [[ $v == failed || $v == - ]]; then
        fail "$key: the vendored probe gave no result ($v)"
    elif [[ $s != "$v" ]]; then
        fail "$key differs: system $s, vendored $v"
    else
        echo "ok:   $key is $v in both"
    fi
done

if ((failures > 0)); then
    echo "parity: $failures failure(s)"
    exit 1
fi
echo "parity: the vendored libzmq has what the system one has (exemptions above)"
