#!/usr/bin/env bash
# The fault suite (tests/faults): what each pattern delivers, loses and
# reports under each fault.
#
#   ci/faults.sh            the full matrix: every pattern over tcp and ipc
#                           under every fault, 100,000 messages a run, plus
#                           the scenarios of their own and 1,000
#                           reconnects; then writes docs/reliability.md
#   ci/faults.sh --short [CARGO ARGS...]
#                           the short set only (what `cargo test` runs,
#                           about a minute once built), bounded
#   ci/faults.sh --soak [SECONDS]
#                           the soak (default 1800 s), summary in
#                           target/faults/soak.txt
#
# The full matrix takes tens of minutes on two cores; it is not a CI step.
# Its raw results (matrix.md, notes.md, totals.txt) go to target/faults
# (or $ZMQ4_FAULTS_OUT), and docs/reliability.md is rewritten from them
# with the date, the libzmq version and the command. Exits non-zero if a
# run hung or broke a promise (the page is written all the same, so that
# the failure can be read).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-full}"
out="${ZMQ4_FAULTS_OUT:-$PWD/target/faults}"
export ZMQ4_FAULTS_OUT="$out"
mkdir -p "$out"

# copy_binary NAME: builds tests/faults and copies its binary to
# $out/NAME. The suite runs from the copy: its peers are the same binary
# started again, and a build in the meantime must not change them mid-run.
copy_binary() {
    local exe
    exe="$(cargo test --quiet --test faults --no-run --message-format=json |
        python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["profile"]["test"]:
            print(msg["executable"])
' | tail -n1)"
    [ -x "$exe" ] || { echo "ci/faults.sh: no test binary for tests/faults" >&2; exit 1; }
    cp "$exe" "$out/$1"
}

case "$mode" in
--short)
    # The same tests `cargo test` runs, alone, with a time limit that a
    # hang cannot get past (the suite's own watchdogs stop each scenario
    # sooner).
    shift
    cargo test --quiet --test faults --no-run "$@"
    start=$SECONDS
    timeout 600 cargo test --quiet --test faults "$@"
    echo "ci/faults.sh: short set passed in $((SECONDS - start))s"
    exit 0
    ;;
--soak)
    secs="${2:-1800}"
    export ZMQ4_FAULTS_SOAK_SECS="$secs"
    start=$SECONDS
    copy_binary soak-bin
    timeout $((secs + 1200)) "$out/soak-bin" --ignored --exact full::soak --nocapture 2>&1 |
        tee "$out/soak.log"
    echo "ci/faults.sh: soak of ${secs}s passed in $((SECONDS - start))s; summary in $out/soak.txt"
    exit 0
    ;;
full | --full) ;;
*)
    echo "usage: ci/faults.sh [--short | --soak [SECONDS]]" >&2
    exit 2
    ;;
esac

command="ci/faults.sh"
copy_binary faults-bin
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
rm -f "$out/matrix.md" "$out/notes.md" "$out/totals.txt"
set +e
timeout 14400 "$out/faults-bin" --ignored --exact full::full_matrix \
    --nocapture 2>&1 | tee "$out/full.log"
rc=${PIPESTATUS[0]}
set -e
if [ ! -s "$out/totals.txt" ] || [ ! -s "$out/matrix.md" ]; then
    echo "ci/faults.sh: the matrix wrote no results (exit $rc); see $out/full.log" >&2
    exit 1
fi

# The host, as the page states it.
cpus="$(nproc)"
kernel="$(uname -sr)"
libzmq="$(head -n1 "$out/totals.txt")"

python3 - "$out" "$started" "$command" "$cpus" "$kernel" "$libzmq" >docs/reliability.md <<'EOF'
import sys, pathlib

out, started, command, cpus, kernel, libzmq = sys.argv[1:7]
d = pathlib.Path(out)
matrix = (d / "matrix.md").read_text()
notes = (d / "notes.md").read_text()
totals = (d / "totals.txt").read_text().splitlines()[1:]
template = pathlib.Path("ci/reliability.md.in").read_text()
print(
    template.replace("{{started}}", started)
    .replace("{{command}}", command)
    .replace("{{libzmq}}", libzmq)
    .replace("{{host}}", f"{cpus} CPUs, {kernel}")
    .replace("{{totals}}", "\n".join(f"    {t}" for t in totals))
    .replace("{{matrix}}", matrix.rstrip())
    .replace("{{notes}}", notes.rstrip() or "(none)"),
    end="",
)
EOF
echo "ci/faults.sh: wrote docs/reliability.md from the run of $started (exit $rc)"
exit "$rc"
