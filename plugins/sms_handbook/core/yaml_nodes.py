"""Plain Python data from a libyaml node graph, built by rules of our own.

No PyYAML constructor runs: dates stay text, duplicate keys, Python and custom tags and
non-text keys are reported, and alias expansion and nesting are bounded. The helpers at the
top find the node at a path, which is how a value is traced back to its line and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .diagnostics import Diagnostic

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000
# Aliases may repeat text, but the data built may not grow far beyond the file itself: a
# 500 KB register whose one long string is aliased 90,000 times would build gigabytes.
MAX_EXPANDED_TEXT = 20_000_000
EXPANSION_FACTOR = 4

TAG = "tag:yaml.org,2002:"
_SCALARS = {
    TAG + "str": None,
    TAG + "timestamp": None,  # dates stay text; JSON Schema checks `format: date`
    TAG + "int": SafeConstructor.construct_yaml_int,
    TAG + "float": SafeConstructor.construct_yaml_float,
    TAG + "bool": SafeConstructor.construct_yaml_bool,
    TAG + "null": SafeConstructor.construct_yaml_null,
}
_constructor = SafeConstructor()

Path = Sequence[str | int]


def find_pair(node: yaml.Node, key: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The key and value nodes of `key` in a mapping node, looking into `<<` merges too."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        is_key = isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key)
        if is_key and key_node.tag != TAG + "merge":
            return key_node, value_node
    for key_node, value_node in node.value:
        if key_node.tag == TAG + "merge":
            for source in merge_sources(value_node):
                found = find_pair(source, key)
                if found:
                    return found
    return None


def find_key(node: yaml.Node, key: str | int) -> yaml.Node | None:
    pair = find_pair(node, key)
    return pair[0] if pair else None


def walk(root: yaml.Node, path: Path) -> list[yaml.Node]:
    """The nodes from `root` along `path`, as far as the path exists."""
    nodes = [root]
    for step in path:
        node = nodes[-1]
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                break
            nodes.append(node.value[step])
            continue
        pair = find_pair(node, step)
        if pair is None:
            break
        nodes.append(pair[1])
    return nodes


try:
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _EventParser(Reader, Scanner, Parser):  # type: ignore[no-redef]  # pure-Python stand-in
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class _AliasRecorder(Composer, Resolver, _EventParser):
    """PyYAML's composer on libyaml's events, remembering where each alias stands: an aliased
    node is the anchor's node, so without this a problem in the copy would be reported at the
    original."""

    def __init__(self, stream: str) -> None:
        _EventParser.__init__(self, stream)
        Composer.__init__(self)
        Resolver.__init__(self)
        self.alias_marks: dict[tuple[int, Any], Any] = {}  # libyaml's or PyYAML's marks
        self.aliases: list[Alias] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            key = index if isinstance(index, int) else id(index)
            self.alias_marks[(id(parent), key)] = event.start_mark
            anchor = self.anchors.get(event.anchor)
            if anchor is not None:
                self.aliases.append(Alias(str(event.anchor), event.start_mark, anchor))
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class Alias:
    """An alias `*name` in the text: where it stands, and the node its anchor names."""

    name: str
    mark: Any  # libyaml's or PyYAML's mark
    anchor: yaml.Node


class AliasIndex:
    """The node graph of a text together with the place of every alias in it, composed once
    and then asked for any number of paths."""

    def __init__(self, text: str) -> None:
        loader = _AliasRecorder(text)
        try:
            self.root: yaml.Node | None = loader.get_single_node()
        except yaml.YAMLError:
            self.root = None
        finally:
            loader.dispose()
        self.alias_marks = loader.alias_marks
        self.aliases = loader.aliases

    def mark(self, path: Path) -> yaml.Mark | None:
        """The mark of the value at `path`, at the alias that put it there if one did."""
        if self.root is None:
            return None
        node, mark, copied = self.root, self.root.start_mark, False
        for step in path:
            if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                child, key = node.value[step], step
            else:
                pair = find_pair(node, step)
                if pair is None:
                    break
                child, key = pair[1], id(pair[0])
            alias = self.alias_marks.get((id(node), key))
            if alias is not None:
                mark, copied = alias, True  # inside a copy, everything stands at the alias
            elif not copied:
                mark = child.start_mark
            node = child
        return mark


def merge_sources(node: yaml.Node) -> list[yaml.Node]:
    """The mappings a `<<` value merges in."""
    if isinstance(node, yaml.SequenceNode):
        return [n for n in node.value if isinstance(n, yaml.MappingNode)]
    return [node] if isinstance(node, yaml.MappingNode) else []


class AbortError(Exception):
    """Construction cannot go on (nesting or aliases out of bounds)."""


@dataclass
class Builder:
    """Builds plain data from the nodes of one file, collecting diagnostics as it goes."""

    path: str
    line_offset: int
    text_size: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    memo: dict[int, Any] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)
    in_progress: set[int] = field(default_factory=set)
    expanded: int = 0
    characters: int = 0  # of all the text built so far, repeats by alias included
    text_sizes: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.limit = max(MAX_EXPANDED_TEXT, EXPANSION_FACTOR * self.text_size)

    def _grow(self, node: yaml.Node, characters: int) -> None:
        self.characters += characters
        if self.characters > self.limit:
            limit = self.limit
            self.report(
                node,
                "SMS008",
                f"aliases repeat text to more than {limit:,} characters, far more than the "
                "file holds; write the values out instead",
            )
            raise AbortError

    def report(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.diagnostics.append(
            Diagnostic(self.path, mark.line + 1 + self.line_offset, mark.column + 1, code, message)
        )

    def build(self, node: yaml.Node, depth: int = 0, parent: yaml.Node | None = None) -> Any:
        if isinstance(node, yaml.ScalarNode):
            self.characters += len(node.value)
            if self.characters > self.limit:
                self._grow(parent or node, 0)
            return self.scalar(node)
        key = id(node)
        if key in self.in_progress:
            self.report(
                node,
                "SMS008",
                "an alias refers to the collection that contains it; write the values out instead",
            )
            raise AbortError
        if key in self.memo:
            self.expanded += self.sizes[key]
            if self.expanded > MAX_ALIAS_EXPANSION:
                self.report(
                    parent or node,
                    "SMS008",
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values; "
                    "write the values out instead",
                )
                raise AbortError
            self._grow(parent or node, self.text_sizes[key])
            return self.memo[key]
        if depth > MAX_DEPTH:
            self.report(
                node,
                "SMS011",
                f"values are nested more than {MAX_DEPTH} levels deep; flatten the structure",
            )
            raise AbortError
        self.in_progress.add(key)
        before = self.characters
        value: Any
        if isinstance(node, yaml.SequenceNode):
            value, size = self.sequence(node, depth)
        else:
            assert isinstance(node, yaml.MappingNode)
            value, size = self.mapping(node, depth)
        self.in_progress.discard(key)
        self.memo[key] = value
        self.sizes[key] = size
        self.text_sizes[key] = self.characters - before
        return value

    def _size(self, node: yaml.Node) -> int:
        return self.sizes.get(id(node), 1)

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != TAG + expected:
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
            if key_node.tag == TAG + "merge":
                merges.append(value_node)
                continue
            key = self.key(key_node)
            value = self.build(value_node, depth + 1, node)
            size += 1 + self._size(value_node)
            if key is None:
                continue
            if key in result:
                first = find_key(node, key)
                where = (
                    f" (first at line {first.start_mark.line + 1 + self.line_offset})"
                    if first is not None
                    else ""
                )
                self.report(key_node, "SMS006", f"duplicate key '{key}'{where}; keep one of them")
                continue
            result[key] = value
        for merge in merges:
            sources = merge_sources(merge)
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
    return "!!" + tag[len(TAG) :] if tag.startswith(TAG) else tag


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return "a number"
