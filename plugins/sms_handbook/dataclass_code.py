"""The compiled methods of this package's dataclasses, kept between runs beside its modules.

For each dataclass, Python 3.11 writes the source of its methods (`__init__`, `__repr__`,
`__eq__`, ...) and compiles it when the class is made: this package's 126 dataclasses took
35-40 ms of compiling on every run, a third of importing the plugin. The code compiled from one
source is always the same for one Python, so it is kept, marshalled, in the package's
`__pycache__` (where Python keeps its compiled modules, trusted as they are), under its exact
source, and a later run executes it instead of compiling the source again. Only this package's
classes are served this way; a file that cannot be read, or that another Python wrote, is
ignored (everything is compiled as before), and nothing is written where Python writes no
compiled modules (`PYTHONDONTWRITEBYTECODE`) or cannot write.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

PACKAGE = __name__.rpartition(".")[0]
FILE = Path(__file__).parent / "__pycache__" / f"dataclass-code.{sys.implementation.cache_tag}"


def read_codes(path: Path) -> dict[str, CodeType]:
    """The kept code by its source; empty when `path` cannot be read or is not this
    Python's."""
    try:
        data = path.read_bytes()
        if not data.startswith(MAGIC_NUMBER):
            return {}
        codes = marshal.loads(data[len(MAGIC_NUMBER) :])
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(codes, dict):
        return {}
    return {s: c for s, c in codes.items() if isinstance(s, str) and isinstance(c, CodeType)}


class KeptCode:
    """An `exec` for the dataclasses module that runs this package's method sources from the
    code kept in `path`, compiling (and keeping) those it does not have."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.codes = read_codes(path)
        self.added = False

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        module = globals.get("__name__") if isinstance(globals, dict) else None
        if not (isinstance(source, str) and str(module).startswith(PACKAGE + ".")):
            builtins.exec(source, globals, locals)
            return
        code = self.codes.get(source)
        if code is None:  # as `exec` compiles a text: no `from __future__` of this module
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.codes[source] = code
            self.added = True
        builtins.exec(code, globals, locals)

    def save(self) -> None:
        """Keep the code compiled in this run (written whole, under a new name first)."""
        if not self.added or sys.dont_write_bytecode:
            return
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(exist_ok=True)
            temporary.write_bytes(MAGIC_NUMBER + marshal.dumps(self.codes))
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self.added = False


_INSTALLED: list[KeptCode] = []  # this process's, once installed


def install(path: Path = FILE) -> KeptCode:
    """Serve this package's dataclasses from the code kept in `path` from now on (once per
    process), and keep what this process compiles when it exits."""
    if not _INSTALLED:
        kept = KeptCode(path)
        vars(dataclasses)["exec"] = kept.exec  # found before the built-in by dataclasses' code
        atexit.register(kept.save)
        _INSTALLED.append(kept)
    return _INSTALLED[0]
