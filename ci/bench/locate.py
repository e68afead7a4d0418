#!/usr/bin/env python3
"""Reads cargo's JSON build messages (ci/bench.sh) and prints, as shell
assignments, where the vendored libzmq was built and how to link it:

  ZMQ_OUT             the libzmq build root (include/, lib/, config/)
  LINK_ARGS           the link line cargo used for libzmq, for the C tools
                      (a bash array)
  LIBZMQ_FLAGS        the compiler flags libzmq was built with
  LIBZMQ_SOURCE_USED  the libzmq source tree that was compiled
  RUST_BIN            the directory of the Rust tools

usage: locate.py BUILD_JSON RESULTS_DIR
"""
import json
import os
import shlex
import subprocess
import sys


def fail(msg):
    sys.exit(f"bench: {msg}")


def metadata():
    """cargo metadata for this platform's packages only: the build
    downloaded those, and the others' (wasi, windows...) need not be
    fetched."""
    host = next(
        line.split(":", 1)[1].strip()
        for line in subprocess.run(
            ["rustc", "-vV"], check=True, stdout=subprocess.PIPE, text=True
        ).stdout.splitlines()
        if line.startswith("host:")
    )
    return json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--filter-platform", host],
            check=True,
            stdout=subprocess.PIPE,
        ).stdout
    )


def package_id(meta, manifest):
    """zmq4's package id as cargo spells it, whatever the checkout's
    directory is called ("path+file:///.../zmq4#0.1.0" when it is named
    zmq4, "path+file:///.../dir#zmq4@0.1.0" otherwise): the id of the
    package named zmq4 whose manifest is `manifest`."""
    ids = [p["id"] for p in meta["packages"]
           if p["name"] == "zmq4" and os.path.realpath(p["manifest_path"]) == manifest]
    if len(ids) != 1:
        fail(f"zmq4 is not the package of {manifest} in cargo metadata")
    return ids[0]


def main():
    build_json = sys.argv[1]
    meta = metadata()
    zmq4_id = package_id(meta, os.path.realpath("Cargo.toml"))
    zmq4 = None
    examples = {}
    with open(build_json) as f:
        for line in f:
            try:
                m = json.loads(line)
            except ValueError:
                continue
            is_zmq4 = m.get("package_id") == zmq4_id
            if m.get("reason") == "build-script-executed" and is_zmq4:
                zmq4 = m
            if m.get("reason") == "compiler-artifact" and is_zmq4:
                if "example" in m["target"]["kind"] and m.get("executable"):
                    examples[m["target"]["name"]] = m["executable"]
    if zmq4 is None:
        fail(f"no build-script message of zmq4 in {build_json}")
    if 'zmq4_libzmq="vendored"' not in zmq4.get("cfgs", []):
        fail("zmq4 did not link the vendored libzmq (cfgs: %s)" % zmq4.get("cfgs"))
    root = os.path.join(zmq4["out_dir"], "libzmq")
    lib = os.path.join(root, "lib", "libzmq.a")
    if not os.path.isfile(lib):
        fail(f"{lib} not found")

    # The link line: what the build script told cargo, in its order.
    args = []
    for p in zmq4.get("linked_paths", []):
        kind, _, path = p.rpartition("=")
        args.append("-L" + path)
    for l in zmq4.get("linked_libs", []):
        kind, _, name = l.rpartition("=")
        if kind == "static":
            args.append(f"-l:lib{name}.a")
        else:
            args.append("-l" + name)

    # The compiler flags, from the build's fingerprint: its first compiler
    # is the C++ one (the second compiles external/'s two C files).
    flags = []
    try:
        with open(os.path.join(root, "zmq.stamp")) as f:
            compilers = 0
            for line in f:
                if line.startswith("compiler "):
                    compilers += 1
                if line.startswith("arg ") and compilers == 1:
                    flags.append(line[4:].strip())
        # Include directories name this machine's paths: leave them out.
        flags = [f for i, f in enumerate(flags)
                 if f != "-I" and not f.startswith("-I") and (i == 0 or flags[i - 1] != "-I")]
    except OSError:
        pass

    # The source: the libzmq tree that zmq-sys-vendored carries, unless
    # overridden.
    source = os.environ.get("ZMQ4_LIBZMQ_SOURCE")
    if not source:
        for p in meta["packages"]:
            if p["name"] == "zmq-sys-vendored":
                source = os.path.join(os.path.dirname(p["manifest_path"]), "libzmq")
        if not source:
            fail("the zmq-sys-vendored package is not in cargo metadata")

    missing = [t for t in ("local_thr", "remote_thr", "local_lat", "remote_lat",
                           "inproc_thr", "inproc_lat", "async_inproc_thr", "async_inproc_lat")
               if t not in examples]
    if missing:
        fail(f"no executable for {missing} in {build_json}")
    rust_bin = os.path.dirname(examples["local_thr"])

    print("LINK_ARGS=(" + " ".join(shlex.quote(a) for a in args) + ")")
    for name, value in [
        ("ZMQ_OUT", root),
        ("LIBZMQ_FLAGS", " ".join(flags)),
        ("LIBZMQ_SOURCE_USED", source),
        ("RUST_BIN", rust_bin),
    ]:
        print(f"{name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
