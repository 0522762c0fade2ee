"""Clause catalogues of management system standards, shipped as package data.

A catalogue is one YAML file under `data/standards/`: a tree of clauses, each with an id and a
title, and for leaf clauses the documented information they expect. Adding a standard means
adding a file; nothing here knows ISO/IEC 20000-1 in particular.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .loading import load_package_yaml


@dataclass(frozen=True)
class Expectation:
    """Documented information a clause calls for, and what satisfies it."""

    what: str
    document_types: tuple[str, ...] | None = None  # None: met by a register, not a document
    register: str | None = None


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    parent: str | None
    summary: str = ""
    own_label: bool = False
    expects: tuple[Expectation, ...] = ()
    children: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Standard:
    id: str
    title: str
    subtitle: str
    clauses: dict[str, Clause] = field(default_factory=dict)
    # The catalogue's requirements, checklists and cadences, as written (conformity reads them)
    conformity: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def leaves(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.is_leaf]

    @property
    def top_level(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.parent is None]

    def ancestors(self, clause_id: str) -> list[Clause]:
        chain = []
        parent = self.clauses[clause_id].parent
        while parent is not None:
            chain.append(self.clauses[parent])
            parent = self.clauses[parent].parent
        return chain[::-1]


def _expectation(raw: dict[str, Any]) -> Expectation:
    if "register" in raw:
        return Expectation(raw["what"], register=raw["register"])
    return Expectation(raw["what"], document_types=tuple(raw.get("document") or ()))


def _add(clauses: dict[str, Clause], raw: dict[str, Any], parent: str | None) -> None:
    children = raw.get("children") or []
    clauses[raw["id"]] = Clause(
        id=raw["id"],
        title=raw["title"],
        parent=parent,
        summary=raw.get("summary", ""),
        own_label=raw.get("label") == "own",
        expects=tuple(_expectation(e) for e in raw.get("expects") or ()),
        children=tuple(child["id"] for child in children),
    )
    for child in children:
        _add(clauses, child, raw["id"])


def parse_standard(text: str) -> Standard:
    raw = load_package_yaml(text)
    clauses: dict[str, Clause] = {}
    for top in raw["clauses"]:
        _add(clauses, top, None)
    conformity = {key: raw[key] for key in ("requirements", "checklists", "cadences") if key in raw}
    return Standard(raw["standard"], raw["title"], raw.get("subtitle", ""), clauses, conformity)


def available_standards() -> list[str]:
    folder = resources.files("sms_handbook") / "data" / "standards"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


@functools.cache
def load_standard(standard_id: str) -> Standard:
    """The catalogue with this id; raises KeyError when no such catalogue is shipped."""
    if standard_id not in available_standards():
        raise KeyError(standard_id)
    path = resources.files("sms_handbook") / "data" / "standards" / f"{standard_id}.yaml"
    return parse_standard(path.read_text(encoding="utf-8"))
