#!/usr/bin/env python3
"""The crate's modules in layers, and a check that no code reaches up.

Each top-level module of src/ sits in one layer (docs/architecture.md says
what each layer is for). A module may use modules of its own layer or of
lower ones; a `crate::` path in code (comments and doc links aside) that
names a higher layer, the crate root's re-exports (`crate::Socket`,
`crate::has`), or a module missing from the table fails the check.
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
PATH = re.compile(r"\bcrate::([A-Za-z_][A-Za-z0-9_]*)")


def module_of(path, src):
    rel = path.relative_to(src)
    return rel.parts[0].removesuffix(".rs")


def code_lines(text):
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("//", 1)[0]
        if code.strip():
            yield number, code


def main():
    src = pathlib.Path(__file__).resolve().parent.parent / "src"
    failures = []
    for path in sorted(src.rglob("*.rs")):
        module = module_of(path, src)
        if module in ("lib", "bin"):
            continue
        if module not in LEVEL:
            failures.append(f"{path.relative_to(src.parent)}: module `{module}` is in no layer of ci/layers.py")
            continue
        for number, code in code_lines(path.read_text()):
            for target in PATH.findall(code):
                where = f"{path.relative_to(src.parent)}:{number}"
                if target not in LEVEL:
                    failures.append(f"{where}: `crate::{target}` reaches the crate root; name the module that defines it")
                elif LEVEL[target] > LEVEL[module]:
                    failures.append(
                        f"{where}: `{module}` ({LAYERS[LEVEL[module]][0]}) uses `{target}` "
                        f"({LAYERS[LEVEL[target]][0]}), a higher layer")
    for failure in failures:
        print(failure)
    if failures:
        print(f"ci/layers.py: {len(failures)} arrow(s) against the layers")
        return 1
    print(f"ci/layers.py: ok ({len(LEVEL)} modules in {len(LAYERS)} layers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
