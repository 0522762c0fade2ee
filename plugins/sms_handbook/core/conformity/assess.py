"""assess: every requirement of the standard against one audience's evidence.

A requirement takes the worst state of its evidence rules, a clause the worst of its
requirements. Two figures, both counted by requirement: documented (documented or evidenced)
and evidenced. Findings say what an auditor would raise, with the remedy.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field, replace
from typing import Any

from ..integrity import CHECK_TITLES, CONFIGURATION_ITEM, Grade, HistoryReport
from ..model import Handbook
from ..standards import Clause
from .evidence import Evidence, Finding, State, worst
from .grades import by_grade, escalated
from .requirements import Requirement, Requirements, Rule
from .rules import RULES, Check, Outcome

# What no documented information can show, said once wherever figures are shown.
LIMITS = (
    "These figures judge documented information only: whether the documents and records an "
    "auditor asks for exist, are approved by a role with the authority, are current and carry "
    "what they should. They cannot judge whether the content is adequate, whether the "
    "processes are carried out as written, or how well the services perform; an audit "
    "samples those in interviews and in the operational records. A requirement about every "
    "item of a kind (every accepted risk, every closed nonconformity) is untested while no "
    "such item exists: nothing fails it, nothing shows it works, and it counts as neither "
    "documented nor evidenced."
)


@dataclass
class RequirementResult:
    requirement: Requirement
    state: State
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class ClauseResult:
    clause: Clause
    requirements: list[RequirementResult]
    documents: list[str]  # ids of the controlled documents that list the clause

    @property
    def state(self) -> State | None:
        """The worst state of the clause's requirements; None when it has none."""
        if not self.requirements:
            return None
        return worst([r.state for r in self.requirements])


@dataclass
class Assessment:
    clauses: list[ClauseResult]
    today: datetime.date
    standard_title: str
    history: HistoryReport | None = None  # the history checks, as this audience sees them

    @property
    def requirements(self) -> list[RequirementResult]:
        return [r for c in self.clauses for r in c.requirements]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.requirements for f in r.findings]

    def count(self, state: State) -> int:
        return sum(1 for r in self.requirements if r.state is state)

    def graded(self, grade: Grade) -> list[Finding]:
        return [f for f in self.findings if f.grade == grade]

    def headline(self) -> str:
        """Findings by grade, as an auditor leads a report: "1 major, 6 minor, 4 observations"."""
        return by_grade([f.grade for f in self.findings])

    @property
    def documented(self) -> int:
        return self.count(State.DOCUMENTED) + self.count(State.EVIDENCED)

    @property
    def evidenced(self) -> int:
        return self.count(State.EVIDENCED)

    def percent(self, count: int) -> float:
        total = len(self.requirements)
        return 100.0 * count / total if total else 0.0

    @property
    def documented_percent(self) -> float:
        return self.percent(self.documented)

    @property
    def evidenced_percent(self) -> float:
        return self.percent(self.evidenced)

    def summary(self) -> str:
        """Findings by grade, then the two figures (one rounding everywhere: whole percent,
        floor)."""
        total = len(self.requirements)
        return (
            f"findings: {self.headline()}; {self.evidenced} of {total} requirements evidenced "
            f"({whole_percent(self.evidenced, total)}), {self.documented} documented "
            f"({whole_percent(self.documented, total)})"
        )

    def by_clause(self) -> dict[str, ClauseResult]:
        return {c.clause.id: c for c in self.clauses}


def whole_percent(count: int, total: int) -> str:
    """A share as a whole percent, rounded down: 99.6 % is not 100 %."""
    return floor_percent(100 * count / total if total else 0.0)


def floor_percent(value: float) -> str:
    """A percentage as shown everywhere: whole, rounded down (the tolerance keeps 29 of 100,
    which floats make 28.999..., at 29)."""
    return f"{math.floor(value + 1e-9)}%"


def _assess_requirement(
    requirement: Requirement, evidence: Evidence, requirements: Requirements
) -> RequirementResult:
    outcomes: list[Outcome] = [
        RULES[rule.kind](Check(requirement, rule, evidence, requirements))
        for rule in requirement.rules
    ]
    findings = [
        f
        for rule, outcome in zip(requirement.rules, outcomes, strict=True)
        for f in _one_per_grade(rule, outcome.findings, evidence)
    ]
    state = worst([State.UNTESTED if o.vacuous else o.state for o in outcomes])
    if state is State.EVIDENCED and any(f.open for f in findings):
        state = State.DOCUMENTED  # an open nonconformity: documented at best
    return RequirementResult(
        requirement,
        state,
        findings,
        list(dict.fromkeys(e for o in outcomes for e in o.evidence if e)),
    )


