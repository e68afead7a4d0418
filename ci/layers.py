#!/usr/bin/env python3
"""The crate's modules in layers, and a check that no code reaches up.

Each top-level module of src/ sits in one layer (docs/architecture.md says
what each layer is for). A module may use modules of its own layer or of
lower ones; a `crate::` path in code (comments and doc links aside; each path
of a `crate::{a::X, b::Y}` group counted) that names a higher layer, the crate root's re-exports (`crate::Socket`,
`crate::has`), or a module missing from the table fails the check.

`ci/layers.py --self-test` runs the check on fixtures, each arrow kind
once, and fails if one goes unreported or a clean path is reported.
"""
import pathlib
import re
import sys

LAYERS = [
    ("declarations", ["sys"]),
    ("owning handles", ["raw"]),
    ("vocabulary", ["error", "message", "flags", "time", "endpoint",
                    "socket_type", "capability", "z85", "key"]),
    ("sockets", ["context", "socket"]),
    ("waiting and watching", ["poll", "monitor"]),
    ("built on sockets", ["proxy", "channeler", "auth", "signal", "tokio"]),
    ("documents", ["guide"]),
]
LEVEL = {m: i for i, (_, ms) in enumerate(LAYERS) for m in ms}
PATH = re.compile(r"\bcrate::(\{|[A-Za-z_][A-Za-z0-9_]*)")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def module_of(path, src):
    rel = path.relative_to(src)
    return rel.parts[0].removesuffix(".rs")


def without_comments(text):
    """The text with each line's `//` comment blanked, lines kept."""
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def group_heads(code, start):
    """The first name of each path in the `{...}` group opening at
    `code[start]`: `crate::{error::Error, sys::ffi}` gives error, sys."""
    heads, depth, expect = [], 0, True
    i = start
    while i < len(code):
        c = code[i]
        if c == "{":
            depth += 1
            expect = depth == 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                break
        elif c == "," and depth == 1:
            expect = True
        elif expect and depth == 1 and (m := IDENT.match(code, i)):
            heads.append(m.group())
            expect = False
            i = m.end()
            continue
        i += 1
    return heads


def uses(text):
    """(line, module) for each `crate::` path in the code of `text`."""
    code = without_comments(text)
    for m in PATH.finditer(code):
        line = code.count("\n", 0, m.start()) + 1
        if m.group(1) == "{":
            for head in group_heads(code, m.end() - 1):
                yield line, head
        else:
            yield line, m.group(1)


def check(src):
    """The arrows against the layers in the crate at `src`, as messages."""
    failures = []
    for path in sorted(src.rglob("*.rs")):
        module = module_of(path, src)
        if module in ("lib", "bin"):
            continue
        name = path.relative_to(src.parent)
        if module not in LEVEL:
            failures.append(f"{name}: module `{module}` is in no layer of ci/layers.py")
            continue
        for number, target in uses(path.read_text()):
            where = f"{name}:{number}"
            if target not in LEVEL:
                failures.append(f"{where}: `crate::{target}` reaches the crate root; name the module that defines it")
            elif LEVEL[target] > LEVEL[module]:
                failures.append(
                    f"{where}: `{module}` ({LAYERS[LEVEL[module]][0]}) uses `{target}` "
                    f"({LAYERS[LEVEL[target]][0]}), a higher layer")
    return failures


# (file, text, the failures expected, as substrings): the check's own test.
FIXTURES = [
    ("error.rs", "use crate::raw::RawMessage;\nuse crate::message::Message;\n", []),
    ("time.rs", "// crate::socket in a comment\n/// [`crate::socket::Socket`]\n", []),
    ("raw/mod.rs", "use crate::sys::ffi;\n", []),
    ("message/mod.rs", "use crate::socket::Socket;\n", ["src/message/mod.rs:1: `message` (vocabulary) uses `socket`"]),
    ("z85.rs", "\n#[cfg(x)]\nuse crate::{\n    error::{Error, Result},\n    poll::Poller,\n};\n",
     ["src/z85.rs:3: `z85` (vocabulary) uses `poll`"]),
    ("flags.rs", "fn f() { crate::Socket::new() }\n", ["src/flags.rs:1: `crate::Socket` reaches the crate root"]),
    ("stray.rs", "\n", ["src/stray.rs: module `stray` is in no layer"]),
    ("sys.rs", "use crate::{raw};\n", ["src/sys.rs:1: `sys` (declarations) uses `raw`"]),
]


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "src"
        for name, text, _ in FIXTURES:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_text(text)
        failures = check(src)
    expected = [e for _, _, es in FIXTURES for e in es]
    missed = [e for e in expected if not any(e in f for f in failures)]
    extra = [f for f in failures if not any(e in f for e in expected)]
    for e in missed:
        print(f"ci/layers.py --self-test: not reported: {e}")
    for f in extra:
        print(f"ci/layers.py --self-test: reported wrongly: {f}")
    if missed or extra:
        return 1
    print(f"ci/layers.py --self-test: ok ({len(expected)} arrows found, none wrongly)")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    failures = check(pathlib.Path(__file__).resolve().parent.parent / "src")
    for failure in failures:
        print(failure)
    if failures:
        print(f"ci/layers.py: {len(failures)} arrow(s) against the layers")
        return 1
    print(f"ci/layers.py: ok ({len(LEVEL)} modules in {len(LAYERS)} layers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
