"""Traceability: which documents and register records address each clause of the standard."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .model import Document, Handbook, Record, Register
from .standards import Clause, Expectation, Standard


class ClauseStatus(enum.Enum):
    APPROVED = "approved"  # an approved document addresses the clause
    DRAFT = "draft"  # only drafts, documents in review, registers or records do
    GAP = "gap"  # nothing does


@dataclass
class ClauseCoverage:
    clause: Clause
    documents: list[Document] = field(default_factory=list)
    registers: list[Register] = field(default_factory=list)
    records: list[tuple[Register, Record]] = field(default_factory=list)
    missing: list[Expectation] = field(default_factory=list)

    @property
    def status(self) -> ClauseStatus:
        if any(d.get("status") == "approved" for d in self.documents):
            return ClauseStatus.APPROVED
        if self.documents or self.registers or self.records:
            return ClauseStatus.DRAFT
        return ClauseStatus.GAP


@dataclass
class Coverage:
    standard: Standard
    clauses: list[ClauseCoverage]

    @property
    def approved(self) -> int:
        return sum(1 for c in self.clauses if c.status is ClauseStatus.APPROVED)

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / len(self.clauses) if self.clauses else 0.0

    def count(self, status: ClauseStatus) -> int:
        return sum(1 for c in self.clauses if c.status is status)

    @property
    def missing(self) -> list[tuple[Clause, Expectation]]:
        return [(c.clause, e) for c in self.clauses for e in c.missing]

    def by_clause(self) -> dict[str, ClauseCoverage]:
        return {c.clause.id: c for c in self.clauses}


def leaves_of(standard: Standard, clause_id: str) -> list[str]:
    """The leaf clauses a clause id stands for: itself, or all leaves below it."""
    clause = standard.clauses.get(clause_id)
    if clause is None:
        return []
    if clause.is_leaf:
        return [clause.id]
    return [leaf for child in clause.children for leaf in leaves_of(standard, child)]


def addressed_leaves(standard: Standard, clause_ids: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for clause_id in clause_ids:
        for leaf in leaves_of(standard, clause_id):
            seen.setdefault(leaf)
    return list(seen)


def _met(expectation: Expectation, entry: ClauseCoverage) -> bool:
    if expectation.register is not None:
        return any(r.name == expectation.register and r.records for r in entry.registers)
    types = expectation.document_types or ()
    return any(
        d.get("status") == "approved" and (not types or d.get("type") in types)
        for d in entry.documents
    )


def compute_coverage(handbook: Handbook) -> Coverage:
    """Coverage of every leaf clause by the handbook (or by one audience's view of it)."""
    standard = handbook.standard
    entries = {leaf.id: ClauseCoverage(leaf) for leaf in standard.leaves}
    for document in handbook.controlled_documents:
        if document.get("status") == "retired":
            continue
        for leaf in addressed_leaves(standard, document.clauses):
            entries[leaf].documents.append(document)
    for register in handbook.registers.values():
        for leaf in addressed_leaves(standard, register.clauses):
            entries[leaf].registers.append(register)
        for record in register.records:
            for leaf in addressed_leaves(standard, record.clauses):
                entries[leaf].records.append((register, record))
    for entry in entries.values():
        entry.missing = [e for e in entry.clause.expects if not _met(e, entry)]
    return Coverage(standard, list(entries.values()))


def clauses_by_document(handbook: Handbook) -> list[tuple[Document, list[str]]]:
    """The reverse view: each controlled document with the leaf clauses it addresses."""
    standard = handbook.standard
    return [
        (document, addressed_leaves(standard, document.clauses))
        for document in handbook.controlled_documents
    ]
