"""The history checks: what the repository's history proves about approvals and records.

* approval before content: an approval dated more than `max_merge_lag` days before the first
  commit on the default branch that holds the approved content (an item's first entry is
  judged as a late entry instead: it may have been written before it entered the repository);
* changed after approval: content changed after an approval without a new version and a new
  approval (metadata keys alone: an observation);
* approvals backwards: a later approval dated before an earlier one, anywhere in the history;
* late entry: a dated item first committed more than `late_entry_days` after its own date.

Items already in the tree at the adoption baseline are *migrated*: their content as it was
then is neither late nor checked against its approval dates; what changes after is judged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .findings import GRADES, Check, Grade, HistoryFinding
from .timeline import LATE_ENTRY_KEY, Commit, ItemHistory, Version


@dataclass(frozen=True)
class Limits:
    max_merge_lag: int = 7
    late_entry_days: int = 30


def _finding(
    item: ItemHistory,
    check: Check,
    commit: Commit,
    problem: str,
    remedy: str,
    grade: Grade | None = None,
) -> HistoryFinding:
    return HistoryFinding(
        check, grade or GRADES[check], item.item_id, item.file, commit.short, problem, remedy
    )


def late_entry(item: ItemHistory, limits: Limits) -> list[HistoryFinding]:
    first = item.versions[0]
    dated = item.own_date(first)
    if dated is None:
        return []
    name, date = dated
    entered = first.commit.day
    days = (entered - date).days
    if days <= limits.late_entry_days:
        return []
    problem = (
        f"dated {date} ({name}), first committed {entered} ({first.commit.short}), "
        f"{days} days later; the limit is {limits.late_entry_days}"
    )
    reason = first.fields.get(LATE_ENTRY_KEY)
    explained = (
        isinstance(reason, dict) and bool(reason.get("reason")) and bool(reason.get("source"))
    )
    remedy = (
        "sample it against its source"
        if explained
        else "add `entered_late: {reason: …, source: …}` saying why it came late and where "
        "the original is, and enter records within the limit"
    )
    grade: Grade = "observation" if explained else GRADES["late-entry"]
    return [_finding(item, "late-entry", first.commit, problem, remedy, grade)]


def _first_holding(item: ItemHistory, upto: int) -> Version:
    """The earliest version before `upto` (inclusive) with the same content, going back
    without a break."""
    target = item.content(item.versions[upto])
    first = upto
    while first > 0 and item.content(item.versions[first - 1]) == target:
        first -= 1
    return item.versions[first]


def approval_before_content(
    item: ItemHistory, limits: Limits, judged_from: int
) -> list[HistoryFinding]:
    findings = []
    previous: tuple[str | None, str | None] | None = None
    for position, version in enumerate(item.versions):
        approval = item.approval(version) if item.approved(version) else None
        new = approval is not None and approval != previous
        if approval is not None:
            previous = approval
        if not new or position == 0 or version.commit.index < judged_from or approval is None:
            continue
        approved_on = _day(approval[1])
        if approved_on is None:
            continue
        holding = _first_holding(item, position)
        lag = (holding.commit.day - approved_on).days
        if lag > limits.max_merge_lag:
            problem = (
                f"version {approval[0]} is approved on {approved_on}, but its text first "
                f"entered the default branch on {holding.commit.day} ({holding.commit.short}), "
                f"{lag} days later; the limit is {limits.max_merge_lag}"
            )
            remedy = (
                "have the approver approve the text as it is now, with today's date, and "
                "approve changes in the pull request that makes them"
            )
            findings.append(
                _finding(item, "approval-before-content", version.commit, problem, remedy)
            )
    return findings


def changed_after_approval(item: ItemHistory, judged_from: int) -> list[HistoryFinding]:
    findings = []
    approved: Version | None = None
    for version in item.versions:
        if approved is not None and version.commit.index >= judged_from:
            finding = _compare(item, approved, version)
            if finding is not None:
                findings.append(finding)
        if item.approved(version):
            approved = version
    return findings


def _compare(item: ItemHistory, approved: Version, version: Version) -> HistoryFinding | None:
    same_content = item.content(approved) == item.content(version)
    old_version, old_date = item.approval(approved)
    new_version, new_date = item.approval(version)
    reapproved = (
        item.approved(version)
        and item.kind == "document"
        and new_version != old_version
        and (new_date != old_date or _same_day_approval(approved, new_date))
    )
    if not item.approved(version) and item.kind == "document":
        return None  # a draft of the next version; its approval is judged when it comes
    if same_content:
        if item.metadata(approved) == item.metadata(version) or reapproved:
            return None
        changed = [k for k, v in item.metadata(version).items() if item.metadata(approved)[k] != v]
        problem = (
            f"{', '.join(changed)} changed on {version.commit.day} ({version.commit.short}) "
            f"after the approval{_of(old_version, old_date)}; metadata changed since approval"
        )
        return _finding(
            item, "metadata-changed", version.commit, problem, "none needed; sample if in doubt"
        )
    if reapproved:
        return None
    before, after = item.fixed_fields(approved), item.fixed_fields(version)
    fields = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if approved.body_hash != version.body_hash:
        fields.append("the text")
    also = sorted(
        k
        for k in approved.fields.keys() | version.fields.keys()
        if k not in fields and approved.fields.get(k) != version.fields.get(k)
    )
    raised = "version" in fields
    fields = [f for f in fields if f != "version"] or ["version"]
    also = [f for f in also if f != "version"]
    problem = (
        f"{_words(fields)} changed on {version.commit.day} ({version.commit.short}) after the "
        f"approval{_of(old_version, old_date)}, "
        + (
            "with a new version but no new approval"
            if raised
            else "without a new version and approval"
        )
        + (f" ({_words(also)} changed with it)" if also else "")
    )
    remedy = (
        "restore the approved content, or raise `version` and have it approved again"
        if item.kind == "document"
        else "restore the record as approved and record what changed in a new record"
    )
    return _finding(item, "changed-after-approval", version.commit, problem, remedy)


def _same_day_approval(approved: Version, date: str | None) -> bool:
    """A new version approved on the date of the approval before it is a new approval when
    that earlier version reached the default branch on the same day or later: both were
    approved on the day of their changes, not given an earlier approval's date."""
    day = _day(date)
    return day is not None and approved.commit.day >= day


def approvals_backwards(item: ItemHistory) -> list[HistoryFinding]:
    findings = []
    latest: tuple[datetime.date, str | None, Version] | None = None
    seen: set[tuple[str | None, str | None]] = set()
    for version in item.versions:
        if not item.approved(version):
            continue
        number, date_text = item.approval(version)
        date = _day(date_text)
        if date is None or (number, date_text) in seen:
            continue
        seen.add((number, date_text))
        if latest is not None and date < latest[0]:
            problem = (
                f"version {number} is approved on {date} ({version.commit.short}), before "
                f"version {latest[1]} was approved on {latest[0]} ({latest[2].commit.short})"
            )
            remedy = "give each approval its real date; an approval follows the one before it"
            findings.append(_finding(item, "approval-backwards", version.commit, problem, remedy))
        if latest is None or date > latest[0]:
            latest = (date, number, version)
    return findings


def _of(version: str | None, date: str | None) -> str:
    parts = [f" of version {version}" if version else "", f" on {date}" if date else ""]
    return "".join(parts)


def _words(names: list[str]) -> str:
    shown = [f"`{n}`" if n != "the text" else n for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
