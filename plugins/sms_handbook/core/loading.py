"""Load YAML safely and faithfully, keeping every value's position.

libyaml composes the node graph (safe: no constructors run); we construct plain Python data
from it ourselves so that we can keep dates as text, reject duplicate keys, Python and custom
tags and non-text keys, bound alias expansion and nesting, and map any value back to its line
and column on demand (only values that have a problem are ever located).
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .diagnostics import Diagnostic

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
_BREAKS = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")  # line breaks as libyaml counts them
MAX_ALIAS_EXPANSION = 100_000

_TAG = "tag:yaml.org,2002:"
_SCALARS = {
    _TAG + "str": None,
    _TAG + "timestamp": None,  # dates stay text; JSON Schema checks `format: date`
    _TAG + "int": SafeConstructor.construct_yaml_int,
    _TAG + "float": SafeConstructor.construct_yaml_float,
    _TAG + "bool": SafeConstructor.construct_yaml_bool,
    _TAG + "null": SafeConstructor.construct_yaml_null,
}
_constructor = SafeConstructor()

Path = Sequence[str | int]


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

    @property
    def root(self) -> yaml.Node:
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=_Loader)
        assert self._root is not None
        return self._root

    def release(self) -> None:
        if self.text:
            self._root = None

    def position(self, path: Path) -> tuple[int, int]:
        """1-based line and column of the value at `path`, or of its nearest parent."""
        return self._mark(_walk(self.root, path)[-1])

    def key_position(self, path: Path) -> tuple[int, int]:
        """1-based line and column of the mapping key that ends `path`."""
        nodes = _walk(self.root, path[:-1])
        if len(nodes) == len(path) and path:
            key_node = _find_key(nodes[-1], path[-1])
            if key_node is not None:
                return self._mark(key_node)
        return self._mark(nodes[-1])

    def key_lines(self, path: Path = ()) -> dict[str, int]:
        """Line of every key of the mapping at `path` (for later diagnostics)."""
        nodes = _walk(self.root, path)
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


def _find_pair(node: yaml.Node, key: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        is_key = isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key)
        if is_key and key_node.tag != _TAG + "merge":
            return key_node, value_node
    for key_node, value_node in node.value:
        if key_node.tag == _TAG + "merge":
            for source in _merge_sources(value_node):
                found = _find_pair(source, key)
                if found:
                    return found
    return None


def _find_key(node: yaml.Node, key: str | int) -> yaml.Node | None:
    pair = _find_pair(node, key)
    return pair[0] if pair else None


def _walk(root: yaml.Node, path: Path) -> list[yaml.Node]:
    nodes = [root]
    for step in path:
        node = nodes[-1]
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                break
            nodes.append(node.value[step])
            continue
        pair = _find_pair(node, step)
        if pair is None:
            break
        nodes.append(pair[1])
    return nodes


def _merge_sources(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return [n for n in node.value if isinstance(n, yaml.MappingNode)]
    return [node] if isinstance(node, yaml.MappingNode) else []


class _AbortError(Exception):
    """Construction cannot go on (nesting or aliases out of bounds)."""


@dataclass
class _Builder:
    path: str
    line_offset: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    memo: dict[int, Any] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)
    in_progress: set[int] = field(default_factory=set)
    expanded: int = 0

    def report(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.diagnostics.append(
            Diagnostic(self.path, mark.line + 1 + self.line_offset, mark.column + 1, code, message)
        )

    def build(self, node: yaml.Node, depth: int = 0, parent: yaml.Node | None = None) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        key = id(node)
        if key in self.in_progress:
            self.report(
                node,
                "SMS008",
                "an alias refers to the collection that contains it; write the values out instead",
            )
            raise _AbortError
        if key in self.memo:
            self.expanded += self.sizes[key]
            if self.expanded > MAX_ALIAS_EXPANSION:
                self.report(
                    parent or node,
                    "SMS008",
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values; "
                    "write the values out instead",
                )
                raise _AbortError
            return self.memo[key]
        if depth > MAX_DEPTH:
            self.report(
                node,
                "SMS011",
                f"values are nested more than {MAX_DEPTH} levels deep; flatten the structure",
            )
            raise _AbortError
        self.in_progress.add(key)
        value: Any
        if isinstance(node, yaml.SequenceNode):
            value, size = self.sequence(node, depth)
        else:
            assert isinstance(node, yaml.MappingNode)
            value, size = self.mapping(node, depth)
        self.in_progress.discard(key)
        self.memo[key] = value
        self.sizes[key] = size
        return value

    def _size(self, node: yaml.Node) -> int:
        return self.sizes.get(id(node), 1)

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != _TAG + expected:
            self.report(
                node, "SMS007", f"tag {_short_tag(node.tag)} is not allowed here; remove the tag"
            )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALARS:
            self.report(
                node,
                "SMS007",
                f"tag {_short_tag(node.tag)} is not allowed: registers and front matter "
                "hold plain text, numbers, true/false, lists and mappings; remove the tag",
            )
            return node.value
        construct = _SCALARS[node.tag]
        if construct is None:
            return node.value
        return construct(_constructor, node)

    def sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[list[Any], int]:
        self._check_tag(node, "seq")
        items = [self.build(child, depth + 1, node) for child in node.value]
        return items, 1 + sum(self._size(child) for child in node.value)

    def mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[str, Any], int]:
        self._check_tag(node, "map")
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merges.append(value_node)
                continue
            key = self.key(key_node)
            value = self.build(value_node, depth + 1, node)
            size += 1 + self._size(value_node)
            if key is None:
                continue
            if key in result:
                first = _find_key(node, key)
                where = (
                    f" (first at line {first.start_mark.line + 1 + self.line_offset})"
                    if first is not None
                    else ""
                )
                self.report(key_node, "SMS006", f"duplicate key '{key}'{where}; keep one of them")
                continue
            result[key] = value
        for merge in merges:
            sources = _merge_sources(merge)
            if not sources:
                self.report(
                    merge,
                    "SMS007",
                    "`<<` must merge a mapping or a list of mappings; fix or remove it",
                )
            for source in sources:
                merged = self.build(source, depth + 1, node)
                self.expanded += self._size(source)
                for key, value in merged.items():
                    result.setdefault(key, value)
        return result, size

    def key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, "SMS012", "a mapping key must be plain text, not a list or mapping")
            return None
        value = self.scalar(node)
        if isinstance(value, str):
            return value
        self.report(
            node,
            "SMS012",
            f"key '{node.value}' is read as {_kind(value)}, not text; write it in quotes: "
            f'"{node.value}":',
        )
        return None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return "a number"


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
    builder = _Builder(path, line_offset)
    try:
        data = builder.build(root)
    except _AbortError:
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
