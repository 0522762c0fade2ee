"""Rules across items: identifiers, references, clauses, classifications, lifecycle."""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .audience import less_restricted
from .coverage import leaves_of
from .diagnostics import Diagnostic
from .documents import LoadedDocument
from .loading import YamlDocument
from .model import Handbook, Register
from .registers import LoadedRegister
from .schemas import DOCUMENTS, Reference, SchemaSet, compile_kind, package_kinds, package_schema

Path = tuple[str | int, ...]


@dataclass
class Site:
    """Where an item's data lives in its file, so that any value in it can be located."""

    path: str
    yaml: YamlDocument
    base: Path
    data: dict[str, Any]
    references: list[Reference]
    item_id: str | None = None
    register: Register | None = None  # set for records
    is_document: bool = False

    def at(self, relative: Path, code: str, message: str) -> Diagnostic:
        line, column = self.yaml.position((*self.base, *relative))
        return Diagnostic(self.path, line, column, code, message)


def sites(
    documents: list[LoadedDocument], registers: list[LoadedRegister], schemas: SchemaSet
) -> Iterator[Site]:
    """Every front matter, register header and record, in file order."""
    for loaded in documents:
        front_matter = loaded.front_matter
        if front_matter is not None and isinstance(front_matter.data, dict):
            meta = front_matter.data
            controlled = "id" in meta
            refs = schemas.document_references if controlled else []
            item_id = meta["id"] if isinstance(meta.get("id"), str) else None
            yield Site(loaded.document.path, front_matter, (), meta, refs, item_id, None, True)
    for loaded_register in registers:
        register = loaded_register.register
        yaml_document = loaded_register.yaml
        yield Site(register.path, yaml_document, (), register.header, schemas.header_references)
        raw = yaml_document.data.get("records")
        for index, record in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(record, dict):
                item_id = record["id"] if isinstance(record.get("id"), str) else None
                yield Site(
                    register.path,
                    yaml_document,
                    ("records", index),
                    record,
                    register.kind.references,
                    item_id,
                    register,
                )


def check_identifiers(all_sites: list[Site]) -> list[Diagnostic]:
    first: dict[str, Site] = {}
    diagnostics = []
    for site in all_sites:
        if site.item_id is None:
            continue
        if site.item_id in first:
            other = first[site.item_id]
            line, _ = other.yaml.position((*other.base, "id"))
            message = (
                f"id '{site.item_id}' is already used in {other.path}:{line}; "
                "give this item an id of its own"
            )
            diagnostics.append(site.at(("id",), "SMS201", message))
        else:
            first[site.item_id] = site
    return diagnostics


_NOUNS = {DOCUMENTS: "document", "roles": "role", "services": "service"}


def _noun(kind: str) -> str:
    return _NOUNS.get(kind, f"{kind} record")


def _look_alikes(text: str) -> str:
    """Characters that look like ASCII but are not (a U+2010 hyphen typed for a `-`)."""
    import unicodedata

    odd = [c for c in dict.fromkeys(text) if ord(c) > 127 and not c.isalpha()]
    if not odd:
        return ""
    named = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')}" for c in odd)
    return f" (it contains {named}, which only looks like plain text: retype it)"


_NUMBERED = re.compile(r"^([A-Za-z]+)[-_ ]?0*([0-9]+)$")


def _closest_id(handbook: Handbook, kind: str, target: str) -> str:
    """A suggestion of the id of that kind that `target` was probably meant to be: the same
    number under a close prefix ('SVC-002' for 'SVC-02'), or a close or abbreviated name
    ('operations-lead' for 'ops-lead'); nothing rather than another item's number."""
    if kind == DOCUMENTS:
        ids = [d.id for d in handbook.documents if d.id]
    else:
        register = handbook.registers.get(kind)
        ids = [r.id for r in register.records] if register is not None else []
    numbered = _NUMBERED.match(str(target))
    if numbered:
        prefix, number = numbered.group(1).upper(), int(numbered.group(2))
        same_number = {}
        for item_id in ids:
            found = _NUMBERED.match(item_id)
            if found and int(found.group(2)) == number:
                same_number[found.group(1).upper()] = item_id
        close = difflib.get_close_matches(prefix, list(same_number), n=1, cutoff=0.6)
        best = same_number[close[0]] if close else None
    else:
        close = difflib.get_close_matches(str(target), ids, n=1, cutoff=0.6)
        abbreviated = [i for i in ids if _abbreviates(str(target), i)]
        best = close[0] if close else abbreviated[0] if len(abbreviated) == 1 else None
    return f" (did you mean '{best}'?)" if best else ""


