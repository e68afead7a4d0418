#!/usr/bin/env bash
# The crates as users get them: `cargo publish --dry-run` for every crate of
# the workspace, then a program built from the .crate files alone, on a
# machine that shows it no libzmq, and run.
#
# The .crate files are unpacked into a temporary directory; a new package
# there depends on the unpacked zmq4, whose dependency on zmq-sys-vendored
# is pointed at the unpacked zmq-sys-vendored ([patch.crates-io]), which is
# what `cargo package` does while the dependency is not yet on crates.io.
# pkg-config is pointed at an empty directory, so the build compiles libzmq
# and libsodium from the sources inside the .crate; the program checks that
# it got libzmq 4.3.5 with CURVE and makes a CURVE key pair.
set -euo pipefail
cd "$(dirname "$0")/.."

# Forget every zmq4 setting from the environment, plain or target-prefixed.
while IFS= read -r var; do
    unset "$var"
done < <(compgen -e | grep 'ZMQ4_' || true)

# Without a documentation, homepage or repository key cargo warns; the
# crate names none yet.
quiet() { grep -Ev '^warning: manifest has no documentation|^ *\|$|^ *= note: see .*package-metadata' || true; }

target_dir="${CARGO_TARGET_DIR:-target}"
rm -f "$target_dir"/package/*.crate
# The build from the .crate files below is the verification.
echo "ci/package.sh: cargo package --workspace --no-verify"
cargo package --workspace --no-verify 2>&1 | quiet
echo "ci/package.sh: cargo publish --workspace --dry-run --no-verify"
cargo publish --workspace --dry-run --no-verify 2>&1 | quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for crate in zmq4 zmq-sys-vendored; do
    file="$target_dir/package/$crate-0.1.0.crate"
    [ -f "$file" ] || { echo "ci/package.sh: $file was not made" >&2; exit 1; }
    echo "ci/package.sh: $file: $(du -k "$file" | cut -f1) KiB, $(tar tzf "$file" | wc -l) files"
    tar xzf "$file" -C "$work"
done

mkdir -p "$work/user/src" "$work/empty-pkgconfig"
cat >"$work/user/Cargo.toml" <<'TOML'
[package]
name = "user"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
zmq4 = { path = "../zmq4-0.1.0" }

[patch.crates-io]
zmq-sys-vendored = { path = "../zmq-sys-vendored-0.1.0" }

[workspace]
TOML
cat >"$work/user/src/main.rs" <<'RUST'
fn main() {
    assert_eq!(zmq4::LIBZMQ_SOURCE, "vendored");
    assert_eq!(zmq4::version(), (4, 3, 5));
    assert!(zmq4::has("curve"), "the packaged vendored build has no CURVE");
    let keys = zmq4::CurveKeyPair::generate().expect("a CURVE key pair");
    println!("packaged zmq4: libzmq {:?}, vendored, CURVE public key {}", zmq4::version(), keys.public());
}
RUST

echo "ci/package.sh: building a program from the .crate files alone (no libzmq visible to pkg-config)"
(
    cd "$work/user"
    PKG_CONFIG_LIBDIR="$work/empty-pkgconfig" PKG_CONFIG_PATH="" \
        CARGO_TARGET_DIR="$work/target" cargo run --quiet
)
echo "ci/package.sh: ok"
