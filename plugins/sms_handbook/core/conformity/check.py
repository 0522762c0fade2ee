"""What every evidence rule gets (a `Check`) and gives back (an `Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..integrity import Grade
from ..model import Record
from .evidence import Evidence, Finding, Shared, State, matches, worst
from .grades import GRADE_GISTS, rule_grade
from .requirements import Requirement, Requirements, Rule
from .wording import listed


@dataclass
class Outcome:
    state: State
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # ids of the items that show it
    examined: int | None = None  # rules about every item of a kind: how many there were

    @property
    def vacuous(self) -> bool:
        """A rule about every item of a kind that had no item to judge: it shows nothing."""
        return self.examined == 0 and not self.findings

    @classmethod
    def over(cls, items: list[Any]) -> Outcome:
        """The outcome of a rule about every one of `items`, before any is judged."""
        return cls(State.EVIDENCED, examined=len(items))

    @classmethod
    def failed(cls, finding: Finding, evidence: list[str] | None = None) -> Outcome:
        """A rule that fails with one finding, in the finding's state."""
        return cls(finding.state, [finding], evidence or [])

    def fail(self, finding: Finding) -> None:
        """Record a finding; the outcome is no better than the finding's state."""
        self.findings.append(finding)
        self.state = worst([self.state, finding.state])

    def observe(self, finding: Finding) -> None:
        """Record a finding that leaves the outcome's state as it is (an observation)."""
        self.findings.append(finding)


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
        shared: Shared | None = None,
        detail: str = "",
        label: str | None = None,
    ) -> Finding:
        """A finding about one item; `shared` says what findings about several items of the
        rule say once, `detail` what this item adds to it, `label` how it lists the item (its
        id; by default the linked one)."""
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
            shared,
            detail,
            label or link or item,
        )

    def option(self, name: str, default: Any = None) -> Any:
        return self.rule.options.get(name, default)


def types_text(check: Check) -> str:
    """The document types a rule accepts, in words: "policy", "document (plan or policy)"."""
    types = [str(t) for t in check.option("types") or []]
    if len(types) > 1:
        return f"document ({listed(types, 'or')})"
    return types[0] if types else "controlled document"


def members(check: Check) -> list[Record]:
    register = check.evidence.view.registers.get(check.option("register"))
    where = check.option("where") or {}
    return [r for r in (register.records if register else []) if matches(r, where)]
