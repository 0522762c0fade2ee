"""Evidence rules about records: records (at a cadence), covers, fields, current."""

from __future__ import annotations

import datetime
from typing import Any

from ..coverage import leaves_of
from ..model import Document, Record
from ..review import parse_date, record_is_open
from .check import Check, Outcome, members, types_text
from .evidence import Finding, Shared, State, matches, record_date
from .sections import section_names
from .wording import code_names, counted, listed, plural


def records_rule(check: Check) -> Outcome:
    """Records of a kind exist, the latest within the cadence an approved document declares."""
    kind = str(check.option("kind"))
    months, declared_by = check.evidence.cadence(kind, check.option("default_months"))
    outcome = Outcome(State.EVIDENCED)
    if declared_by is None:
        outcome.fail(_undeclared_cadence(check, kind, months))
    dated = _dated_records(check, kind)
    current = [
        (d, i)
        for d, i in dated
        if d is not None and (not isinstance(i, Document) or check.evidence.approved(i))
    ]
    if not current:
        outcome.fail(_no_record(check, kind, months, declared_by, dated))
        return outcome
    latest_date, latest = max(current, key=lambda pair: str(pair[0]))
    due = check.evidence.next_due(latest_date, months)
    if due < check.evidence.today:
        outcome.fail(
            check.finding(
                State.LAPSED,
                f"record kind {kind}",
                f"the latest {kind} record ({latest.id}, {latest_date}) is older than the "
                f"cadence of {counted(months, 'month')}; the next was due on {due}",
                f"hold and record the {kind} that is due",
                latest.id,
            )
        )
    outcome.evidence.append(latest.id or "")
    return outcome


def _dated_records(check: Check, kind: str) -> list[tuple[datetime.date | None, Document | Record]]:
    """The records of the kind (documents, and the register's records) with their dates."""
    evidence, register_name = check.evidence, check.option("register")
    items: list[Document | Record] = list(evidence.records_of_kind(kind))
    if register_name and register_name in evidence.view.registers:
        items += evidence.view.registers[register_name].records
    date_field = check.option("date")
    return [(record_date(i, date_field if isinstance(i, Record) else None), i) for i in items]


def _undeclared_cadence(check: Check, kind: str, months: int) -> Finding:
    return check.finding(
        State.DOCUMENTED,
        f"record kind {kind}",
        f"no approved document declares how often {kind} records are made "
        f"({counted(months, 'month')} assumed)",
        f"declare `cadences: {{{kind}: MONTHS}}` in the front matter of the procedure "
        "or plan that sets the interval",
        grade="observation",
    )


def _no_record(
    check: Check,
    kind: str,
    months: int,
    declared_by: Document | None,
    dated: list[tuple[datetime.date | None, Document | Record]],
) -> Finding:
    """No approved, dated record of the kind: a gap, planned where drafts exist, documented
    while the first is not due yet."""
    drafts = [i for _d, i in dated if isinstance(i, Document)]
    state = State.PLANNED if drafts else State.GAP
    approved = parse_date(declared_by.get("approved_on")) if declared_by is not None else None
    if approved is not None and check.evidence.next_due(approved, months) >= check.evidence.today:
        state = State.DOCUMENTED  # the first record is not due yet
    return check.finding(
        state,
        f"record kind {kind}",
        f"no approved {kind} record" + (" (only drafts)" if drafts else "") + _hint(check),
        f"record each {kind} as a record document with `kind: {kind}` and its date "
        "(`held_on`), and approve it",
    )


def _hint(check: Check) -> str:
    """Records that list the clause without a kind: perhaps the author forgot the kind."""
    found = check.evidence.unkinded_records(check.requirement.clause)
    if not found:
        return ""
    ids = listed(d.id or "" for d in found)
    one = "s" * (len(found) == 1)
    return f"; {ids} list{one} the clause but declare{one} no `kind`"


