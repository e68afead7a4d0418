#!/usr/bin/env bash
# The minimum supported Rust version: the `rust-version` of Cargo.toml.
#
#   ci/msrv.sh          both steps below, with one toolchain
#   ci/msrv.sh --deps   check the locked dependencies (any toolchain: a recent
#                       one reads manifests that an old cargo cannot)
#   ci/msrv.sh --build  build everything with the active toolchain, which
#                       must be that version
#
# The dependency check reads `cargo metadata`: every package of the resolved
# graph for this platform that declares a newer `rust-version`, or uses
# edition 2024 (Rust 1.85), is listed, with the version the graph needs.
set -euo pipefail
cd "$(dirname "$0")/.."

do_deps=1
do_build=1
case "${1:-}" in
    --deps) do_build=0 ;;
    --build) do_deps=0 ;;
    "") ;;
    *)
        echo "usage: ci/msrv.sh [--deps|--build]" >&2
        exit 2
        ;;
esac

command -v python3 >/dev/null || { echo "ci/msrv.sh: python3 is needed to read cargo's JSON" >&2; exit 1; }

msrv="$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
meta = json.load(sys.stdin)
print(next(p["rust_version"] for p in meta["packages"] if p["name"] == "zmq4"))
')"
echo "ci/msrv.sh: rust-version = $msrv (Cargo.toml)"

meta="$(mktemp)"
trap 'rm -f "$meta"' EXIT

check_deps() {
    local host result
    host="$(rustc -vV | sed -n 's/^host: //p')"
    cargo metadata --format-version 1 --locked --filter-platform "$host" >"$meta"

    result="$(python3 - "$meta" <<'PY'
import json, sys

meta = json.load(open(sys.argv[1], encoding="utf-8"))

def ver(s):
    parts = [int(p) for p in s.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))

def show(v):
    return ".".join(str(p) for p in (v[:2] if v[2] == 0 else v))

pkgs = {p["id"]: p for p in meta["packages"]}
root = next(pkgs[i] for i in meta["workspace_members"] if pkgs[i]["name"] == "zmq4")
msrv = ver(root["rust_version"])
needed = msrv
late = []
for node in meta["resolve"]["nodes"]:
    p = pkgs[node["id"]]
    need, why = (0, 0, 0), []
    if p.get("rust_version"):
        need = ver(p["rust_version"])
        why.append("rust-version " + p["rust_version"])
    if p.get("edition") == "2024" and need < (1, 85, 0):
        need = (1, 85, 0)
        why.append("edition 2024")
    if need > msrv:
        late.append((need, p["name"], p["version"], ", ".join(why)))
        needed = max(needed, need)
for need, name, version, why in sorted(late, reverse=True):
    print(f"  {name} {version}: needs Rust {show(need)} ({why})", file=sys.stderr)
if late:
    print(f"the locked dependencies need Rust {show(needed)}; Cargo.toml says rust-version = {show(msrv)}",
          file=sys.stderr)
    print("FAIL")
else:
    print("OK")
PY
    )"
    if [ "$result" != OK ]; then
        echo "ci/msrv.sh: FAILED: Cargo.lock holds dependencies newer than the MSRV $msrv (listed above);" >&2
        echo "ci/msrv.sh: raise rust-version, or pin them to older releases (cargo update -p NAME --precise VERSION)" >&2
        exit 1
    fi
    echo "ci/msrv.sh: every locked dependency builds with Rust $msrv"
}

build() {
    local active
    active="$(rustc --version | sed -E 's/^rustc ([0-9]+\.[0-9]+)(\.[0-9]+)?.*/\1/')"
    if [ "$active" != "${msrv%.*}" ] && [ "$active" != "$msrv" ]; then
        echo "ci/msrv.sh: the active toolchain is Rust $active, not the MSRV $msrv; run under it (rustup toolchain install $msrv; cargo +$msrv ...)" >&2
        exit 1
    fi
    echo "ci/msrv.sh: cargo build --workspace --all-targets --locked (Rust $active)"
    cargo build --workspace --all-targets --locked
    echo "ci/msrv.sh: ok: builds with Rust $msrv"
}

if [ "$do_deps" = 1 ]; then check_deps; fi
if [ "$do_build" = 1 ]; then build; fi
