"""Evidence rules about how items agree with each other: dates and accepts.

dates    nothing cites an item dated after itself (a record's date is its event date, else
         its approval date; the cited item's is the earliest date its schema marks)
accepts  every accepted risk was accepted by a role whose `accepts:` ceiling covers its score
independence  no auditor owns or approves a document within the audit's criteria
programme  each audit the programme marks as held has its clauses in its report's criteria;
           with `check: reaudit`, each clause with a finding is audited again later
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from ..coverage import leaves_of
from ..model import Document, Handbook, Record
from ..review import parse_date
from ..schemas import find_annotations, package_schema
from .check import Check, Outcome, members
from .evidence import Shared, State
from .wording import code_names, listed

ID_IN_TEXT = re.compile(r"\b[A-Z]{2,6}-[0-9]{3,}\b")  # the id pattern of the schemas
EVENT, APPROVAL, ORIGIN = "event", "approval", "origin"


@functools.cache
def document_date_roles() -> tuple[tuple[str, str], ...]:
    """(field, role) of the document front matter, from `x-date-role` in its schema."""
    found = find_annotations(package_schema("document"), "x-date-role")
    return tuple((path[-1], str(role)) for path, role in found if len(path) == 1)


def _roles_of(item: Document | Record, view: Handbook) -> tuple[tuple[str, str], ...]:
    if isinstance(item, Document):
        return document_date_roles()
    register = view.registers.get(item.register)
    return register_date_roles(register.kind.record_schema) if register is not None else ()


def register_date_roles(record_schema: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(field, role) of a register's records, from `x-date-role` in its schema (a
    repository's own registers included)."""
    properties = record_schema.get("properties", {})
    return tuple(
        (name, str(spec["x-date-role"]))
        for name, spec in properties.items()
        if isinstance(spec, dict) and "x-date-role" in spec
    )


def _dates(item: Document | Record, view: Handbook, roles: set[str]) -> list[datetime.date]:
    found = (parse_date(item.get(name)) for name, role in _roles_of(item, view) if role in roles)
    return [d for d in found if d is not None]


def citing_date(item: Document | Record, view: Handbook) -> tuple[datetime.date, str] | None:
    """When an item says what it says: its event date, else its approval date."""
    for roles, word in (({EVENT}, "held"), ({APPROVAL}, "approved")):
        dates = _dates(item, view, roles)
        if dates:
            return min(dates), word
    return None


def cited_date(item: Document | Record, view: Handbook) -> datetime.date | None:
    """The earliest date an item can have existed: its event or origin date. A document
    without one is versioned, so the approval of its current version says nothing."""
    dates = _dates(item, view, {EVENT, ORIGIN})
    return min(dates) if dates else None


def _cited_ids(item: Document | Record) -> list[str]:
    """Ids an item names: in a document's text (its front matter included), in any value of
    a record (reference fields and free text alike)."""
    text = item.source if isinstance(item, Document) else "\n".join(_strings(item.data))
    return [i for i in dict.fromkeys(ID_IN_TEXT.findall(text)) if i != item.id]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _citing(check: Check) -> list[Document | Record]:
    """Approved documents, then the records of every register whose schema marks an event or
    approval date."""
    view = check.evidence.view
    items: list[Document | Record] = [
        d for d in check.evidence.documents if d.get("status") == "approved"
    ]
    for register in view.registers.values():
        roles = {role for _name, role in register_date_roles(register.kind.record_schema)}
        if roles & {EVENT, APPROVAL}:
            items += register.records
    return items


def dates_rule(check: Check) -> Outcome:
    view = check.evidence.view
    dated = [(citing, when) for citing in _citing(check) if (when := citing_date(citing, view))]
    outcome = Outcome.over(dated)
    for citing, when in dated:
        for cited_id in _cited_ids(citing):
            cited = view.item(cited_id)
            if not isinstance(cited, Document | Record):
                continue
            date = cited_date(cited, view)
            if date is None or date <= when[0]:
                continue
            outcome.fail(
                check.finding(
                    State.DOCUMENTED,
                    f"{citing.id}→{cited_id}",
                    f"{citing.id} ({when[1]} {when[0]}) cites {cited_id}, dated {date}",
                    f"correct the reference in {citing.id}, or record the later fact in a "
                    "new version or record with its own date",
                    citing.id,
                    shared=_LATER_CITED,
                    detail=f"{when[1]} {when[0]}, cites {cited_id}, dated {date}",
                )
            )
    return outcome


_LATER_CITED = Shared(
    "citations",
    "{ids} cite items dated after themselves",
    "correct each reference, or record the later fact in a new version or record with its own date",
)