def _covering(check: Check) -> list[Document]:
    """Documents of the rule's kind (or types), oldest first."""
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
    return sorted(candidates, key=lambda d: str(record_date(d) or ""))


def _full_review(check: Check, candidates: list[Document]) -> Document | Finding | None:
    """The record an approved document designates as the full one (`full_review: {KIND:
    first-of-year}`: the first of the latest year that has one); a finding if none does, or
    if that record is not approved."""
    kind = str(check.option("kind"))
    designated = [
        d
        for d in check.evidence.documents
        if check.evidence.approved(d) and (d.get("full_review") or {}).get(kind)
    ]
    if not designated:
        return check.finding(
            State.DOCUMENTED,
            f"record kind {kind}",
            f"no approved document designates which {kind} is the full one",
            f"declare `full_review: {{{kind}: first-of-year}}` in the procedure that says so",
            grade="observation",
        )
    dated = [(record_date(d), d) for d in candidates]
    years = [day.year for day, _d in dated if day is not None]
    if not years:
        return None
    full = next(d for day, d in dated if day is not None and day.year == max(years))
    if check.evidence.approved(full):
        return full
    return check.finding(
        State.PLANNED,
        f"{kind} {full.id}",
        f"{full.id}, the full {kind}, {_not_approved(check, full)}",
        f"have {full.id} approved as it stands, or address the finding on its approval",
        full.id,
    )


def _not_approved(check: Check, document: Document) -> str:
    """Why a document does not count as approved, in words."""
    if document.get("status") != "approved":
        return f"is {document.get('status')}, not approved"
    untrusted = check.evidence.untrusted.get(document.id or "")
    if untrusted:
        return f"has an approval that does not hold: {untrusted}"
    return f"was approved by {document.get('approver')}, a role without the authority"


def _unbacked(check: Check, document: Document, claimed: set[str], kind: str) -> list[Finding]:
    """A `covers` claim no section of the record names."""
    items = {item_id for item_id, _text in check.requirements.checklist(check.option("checklist"))}
    named = section_names(document)
    unbacked = sorted(i for i in claimed & items if i not in named)
    if not unbacked:
        return []
    return [
        check.finding(
            State.DOCUMENTED,
            f"{kind} {document.id}",
            f"{document.id} lists under `covers` what no section of it names: " + listed(unbacked),
            "give the section that covers each a heading naming it "
            f"(`## <title> {{#{unbacked[0]}}}`), or take it off `covers`",
            document.id,
        )
    ]


def covers_rule(check: Check) -> Outcome:
    name = str(check.option("checklist"))
    items = check.requirements.checklist(name)
    kind = check.option("kind") or types_text(check)
    field = check.option("field", "covers")
    candidates = _covering(check)
    approved = [d for d in candidates if check.evidence.approved(d)]
    document: Document | Finding | None = approved[-1] if approved else None
    if check.option("review") == "full" and candidates:
        document = _full_review(check, candidates)
    if isinstance(document, Finding):
        return Outcome.failed(document)
    if document is None:
        return Outcome.failed(
            check.finding(
                State.GAP,
                f"record kind {kind}",
                f"no approved {kind} to check against the {name} checklist" + _hint(check),
                f"record it, listing what it covers under `{field}`",
            )
        )
    listed_ids = {str(v) for v in document.get(field) or []}
    findings = _unbacked(check, document, listed_ids, kind) if check.option("sections") else []
    if name == "clauses":
        standard = check.evidence.view.standard
        listed_ids = {leaf for value in listed_ids for leaf in leaves_of(standard, value)}
    missing = [(item_id, text) for item_id, text in items if item_id not in listed_ids]
    if missing:
        them = "it" if len(missing) == 1 else "them"
        findings.append(
            check.finding(
                State.DOCUMENTED,
                f"{kind} {document.id}",
                f"{document.id} does not cover: " + "; ".join(text for _i, text in missing),
                f"cover {them} and list {code_names(i for i, _text in missing)} under `{field}`",
                document.id,
            )
        )
    return Outcome(State.DOCUMENTED if findings else State.EVIDENCED, findings, [document.id or ""])


