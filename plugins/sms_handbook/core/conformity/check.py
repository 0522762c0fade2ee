"""What every evidence rule gets (a `Check`) and gives back (an `Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..integrity import Grade
from ..model import Record
from .evidence import Evidence, Finding, State, matches
from .grades import GRADE_GISTS, rule_grade
from .requirements import Requirement, Requirements, Rule


@dataclass
class Outcome:
    state: State
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # ids of the items that show it


@dataclass
class Check:
    """What every rule gets: the requirement, its rule, the evidence and the catalogue."""

    requirement: Requirement
    rule: Rule
    evidence: Evidence
    requirements: Requirements

    def finding(
        self,
        state: State,
        item: str,
        problem: str,
        remedy: str,
        link: str | None = None,
        grade: Grade | None = None,
    ) -> Finding:
        requirement = self.requirement
        override = self.requirements.grades.get(requirement.key)
        if grade is None:
            grade, why = rule_grade(self.rule.kind, self.rule.options, override)
        else:
            why = f"{grade}: {GRADE_GISTS[grade]}"
        return Finding(
            requirement.clause,
            requirement.id,
            requirement.text,
            state,
            item,
            problem,
            remedy,
            link or f"clause:{requirement.clause}",
            grade,
            (item,),
            why,
            (link,) if link else (),
        )

    def option(self, name: str, default: Any = None) -> Any:
        return self.rule.options.get(name, default)


def types_text(check: Check) -> str:
    types = check.option("types") or []
    return " or ".join(types) if types else "controlled document"


def members(check: Check) -> list[Record]:
    register = check.evidence.view.registers.get(check.option("register"))
    where = check.option("where") or {}
    return [r for r in (register.records if register else []) if matches(r, where)]