def _ceilings(check: Check) -> tuple[dict[str, int], dict[str, int]] | None:
    roles = check.evidence.view.registers.get("roles")
    any_risk: dict[str, int] = {}
    owned: dict[str, int] = {}
    for role in roles.records if roles else []:
        accepts: Any = role.get("accepts")
        if isinstance(accepts, dict):
            if isinstance(accepts.get("up_to"), int):
                any_risk[role.id] = accepts["up_to"]
            if isinstance(accepts.get("own_up_to"), int):
                owned[role.id] = accepts["own_up_to"]
    return (any_risk, owned) if any_risk or owned else None


def _authority(role: str, any_risk: dict[str, int], owned: dict[str, int]) -> str:
    parts = []
    if role in any_risk:
        parts.append(f"any risk up to {any_risk[role]}")
    if role in owned and owned[role] > any_risk.get(role, 0):
        parts.append(f"risks it owns up to {owned[role]}")
    return " and ".join(parts) or "no risk"


def accepts_rule(check: Check) -> Outcome:
    ceilings = _ceilings(check)
    if ceilings is None:
        finding = check.finding(
            State.DOCUMENTED,
            "register roles",
            "no role declares up to which score it may accept a risk, so no acceptance can "
            "be checked against an authority",
            "add `accepts: {up_to: SCORE}` (any risk) or `accepts: {own_up_to: SCORE}` (risks "
            "it owns) to the roles that accept risks",
        )
        return Outcome.failed(finding)
    any_risk, owned = ceilings
    by_field = str(check.option("by", "accepted_by"))
    factors = check.option("score") or ["likelihood", "impact"]
    found = members(check)
    outcome = Outcome.over(found)
    for record in found:
        role = str(record.get(by_field))
        values = [record.get(name) for name in factors]
        if not all(isinstance(v, int) for v in values):
            continue
        score = functools.reduce(lambda a, b: a * b, values, 1)
        ceiling = any_risk.get(role, 0)
        if record.get("owner") == role:
            ceiling = max(ceiling, owned.get(role, 0))
        if score <= ceiling:
            continue
        authority = _authority(role, any_risk, owned)
        outcome.fail(
            check.finding(
                State.DOCUMENTED,
                f"record {record.id}",
                f"{record.id} (score {score}, owner {record.get('owner')}) was accepted by "
                f"{role}, which may accept {authority}",
                f"have a role whose `accepts` covers a score of {score} accept {record.id}",
                record.id,
                shared=Shared(
                    "records",
                    "{ids} were accepted by roles whose `accepts` does not cover their score",
                    "have a role whose `accepts` covers its score accept each",
                ),
                detail=f"score {score}, owner {record.get('owner')}, accepted by {role}, "
                f"which may accept {authority}",
            )
        )
    return outcome


def _within_criteria(check: Check, criteria: list[str]) -> list[Document]:
    """Documents an audit judged: named by id, or listing a clause named in its criteria."""
    evidence, view = check.evidence, check.evidence.view
    leaves = {leaf.id for leaf in view.standard.leaves}
    found: list[Document] = []
    for criterion in criteria:
        item = view.item(criterion)
        if isinstance(item, Document):
            found.append(item)
            continue
        for leaf in leaves_of(view.standard, criterion):
            if leaf in leaves:
                found += evidence.addressing(leaf)
    unique = {id(d): d for d in found}
    return list(unique.values())


def independence_rule(check: Check) -> Outcome:
    evidence = check.evidence
    kind = str(check.option("kind", "internal-audit"))
    audits = list(evidence.records_of_kind(kind))
    outcome = Outcome.over(audits)
    for audit in audits:
        auditors = [str(a) for a in audit.get("auditors") or []]
        criteria = [str(c) for c in audit.get("criteria") or []]
        if not auditors or not criteria:
            missing = code_names(
                n for n, v in (("auditors", auditors), ("criteria", criteria)) if not v
            )
            outcome.observe(
                check.finding(
                    State.DOCUMENTED,
                    f"record {audit.id}",
                    f"{audit.id} does not name its {missing}, so independence cannot be checked",
                    f"add {missing} to {audit.id} as its text states them",
                    audit.id,
                    grade="observation",
                    shared=Shared(
                        "records",
                        "{ids} do not name their `auditors` or `criteria`, so independence "
                        "cannot be checked",
                        "add to each the auditors and criteria its text states",
                    ),
                    detail=f"no {missing}",
                )
            )
            continue
        judged = [d for d in _within_criteria(check, criteria) if d.get("kind") != kind]
        own = [
            f"{d.id} ({'owner' if d.get('owner') == a else 'approver'} {a})"
            for d in judged
            for a in auditors
            if a in (d.get("owner"), d.get("approver"))
        ]
        if not own:
            continue
        outcome.fail(
            check.finding(
                State.DOCUMENTED,
                f"record {audit.id}",
                f"{audit.id} was audited by {listed(auditors)}, who own or approve what it "
                f"judged: {', '.join(own)}",
                "have an auditor who neither owns nor approves those documents audit them again",
                audit.id,
                shared=Shared(
                    "records",
                    "{ids} were audited by people who own or approve what they judged",
                    "have an auditor who neither owns nor approves those documents audit them "
                    "again",
                ),
                detail=f"{listed(auditors)} for {', '.join(own)}",
            )
        )
    return outcome


