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
from dataclasses import dataclass
from typing import Any

from ..model import Document, Record
from ..review import parse_date, record_is_open
from .check import Check, Outcome, members
from .evidence import Shared, State
from .wording import counted, listed

Problem = tuple[str, str, str]  # (problem, remedy, what the record adds to the shared problem)


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
        f"{record.id} is {record.get('status')} while {listed(open_ones)}, which "
        f"{'addresses it, is' if len(open_ones) == 1 else 'address it, are'} still open",
        f"reopen {record.id} until what addresses it is closed, or close that first",
        f"{record.get('status')}, addressed by {listed(open_ones)}",
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
        f"{record.id} ({state}) has no {listed(types, 'or')} approved before delivery: {found}",
        f"approve the transition plan or design of {record.id} before it is delivered, or "
        "record the exception as a nonconformity",
        f"{state}: {found}",
    )


def _decided_within(check: Check, record: Record) -> Problem | None:
    evidence = check.evidence
    raised = parse_date(record.get(str(check.option("date", "raised_on"))))
    kind = str(check.option("kind", "improvement-decision"))
    months, _declared_by = evidence.cadence(kind, check.option("default_months"))
    if raised is None or evidence.next_due(raised, months) >= evidence.today:
        return None
    return (
        f"{record.id} has been {record.get('status')} and undecided since {raised}"
        + _decision_interval(check),
        f"decide on {record.id} and record the decision",
        f"{record.get('status')} since {raised}",
    )


def _decision_interval(check: Check) -> str:
    """Who sets the interval for deciding, in words, where a document does."""
    kind = str(check.option("kind", "improvement-decision"))
    months, declared_by = check.evidence.cadence(kind, check.option("default_months"))
    return f" ({declared_by.id} decides every {counted(months, 'month')})" if declared_by else ""


def _closed_with_result(check: Check, record: Record) -> Problem | None:
    target, result = check.option("target", "target"), check.option("result", "result")
    if record.get(target) in (None, "") or record.get(result) not in (None, ""):
        return None
    return (
        f"{record.id} is {record.get('status')} with a target but no measured result",
        f"measure the result against the target and record it under `{result}`",
        "",
    )


def _statuses(check: Check) -> str:
    """The states the rule judges, in words: "closed", "closed or verified"."""
    statuses = (check.option("where") or {}).get("status") or ["closed"]
    return listed([str(s) for s in statuses], "or")


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
        ", ".join(differ),
    )


@dataclass(frozen=True)
class Consistency:
    """One check of the rule: how it judges a record, and what it says once of several."""

    judge: Callable[[Check, Record], Problem | None]
    shared: Callable[[Check], Shared]


CHECKS: dict[str, Consistency] = {
    "open-addressers": Consistency(
        _open_addressers,
        lambda check: Shared(
            "records",
            "{ids} are closed or verified while what addresses them is still open",
            "reopen each until what addresses it is closed, or close that first",
        ),
    ),
    "delivered-with-plan": Consistency(
        _delivered_with_plan,
        lambda check: Shared(
            "records",
            f"{{ids}} have no {listed(check.option('types') or ['plan'], 'or')} approved before "
            "delivery",
            "approve the transition plan or design of each before it is delivered, or record "
            "the exception as a nonconformity",
        ),
    ),
    "decided-within": Consistency(
        _decided_within,
        lambda check: Shared(
            "records",
            "{ids} are undecided past the interval for deciding" + _decision_interval(check),
            "decide on each and record the decision",
        ),
    ),
    "closed-with-result": Consistency(
        _closed_with_result,
        lambda check: Shared(
            "records",
            f"{{ids}} are {_statuses(check)} with a target but no measured result",
            "measure each result against its target and record it under "
            f"`{check.option('result', 'result')}`",
        ),
    ),
    "targets-agree": Consistency(
        _targets_agree,
        lambda check: Shared(
            "records",
            "{ids} state targets other than the agreements they name",
            "make each record and its agreement state the same target, correcting the one "
            "that is wrong",
        ),
    ),
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
    consistency = CHECKS[str(check.option("check"))]
    shared = consistency.shared(check)
    subjects = _subjects(check)
    outcome = Outcome.over(subjects)
    for record in subjects:
        found = consistency.judge(check, record)
        if found is None:
            continue
        problem, remedy, detail = found
        finding = check.finding(
            State.DOCUMENTED,
            f"record {record.id}",
            problem,
            remedy,
            record.id,
            shared=shared,
            detail=detail,
        )
        outcome.fail(finding)
    return outcome
