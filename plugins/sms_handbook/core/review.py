"""Review states of documents, registers and dated register records."""

from __future__ import annotations

import calendar
import datetime
import enum
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic
from .model import Document, Handbook, Record, Register
from .settings import today as default_today


class ReviewState(enum.Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    CURRENT = "current"
    NOT_SCHEDULED = "not scheduled"  # drafts, or no date to review against

    @property
    def rank(self) -> int:
        return list(ReviewState).index(self)


@dataclass(frozen=True)
class ReviewItem:
    """One line of the review dashboard."""

    kind: str  # "document", "register" or the register of a record
    id: str  # document id, register name or record id
    title: str
    owner: str | None
    path: str
    line: int
    due: datetime.date | None
    state: ReviewState
    status: str | None = None  # document status or record status
    column: int = 1


def add_months(start: datetime.date, months: int) -> datetime.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def state_for(due: datetime.date | None, on: datetime.date, soon_days: int) -> ReviewState:
    if due is None:
        return ReviewState.NOT_SCHEDULED
    if due < on:
        return ReviewState.OVERDUE
    if due <= on + datetime.timedelta(days=soon_days):
        return ReviewState.DUE_SOON
    return ReviewState.CURRENT


def _interval(value: Any, default: int) -> int:
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
    )


def document_next_review(document: Document, default_months: int) -> datetime.date | None:
    """The explicit `next_review`, else approval date plus the review interval."""
    if document.get("status") != "approved":
        return None
    explicit = parse_date(document.get("next_review"))
    if explicit:
        return explicit
    approved = parse_date(document.get("approved_on"))
    months = _interval(document.get("review_interval_months"), default_months)
    return add_months(approved, months) if approved else None


def register_next_review(register: Register, default_months: int) -> datetime.date | None:
    explicit = parse_date(register.header.get("next_review"))
    if explicit:
        return explicit
    reviewed = parse_date(register.header.get("reviewed_on"))
    months = _interval(register.header.get("review_interval_months"), default_months)
    return add_months(reviewed, months) if reviewed else None


def record_is_open(register: Register, record: Record) -> bool:
    for field, closed_values in register.kind.closed_when.items():
        if record.get(field) in closed_values:
            return False
    return True


def review_items(handbook: Handbook, on: datetime.date | None = None) -> list[ReviewItem]:
    """Every controlled document, register and open dated record, with its review state."""
    on = on or default_today()
    months, soon = handbook.settings.review_interval_months, handbook.settings.due_soon_days
    items = [
        document_item(document, months, on, soon)
        for document in handbook.controlled_documents
        if document.get("status") != "retired"
    ]
    for register in handbook.registers.values():
        items.append(register_item(register, months, on, soon))
        if register.kind.due_field:
            items += [
                record_item(register, record, on, soon)
                for record in register.records
                if record_is_open(register, record)
            ]
    return items


def document_item(document: Document, months: int, on: datetime.date, soon: int) -> ReviewItem:
    due = document_next_review(document, months)
    line = document.lines.get("next_review") or document.lines.get("approved_on") or 1
    owner = document.get("owner")
    return ReviewItem(
        "document",
        document.id or "",
        document.title,
        owner if isinstance(owner, str) else None,
        document.path,
        line,
        due,
        state_for(due, on, soon),
        str(document.get("status")),
    )


def register_item(register: Register, months: int, on: datetime.date, soon: int) -> ReviewItem:
    due = register_next_review(register, months)
    line = register.lines.get("next_review") or register.lines.get("reviewed_on") or 1
    return ReviewItem(
        "register",
        register.name,
        register.title,
        register.owner,
        register.path,
        line,
        due,
        state_for(due, on, soon),
    )


def record_item(register: Register, record: Record, on: datetime.date, soon: int) -> ReviewItem:
    """An open record of a register whose kind has a due date (`kind.due_field`)."""
    due = parse_date(record.get(register.kind.due_field or ""))
    owner = record.get("owner") or record.get("manager")
    status = record.get("status")
    line, column = record.due_at or (record.line, 1)
    return ReviewItem(
        register.name,
        record.id,
        register.record_title(record),
        owner if isinstance(owner, str) else None,
        register.path,
        line,
        due,
        state_for(due, on, soon),
        status if isinstance(status, str) else None,
        column,
    )


def review_diagnostics(
    handbook: Handbook, on: datetime.date | None = None, due_soon: bool = False
) -> list[Diagnostic]:
    """SMS401 for documents and registers past (or, with `due_soon`, near) their review,
    SMS402 for register records past (or near) their due date."""
    flagged = {ReviewState.OVERDUE} | ({ReviewState.DUE_SOON} if due_soon else set())
    diagnostics = []
    for item in review_items(handbook, on):
        if item.state not in flagged:
            continue
        overdue = item.state is ReviewState.OVERDUE
        if item.kind in ("document", "register"):
            verb = "was due for review" if overdue else "is due for review"
            message = (
                f"{item.kind} {item.id} {verb} on {item.due}; review it, then record the new "
                "approval or review date"
            )
            diagnostics.append(Diagnostic(item.path, item.line, 1, "SMS401", message))
        else:
            verb = "was due" if overdue else "is due"
            message = f"{item.id} ({item.title}) {verb} on {item.due}; act on it or move the date"
            diagnostics.append(Diagnostic(item.path, item.line, item.column, "SMS402", message))
    return sorted(diagnostics)
