"""What changed between two states of a handbook: documents, records, coverage, reviews."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from .conformity import ClauseResult, assess
from .model import Document, Handbook
from .review import ReviewState, review_items
from .scope import scope_to_audience


@dataclass(frozen=True)
class DocumentChange:
    change: str  # "added", "changed", "retired" or "removed"
    old: Document | None
    new: Document | None

    @property
    def document(self) -> Document:
        found = self.new or self.old
        assert found is not None
        return found

    @property
    def old_version(self) -> str | None:
        return str(self.old.get("version")) if self.old and self.old.get("version") else None

    @property
    def new_version(self) -> str | None:
        return str(self.new.get("version")) if self.new and self.new.get("version") else None


@dataclass(frozen=True)
class RecordChange:
    register: str
    record_id: str
    title: str
    change: str  # "added", "changed" or "removed"


@dataclass(frozen=True)
class ClauseChange:
    clause_id: str
    title: str
    old: str
    new: str


@dataclass(frozen=True)
class ReviewChange:
    item_id: str
    title: str
    kind: str
    change: str  # "now overdue" or "no longer overdue"


@dataclass
class Changes:
    documents: list[DocumentChange] = field(default_factory=list)
    records: list[RecordChange] = field(default_factory=list)
    registers: list[str] = field(default_factory=list)  # registers whose header changed
    clauses: list[ClauseChange] = field(default_factory=list)
    reviews: list[ReviewChange] = field(default_factory=list)
    coverage: tuple[float, float] = (0.0, 0.0)  # requirements evidenced, percent, before/after
    documented: tuple[float, float] = (0.0, 0.0)  # requirements documented, percent
    withdrawn: int = 0  # items the audience saw before and may not see now (never named)

    @property
    def empty(self) -> bool:
        return not (
            self.documents
            or self.records
            or self.registers
            or self.clauses
            or self.reviews
            or self.withdrawn
        )

    @property
    def approvals(self) -> list[Document]:
        """Documents added or changed here whose new content awaits or records an approval."""
        return [
            c.new for c in self.documents if c.new is not None and c.change in ("added", "changed")
        ]


def _documents(old: Handbook, new: Handbook) -> list[DocumentChange]:
    before = {d.id: d for d in old.controlled_documents if d.id}
    after = {d.id: d for d in new.controlled_documents if d.id}
    changes = []
    for doc_id, document in after.items():
        previous = before.get(doc_id)
        if previous is None:
            changes.append(DocumentChange("added", None, document))
        elif document.get("status") == "retired" and previous.get("status") != "retired":
            changes.append(DocumentChange("retired", previous, document))
        elif previous.content_hash != document.content_hash or previous.meta != document.meta:
            changes.append(DocumentChange("changed", previous, document))
    changes += [DocumentChange("removed", d, None) for i, d in before.items() if i not in after]
    return sorted(changes, key=lambda c: c.document.id or "")


def _records(old: Handbook, new: Handbook) -> tuple[list[RecordChange], list[str]]:
    changes, headers = [], []
    for name in sorted(set(old.registers) | set(new.registers)):
        before = old.registers.get(name)
        after = new.registers.get(name)
        old_records = {r.id: r for r in before.records} if before else {}
        new_records = {r.id: r for r in after.records} if after else {}
        if before and after and before.header != after.header:
            headers.append(name)
        for record_id, record in new_records.items():
            title = after.record_title(record) if after else record_id
            if record_id not in old_records:
                changes.append(RecordChange(name, record_id, title, "added"))
            elif old_records[record_id].data != record.data:
                changes.append(RecordChange(name, record_id, title, "changed"))
        for record_id, record in old_records.items():
            if record_id not in new_records:
                title = before.record_title(record) if before else record_id
                changes.append(RecordChange(name, record_id, title, "removed"))
    return changes, headers


def views_to_compare(old: Handbook, new: Handbook, audience: str) -> tuple[Handbook, Handbook, int]:
    """One audience's views of two revisions, each item judged by its classification in
    both: an item the audience saw before but may not see now is left out of the older view
    too (it would be named as removed), and only counted. Returns (old view, new view,
    withdrawn)."""
    old_view, _old_hidden = scope_to_audience(old, audience)
    new_view, new_hidden = scope_to_audience(new, audience)
    hidden_now = {d.id or d.src_uri for d in new_hidden.documents}
    hidden_now |= {record.id for _register, record in new_hidden.records}
    hidden_registers = {register.name for register in new_hidden.registers}
    documents = [d for d in old_view.documents if (d.id or d.src_uri) not in hidden_now]
    registers = {}
    withdrawn = len(old_view.documents) - len(documents)
    for name, register in old_view.registers.items():
        if name in hidden_registers:
            withdrawn += 1 + len(register.records)
            continue
        records = [r for r in register.records if r.id not in hidden_now]
        withdrawn += len(register.records) - len(records)
        registers[name] = dataclasses.replace(register, records=records)
    filtered = Handbook(
        old_view.settings,
        old_view.standard,
        documents,
        registers,
        audience,
        old_view.requirements,
    )
    return filtered, new_view, withdrawn


def _state(clause: ClauseResult) -> str:
    state = clause.state
    return state.value if state is not None else "not assessed"


def compare(old: Handbook, new: Handbook, today: datetime.date, withdrawn: int = 0) -> Changes:
    """Changes from `old` to `new` (both complete handbooks, or both one audience's view)."""
    records, headers = _records(old, new)
    # The same assessment as the matrix: a change reports conformity, never clause tagging.
    old_assessment, new_assessment = assess(old, today), assess(new, today)
    old_state = {c.clause.id: _state(c) for c in old_assessment.clauses}
    clauses = [
        ClauseChange(c.clause.id, c.clause.title, old_state.get(c.clause.id, "gap"), _state(c))
        for c in new_assessment.clauses
        if old_state.get(c.clause.id, "gap") != _state(c)
    ]
    overdue_before = {i.id for i in review_items(old, today) if i.state is ReviewState.OVERDUE}
    now = review_items(new, today)
    overdue_now = {i.id for i in now if i.state is ReviewState.OVERDUE}
    reviews = [
        ReviewChange(i.id, i.title, i.kind, "now overdue")
        for i in now
        if i.id in overdue_now - overdue_before
    ]
    reviews += [
        ReviewChange(i.id, i.title, i.kind, "no longer overdue")
        for i in now
        if i.id in overdue_before - overdue_now
    ]
    return Changes(
        documents=_documents(old, new),
        records=records,
        registers=headers,
        clauses=clauses,
        reviews=reviews,
        coverage=(old_assessment.evidenced_percent, new_assessment.evidenced_percent),
        documented=(old_assessment.documented_percent, new_assessment.documented_percent),
        withdrawn=withdrawn,
    )
