"""YAML aliases and `<<` merges that copy a register's values to fewer readers.

An alias is the anchor's node itself: `<<: *plan` in an internal record makes a restricted
record's texts the internal record's own, and scoping, which sees plain data, cannot tell.
An alias is an error when what its anchor holds is classified higher than the place it is
used (the record, or the field of the record, it stands in).
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import yaml

from .audience import less_restricted, stricter
from .diagnostics import Diagnostic
from .loading import YamlDocument
from .model import Record, Register
from .settings import Settings
from .yaml_nodes import TAG, Alias, find_pair, merge_sources


@dataclass(frozen=True)
class _Place:
    record: Record | None  # None: the register's header
    field: str | None  # a top-level field of the record; None: the record as a whole
    node: yaml.Node | None = None  # the record's node

    def describe(self) -> str:
        if self.record is None:
            return "the register's header"
        where = f"record {self.record.id} (line {self.record.line})"
        return f"field `{self.field}` of {where}" if self.field else where

    def level(self, register: Register, name: str | None = None) -> str:
        """The classification here (of field `name`, at a record's level)."""
        if self.record is None:
            return register.classification
        field = self.field or name
        if field is None:
            return self.record.classification
        return self.record.field_classification.get(field, self.record.classification)


class _Records:
    """Where each record of the register stands in the text."""

    def __init__(self, records: list[yaml.Node], register: Register, aliased: set[int]) -> None:
        by_index = {record.index: record for record in register.records}
        # A record that is itself an alias is the anchor's record, classification and all.
        self.spans = sorted(
            (node.start_mark.index, node.end_mark.index, index, node, by_index.get(index))
            for index, node in enumerate(records)
            if index not in aliased
        )
        self.starts = [span[0] for span in self.spans]

    def place(self, position: int, node: yaml.Node | None = None) -> _Place | None:
        """The place of the text at `position` (None: in a record without an id)."""
        found = bisect.bisect_right(self.starts, position) - 1
        if found < 0 or position >= self.spans[found][1]:
            return _Place(None, None)
        _start, _end, _index, record_node, record = self.spans[found]
        if record is None:
            return None
        if node is record_node or not isinstance(record_node, yaml.MappingNode):
            return _Place(record, None, record_node)
        for key, value in record_node.value:
            if key.start_mark.index <= position < value.end_mark.index:
                is_field = isinstance(key, yaml.ScalarNode) and key.tag != TAG + "merge"
                return _Place(record, key.value if is_field else None, record_node)
        return _Place(record, None, record_node)


def _keys(node: yaml.Node) -> list[str]:
    """The keys a mapping gives, its merges' included."""
    if not isinstance(node, yaml.MappingNode):
        return []
    keys = []
    for key, value in node.value:
        if key.tag == TAG + "merge":
            keys += [k for source in merge_sources(value) for k in _keys(source)]
        elif isinstance(key, yaml.ScalarNode):
            keys.append(key.value)
    return keys


def _own_keys(node: yaml.Node | None) -> set[str]:
    if not isinstance(node, yaml.MappingNode):
        return set()
    return {
        k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.tag != TAG + "merge"
    }


def _copies(
    alias: Alias, source: _Place, used: _Place, register: Register, settings: Settings
) -> tuple[str, str] | None:
    """(classification of what the alias copies, of where it lands) when the first is higher.
    Merged into a record, each field is compared with the same field there (a key the record
    writes itself is not copied); anywhere else, the highest of what the anchor holds."""
    if used.record is not None and used.field is None:
        written = _own_keys(used.node)
        pairs = [
            (source.level(register, name), used.level(register, name))
            for name in _keys(alias.anchor)
            if name not in written
        ]
    else:
        held = [source.level(register)]
        if source.record is not None and source.field is None:
            held += [source.level(register, name) for name in _keys(alias.anchor)]
        pairs = [(_strictest(settings, held), used.level(register))]
    worst = [pair for pair in pairs if less_restricted(settings, pair[1], than=pair[0])]
    if not worst:
        return None
    top = _strictest(settings, [copied for copied, _landed in worst])
    return next(pair for pair in worst if pair[0] == top)


def _strictest(settings: Settings, classifications: list[str]) -> str:
    return functools.reduce(lambda a, b: stricter(settings, a, b), classifications)


def alias_diagnostics(
    document: YamlDocument, register: Register, settings: Settings
) -> list[Diagnostic]:
    """Every alias in the register's text that copies values to fewer readers."""
    if not document.may_alias:
        return []
    index = document.alias_index()
    if index.root is None:
        return []
    pair = find_pair(index.root, "records")
    records_node = pair[1] if pair and isinstance(pair[1], yaml.SequenceNode) else None
    whole = {
        key[1]: mark
        for key, mark in index.alias_marks.items()
        if records_node is not None and key[0] == id(records_node)
    }
    whole_marks = {mark.index for mark in whole.values()}
    records = _Records(records_node.value if records_node else [], register, set(whole))
    diagnostics = []
    for alias in index.aliases:
        used = records.place(alias.mark.index)
        source = records.place(alias.anchor.start_mark.index, alias.anchor)
        if used is None or source is None or alias.mark.index in whole_marks:
            continue
        found = _copies(alias, source, used, register, settings)
        if found is None:
            continue
        held, reader = found
        message = (
            f"alias *{alias.name} copies values classified {held} from {source.describe()} "
            f"into {used.describe()}, classified {reader}; write the values out here, or "
            "classify this as high"
        )
        line, column = alias.mark.line + 1, alias.mark.column + 1
        diagnostics.append(Diagnostic(register.path, line, column, "SMS014", message))
    return diagnostics