def _abbreviates(short: str, name: str) -> bool:
    """Whether each word of `short` abbreviates the word of `name` in its place: 'ops' for
    'operations', 'mgr' for 'manager' (same first letter, the rest in order)."""
    words, full = short.lower().split("-"), name.lower().split("-")
    if len(words) != len(full):
        return False
    for word, whole in zip(words, full, strict=True):
        if not word or not whole or word[0] != whole[0]:
            return False
        rest = iter(whole[1:])
        if not all(letter in rest for letter in word[1:]):
            return False
    return True


def check_references(all_sites: list[Site], handbook: Handbook) -> list[Diagnostic]:
    diagnostics = []
    for site in all_sites:
        for reference in site.references:
            for relative, target in reference.values(site.data):
                actual = handbook.kind_of(target)
                field = relative[0]
                if actual == reference.target:
                    continue
                if actual is None:
                    missing = reference.target != DOCUMENTS and (
                        reference.target not in handbook.registers
                    )
                    extra = f" (the handbook has no {reference.target} register)" if missing else ""
                    hint = _look_alikes(target) or _closest_id(handbook, reference.target, target)
                    message = (
                        f"`{field}` names '{target}', which is not a known "
                        f"{_noun(reference.target)}{extra}{hint}; fix the id "
                        f"or add that {_noun(reference.target)}"
                    )
                    diagnostics.append(site.at(relative, "SMS202", message))
                else:
                    message = (
                        f"`{field}` names '{target}', which is a {_noun(actual)}; "
                        f"it must name a {_noun(reference.target)}"
                    )
                    diagnostics.append(site.at(relative, "SMS203", message))
    return diagnostics


# Front matter lists of clause ids: what a document addresses, and (in an audit report) the
# clauses it found fault with.
CLAUSE_LISTS = ("clauses", "findings_on")


def check_clauses(all_sites: list[Site], handbook: Handbook) -> list[Diagnostic]:
    diagnostics = []
    for site in all_sites:
        for key in CLAUSE_LISTS if site.is_document else ("clauses",):
            listed = site.data.get(key)
            for index, clause in enumerate(listed if isinstance(listed, list) else []):
                problem = _clause_problem(handbook, site, key, clause)
                if problem is not None:
                    diagnostics.append(site.at((key, index), *problem))
    return diagnostics


def _clause_problem(
    handbook: Handbook, site: Site, key: str, clause: Any
) -> tuple[str, str] | None:
    """(code, message) for a listed clause that is not one, or a document's parent clause."""
    clauses = handbook.standard.clauses
    if not isinstance(clause, str):
        return None
    if clause not in clauses:
        return "SMS204", (
            f"'{clause}' is not a clause of {handbook.standard.title}; use a clause id "
            "from the traceability matrix, such as 8.5.1.1"
        )
    if key == "clauses" and site.is_document and not clauses[clause].is_leaf:
        leaves = ", ".join(leaves_of(handbook.standard, clause))
        return "SMS205", (
            f"'{clause}' has child clauses, and conformity does not count a document "
            f"for the children of a clause it lists; list those it addresses: {leaves}"
        )
    return None


