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
from collections.abc import Callable
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

PACKAGE = __name__.rpartition(".")[0]
FILE = Path(__file__).parent / "__pycache__" / f"dataclass-code.{sys.implementation.cache_tag}"
# Methods a build rarely or never calls (a frozen class's `__setattr__` and `__delattr__` run
# only to refuse a change): when their code is not kept, each is compiled when first called,
# not when its class is made. `__init__` (and the order methods) are compiled at once: nearly
# every class is made, and tools read `__init__`'s signature.
DEFERRED = frozenset({"__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"})


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
        if code is None and isinstance(locals, dict) and _method_name(source) in DEFERRED:
            locals["__create_fn__"] = self._deferred(source, globals)
            return
        builtins.exec(code or self._code(source), globals, locals)

    def _code(self, source: str) -> CodeType:
        """The code of `source`: kept, or compiled now (and kept)."""
        code = self.codes.get(source)
        if code is None:  # as `exec` compiles a text: no `from __future__` of this module
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.codes[source] = code
            self.added = True
        return code

    def _deferred(self, source: str, globals: dict[str, Any]) -> Callable[..., Any]:
        """A `__create_fn__` whose method compiles `source` when it is first called (see
        DEFERRED), then puts the compiled method in its own place on the class."""
        name = _method_name(source)
        code = self._code

        def create(**values: Any) -> Callable[..., Any]:
            compiled: list[Callable[..., Any]] = []

            def method(self: Any, /, *args: Any, **kwargs: Any) -> Any:
                if not compiled:
                    namespace: dict[str, Any] = {}
                    builtins.exec(code(source), globals, namespace)
                    real = namespace["__create_fn__"](**values)
                    real.__qualname__ = method.__qualname__
                    compiled.append(real)
                    for owner in type(self).__mro__:
                        if vars(owner).get(name) is method:
                            setattr(owner, name, real)
                            break
                return compiled[0](self, *args, **kwargs)

            method.__name__ = method.__qualname__ = name
            method.__module__ = str(globals.get("__name__"))
            return method

        return create

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


def _method_name(source: str) -> str:
    """The name of the method a dataclasses source defines (`def __create_fn__(...):` then
    ` def NAME(`)."""
    _, _, rest = source.partition("\n def ")
    return rest.partition("(")[0]


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
