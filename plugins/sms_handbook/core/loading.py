"""Load YAML safely and faithfully, keeping every value's position.

libyaml composes the node graph (safe: no constructors run); `yaml_nodes` builds plain Python
data from it by our rules; any value maps back to its line and column on demand (only values
that have a problem are ever located).
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .yaml_nodes import AbortError, AliasIndex, Builder, Path, find_key, walk

try:
    _Base: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

_TAGS: dict[str, str] = {}  # short plain scalar -> its tag (registers repeat their values)
_TAGS_KEPT = 50_000


class _Loader(_Base):
    """The safe loader, with each plain scalar's tag resolved once per distinct value: the
    answer depends on the value alone (the safe loader has no path resolvers)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))
        tag = _TAGS.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(value) <= 64 and len(_TAGS) < _TAGS_KEPT:
                _TAGS[value] = tag
        return tag


_BREAKS = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")  # line breaks as libyaml counts them
# libyaml's anchor names; an alias `*name` needs an anchor `&name` written before it
_ANCHOR = re.compile(r"&([0-9A-Za-z_-]+)")
_ALIAS = re.compile(r"\*([0-9A-Za-z_-]+)")


@dataclass
class YamlDocument:
    """Plain data (dicts, lists, str, int, float, bool, None) plus its node graph.

    The node graph is many times larger than the text. Once a loader has taken what it needs
    from it, `release()` drops it; a later question about a position (there is one only when
    something is wrong) composes it again from the text.
    """

    data: Any
    _root: yaml.Node | None
    line_offset: int = 0
    text: str = ""
    _aliases: AliasIndex | None = None

    def __post_init__(self) -> None:
        # Decided once: asked per record, it made validation of a large register quadratic.
        self._may_alias = _may_alias(self.text)

    @property
    def root(self) -> yaml.Node:
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=_Loader)
        assert self._root is not None
        return self._root

    @property
    def may_alias(self) -> bool:
        """Whether the text can hold an alias (see `_may_alias`)."""
        return self._may_alias

    def alias_index(self) -> AliasIndex:
        """The node graph with the place of every alias, composed once when first asked."""
        if self._aliases is None:
            self._aliases = AliasIndex(self.text)
        return self._aliases

    def release(self) -> None:
        if self.text:
            self._root = None
            self._aliases = None

    def position(self, path: Path) -> tuple[int, int]:
        """1-based line and column of the value at `path`, or of its nearest parent; a value
        an alias copied is placed at the alias."""
        if self._may_alias:
            mark = self.alias_index().mark(path)
            if mark is not None:
                return mark.line + 1 + self.line_offset, mark.column + 1
        return self._mark(walk(self.root, path)[-1])

    def key_position(self, path: Path) -> tuple[int, int]:
        """1-based line and column of the mapping key that ends `path`."""
        nodes = walk(self.root, path[:-1])
        if len(nodes) == len(path) and path:
            key_node = find_key(nodes[-1], path[-1])
            if key_node is not None:
                return self._mark(key_node)
        return self._mark(nodes[-1])

    def key_lines(self, path: Path = ()) -> dict[str, int]:
        """Line of every key of the mapping at `path` (for later diagnostics)."""
        nodes = walk(self.root, path)
        node = nodes[-1]
        if len(nodes) != len(path) + 1 or not isinstance(node, yaml.MappingNode):
            return {}
        offset = 1 + self.line_offset
        return {
            k.value: k.start_mark.line + offset
            for k, _ in node.value
            if isinstance(k, yaml.ScalarNode)
        }

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1


def load_package_yaml(text: str) -> Any:
    """The plain data of YAML the package ships (trusted, valid): libyaml's safe loader, with
    no positions or limits."""
    return yaml.load(text, Loader=_Loader)


def dump_yaml(data: Any) -> str:
    """Plain data as YAML text, keys in their order (front matter of staged pages)."""
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True))


def _may_alias(text: str) -> bool:
    """Whether `text` can hold an alias: some name written both as `&name` and `*name`.
    Never false for a real alias; `**bold**` or `R&D` alone do not count."""
    if "*" not in text or "&" not in text:
        return False
    return not set(_ALIAS.findall(text)).isdisjoint(_ANCHOR.findall(text))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading makes millions of objects and no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_yaml(
    text: str, *, path: str, line_offset: int = 0
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document. `line_offset` shifts lines (for front matter)."""
    with collector_paused():
        return _load(text, path, line_offset)


def _load(text: str, path: str, line_offset: int) -> tuple[YamlDocument | None, list[Diagnostic]]:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_diagnostic(error, text, path, line_offset)]
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        code_point = (
            error.character
            if isinstance(error.character, int)
            else ord(str(error.character)[:1] or " ")
        )
        message = f"character U+{code_point:04X} is not allowed in YAML; delete it"
        return None, [Diagnostic(path, line + line_offset, column, "SMS004", message)]
    except yaml.YAMLError as error:  # pragma: no cover - every libyaml error has a mark
        return None, [Diagnostic(path, 1 + line_offset, 1, "SMS004", str(error))]
    if root is None:
        return None, []
    builder = Builder(path, line_offset, len(text))
    try:
        data = builder.build(root)
    except AbortError:
        return None, builder.diagnostics
    return YamlDocument(data, root, line_offset, text), builder.diagnostics


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_diagnostic(
    error: yaml.MarkedYAMLError, text: str, path: str, line_offset: int
) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    problem = error.problem or "invalid YAML"
    lines = _BREAKS.split(text)
    current = lines[line] if line < len(lines) else ""
    if current[column : column + 1] == "\t" or (
        problem.startswith("found character") and "\t" in current[: column + 1]
    ):
        return Diagnostic(
            path,
            line + 1 + line_offset,
            column + 1,
            "SMS005",
            "tab character in indentation; YAML indents with spaces only",
        )
    context = error.context_mark
    second_document = "expected a single document" in (error.context or "")
    if context and context.line < line and not current[:column].strip() and not second_document:
        # Found at the start of the next line, the mistake is where the line before ends:
        # a list left open, a key without its `:`.
        before = next((i for i in range(line - 1, context.line - 1, -1) if lines[i].strip()), None)
        if before is not None:
            line, column = before, len(lines[before].rstrip())
    if problem == "found undefined alias":
        alias = current[column:].split()[0] if current[column:].split() else "*"
        problem = f"alias {alias} has no anchor defined before it"
    elif "expected a single document" in (error.context or ""):
        problem = "a second YAML document starts here (`---`); a file holds one document"
    elif problem == "mapping values are not allowed in this context":
        problem += "; a value containing ': ' needs quotes, or the indentation is off"
    else:
        problem += "; check the quotes, brackets and indentation here"
    return Diagnostic(path, line + 1 + line_offset, column + 1, "SMS004", problem)