def check_classifications(all_sites: list[Site], handbook: Handbook) -> list[Diagnostic]:
    settings = handbook.settings
    audiences = ", ".join(settings.audiences)
    diagnostics = []
    for site in all_sites:
        own = site.data.get("classification")
        if own is not None and own not in settings.audiences:
            message = f"classification '{own}' is not an audience; use one of: {audiences}"
            diagnostics.append(site.at(("classification",), "SMS303", message))
        register = site.register
        if register is None:
            continue
        if own in settings.audiences and less_restricted(settings, own, register.classification):
            message = (
                f"record {site.item_id} is classified '{own}', below its register "
                f"('{register.classification}'); classify it '{register.classification}' or higher"
            )
            diagnostics.append(site.at(("classification",), "SMS304", message))
        restricted = site.data.get("restricted_fields")
        fields = register.kind.fields
        for index, name in enumerate(restricted if isinstance(restricted, list) else []):
            if isinstance(name, str) and name not in fields:
                message = (
                    f"`restricted_fields` names '{name}', which is not a field of "
                    f"{register.name} records; name one of its fields"
                )
                diagnostics.append(site.at(("restricted_fields", index), "SMS305", message))
    return diagnostics


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_lifecycle(all_sites: list[Site]) -> list[Diagnostic]:
    diagnostics = []
    for site in all_sites:
        if not site.is_document or site.item_id is None:
            continue
        meta = site.data
        if meta.get("status") == "approved" and "approved_on" not in meta:
            message = "status is 'approved' but `approved_on` is missing; add the approval date"
            diagnostics.append(site.at(("status",), "SMS301", message))
        owner, approver = meta.get("owner"), meta.get("approver")
        if isinstance(owner, str) and owner == approver:
            message = f"`approver` is '{approver}', the same role as `owner`; choose another role"
            diagnostics.append(site.at(("approver",), "SMS302", message))
        approved, next_review = _date(meta.get("approved_on")), _date(meta.get("next_review"))
        if approved and next_review and next_review < approved:
            message = (
                f"`next_review` {next_review} is before `approved_on` {approved}; check both dates"
            )
            diagnostics.append(site.at(("next_review",), "SMS306", message))
    return diagnostics


def check_approval_authority(all_sites: list[Site], handbook: Handbook) -> list[Diagnostic]:
    """Where the roles register says who approves which document types, every approval
    must come from a role with that authority."""
    roles = handbook.registers.get("roles")
    authority = {
        r.id: [str(t) for t in r.get("approves")]
        for r in (roles.records if roles else [])
        if isinstance(r.get("approves"), list)
    }
    if not authority:
        return []
    diagnostics = []
    for site in all_sites:
        meta = site.data
        if not site.is_document or site.item_id is None or meta.get("status") != "approved":
            continue
        approver, kind = meta.get("approver"), meta.get("type")
        if isinstance(approver, str) and kind not in authority.get(approver, []):
            allowed = sorted(r for r, types in authority.items() if kind in types)
            who = ", ".join(allowed) if allowed else "no role (add the type to a role's `approves`)"
            message = (
                f"{site.item_id} ({kind}) is approved by {approver}, whose `approves` in the "
                f"roles register does not list {kind} (roles that approve a {kind}: {who}); "
                f"have one of them approve it, or add {kind} to {approver}'s `approves`"
            )
            diagnostics.append(site.at(("approver",), "SMS308", message))
    return diagnostics


def check_schema_audiences(handbook: Handbook) -> list[Diagnostic]:
    diagnostics = []
    for register in handbook.registers.values():
        kind = register.kind
        for field, audience in kind.field_classification.items():
            if audience not in handbook.settings.audiences and kind.source != "package":
                message = (
                    f"`x-classification` of field '{field}' is '{audience}', "
                    f"not one of: {', '.join(handbook.settings.audiences)}; "
                    "use a configured audience"
                )
                diagnostics.append(Diagnostic(kind.source, 1, 1, "SMS109", message))
        diagnostics += _lowered_classifications(handbook, register)
    return diagnostics


def _lowered_classifications(handbook: Handbook, register: Register) -> list[Diagnostic]:
    """A repository schema that replaces a shipped one may add fields and values, never make
    a field the shipped schema restricts less restricted (it would publish it)."""
    kind, settings = register.kind, handbook.settings
    if kind.source == "package" or kind.kind not in package_kinds():
        return []
    shipped = _shipped_classification(kind.kind)
    diagnostics = []
    for field, audience in shipped.items():
        replaced = kind.field_classification.get(field)
        if replaced is not None and not less_restricted(settings, replaced, audience):
            continue
        message = (
            f"this schema replaces the shipped {kind.kind} schema but classifies field "
            f"'{field}' as {replaced or 'its record'} where the shipped schema has "
            f"`x-classification: {audience}`; keep `x-classification: {audience}` (or higher) "
            "on the field"
        )
        diagnostics.append(Diagnostic(kind.source, 1, 1, "SMS109", message))
    return diagnostics


@functools.cache
def _shipped_classification(kind: str) -> dict[str, str]:
    return dict(compile_kind(kind, package_schema(kind), "package").field_classification)
