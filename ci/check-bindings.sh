#!/usr/bin/env bash
# Shows that the committed raw declarations (src/sys/bindings.rs and
# src/sys/bindings_draft.rs) are what bindgen makes of libzmq 4.3.5's zmq.h
# today. Builds zmq4 with feature `bindgen` (needs libclang), finds the
# OUT_DIR of zmq4's build script in cargo's JSON messages, and compares.
# To refresh the committed files after a change, copy the two files named
# in the failure over the committed ones.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v python3 >/dev/null || { echo "ci/check-bindings.sh: python3 is needed to read cargo's JSON" >&2; exit 1; }

json="$(mktemp)"
trap 'rm -f "$json"' EXIT
echo "ci/check-bindings.sh: cargo build -p zmq4 --features bindgen $*"
if ! cargo build -p zmq4 --features bindgen --message-format=json "$@" >"$json"; then
    # Show what the compiler said (the JSON holds the rendered messages).
    python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("{"):
        msg = json.loads(line)
        if msg.get("reason") == "compiler-message":
            print(msg["message"].get("rendered") or "", end="")
' "$json" >&2 || true
    echo "ci/check-bindings.sh: the build with feature bindgen failed (is libclang installed? Debian: libclang-dev)" >&2
    exit 1
fi

# The last build-script-executed message of the zmq4 package (not of
# zmq-sys-vendored or a dependency). Package ids look like
# "path+file:///.../zmq4#0.1.0" or, from older cargo, "zmq4 0.1.0 (path+file://...)".
out_dir="$(python3 -c '
import json, re, sys
found = ""
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("{"):
        continue
    msg = json.loads(line)
    if msg.get("reason") != "build-script-executed":
        continue
    pid = msg.get("package_id", "")
    if re.match(r"^zmq4 ", pid) or re.search(r"[/#]zmq4[#@]", pid):
        found = msg.get("out_dir", "")
print(found)
' "$json")"

if [ -z "$out_dir" ] || [ ! -d "$out_dir" ]; then
    echo "ci/check-bindings.sh: could not find the OUT_DIR of zmq4's build script in cargo's output" >&2
    exit 1
fi
echo "ci/check-bindings.sh: regenerated declarations are in $out_dir"

stale=()
for file in bindings.rs bindings_draft.rs; do
    generated="$out_dir/$file"
    committed="src/sys/$file"
    if [ ! -f "$generated" ]; then
        echo "ci/check-bindings.sh: the build did not write $file into OUT_DIR" >&2
        exit 1
    fi
    if diff -u "$committed" "$generated" >"$json.diff"; then
        echo "  $committed: up to date"
    else
        echo "  $committed: STALE; the difference (committed -> regenerated):" >&2
        head -n 60 "$json.diff" >&2
        lines="$(wc -l <"$json.diff")"
        if [ "$lines" -gt 60 ]; then
            echo "  ... ($lines lines of diff in all)" >&2
        fi
        stale+=("$committed")
    fi
    rm -f "$json.diff"
done

if [ "${#stale[@]}" -ne 0 ]; then
    echo "ci/check-bindings.sh: FAILED: stale: ${stale[*]}" >&2
    echo "ci/check-bindings.sh: refresh with: cp $out_dir/bindings*.rs src/sys/" >&2
    exit 1
fi
echo "ci/check-bindings.sh: ok: src/sys/bindings.rs and src/sys/bindings_draft.rs are current"
