"""The audience view: the handbook with everything above one audience taken out.

Deny by default: an item is in the view only when its classification is at or below the
audience. References from a visible item to a hidden one become `RESTRICTED`, so that
neither the hidden item's id nor its title reaches the view.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .audience import Audience
from .model import RESTRICTED, Document, Handbook, Record, Register
from .page_refs import folded_sources, hidden_page_test, without_hidden_pages
from .schemas import Reference, document_references, header_references

if TYPE_CHECKING:
    from .conformity import Assessment


@dataclass
class Hidden:
    """What a view leaves out, so that front ends can prune it and builds can verify."""

    documents: list[Document] = field(default_factory=list)
    registers: list[Register] = field(default_factory=list)
    records: list[tuple[Register, Record]] = field(default_factory=list)
    fields: list[tuple[Register, Record, str]] = field(default_factory=list)


def _replace_hidden(
    data: dict[str, Any], references: list[Reference], visible_ids: set[str], full: Handbook
) -> dict[str, Any]:
    """`data` where references to hidden items are RESTRICTED: a copy if any is, else
    `data` itself (views share what they do not change)."""
    result = data
    for reference in references:
        for path, target in list(reference.values(data)):
            if target in visible_ids or full.item(target) is None:
                continue
            if result is data:
                result = dict(data)
            _set(result, path, RESTRICTED)
    return result


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    """Set `value` at `path`, copying each container on the way (the source stays intact)."""
    container: Any = data
    for step in path[:-1]:
        child = container[step]
        child = list(child) if isinstance(child, list) else dict(child)
        container[step] = child
        container = child
    container[path[-1]] = value


def scope_to_audience(
    handbook: Handbook, audience: str, kept: KeptMeta | None = None
) -> tuple[Handbook, Hidden]:
    """The part of `handbook` that `audience` may see, and what was left out. `kept`: the
    audience's scoped front matter from the last call of a long-lived process (the
    preview), brought up to date (`_scoped_documents`)."""
    access = Audience(handbook.settings, audience)
    hidden = Hidden()
    documents = _visible_documents(handbook, access, hidden)
    kept_records = _visible_records(handbook, access, hidden)
    visible_ids = {d.id for d in documents if d.id}
    visible_ids.update(r.id for records in kept_records.values() for r in records)
    scoped_documents = _scoped_documents(handbook, documents, hidden, visible_ids, kept)
    scoped_registers: dict[str, Register] = {}
    for name, records in kept_records.items():
        register = handbook.registers[name]
        scoped = Register(
            name,
            register.path,
            _replace_hidden(register.header, header_references(), visible_ids, handbook),
            register.classification,
            register.kind,
            lines=register.lines,
        )
        scoped.records = [
            _scoped_record(record, register, access, hidden, visible_ids, handbook)
            for record in records
        ]
        scoped_registers[name] = scoped
    view = Handbook(
        handbook.settings,
        handbook.standard,
        scoped_documents,
        scoped_registers,
        audience,
        handbook.requirements,
    )
    return view, hidden


def _visible_documents(handbook: Handbook, access: Audience, hidden: Hidden) -> list[Document]:
    """The documents the audience sees; the others go to `hidden`."""
    documents: list[Document] = []
    for document in handbook.documents:
        seen = access.sees(document.classification)
        (documents if seen else hidden.documents).append(document)
    return documents


def _visible_records(
    handbook: Handbook, access: Audience, hidden: Hidden
) -> dict[str, list[Record]]:
    """Per register the audience sees, the records it sees; the others go to `hidden`."""
    kept_records: dict[str, list[Record]] = {}
    for name, register in handbook.registers.items():
        if not access.sees(register.classification):
            hidden.registers.append(register)
            hidden.records.extend((register, record) for record in register.records)
            continue
        kept_records[name] = []
        for record in register.records:
            if access.sees(record.classification) and access.shows_record(name, record):
                kept_records[name].append(record)
            else:
                hidden.records.append((register, record))
    return kept_records


# A preview's scoped front matter, per audience: {"key": what it was scoped against,
# "metas": {src_uri: (the front matter as written, as scoped)}}
KeptMeta = dict[str, Any]


def _scoped_documents(
    handbook: Handbook,
    documents: list[Document],
    hidden: Hidden,
    visible_ids: set[str],
    kept: KeptMeta | None = None,
) -> list[Document]:
    """Visible documents whose front matter names nothing hidden, by id or by page path.
    With `kept`, a page's front matter is scoped again only when it changed, or when what it
    is scoped against did (the ids visible, the ids of the handbook, the hidden pages)."""
    document_refs = document_references()
    hidden_sources = folded_sources(d.src_uri for d in hidden.documents)

    def scoped_meta(document: Document) -> dict[str, Any]:
        meta = _replace_hidden(document.meta, document_refs, visible_ids, handbook)
        if hidden_sources:  # front matter naming a hidden page by its path (`links:`)
            meta, _ = without_hidden_pages(meta, hidden_page_test(document.src_uri, hidden_sources))
        return meta

    if kept is None:
        return [dataclasses.replace(d, meta=scoped_meta(d)) for d in documents]
    key = _scope_key(handbook, visible_ids, hidden_sources)
    earlier = kept.get("metas", {}) if kept.get("key") == key else {}
    metas = {}
    for document in documents:
        found = earlier.get(document.src_uri)
        if found is None or found[0] != document.meta:
            found = (copy.deepcopy(document.meta), scoped_meta(document))
        metas[document.src_uri] = found
    kept.update(key=key, metas=metas)
    return [dataclasses.replace(d, meta=metas[d.src_uri][1]) for d in documents]


def _scope_key(handbook: Handbook, visible_ids: set[str], hidden_sources: frozenset[str]) -> str:
    """What front matter is scoped against, as one digest."""
    parts = [sorted(visible_ids), sorted(handbook.ids()), sorted(hidden_sources)]
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _scoped_record(
    record: Record,
    register: Register,
    access: Audience,
    hidden: Hidden,
    visible_ids: set[str],
    handbook: Handbook,
) -> Record:
    """A visible record without its hidden fields and references; the record itself when
    nothing of it is hidden or changed (the view shares it)."""
    data = record.data
    if any(not access.sees(c) for c in record.field_classification.values()):
        data = {}
        for key, value in record.data.items():
            field_class = record.field_classification.get(key)
            if field_class is not None and not access.sees(field_class):
                hidden.fields.append((register, record, key))
                continue
            data[key] = value
    if not access.sees_everything and "restricted_fields" in data:
        data = {k: v for k, v in data.items() if k != "restricted_fields"}
    data = _replace_hidden(data, register.kind.references, visible_ids, handbook)
    if data is record.data and record.field_classification.keys() <= data.keys():
        return record
    return Record(
        record.id,
        register.name,
        data,
        record.classification,
        {k: v for k, v in record.field_classification.items() if k in data},
        record.line,
        record.index,
        record.due_at,
    )


@dataclass
class AudienceView:
    """One audience's handbook, as the context makes it once: the scoped model, what it
    leaves out (the attachments of docs/ too, as paths from docs/), today's date and (when
    first asked) the conformity assessment."""

    audience: Audience
    handbook: Handbook
    hidden: Hidden
    today: datetime.date
    _assess: Callable[[Handbook, datetime.date], Assessment] = field(repr=False)
    hidden_files: tuple[str, ...] = ()

    @functools.cached_property
    def assessment(self) -> Assessment:
        return self._assess(self.handbook, self.today)
