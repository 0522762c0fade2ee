"""Grades: how an auditor would grade each rule's failure, as data.

Every rule kind has a default grade; a rule may name its own (`grade: major`) and a
repository may override any requirement's grade (`grades: {"9.3/review-inputs": major}` in a
rule file). A rule's `escalate: {more_than: N, clauses_more_than: M, to: major}` raises the
grade of a finding that lists more than N items, or whose items are evidence for more than M
clauses. A finding is one rule failing on one clause, listing every item, and says in one line
why it has its grade.
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


# Why a grade, in a few words: what each grade says about the failure.
GRADE_GISTS: dict[Grade, str] = {
    "major": "the requirement is not met, or the results are in doubt",
    "minor": "the requirement is met in part or not every time",
    "observation": "nothing is broken yet",
}


def rule_grade(
    kind: str, options: dict[str, Any], override: Grade | None = None
) -> tuple[Grade, str]:
    """The grade of a rule's failure and why: the repository's override, the rule's own, else
    the default of its kind."""
    if override is not None:
        return override, f"{override}: the repository's rules set this requirement's grade"
    own = options.get("grade")
    if is_grade(own):
        return own, f"{own}: the rule names its grade"
    grade = DEFAULT_GRADES.get(kind, "minor")
    return grade, f"{grade}: the default for `{kind}` rules ({GRADE_GISTS[grade]})"


def escalated(
    grade: Grade, options: dict[str, Any], items: int, clauses: list[str]
) -> tuple[Grade, str | None]:
    """The grade after the rule's escalation, given how many items the finding lists and for
    how many clauses they are evidence; with why, when it was raised."""
    escalate = options.get("escalate") or {}
    to = escalate.get("to")
    if not is_grade(to) or GRADE_ORDER.index(to) >= GRADE_ORDER.index(grade):
        return grade, None
    limit, clause_limit = escalate.get("more_than"), escalate.get("clauses_more_than")
    if isinstance(limit, int) and items > limit:
        return to, f"{to}: escalated from {grade}, {items} items (more than {limit})"
    if isinstance(clause_limit, int) and len(clauses) > clause_limit:
        named = ", ".join(clauses)
        return to, (
            f"{to}: escalated from {grade}, the items are evidence for {len(clauses)} clauses "
            f"({named}; more than {clause_limit})"
        )
    return grade, None


def by_grade(grades: list[Grade]) -> str:
    """Counts by grade as an auditor writes them: "1 major, 6 minor, 4 observations"."""
    counts = {g: grades.count(g) for g in GRADE_ORDER}
    observations = f"{counts['observation']} observation{'s' * (counts['observation'] != 1)}"
    return f"{counts['major']} major, {counts['minor']} minor, {observations}"
