"""The fixed vocabulary of evidence rules; each returns a state and its findings.

document   an approved, in-date controlled document (of given types / kind) lists the clause
register   a register of a kind lists the clause, holds records and is not overdue for review
records    records of a kind exist, the latest within the cadence the handbook declares
each       every record of a register subset has a linked approved document (an SLA per
           live service, a contract per external supplier, ...)
covers     the latest record (or document) of a kind covers a checklist (the inputs of a
           management review, every clause in an audit programme)
fields     records (or documents) in a state carry the fields that state needs
current    no open record of a register is past its due date
approvals  every approval was given by a role that holds the authority for it
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..coverage import leaves_of
from ..model import Document, Record
from ..review import parse_date, record_is_open
from .evidence import Evidence, Finding, State, matches, record_date, worst
from .requirements import Requirement, Requirements, Rule


@dataclass
class Outcome:
    state: State
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # ids of the items that show it


@dataclass
class Check:
    """What every rule gets: the requirement, its rule, the evidence and the catalogue."""

    requirement: Requirement
    rule: Rule
    evidence: Evidence
    requirements: Requirements

    def finding(
        self, state: State, item: str, problem: str, remedy: str, link: str | None = None
    ) -> Finding:
        requirement = self.requirement
        return Finding(
            requirement.clause,
            requirement.id,
            requirement.text,
            state,
            item,
            problem,
            remedy,
            link or f"clause:{requirement.clause}",
        )

    def option(self, name: str, default: Any = None) -> Any:
        return self.rule.options.get(name, default)


def _types(check: Check) -> str:
    types = check.option("types") or []
    return " or ".join(types) if types else "controlled document"


def _document(check: Check) -> Outcome:
    clause, evidence = check.requirement.clause, check.evidence
    types, kind = check.option("types") or [], check.option("kind")
    candidates = [
        d
        for d in evidence.addressing(clause)
        if (not types or d.get("type") in types)
        and evidence.of_kind(d, [kind] if kind else [], clause)
    ]
    what = f"{_types(check)}{f' of kind {kind}' if kind else ''}"
    if not candidates:
        return Outcome(
            State.GAP,
            [
                check.finding(
                    State.GAP,
                    f"clause {clause}",
                    f"no {what} lists clause {clause}",
                    f"write and approve a {what} that lists {clause} in `clauses`",
                )
            ],
        )
    best = max(candidates, key=lambda d: evidence.document_state(d).rank)
    state = evidence.document_state(best)
    ids = [d.id or "" for d in candidates if evidence.document_state(d) is state]
    if state is State.EVIDENCED:
        return Outcome(state, evidence=ids)
    if state is State.LAPSED:
        problem, remedy = f"{best.id} is overdue for review", f"review {best.id} and re-approve it"
    elif best.get("status") == "approved":
        problem = f"{best.id} was approved by {best.get('approver')}, a role without authority"
        remedy = f"have a role that approves {best.get('type')}s approve {best.id}"
    else:
        problem = f"{best.id} is {best.get('status')}, not approved"
        remedy = f"approve {best.id}"
    return Outcome(state, [check.finding(state, f"document {best.id}", problem, remedy, best.id)])


def _register(check: Check) -> Outcome:
    name, clause = check.option("name"), check.requirement.clause
    register = check.evidence.view.registers.get(name)
    if register is None or clause not in _register_clauses(check, register.clauses):
        return Outcome(
            State.GAP,
            [
                check.finding(
                    State.GAP,
                    f"register {name}",
                    f"no {name} register lists clause {clause}",
                    f'add registers/{name}.yaml with `clauses: ["{clause}"]` and its records',
                )
            ],
        )
    if not register.records:
        problem = f"the {name} register holds no records"
        return Outcome(
            State.PLANNED, [check.finding(State.PLANNED, f"register {name}", problem, "add them")]
        )
    state = check.evidence.register_state(register)
    if state is State.LAPSED:
        finding = check.finding(
            state, f"register {name}", "the register is overdue for review", "review it"
        )
        return Outcome(state, [finding], [name])
    return Outcome(state, evidence=[name])


def _register_clauses(check: Check, clauses: list[str]) -> set[str]:
    standard = check.evidence.view.standard
    return {leaf for clause in clauses for leaf in leaves_of(standard, clause)}


def _records(check: Check) -> Outcome:
    evidence = check.evidence
    kind = str(check.option("kind"))
    register_name, date_field = check.option("register"), check.option("date")
    items: list[Document | Record] = list(evidence.records_of_kind(kind))
    if register_name and register_name in evidence.view.registers:
        items += evidence.view.registers[register_name].records
    months, declared_by = evidence.cadence(kind, check.option("default_months"))
    dated = [(record_date(i, date_field if isinstance(i, Record) else None), i) for i in items]
    current = [
        (d, i)
        for d, i in dated
        if d is not None and (not isinstance(i, Document) or evidence.approved(i))
    ]
    findings = []
    states = []
    if declared_by is None:
        states.append(State.DOCUMENTED)
        findings.append(
            check.finding(
                State.DOCUMENTED,
                f"record kind {kind}",
                f"no approved document declares how often {kind} records are made "
                f"({months} months assumed)",
                f"declare `cadences: {{{kind}: MONTHS}}` in the front matter of the procedure "
                "or plan that sets the interval",
            )
        )
    if not current:
        drafts = [i for _d, i in dated if isinstance(i, Document)]
        state = State.PLANNED if drafts else State.GAP
        if declared_by is not None and declared_by.get("approved_on"):
            approved = parse_date(declared_by.get("approved_on"))
            if approved is not None and evidence.next_due(approved, months) >= evidence.today:
                state = State.DOCUMENTED  # the first record is not due yet
        findings.append(
            check.finding(
                state,
                f"record kind {kind}",
                f"no approved {kind} record" + (" (only drafts)" if drafts else "") + _hint(check),
                f"record each {kind} as a record document with `kind: {kind}` and its date "
                "(`held_on`), and approve it",
            )
        )
        return Outcome(worst([*states, state]), findings)
    latest_date, latest = max(current, key=lambda pair: str(pair[0]))
    latest_id = latest.id or ""
    due = evidence.next_due(latest_date, months)
    if due < evidence.today:
        findings.append(
            check.finding(
                State.LAPSED,
                f"record kind {kind}",
                f"the latest {kind} record ({latest_id}, {latest_date}) is older than the "
                f"cadence of {months} months; the next was due on {due}",
                f"hold and record the {kind} that is due",
                latest_id,
            )
        )
        states.append(State.LAPSED)
    return Outcome(worst([*states, State.EVIDENCED]), findings, [latest_id])


def _hint(check: Check) -> str:
    """Records that list the clause without a kind: perhaps the author forgot the kind."""
    found = check.evidence.unkinded_records(check.requirement.clause)
    if not found:
        return ""
    ids = ", ".join(d.id or "" for d in found)
    one = "s" * (len(found) == 1)
    return f"; {ids} list{one} the clause but declare{one} no `kind`"


def _members(check: Check) -> list[Record]:
    register = check.evidence.view.registers.get(check.option("register"))
    where = check.option("where") or {}
    return [r for r in (register.records if register else []) if matches(r, where)]


def _each(check: Check) -> Outcome:
    evidence, needs = check.evidence, check.option("needs") or {}
    register = str(check.option("register"))
    types, kinds = needs.get("types") or [], needs.get("kinds") or []
    what = needs.get("what") or " or ".join(kinds or types) or "document"
    via, link = needs.get("via") or register, needs.get("link")
    noun = register.rstrip("s")
    outcome = Outcome(State.EVIDENCED)
    for member in _members(check):
        linked = evidence.documents_naming(via, member.id)
        named = member.get(link) if link else None
        for target in named if isinstance(named, list) else [named]:
            document = evidence.view.item(target) if isinstance(target, str) else None
            if isinstance(document, Document) and document in evidence.documents:
                linked.append(document)
        linked = [
            d
            for d in linked
            if (not types or d.get("type") in types)
            and evidence.of_kind(d, kinds, check.requirement.clause)
        ]
        states = [evidence.document_state(d) for d in linked]
        state = max(states, key=lambda s: s.rank) if states else State.GAP
        if state is State.EVIDENCED:
            outcome.evidence += [d.id or "" for d in linked]
            continue
        problem = {
            State.GAP: f"{noun} {member.id} has no {what}",
            State.PLANNED: f"the {what} of {noun} {member.id} is not approved",
            State.LAPSED: f"the {what} of {noun} {member.id} is overdue for review",
        }[state]
        kind_hint = f" and `kind: {kinds[0]}`" if kinds else ""
        remedy = (
            f"write and approve a {what} (type {types[0] if types else 'agreement'}{kind_hint}) "
            f"that lists {member.id} in `{via}`"
        )
        outcome.findings.append(check.finding(state, f"{noun} {member.id}", problem, remedy))
        outcome.state = worst([outcome.state, state])
    return outcome


def _latest_covering(check: Check) -> Document | None:
    evidence, clause = check.evidence, check.requirement.clause
    kind, types = check.option("kind"), check.option("types")
    if types:
        candidates = [
            d
            for d in evidence.documents
            if d.get("type") in types and evidence.of_kind(d, [kind] if kind else [], clause)
        ]
    else:
        # A record that lists the clause but declares no kind is still read for what it
        # covers (the records rule reports the missing kind).
        candidates = evidence.records_of_kind(str(kind)) or evidence.unkinded_records(clause)
    approved = [d for d in candidates if evidence.approved(d)]
    if not approved:
        return None
    return max(approved, key=lambda d: str(record_date(d) or ""))


def _covers(check: Check) -> Outcome:
    name = str(check.option("checklist"))
    items = check.requirements.checklist(name)
    kind = check.option("kind") or _types(check)
    document = _latest_covering(check)
    if document is None:
        return Outcome(
            State.GAP,
            [
                check.finding(
                    State.GAP,
                    f"record kind {kind}",
                    f"no approved {kind} to check against the {name} checklist" + _hint(check),
                    f"record it, listing what it covers under `{check.option('field', 'covers')}`",
                )
            ],
        )
    listed = {str(v) for v in document.get(check.option("field", "covers")) or []}
    if name == "clauses":
        standard = check.evidence.view.standard
        listed = {leaf for value in listed for leaf in leaves_of(standard, value)}
    missing = [(item_id, text) for item_id, text in items if item_id not in listed]
    findings = [
        check.finding(
            State.DOCUMENTED,
            f"{kind} {document.id}",
            f"{document.id} does not cover: {text}",
            f"cover it and list `{item_id}` under `{check.option('field', 'covers')}`",
            document.id,
        )
        for item_id, text in missing
    ]
    return Outcome(State.DOCUMENTED if missing else State.EVIDENCED, findings, [document.id or ""])


def _fields(check: Check) -> Outcome:
    evidence = check.evidence
    where, required = check.option("where") or {}, check.option("require") or []
    targets: list[Document | Record]
    if check.option("documents") is not None:
        types = check.option("documents")
        targets = [d for d in evidence.documents if evidence.approved(d) and d.get("type") in types]
        targets = [d for d in targets if matches(d, where)]
    else:
        targets = list(_members(check))
    outcome = Outcome(State.EVIDENCED)
    for target in targets:
        missing = [name for name in required if target.get(name) in (None, "", [])]
        if not missing:
            continue
        names = ", ".join(f"`{name}`" for name in missing)
        item = f"document {target.id}" if isinstance(target, Document) else f"record {target.id}"
        outcome.findings.append(
            check.finding(
                State.DOCUMENTED, item, f"{target.id} lacks {names}", f"add {names}", target.id
            )
        )
        outcome.state = State.DOCUMENTED
    return outcome


def _current(check: Check) -> Outcome:
    evidence = check.evidence
    register = evidence.view.registers.get(check.option("register"))
    outcome = Outcome(State.EVIDENCED)
    if register is None or register.kind.due_field is None:
        return outcome
    for record in register.records:
        due = parse_date(record.get(register.kind.due_field))
        if due is None or due >= evidence.today or not record_is_open(register, record):
            continue
        outcome.findings.append(
            check.finding(
                State.LAPSED,
                f"record {record.id}",
                f"{record.id} is past its {register.kind.field_title(register.kind.due_field)} "
                f"({due}) and still open",
                "act on it and record the outcome, or set a new date with a reason",
                record.id,
            )
        )
        outcome.state = State.LAPSED
    return outcome


def _approvals(check: Check) -> Outcome:
    evidence = check.evidence
    if evidence.authority is None:
        finding = check.finding(
            State.GAP,
            "register roles",
            "no role in the roles register declares which document types it approves, so "
            "no approval can be checked against an authority",
            "add `approves: [policy, ...]` to the roles that approve documents",
        )
        return Outcome(State.GAP, [finding])
    outcome = Outcome(State.EVIDENCED)
    for document in evidence.documents:
        if document.get("status") == "approved" and not evidence.authorised(document):
            outcome.findings.append(
                check.finding(
                    State.PLANNED,
                    f"document {document.id}",
                    f"{document.id} ({document.get('type')}) was approved by "
                    f"{document.get('approver')}, which does not approve {document.get('type')}s",
                    "have it approved by a role whose `approves` lists its type",
                    document.id,
                )
            )
            outcome.state = State.PLANNED
    return outcome


RULES: dict[str, Callable[[Check], Outcome]] = {
    "document": _document,
    "register": _register,
    "records": _records,
    "each": _each,
    "covers": _covers,
    "fields": _fields,
    "current": _current,
    "approvals": _approvals,
}