def _one_per_grade(rule: Rule, findings: list[Finding], evidence: Evidence) -> list[Finding]:
    """One finding per rule (and grade) on a clause, listing every item it is about, with its
    grade raised where the rule's `escalate` says so."""
    merged = []
    for grade in dict.fromkeys(f.grade for f in findings):
        group = [f for f in findings if f.grade == grade]
        items = tuple(dict.fromkeys(i for f in group for i in f.items))
        subjects = tuple(dict.fromkeys(s for f in group for s in f.subjects))
        clauses = evidence.clauses_of(subjects) or [group[0].clause]
        final, raised = escalated(grade, rule.options, len(items), clauses)
        why = raised or group[0].why
        if len(group) == 1 or len(items) == 1:
            merged.append(_joined(group, grade=final, why=why, subjects=subjects))
            continue
        first = group[0]
        problem, remedy = _said_once(group)
        merged.append(
            replace(
                first,
                state=worst([f.state for f in group]),
                item=_items_label(group, items),
                problem=problem,
                remedy=remedy,
                link=f"clause:{first.clause}",
                grade=final,
                items=items,
                why=why,
                subjects=subjects,
            )
        )
    return merged


def _items_label(group: list[Finding], items: tuple[str, ...]) -> str:
    """What a finding about several items is about: "6 suppliers" where its problem names
    them, else every item."""
    nouns = {f.shared.noun if f.shared else None for f in group}
    noun = nouns.pop() if len(nouns) == 1 else None
    return f"{len(items)} {noun}" if noun else f"{len(items)} items: " + ", ".join(items)


def _said_once(group: list[Finding]) -> tuple[str, str]:
    """The problem and remedy of findings about several items: what they share said once,
    with the items listed, and what each adds; what they do not share, one by one."""
    problems: list[str] = []
    remedies: list[str] = []
    for shared in dict.fromkeys(f.shared for f in group):
        part = [f for f in group if f.shared == shared]
        if shared is None or len(part) == 1:
            problems += [f.problem for f in part]
            remedies += [f.remedy for f in part]
            continue
        problems.append(shared.says([f.label for f in part], [f.detail for f in part]))
        remedies.append(shared.remedy)
    return "; ".join(dict.fromkeys(problems)), "; ".join(dict.fromkeys(remedies))


def _joined(group: list[Finding], **changes: Any) -> Finding:
    """Findings about one item, as one: their problems and remedies joined."""
    problem = "; ".join(dict.fromkeys(f.problem for f in group))
    remedy = "; ".join(dict.fromkeys(f.remedy for f in group))
    state = worst([f.state for f in group])
    return replace(group[0], state=state, problem=problem, remedy=remedy, **changes)


def _untrusted(history: HistoryReport | None) -> dict[str, str]:
    """Items whose approval the history does not bear out, with the first reason."""
    untrusted: dict[str, str] = {}
    for finding in history.findings if history else []:
        if finding.grade == "major":
            reason = f"{CHECK_TITLES[finding.check]} ({finding.commit})"
            untrusted.setdefault(finding.item, reason)
    return untrusted


def assess(
    view: Handbook, today: datetime.date, history: HistoryReport | None = None
) -> Assessment:
    """The conformity of `view` (one audience's view of the handbook) on `today`, with the
    history checks' findings on the items it holds."""
    requirements = view.requirements
    if history is not None:
        ids = {d.id for d in view.controlled_documents if d.id}
        ids |= {record.id for _register, record in view.records()}
        # Findings about the configuration (a moved baseline) are classified as an unmarked
        # page is: the default classification.
        if view.access.sees_staff_pages:
            ids.add(CONFIGURATION_ITEM)
        history = history.visible(ids)
    evidence = Evidence(view, today, dict(requirements.cadences), untrusted=_untrusted(history))
    clauses = []
    for leaf in view.standard.leaves:
        results = [
            _assess_requirement(r, evidence, requirements)
            for r in requirements.by_clause.get(leaf.id, [])
        ]
        documents = [d.id or "" for d in evidence.addressing(leaf.id)]
        clauses.append(ClauseResult(leaf, results, documents))
    return Assessment(clauses, today, view.standard.title, history)
