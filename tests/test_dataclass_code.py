"""The package's dataclasses made from kept code behave as those compiled afresh, and a kept
file that is damaged, another Python's, or not to be written changes nothing."""

from __future__ import annotations

import dataclasses
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any

import pytest
from sms_handbook.dataclass_code import KeptCode, read_codes

CLASSES = """
import dataclasses

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    label: str = "origin"
    tags: tuple = ()

@dataclasses.dataclass(order=True)
class Entry:
    rank: float
    name: str = ""
    notes: list = dataclasses.field(default_factory=list, compare=False)
"""


@contextmanager
def served_by(execute: Callable[..., None]) -> Iterator[None]:
    """Dataclasses made while inside run their method sources with `execute`."""
    before = vars(dataclasses).get("exec")
    vars(dataclasses)["exec"] = execute
    try:
        yield
    finally:
        if before is None:
            del vars(dataclasses)["exec"]
        else:
            vars(dataclasses)["exec"] = before


def made(name: str) -> types.ModuleType:
    """The classes of CLASSES, made in a module of the package called `name`."""
    module = types.ModuleType(f"sms_handbook._test_{name}")
    sys.modules[module.__name__] = module
    try:
        exec(CLASSES, vars(module))
    finally:
        del sys.modules[module.__name__]
    return module


def behaviour(module: Any) -> list[object]:
    """What the methods dataclasses write do, in values that compare across classes."""
    point, other = module.Point(1, tags=("a",)), module.Point(1, tags=("a",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2
    entries = sorted([module.Entry(2.0, "b"), module.Entry(1.0, "a")])
    return [
        repr(point),
        point == other,
        hash(module.Point(3)) == hash(module.Point(3)),
        [repr(e) for e in entries],
        module.Point.__init__.__annotations__,
        module.Entry.__lt__.__annotations__,
        [f.name for f in dataclasses.fields(module.Point)],
    ]


def test_classes_made_from_kept_code_behave_as_compiled_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run compiles and keeps the code; a later run makes the same classes from
    the kept code without compiling (nothing added), and they behave alike: values, order,
    hashing, frozen fields, and `__init__`'s annotations the field types themselves (code
    compiled under this module's `from __future__ import annotations` would hold names)."""
    with served_by(__builtins__["exec"] if isinstance(__builtins__, dict) else exec):
        expected = behaviour(made("plain"))
    assert expected[4]["x"] == "int"  # this module's own annotations are strings
    first = KeptCode(tmp_path / "kept")
    with served_by(first.exec):
        assert behaviour(made("first")) == expected
    assert first.added and first.codes
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as Python runs by default
    first.save()
    later = KeptCode(tmp_path / "kept")
    assert set(later.codes) == set(first.codes)
    with served_by(later.exec):
        assert behaviour(made("later")) == expected
    assert not later.added


def test_only_the_packages_classes_are_kept(tmp_path: Path) -> None:
    kept = KeptCode(tmp_path / "kept")
    module = types.ModuleType("elsewhere")
    sys.modules["elsewhere"] = module
    try:
        with served_by(kept.exec):
            exec(CLASSES, vars(module))
    finally:
        del sys.modules["elsewhere"]
    assert module.Point(1) == module.Point(1) and not kept.codes


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", MAGIC_NUMBER + b"\x00\x01", b"\x00\x00\r\n" + b"x" * 40, MAGIC_NUMBER],
)
def test_a_damaged_or_foreign_kept_file_is_read_as_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kept"
    path.write_bytes(content)
    assert read_codes(path) == {}
    kept = KeptCode(path)
    with served_by(kept.exec):
        module = made("damaged")
    assert module.Point(1) == module.Point(1) and kept.added


def test_nothing_is_kept_where_python_writes_no_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept = KeptCode(tmp_path / "kept")
    with served_by(kept.exec):
        made("unwritten")
    kept.save()
    assert kept.added and not (tmp_path / "kept").exists()


def _defined(kept: KeptCode) -> set[str]:
    """The names of the methods whose code `kept` holds."""
    return {source.partition("\n def ")[2].partition("(")[0] for source in kept.codes}


def test_rarely_called_methods_are_compiled_when_first_called(tmp_path: Path) -> None:
    """Without kept code, making a class compiles its `__init__` (and order methods) only;
    `__repr__`, `__eq__`, `__hash__`, `__setattr__` and `__delattr__` are compiled when first
    called, then sit on the class as if compiled at once, and behave as compiled ones."""
    with served_by(__builtins__["exec"] if isinstance(__builtins__, dict) else exec):
        expected = behaviour(made("plain_deferred"))
    kept = KeptCode(tmp_path / "kept")
    with served_by(kept.exec):
        module = made("deferred")
    assert _defined(kept) == {"__init__", "__lt__", "__le__", "__gt__", "__ge__"}
    assert module.Point.__eq__.__qualname__ == "Point.__eq__"
    assert module.Point.__hash__.__module__ == module.__name__
    assert behaviour(module) == expected
    assert _defined(kept) >= {"__repr__", "__eq__", "__hash__", "__setattr__"}
    assert "__delattr__" not in _defined(kept)  # never called yet
    compiled = vars(module.Point)["__eq__"]
    assert compiled.__code__.co_filename == "<string>"  # the compiled method, in its place
    assert compiled.__qualname__ == "Point.__eq__"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del module.Point(1).x
    assert "__delattr__" in _defined(kept)


def test_a_deferred_method_called_through_a_subclass_replaces_the_base_classes(
    tmp_path: Path,
) -> None:
    kept = KeptCode(tmp_path / "kept")
    with served_by(kept.exec):
        module = made("inherited")

    class Labelled(module.Point):
        pass

    assert Labelled(1) == Labelled(1) and Labelled(1) != Labelled(2)
    assert vars(module.Point)["__eq__"].__code__.co_filename == "<string>"
    assert "__eq__" not in vars(Labelled)
