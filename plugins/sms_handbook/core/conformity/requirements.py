"""Requirements of a standard, with the evidence each needs, as data.

The clause catalogue (data/standards/<id>.yaml) holds, per leaf clause, requirements in our own
words, each with evidence rules of a small fixed vocabulary (see rules.py). A repository adds
or replaces requirements, and sets default cadences, with files in `registers/rules/`:

    cadences:                 # months between records of a kind, where no document says
      management-review: 6
    grades:                   # the grade of a requirement's failure, replacing the rule's
      "9.3/review-inputs": major
    requirements:
      - clause: "8.3.3"       # a requirement with the id of a shipped one replaces it
        id: agreement-per-service
        text: Every live service has an approved agreement.
        evidence:
          - each: {register: services, where: {status: [live]}, needs: {types: [agreement]}}

Malformed rules are diagnostics (SMS801…) at the file's line and column.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..diagnostics import Diagnostic
from ..integrity import Grade
from ..json_schema import Validator
from ..loading import YamlDocument, load_yaml
from ..sources import SourceFile
from ..standards import Standard
from ..validation import schema_diagnostics

RULE_KINDS = (
    "document",
    "register",
    "records",
    "each",
    "covers",
    "fields",
    "current",
    "approvals",
    "dates",
    "accepts",
    "consistent",
    "independence",
    "programme",
)


@dataclass(frozen=True)
class Rule:
    kind: str  # one of RULE_KINDS
    options: dict[str, Any]


@dataclass(frozen=True)
class Requirement:
    clause: str
    id: str
    text: str
    rules: tuple[Rule, ...]
    source: str = ""  # where it was defined: the catalogue, or a repository file and line

    @property
    def key(self) -> str:
        return f"{self.clause}/{self.id}"


@dataclass
class Requirements:
    """Every requirement of the handbook's standard, with the repository's changes applied."""

    standard: Standard
    by_clause: dict[str, list[Requirement]] = field(default_factory=dict)
    checklists: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    cadences: dict[str, int] = field(default_factory=dict)
    grades: dict[str, Grade] = field(default_factory=dict)  # "clause/id" -> the grade to give

    def all(self) -> list[Requirement]:
        return [r for leaf in self.standard.leaves for r in self.by_clause.get(leaf.id, [])]

    def checklist(self, name: str) -> tuple[tuple[str, str], ...]:
        """(item id, item text) of a checklist; `clauses` is every leaf clause."""
        if name == "clauses":
            return tuple((c.id, f"{c.id} {c.title}") for c in self.standard.leaves)
        return self.checklists.get(name, ())


@functools.cache
def rules_schema() -> dict[str, Any]:
    path = resources.files("sms_handbook") / "data" / "schemas" / "rules.schema.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def _rules_validator() -> Validator:
    return Validator(rules_schema())


def _rules(raw: list[Any]) -> tuple[Rule, ...]:
    rules = []
    for entry in raw:
        ((kind, options),) = entry.items()
        rules.append(Rule(kind, dict(options or {})))
    return tuple(rules)


def _requirement(clause: str, raw: dict[str, Any], source: str) -> Requirement:
    return Requirement(clause, raw["id"], raw["text"], _rules(raw.get("evidence") or []), source)


def catalogue_requirements(standard: Standard) -> Requirements:
    """The shipped requirements: one per `expects` entry of a clause, then its own."""
    raw = standard.conformity
    found = Requirements(standard)
    explicit = raw.get("requirements") or {}
    for leaf in standard.leaves:
        listed = [_requirement(leaf.id, r, "catalogue") for r in explicit.get(leaf.id, [])]
        for index, expectation in enumerate(leaf.expects, 1):
            if expectation.register is not None:
                rule = Rule("register", {"name": expectation.register})
            else:
                rule = Rule("document", {"types": list(expectation.document_types or ())})
            listed.insert(
                index - 1, Requirement(leaf.id, f"expects-{index}", expectation.what, (rule,))
            )
        found.by_clause[leaf.id] = listed
    found.checklists = {
        name: tuple((item["id"], item["text"]) for item in items)
        for name, items in (raw.get("checklists") or {}).items()
    }
    found.cadences = dict(raw.get("cadences") or {})
    return found


def apply_repository_rules(requirements: Requirements, files: list[SourceFile]) -> list[Diagnostic]:
    """Add the repository's rule files to `requirements`; returns their problems."""
    diagnostics: list[Diagnostic] = []
    leaves = {leaf.id for leaf in requirements.standard.leaves}
    for source in files:
        parsed, problems = load_yaml(source.text, path=source.path)
        diagnostics += problems
        if parsed is None or problems:
            continue
        found = schema_diagnostics(_rules_validator(), parsed.data, parsed, (), source.path)
        diagnostics += found
        if found:
            continue
        diagnostics += _merge(requirements, parsed, source.path, leaves)
    return diagnostics


def _merge(
    requirements: Requirements, parsed: YamlDocument, path: str, leaves: set[str]
) -> list[Diagnostic]:
    diagnostics = []
    data = parsed.data
    requirements.cadences.update(data.get("cadences") or {})
    requirements.grades.update(data.get("grades") or {})
    for name, items in (data.get("checklists") or {}).items():
        requirements.checklists[name] = tuple((i["id"], i["text"]) for i in items)
    for index, raw in enumerate(data.get("requirements") or []):
        line, column = parsed.position(("requirements", index, "clause"))
        clause = raw["clause"]
        if clause not in leaves:
            message = (
                f"requirement '{raw['id']}' names clause '{clause}', which is not a leaf clause "
                f"of {requirements.standard.title}; name a clause such as 8.3.3"
            )
            diagnostics.append(Diagnostic(path, line, column, "SMS801", message))
            continue
        for rule_index, rule in enumerate(raw.get("evidence") or []):
            ((kind, options),) = rule.items()
            checklist = (options or {}).get("checklist")
            if kind == "covers" and checklist and not requirements.checklist(checklist):
                at = parsed.position(
                    ("requirements", index, "evidence", rule_index, kind, "checklist")
                )
                message = f"checklist '{checklist}' is not defined; define it under `checklists`"
                diagnostics.append(Diagnostic(path, at[0], at[1], "SMS802", message))
        requirement = _requirement(clause, raw, f"{path}:{line}")
        listed = requirements.by_clause.setdefault(clause, [])
        replaced = [i for i, r in enumerate(listed) if r.id == requirement.id]
        if replaced:
            listed[replaced[0]] = requirement
        else:
            listed.append(requirement)
    return diagnostics