def fields_rule(check: Check) -> Outcome:
    evidence = check.evidence
    where, required = check.option("where") or {}, check.option("require") or []
    targets: list[Document | Record]
    if check.option("documents") is not None:
        types = check.option("documents")
        targets = [d for d in evidence.documents if evidence.approved(d) and d.get("type") in types]
        targets = [d for d in targets if matches(d, where)]
        if not targets:
            return _nothing_to_check(check, types, where)
    else:
        targets = list(members(check))
    within = check.option("within")
    outcome = Outcome.over(targets)
    for target in targets:
        lacks = _entries_lacking(target, within, required) if within else _lacking(target, required)
        if not lacks:
            continue
        noun = "document" if isinstance(target, Document) else "record"
        where = f" to each of its `{within}`" if within else ""
        outcome.fail(
            check.finding(
                State.DOCUMENTED,
                f"{noun} {target.id}",
                f"{target.id} " + "; ".join(lacks),
                f"add {code_names(required)}{where}",
                target.id,
                shared=Shared(
                    plural(noun),
                    f"{{ids}} lack {code_names(required, 'or')}"
                    + (f" in entries of their `{within}`" if within else ""),
                    f"add {code_names(required)} to each"
                    + (f" of their `{within}`" if within else ""),
                ),
                detail=", ".join(lacks).replace(f" of `{within}`", ""),
            )
        )
    return outcome


def _nothing_to_check(check: Check, types: list[str], where: dict[str, Any]) -> Outcome:
    """A rule about what approved documents must carry proves nothing when there is no such
    document: the requirement is not met by default (an empty set is not evidence)."""
    kinds = ", ".join(str(k) for values in where.values() for k in values) if where else ""
    named = f"{kinds} {plural(types[0]) if len(types) == 1 else 'documents'}".strip()
    return Outcome.failed(
        check.finding(
            State.GAP,
            named,
            f"no approved {named} to check",
            f"approve one that carries {code_names(check.option('require') or [])}",
        )
    )


def _lacking(target: Document | Record | dict[str, Any], required: list[str]) -> list[str]:
    missing = [name for name in required if target.get(name) in (None, "", [])]
    return [f"lacks {code_names(missing)}"] if missing else []


def _entries_lacking(target: Document | Record, within: str, required: list[str]) -> list[str]:
    """What the entries of a list field lack (each decision of a review its owner and date);
    a missing list is said once."""
    entries = target.get(within)
    if not isinstance(entries, list) or not entries:
        return [f"lists no `{within}`, so their {code_names(required)} cannot be checked"]
    lacks = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            continue
        missing = [name for name in required if entry.get(name) in (None, "", [])]
        if missing:
            label = next((v for v in entry.values() if isinstance(v, str)), "")
            lacks.append(f"entry {number} of `{within}` ({label}) lacks {code_names(missing)}")
    return lacks


def current_rule(check: Check) -> Outcome:
    evidence = check.evidence
    register = evidence.view.registers.get(check.option("register"))
    if register is None or register.kind.due_field is None:
        return Outcome.over([])
    field_name = register.kind.due_field
    dated = [
        (record, due)
        for record in register.records
        if record_is_open(register, record)
        and (due := parse_date(record.get(field_name))) is not None
    ]
    outcome = Outcome.over(dated)
    for record, due in dated:
        if due >= evidence.today:
            continue
        date_title = register.kind.field_title(register.kind.due_field)
        outcome.fail(
            check.finding(
                State.LAPSED,
                f"record {record.id}",
                f"{record.id} is past its {date_title} ({due}) and still open",
                "act on it and record the outcome, or set a new date with a reason",
                record.id,
                shared=Shared(
                    "records",
                    f"{{ids}} are past their {date_title} and still open",
                    "act on each and record the outcome, or set a new date with a reason",
                ),
                detail=str(due),
            )
        )
    return outcome
