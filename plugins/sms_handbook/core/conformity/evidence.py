"""What counts as evidence: decided here once, for every rule.

A document is evidence only when it is controlled, approved, approved by a role that holds the
authority to approve its type (where the roles register declares authorities), its approval
holds in the repository's history (no major finding of the history checks) and not overdue
for review. Plain pages, drafts, documents in review and retired ones never count.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from ..coverage import addressed_leaves
from ..integrity import Grade
from ..model import Document, Handbook, Record, Register
from ..review import add_months, document_next_review, parse_date, register_next_review
from .wording import listed

RECORD_DATES = ("held_on", "performed_on", "date")


class State(enum.Enum):
    """Conformity states, worst first: a requirement takes the worst of its evidence."""

    GAP = "gap"  # nothing shows it
    PLANNED = "planned"  # only drafts, documents in review, or approvals without authority
    LAPSED = "lapsed"  # evidence overdue: past its cadence, its due date or its review
    DOCUMENTED = "documented"  # approved documents; records not yet due, or incomplete
    EVIDENCED = "evidenced"  # approved, and the records it needs exist and are current
    # Last, so that it never hides another state: a rule about every item of a kind (every
    # accepted risk, every closed nonconformity) when no such item exists yet. Nothing fails,
    # but nothing shows the requirement works either: counted neither documented nor evidenced.
    UNTESTED = "untested"

    @property
    def rank(self) -> int:
        return list(State).index(self)


def worst(states: list[State]) -> State:
    return min(states, key=lambda s: s.rank) if states else State.EVIDENCED


@dataclass(frozen=True)
class Shared:
    """What a rule's findings about several items say once: `problem` with `{ids}` where the
    items go ("{ids} have no contract"), the `noun` for them in the plural ("suppliers"), and
    one `remedy` for each."""

    noun: str
    problem: str
    remedy: str

    def says(self, ids: list[str], details: list[str]) -> str:
        """The problem for the items, with what each adds: said once where all add the same."""
        problem = self.problem.replace("{ids}", listed(dict.fromkeys(ids)))
        if not any(details):
            return problem
        if len(set(details)) == 1:
            return f"{problem}: {details[0]}"
        each = [f"{i}: {d}" for i, d in zip(ids, details, strict=True) if d]
        return f"{problem}: {'; '.join(each)}"


@dataclass(frozen=True)
class Finding:
    """A gap an auditor would raise: where, what, which item, and what to do."""

    clause: str
    requirement: str  # the requirement's id
    text: str  # the requirement, in words
    state: State
    item: str  # what it is about, in words: "service SVC-003", "record kind management-review"
    problem: str
    remedy: str
    link: str | None = None  # a LinkMap key: the item, or where evidence is expected
    grade: Grade = "minor"
    items: tuple[str, ...] = ()  # every item the finding is about (one finding per rule)
    why: str = ""  # its grade in one line: the rule's default, its own, an override, escalated
    subjects: tuple[str, ...] = ()  # ids of the items it is about, where they have one
    shared: Shared | None = None  # what it says once when it is about several items
    detail: str = ""  # what this item adds to `shared`
    label: str = ""  # the item as `shared` lists it: its id

    @property
    def open(self) -> bool:
        """A nonconformity (major or minor), which keeps its clause from being evidenced."""
        return self.grade != "observation"


@dataclass
class Evidence:
    """One audience's view of the handbook, indexed for the rules."""

    view: Handbook
    today: datetime.date
    cadences: dict[str, int] = field(default_factory=dict)
    authority: dict[str, set[str]] | None = None  # role -> document types it approves
    # Item id -> why its approval does not hold: a major finding of the history checks that
    # no closed nonconformity addresses (core/integrity).
    untrusted: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.documents = [d for d in self.view.controlled_documents if d.get("status") != "retired"]
        roles = self.view.registers.get("roles")
        declared = {
            r.id: {str(t) for t in r.get("approves") or []}
            for r in (roles.records if roles else [])
            if isinstance(r.get("approves"), list)
        }
        self.authority = declared or None
        # A document counts for the leaf clauses it lists; a parent clause it lists counts
        # for the leaves below only where a rule says so (`parents: true`).
        self._by_clause: dict[str, list[Document]] = {}
        self._by_parent: dict[str, list[Document]] = {}
        standard = self.view.standard
        for document in self.documents:
            for clause in document.clauses:
                found = standard.clauses.get(clause)
                if found is not None and found.is_leaf:
                    self._by_clause.setdefault(clause, []).append(document)
                    continue
                for leaf in addressed_leaves(standard, [clause]):
                    self._by_parent.setdefault(leaf, []).append(document)
        self.declared_cadences: dict[str, tuple[int, Document]] = {}
        for document in self.documents:
            if not self.approved(document):
                continue
            for kind, months in (document.get("cadences") or {}).items():
                if isinstance(months, int) and not isinstance(months, bool) and months > 0:
                    self.declared_cadences.setdefault(str(kind), (months, document))

    def authorised(self, document: Document) -> bool:
        if self.authority is None:
            return True
        return str(document.get("type")) in self.authority.get(str(document.get("approver")), ())

    def approved(self, document: Document) -> bool:
        return (
            document.get("status") == "approved"
            and self.authorised(document)
            and (document.id or "") not in self.untrusted
        )

    def document_state(self, document: Document) -> State:
        if not self.approved(document):
            return State.PLANNED
        due = document_next_review(document, self.view.settings.review_interval_months)
        return State.LAPSED if due is not None and due < self.today else State.EVIDENCED

    def register_state(self, register: Register) -> State:
        due = register_next_review(register, self.view.settings.review_interval_months)
        return State.LAPSED if due is not None and due < self.today else State.EVIDENCED

    def addressing(self, clause: str, parents: bool = False) -> list[Document]:
        """Controlled documents (not retired) that list the leaf clause; with `parents`,
        also those that list a clause above it."""
        own = self._by_clause.get(clause, [])
        if not parents:
            return own
        return own + [d for d in self._by_parent.get(clause, []) if d not in own]

    def of_kind(self, document: Document, kinds: list[str], clause: str) -> bool:
        """Whether a document is of one of `kinds`: only its own `kind:` says so (a procedure
        that refers to a statement is not the statement). No `kinds`: any document."""
        return not kinds or document.get("kind") in kinds

    def records_of_kind(self, kind: str) -> list[Document]:
        """Record documents that say they are of `kind` (records need an explicit kind: a
        list of contacts and a test report can address the same clause)."""
        return [d for d in self.documents if d.get("type") == "record" and d.get("kind") == kind]

    def unkinded_records(self, clause: str) -> list[Document]:
        """Record documents that list the clause but declare no kind: hints for a finding."""
        return [
            d for d in self.addressing(clause) if d.get("type") == "record" and not d.get("kind")
        ]

    def cadence(self, kind: str, default: int | None) -> tuple[int, Document | None]:
        """Months between records of a kind: as a document declares it, else the
        repository's or the catalogue's default, else the rule's, else a year."""
        if kind in self.declared_cadences:
            return self.declared_cadences[kind]
        return self.cadences.get(kind, default or 12), None

    def documents_naming(self, field_name: str, item_id: str) -> list[Document]:
        return [d for d in self.documents if item_id in _listed(d.get(field_name))]

    def clauses_of(self, ids: tuple[str, ...]) -> list[str]:
        """The clauses the items are evidence for: a document's own, a record's own or else
        its register's; in the order first named."""
        found: list[str] = []
        for item_id in ids:
            item = self.view.item(item_id)
            if isinstance(item, Document):
                found += item.clauses
            elif isinstance(item, Record):
                register = self.view.registers.get(item.register)
                found += item.clauses or (register.clauses if register else [])
        return list(dict.fromkeys(found))

    def next_due(self, date: datetime.date, months: int) -> datetime.date:
        return add_months(date, months)


def record_date(item: Document | Record, date_field: str | None = None) -> datetime.date | None:
    """When a recorded event happened: its date field, else its approval date."""
    names = (date_field,) if date_field else RECORD_DATES
    for name in names:
        value = parse_date(item.get(name))
        if value is not None:
            return value
    return parse_date(item.get("approved_on")) if isinstance(item, Document) else None


def _listed(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if isinstance(value, str) else []


def matches(record: Record | Document, where: dict[str, list[Any]]) -> bool:
    return all(record.get(name) in allowed for name, allowed in where.items())
