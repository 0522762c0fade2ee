"""Evidence rules about documents: document, register, each, approvals."""

from __future__ import annotations

from ..coverage import leaves_of
from ..model import Document
from .check import Check, Outcome, members, types_text
from .evidence import Shared, State, record_date
from .linked_rules import ID_IN_TEXT
from .wording import article, counted, listed, plural


def document_rule(check: Check) -> Outcome:
    clause, evidence = check.requirement.clause, check.evidence
    types, kind = check.option("types") or [], check.option("kind")
    candidates = [
        d
        for d in evidence.addressing(clause, bool(check.option("parents")))
        if (not types or d.get("type") in types)
        and evidence.of_kind(d, [kind] if kind else [], clause)
    ]
    what = f"{types_text(check)}{f' of kind `{kind}`' if kind else ''}"
    if not candidates:
        other_kind = [
            d.id or ""
            for d in evidence.addressing(clause, bool(check.option("parents")))
            if kind and (not types or d.get("type") in types)
        ]
        hint = (
            f"; {listed(other_kind)} list{'s' * (len(other_kind) == 1)} it but "
            f"{'does' if len(other_kind) == 1 else 'do'} not declare `kind: {kind}`"
            if other_kind
            else ""
        )
        return Outcome.failed(
            check.finding(
                State.GAP,
                f"clause {clause}",
                f"no {what} lists clause {clause}{hint}",
                f"write and approve {article(what)} that lists {clause} in `clauses`",
            )
        )
    best = max(candidates, key=lambda d: evidence.document_state(d).rank)
    state = evidence.document_state(best)
    ids = [d.id or "" for d in candidates if evidence.document_state(d) is state]
    if state is State.EVIDENCED:
        return Outcome(state, evidence=ids)
    if state is State.LAPSED:
        problem, remedy = f"{best.id} is overdue for review", f"review {best.id} and re-approve it"
    elif best.get("status") == "approved" and (best.id or "") in evidence.untrusted:
        problem = f"the approval of {best.id} does not hold: {evidence.untrusted[best.id or '']}"
        remedy = (
            f"have {best.get('approver')} approve {best.id} as it stands, or address the "
            "history finding with a nonconformity and close it"
        )
    elif best.get("status") == "approved":
        problem = f"{best.id} was approved by {best.get('approver')}, a role without authority"
        remedy = f"have a role that approves {plural(str(best.get('type')))} approve {best.id}"
    else:
        problem = f"{best.id} is {best.get('status')}, not approved"
        remedy = f"approve {best.id}"
    return Outcome.failed(check.finding(state, f"document {best.id}", problem, remedy, best.id))


def register_rule(check: Check) -> Outcome:
    name, clause = check.option("name"), check.requirement.clause
    register = check.evidence.view.registers.get(name)
    if register is None or clause not in _register_clauses(check, register.clauses):
        return Outcome.failed(
            check.finding(
                State.GAP,
                f"register {name}",
                f"no {name} register lists clause {clause}",
                f'add registers/{name}.yaml with `clauses: ["{clause}"]` and its records',
            )
        )
    if not register.records:
        problem = f"the {name} register holds no records"
        return Outcome.failed(check.finding(State.PLANNED, f"register {name}", problem, "add them"))
    state = check.evidence.register_state(register)
    if state is State.LAPSED:
        finding = check.finding(
            state, f"register {name}", "the register is overdue for review", "review it"
        )
        return Outcome.failed(finding, [name])
    return Outcome(state, evidence=[name])


def _register_clauses(check: Check, clauses: list[str]) -> set[str]:
    standard = check.evidence.view.standard
    return {leaf for clause in clauses for leaf in leaves_of(standard, clause)}