def programme_rule(check: Check) -> Outcome:
    """The audit programme against its reports: each audit marked as done has the clauses the
    programme gives it in its report's criteria (`check: marks`); each clause an audit found
    fault with is audited again by a later audit of the programme (`check: reaudit`)."""
    kind = str(check.option("kind", "audit-programme"))
    programmes = [
        d
        for d in check.evidence.documents
        if d.get("kind") == kind and d.get("status") == "approved" and d.get("audits")
    ]
    if not programmes:
        finding = check.finding(
            State.DOCUMENTED,
            f"document kind {kind}",
            f"no approved {kind} lists its `audits` (id, clauses, report), so what it marks "
            "as audited cannot be checked against the reports",
            "list each audit under `audits:` with its clauses and, once held, its report",
            grade="observation",
        )
        return Outcome.failed(finding)
    programme = max(programmes, key=lambda d: str(d.get("approved_on") or ""))
    reaudit = check.option("check") == "reaudit"
    judge = _reaudited if reaudit else _marked
    shared = _programme_shared(programme, reaudit)
    outcome = Outcome(State.EVIDENCED, evidence=[programme.id or ""])
    audits = [a for a in programme.get("audits") or [] if isinstance(a, dict)]
    for index, audit in enumerate(audits):
        report = check.evidence.view.item(str(audit.get("report"))) if audit.get("report") else None
        if not isinstance(report, Document):
            continue
        found = judge(check, programme, audits[index:], report)
        if found is None:
            continue
        problem, remedy, detail = found
        outcome.fail(
            check.finding(
                State.DOCUMENTED,
                f"audit {audit.get('id')}",
                problem,
                remedy,
                report.id,
                shared=shared,
                detail=detail,
                label=str(audit.get("id")),
            )
        )
    return outcome


def _programme_shared(programme: Document, reaudit: bool) -> Shared:
    """What the programme rule says once of several audits."""
    if reaudit:
        return Shared(
            "audits",
            f"{{ids}} found fault with clauses that no later audit of {programme.id} covers",
            f"plan an audit of those clauses later in the cycle, under `audits` of {programme.id}",
        )
    return Shared(
        "audits",
        f"{programme.id} marks {{ids}} as audited for clauses the criteria of their reports do "
        "not include",
        f"audit those clauses and record it, or correct {programme.id}",
    )


def _leaves(check: Check, clauses: list[Any]) -> set[str]:
    standard = check.evidence.view.standard
    return {leaf for clause in clauses for leaf in leaves_of(standard, str(clause))}


def _marked(
    check: Check, programme: Document, audits: list[dict[str, Any]], report: Document
) -> tuple[str, str, str] | None:
    audit = audits[0]
    judged = _leaves(check, report.get("criteria") or [])
    planned = [str(c) for c in audit.get("clauses") or []]
    missing = [c for c in planned if not _leaves(check, [c]) <= judged]
    if not missing:
        return None
    return (
        f"{programme.id} marks {audit.get('id')} as audited for {listed(missing)}, "
        f"but the criteria of its report {report.id} do not include "
        + ("it" if len(missing) == 1 else "them"),
        f"audit {listed(missing)} and record it, or correct {programme.id}",
        f"{listed(missing)} (report {report.id})",
    )


def _reaudited(
    check: Check, programme: Document, audits: list[dict[str, Any]], report: Document
) -> tuple[str, str, str] | None:
    audit, later = audits[0], audits[1:]
    planned = _leaves(check, [c for a in later for c in a.get("clauses") or []])
    flagged = [str(c) for c in report.get("findings_on") or []]
    missing = [c for c in flagged if not _leaves(check, [c]) <= planned]
    if not missing:
        return None
    return (
        f"{report.id} ({audit.get('id')}) found fault with {listed(missing)}, which no "
        f"later audit of {programme.id} covers",
        f"plan an audit of {listed(missing)} later in the cycle, under `audits` of {programme.id}",
        f"{listed(missing)} (report {report.id})",
    )
