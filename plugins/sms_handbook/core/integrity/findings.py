"""History findings: each check's grade, the report the checks give, and findings addressed
by nonconformity records of the improvements register."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Literal

Grade = Literal["major", "minor", "observation"]
Check = Literal[
    "approval-before-content",
    "approval-backwards",
    "baseline-moved",
    "changed-after-approval",
    "late-entry",
    "metadata-changed",
]
CONFIGURATION_ITEM = "history_baseline"  # the item of findings about the configuration
GRADE_ORDER: tuple[Grade, ...] = ("major", "minor", "observation")

# The grade an auditor gives each failure (a late entry with `entered_late` is an observation).
GRADES: dict[Check, Grade] = {
    "approval-before-content": "major",
    "approval-backwards": "minor",
    "baseline-moved": "major",
    "changed-after-approval": "major",
    "late-entry": "minor",
    "metadata-changed": "observation",
}
CHECK_TITLES: dict[Check, str] = {
    "approval-before-content": "approval dated before its text entered the repository",
    "approval-backwards": "approval dated before the approval it follows",
    "baseline-moved": "adoption baseline moved to a later commit",
    "changed-after-approval": "changed after approval without a new version and approval",
    "late-entry": "record entered the repository late",
    "metadata-changed": "metadata changed since approval",
}


@dataclass(frozen=True)
class HistoryFinding:
    check: Check
    grade: Grade
    item: str  # its id (or its path when it has none)
    path: str
    commit: str  # the commit the finding is about, abbreviated
    problem: str
    remedy: str
    addressed_by: str | None = None  # "IMP-016 (open)"

    @property
    def line(self) -> str:
        addressed = f" [addressed by {self.addressed_by}]" if self.addressed_by else ""
        return f"{self.grade} {self.check}: {self.item}: {self.problem}{addressed}"


@dataclass(frozen=True)
class Migrated:
    item: str
    path: str


@dataclass
class HistoryReport:
    """What the history checks found, or why they could not run (`available` false)."""

    available: bool
    note: str = ""  # why the checks were not possible, or how far back they went
    findings: list[HistoryFinding] = field(default_factory=list)
    migrated: list[Migrated] = field(default_factory=list)
    baseline: str = ""
    migrated_from: str = ""
    commits: int = 0
    since: datetime.date | None = None

    def count(self, grade: Grade) -> int:
        return sum(1 for f in self.findings if f.grade == grade)

    def summary(self) -> str:
        if not self.available:
            return self.note
        counts = ", ".join(f"{self.count(g)} {g}" for g in GRADE_ORDER)
        since = f" since {self.since}" if self.since else ""
        found = len(self.findings)
        return (
            f"history checks over {self.commits} commits{since}: {found} "
            f"finding{'s' * (found != 1)} ({counts}), {len(self.migrated)} migrated items"
        )

    def visible(self, ids: set[str]) -> HistoryReport:
        """The report as an audience sees it: findings and migrated items it may see."""
        return replace(
            self,
            findings=[f for f in self.findings if f.item in ids],
            migrated=[m for m in self.migrated if m.item in ids],
        )


@dataclass(frozen=True)
class Addressing:
    """A nonconformity record that names history findings it addresses."""

    record: str
    check: str
    items: frozenset[str]
    closed: bool  # closed, with cause, correction and a checked effectiveness


def addressed(findings: list[HistoryFinding], by: list[Addressing]) -> list[HistoryFinding]:
    """Each finding with the record that addresses it: graded as its rule says while the
    record is open, an observation once it is closed with its effectiveness checked."""
    result = []
    for finding in findings:
        match = next((a for a in by if a.check == finding.check and finding.item in a.items), None)
        if match is None:
            result.append(finding)
            continue
        state = "closed, effectiveness checked" if match.closed else "open"
        grade: Grade = "observation" if match.closed else finding.grade
        result.append(replace(finding, grade=grade, addressed_by=f"{match.record} ({state})"))
    return sorted(result, key=sort_key)


def sort_key(finding: HistoryFinding) -> tuple[int, str, str, str]:
    return (GRADE_ORDER.index(finding.grade), finding.check, finding.path, finding.commit)