def each_rule(check: Check) -> Outcome:
    if (check.option("needs") or {}).get("records"):
        return _each_recorded(check)
    evidence, needs = check.evidence, check.option("needs") or {}
    register = str(check.option("register"))
    types, kinds = needs.get("types") or [], needs.get("kinds") or []
    what = needs.get("what") or listed(kinds or types, "or") or "document"
    via, link = needs.get("via") or register, needs.get("link")
    noun = register.rstrip("s")
    found = members(check)
    outcome = Outcome.over(found)
    for member in found:
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
        kind_hint = f" and `kind: {kinds[0]}`" if kinds else ""
        needed = f"{article(what)} (type {types[0] if types else 'agreement'}{kind_hint})"
        outcome.fail(
            check.finding(
                state,
                f"{noun} {member.id}",
                _each_problems(noun, what)[state].replace("{ids}", f"{noun} {member.id}"),
                f"write and approve {needed} that lists {member.id} in `{via}`",
                shared=Shared(
                    plural(noun),
                    _each_problems(noun, what, several=True)[state],
                    f"write and approve {needed} for each, listing it in `{via}`",
                ),
                label=member.id,
            )
        )
    return outcome


def _each_problems(noun: str, what: str, several: bool = False) -> dict[State, str]:
    """What a member without an approved, in-date document lacks, by state; `{ids}` where the
    members go."""
    if several:
        return {
            State.GAP: f"{plural(noun)} {{ids}} have no {what}",
            State.PLANNED: f"{plural(noun)} {{ids}} each have {article(what)} that is not approved",
            State.LAPSED: f"{plural(noun)} {{ids}} each have {article(what)} that is overdue for "
            "review",
        }
    return {
        State.GAP: f"{{ids}} has no {what}",
        State.PLANNED: f"the {what} of {{ids}} is not approved",
        State.LAPSED: f"the {what} of {{ids}} is overdue for review",
    }


def approvals_rule(check: Check) -> Outcome:
    evidence = check.evidence
    if evidence.authority is None:
        finding = check.finding(
            State.GAP,
            "register roles",
            "no role in the roles register declares which document types it approves, so "
            "no approval can be checked against an authority",
            "add `approves: [policy, ...]` to the roles that approve documents",
        )
        return Outcome.failed(finding)
    approved = [d for d in evidence.documents if d.get("status") == "approved"]
    outcome = Outcome.over(approved)
    for document in approved:
        if not evidence.authorised(document):
            kind, approver = document.get("type"), document.get("approver")
            outcome.fail(
                check.finding(
                    State.PLANNED,
                    f"document {document.id}",
                    f"{document.id} ({kind}) was approved by {approver}, which does not "
                    f"approve {plural(str(kind))}",
                    "have it approved by a role whose `approves` lists its type",
                    document.id,
                    shared=Shared(
                        "documents",
                        "{ids} were approved by roles that do not approve their type",
                        "have each approved by a role whose `approves` lists its type",
                    ),
                    detail=f"{article(str(kind))} approved by {approver}",
                )
            )
    return outcome


def _each_recorded(check: Check) -> Outcome:
    """Per member, a record of a kind naming it (in `via` or in its text) within the kind's
    cadence (a quarterly review of every external supplier)."""
    evidence, needs = check.evidence, check.option("needs") or {}
    kind, register = str(needs["records"]), str(check.option("register"))
    via, noun = needs.get("via") or register, register.rstrip("s")
    months, declared_by = evidence.cadence(kind, needs.get("default_months"))
    records = [d for d in evidence.records_of_kind(kind) if evidence.approved(d)]
    cadence = counted(months, "month")
    source = f"{declared_by.id} sets {cadence}" if declared_by else cadence
    named = {d.id: set(ID_IN_TEXT.findall(d.source)) | set(d.get(via) or []) for d in records}
    found = members(check)
    outcome = Outcome.over(found)
    for member in found:
        dates = [
            day for d in records if member.id in named[d.id] and (day := record_date(d)) is not None
        ]
        latest = max(dates, default=None)
        if latest is not None and evidence.next_due(latest, months) >= evidence.today:
            continue
        state = State.GAP if latest is None else State.LAPSED
        when = "none recorded" if latest is None else f"the latest was on {latest}"
        outcome.fail(
            check.finding(
                state,
                f"{noun} {member.id}",
                f"{noun} {member.id} has no {kind} record within its cadence ({source}); {when}",
                f"hold the {kind} and record it with `kind: {kind}` and `{via}: [{member.id}]`",
                member.id,
                shared=Shared(
                    plural(noun),
                    f"{plural(noun)} {{ids}} have no {kind} record within their cadence ({source})",
                    f"hold {article(kind)} with each and record it with `kind: {kind}` and "
                    f"`{via}: [<id>]`",
                ),
                detail=when,
            )
        )
    return outcome
