"""Evidence integrity: what the repository's history proves about approvals and records.

timeline.py (items and their versions) -> checks.py (the four checks) -> findings.py (grades,
the report, findings addressed by nonconformity records).
"""

from __future__ import annotations

from .checks import (
    Limits,
    approval_before_content,
    approvals_backwards,
    changed_after_approval,
    late_entry,
)
from .findings import (
    CHECK_TITLES,
    CONFIGURATION_ITEM,
    GRADE_ORDER,
    GRADES,
    Addressing,
    Check,
    Grade,
    HistoryFinding,
    HistoryReport,
    Migrated,
    addressed,
    sort_key,
)
from .timeline import METADATA_KEYS, Commit, ItemHistory, RecordRules, Version

__all__ = [
    "CHECK_TITLES",
    "CONFIGURATION_ITEM",
    "GRADES",
    "GRADE_ORDER",
    "METADATA_KEYS",
    "Addressing",
    "Check",
    "Commit",
    "Grade",
    "HistoryFinding",
    "HistoryReport",
    "ItemHistory",
    "Limits",
    "Migrated",
    "RecordRules",
    "Version",
    "addressed",
    "check_items",
]


def check_items(
    items: list[ItemHistory], limits: Limits, baseline: Commit | None
) -> tuple[list[HistoryFinding], list[Migrated]]:
    """Every check on every item; items in the tree at `baseline` are migrated: only what
    changed after it is judged (approvals going backwards are judged everywhere)."""
    judged_from = baseline.index + 1 if baseline else 0
    findings: list[HistoryFinding] = []
    migrated: list[Migrated] = []
    for item in items:
        if not item.versions or (item.kind == "record" and item.rules == RecordRules()):
            continue  # a record its schema marks neither a date nor an approval for
        is_migrated = baseline is not None and item.versions[0].commit.index <= baseline.index
        if is_migrated:
            migrated.append(Migrated(item.item_id, item.file))
        elif item.complete:
            findings += late_entry(item, limits)
        findings += approval_before_content(item, limits, judged_from)
        findings += changed_after_approval(item, judged_from)
        findings += approvals_backwards(item)
    return sorted(findings, key=sort_key), sorted(migrated, key=lambda m: (m.path, m.item))
