"""The `consistent` rule: linked records that must agree with each other.

open-addressers      nothing is closed or verified while an item that addresses it is open
delivered-with-plan  a service delivered (a pilot included) has an approved plan or design
                     naming it, approved on or before the day delivery began
decided-within       a proposal is decided within the interval its procedure declares
closed-with-result   a closed item with a target carries its measured result
targets-agree        a record's service level targets and those of the agreement it names
                     (`targets:` in its front matter) agree where both state the same one
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Document, Record
from ..review import parse_date, record_is_open
from .check import Check, Outcome, members
from .evidence import State

Problem = tuple[str, str]  # (problem, remedy)


def _open_addressers(check: Check, record: Record) -> Problem | None:
    register = check.evidence.view.registers[record.register]
    link = str(check.option("link", "addresses"))
    open_ones = [
        f"{other.id} ({other.get('status')})"
        for other in register.records
        if record.id in (other.get(link) or []) and record_is_open(register, other)
    ]
    if not open_ones:
        return None
    return (
        f"{record.id} is {record.get('status')} while {', '.join(open_ones)}, which "
        f"addresses it, is still open",
        f"reopen {record.id} until what addresses it is closed, or close that first",
    )


def _delivered_with_plan(check: Check, record: Record) -> Problem | None:
    evidence = check.evidence
    since = parse_date(record.get(str(check.option("since", "delivered_since"))))
    types = check.option("types") or ["plan"]
    naming = [d for d in evidence.documents_naming("services", record.id) if d.get("type") in types]
    approved = [d for d in naming if evidence.approved(d)]
    in_time = [
        d for d in approved if since is None or (parse_date(d.get("approved_on")) or since) <= since
    ]
    if in_time:
        return None
    state = f"delivered since {since}" if since else str(record.get("status"))
    if approved:
        found = ", ".join(f"{d.id} approved {d.get('approved_on')}" for d in approved)
    elif naming:
        found = ", ".join(f"{d.id} is {d.get('status')}" for d in naming)
    else:
        found = "none names it"
    return (
        f"{record.id} ({state}) has no {' or '.join(types)} approved before delivery: {found}",
        f"approve the transition plan or design of {record.id} before it is delivered, or "
        "record the exception as a nonconformity",
    )


def _decided_within(check: Check, record: Record) -> Problem | None:
    evidence = check.evidence
    raised = parse_date(record.get(str(check.option("date", "raised_on"))))
    kind = str(check.option("kind", "improvement-decision"))
    months, declared_by = evidence.cadence(kind, check.option("default_months"))
    if raised is None or evidence.next_due(raised, months) >= evidence.today:
        return None
    source = f" ({declared_by.id} decides every {months} months)" if declared_by else ""
    return (
        f"{record.id} has been {record.get('status')} and undecided since {raised}{source}",
        f"decide on {record.id} and record the decision",
    )


def _closed_with_result(check: Check, record: Record) -> Problem | None:
    target, result = check.option("target", "target"), check.option("result", "result")
    if record.get(target) in (None, "") or record.get(result) not in (None, ""):
        return None
    return (
        f"{record.id} is {record.get('status')} with a target but no measured result",
        f"measure the result against the target and record it under `{result}`",
    )


def _target_key(target: dict[str, Any]) -> str:
    """What a target is about: its `key`, else its metric in lower case, spaces folded."""
    return str(target.get("key") or " ".join(str(target.get("metric", "")).lower().split()))


def _target_text(target: dict[str, Any]) -> str:
    return " ".join(str(target.get("target", "")).lower().replace(" %", "%").split())


def _targets_agree(check: Check, record: Record) -> Problem | None:
    link = str(check.option("link", "agreement"))
    own = list(record.get(str(check.option("field", "service_level_targets"))) or [])
    named = record.get(link)
    differ = []
    for target_id in named if isinstance(named, list) else [named]:
        agreement = check.evidence.view.item(target_id) if isinstance(target_id, str) else None
        if not isinstance(agreement, Document):
            continue
        theirs = {_target_key(t): t for t in agreement.get("targets") or [] if isinstance(t, dict)}
        for target in own:
            other = theirs.get(_target_key(target)) if isinstance(target, dict) else None
            if other is not None and _target_text(other) != _target_text(target):
                differ.append(
                    f"{target.get('metric')} {target.get('target')!r} where {agreement.id} "
                    f"states {other.get('metric')} {other.get('target')!r}"
                )
    if not differ:
        return None
    return (
        f"{record.id} states {'; '.join(differ)}",
        f"make {record.id} and the agreement state the same target, correcting the one that is "
        "wrong",
    )


CHECKS: dict[str, Callable[[Check, Record], Problem | None]] = {
    "open-addressers": _open_addressers,
    "delivered-with-plan": _delivered_with_plan,
    "decided-within": _decided_within,
    "closed-with-result": _closed_with_result,
    "targets-agree": _targets_agree,
}


def _subjects(check: Check) -> list[Record]:
    found = members(check)
    since = check.option("since")
    if since:  # items with a delivery date are judged whatever their status says
        register = check.evidence.view.registers.get(check.option("register"))
        dated = [r for r in (register.records if register else []) if r.get(since)]
        found += [r for r in dated if r not in found]
    return found


def consistent_rule(check: Check) -> Outcome:
    judge = CHECKS[str(check.option("check"))]
    outcome = Outcome(State.EVIDENCED)
    for record in _subjects(check):
        problem = judge(check, record)
        if problem is None:
            continue
        outcome.findings.append(
            check.finding(State.DOCUMENTED, f"record {record.id}", *problem, record.id)
        )
        outcome.state = State.DOCUMENTED
    return outcome
