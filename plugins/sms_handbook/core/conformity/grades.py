"""Grades: how an auditor would grade each rule's failure, as data.

Every rule kind has a default grade; a rule may name its own (`grade: major`) and a
repository may override any requirement's grade (`grades: {"9.3/review-inputs": major}` in a
rule file). A rule's `escalate: {more_than: N, to: major}` raises the grade of a finding that
lists more than N items. A finding is one rule failing on one clause, listing every item.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from ..integrity import GRADE_ORDER, Grade

# The grade of a failure when neither the rule nor the repository names one.
DEFAULT_GRADES: dict[str, Grade] = {
    "document": "major",
    "register": "major",
    "records": "minor",
    "each": "minor",
    "covers": "minor",
    "fields": "minor",
    "current": "minor",
    "approvals": "minor",
    "dates": "minor",
    "accepts": "minor",
    "independence": "minor",
    "consistent": "minor",
    "programme": "minor",
}

GRADE_MEANINGS: dict[Grade, str] = {
    "major": "a requirement is not met at all, or the failure puts the system's results in "
    "doubt: certification waits until it is corrected",
    "minor": "a requirement is met in part or not every time: it needs a corrective action "
    "with a date",
    "observation": "nothing is broken yet, but it may become a nonconformity: worth a look",
}


def is_grade(value: Any) -> TypeGuard[Grade]:
    return value in GRADE_ORDER


def rule_grade(kind: str, options: dict[str, Any], override: Grade | None = None) -> Grade:
    """The grade of a rule's failure: the repository's override, the rule's own, else the
    default of its kind."""
    if override is not None:
        return override
    own = options.get("grade")
    return own if is_grade(own) else DEFAULT_GRADES.get(kind, "minor")


def escalated(grade: Grade, options: dict[str, Any], items: int) -> Grade:
    """The grade after the rule's escalation, given how many items the finding lists."""
    escalate = options.get("escalate") or {}
    limit, to = escalate.get("more_than"), escalate.get("to")
    if not (isinstance(limit, int) and is_grade(to) and items > limit):
        return grade
    return to if GRADE_ORDER.index(to) < GRADE_ORDER.index(grade) else grade


def by_grade(grades: list[Grade]) -> str:
    """Counts by grade as an auditor writes them: "1 major, 6 minor, 4 observations"."""
    counts = {g: grades.count(g) for g in GRADE_ORDER}
    observations = f"{counts['observation']} observation{'s' * (counts['observation'] != 1)}"
    return f"{counts['major']} major, {counts['minor']} minor, {observations}"
