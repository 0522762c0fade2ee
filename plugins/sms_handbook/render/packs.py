"""Evidence packs: what a management review needs on its table, and an internal audit's
checklist, gathered from the data the handbook already holds.

Each input of a management review (the catalogue's `management-review-inputs` checklist) is
filled from the registers and records of the period since the last review record; an input
with no data is shown as missing, never left out.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.conformity.assess import Assessment
from ..core.conformity.evidence import record_date
from ..core.coverage import leaves_of
from ..core.model import Document, Handbook, Record
from ..core.review import ReviewState, parse_date, record_is_open, state_for
from .traceability import csv_cell

# Items an input lists in full; a larger input is summarised: counted by status, its overdue
# and recent items first, then "and N more" pointing to the registers that hold them.
PACK_LIMIT = 20


@dataclass
class PackItem:
    item_id: str
    text: str
    status: str = ""
    register: str = ""  # the register of a record; "" for a document
    overdue: bool = False  # an open record past its due date
    recent: bool = False  # dated in the period under review


@dataclass
class PackSection:
    key: str
    title: str
    items: list[PackItem] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return not self.items


@dataclass
class ManagementReviewPack:
    since: datetime.date | None
    last_review: str | None
    inputs: list[PackSection]
    outputs: list[PackSection]
    findings: str | None = None  # conformity findings by grade, then the two figures


def _since(item: Record | Document, name: str, since: datetime.date | None) -> bool:
    if since is None:
        return True
    date = parse_date(item.get(name)) if name else None
    return date is not None and date >= since


def _status(item: Record | Document) -> str:
    return str(item.get("status") or "no status")


def _recent(item: Record | Document, since: datetime.date | None) -> bool:
    if since is None:
        return False
    date = record_date(item)
    return date is not None and date >= since


def _records(period: _Period, register: str, keep: Callable[[Record], bool]) -> list[PackItem]:
    found = period.view.registers.get(register)
    if found is None:
        return []
    due_field = found.kind.due_field
    items = []
    for r in found.records:
        if not keep(r):
            continue
        overdue = (
            period.today is not None
            and due_field is not None
            and record_is_open(found, r)
            and state_for(parse_date(r.get(due_field)), period.today, 0) is ReviewState.OVERDUE
        )
        status = _status(r)
        text = f"{found.record_title(r)} ({status})"
        items.append(PackItem(r.id, text, status, register, overdue, _recent(r, period.since)))
    return items


def _documents(
    view: Handbook, keep: Callable[[Document], bool], since: datetime.date | None = None
) -> list[PackItem]:
    return [
        PackItem(
            d.id or d.src_uri,
            f"{d.title} ({_status(d)}, {d.get('approved_on') or 'not approved'})",
            _status(d),
            recent=_recent(d, since),
        )
        for d in view.controlled_documents
        if keep(d)
    ]


def _addresses(view: Handbook, document: Document, clauses: tuple[str, ...]) -> bool:
    leaves = {leaf for c in clauses for leaf in leaves_of(view.standard, c)}
    listed = {leaf for c in document.clauses for leaf in leaves_of(view.standard, c)}
    return bool(leaves & listed)


def management_review_pack(
    view: Handbook,
    since: datetime.date | None = None,
    assessment: Assessment | None = None,
    today: datetime.date | None = None,
) -> ManagementReviewPack:
    """Every input of the next management review, from the period since `since` (default:
    the date of the latest management review record), led by the conformity findings;
    with `today`, the open records past their due date are marked overdue."""
    latest = _latest_review(view)
    if since is None and latest is not None:
        since = record_date(latest)
    sources = _input_sources(_Period(view, since, today), latest)
    requirements = view.requirements
    inputs = [
        PackSection(key, text, sources[key]() if key in sources else [])
        for key, text in requirements.checklist("management-review-inputs")
    ]
    outputs = [
        PackSection(key, text) for key, text in requirements.checklist("management-review-outputs")
    ]
    findings = assessment.summary() if assessment is not None else None
    return ManagementReviewPack(since, latest.id if latest else None, inputs, outputs, findings)


def _latest_review(view: Handbook) -> Document | None:
    reviews = [
        d
        for d in view.controlled_documents
        if d.get("type") == "record" and d.get("kind") == "management-review"
    ]
    return max(reviews, key=lambda d: str(record_date(d) or ""), default=None)


@dataclass
class _Period:
    """What the handbook holds for the period since the latest review."""

    view: Handbook
    since: datetime.date | None
    today: datetime.date | None = None

    def records(
        self, register: str, keep: Callable[[Record], bool] = lambda r: True
    ) -> list[PackItem]:
        return _records(self, register, keep)

    def improvements(self, keep: Callable[[Record], bool]) -> list[PackItem]:
        """Improvements still open, or raised in the period."""
        register = self.view.registers.get("improvements")
        return self.records(
            "improvements",
            lambda r: (
                keep(r)
                and (
                    (register is not None and record_is_open(register, r))
                    or _since(r, "raised_on", self.since)
                )
            ),
        )

    def documents_about(self, *clauses: str) -> list[PackItem]:
        return _documents(
            self.view,
            lambda d: _addresses(self.view, d, clauses) and _since(d, "approved_on", self.since),
            self.since,
        )

    def records_of(self, kind: str) -> list[PackItem]:
        return _documents(
            self.view,
            lambda d: d.get("kind") == kind and _since(d, "held_on", self.since),
            self.since,
        )


def _input_sources(
    period: _Period, latest: Document | None
) -> dict[str, Callable[[], list[PackItem]]]:
    """Where the handbook holds each input of a management review."""
    return {
        "previous-actions": lambda: (
            ([PackItem(latest.id or "", f"decisions of {latest.title}")] if latest else [])
            + period.improvements(lambda r: r.get("source") == "management-review")
        ),
        "context-changes": lambda: period.documents_about("4.1", "4.2"),
        "objectives": lambda: period.records("objectives"),
        "nonconformities": lambda: period.improvements(
            lambda r: r.get("kind") in ("nonconformity", "corrective-action")
        ),
        "monitoring": lambda: period.documents_about("9.1") + period.records_of("service-report"),
        "audits": lambda: (
            period.records_of("internal-audit")
            + period.improvements(lambda r: r.get("source") in ("internal-audit", "external-audit"))
        ),
        "customer-feedback": lambda: period.improvements(
            lambda r: r.get("source") in ("customer-feedback", "complaint")
        ),
        "suppliers": lambda: period.records("suppliers"),
        "risks": lambda: period.records(
            "risks", lambda r: r.get("status") in ("open", "treating", "accepted")
        ),
        "resources": lambda: period.documents_about("7.1", "8.4.3"),
        "policies": lambda: _documents(
            period.view, lambda d: d.get("type") == "policy", period.since
        ),
        "improvements": lambda: period.improvements(lambda r: r.get("kind") == "improvement"),
        "performance": lambda: (
            period.records("services", lambda r: r.get("status") == "live")
            + period.records_of("service-report")
        ),
    }


MISSING = "**Missing:** the handbook holds no data for this input; bring it to the review."


@dataclass
class InputSummary:
    """What the pack shows of one input: every item when there are few; else the counts by
    status, the overdue and recent items first up to the limit, and how many more."""

    shown: list[PackItem]
    total: int
    counts: list[tuple[str, int]]
    overdue: int
    recent: int
    registers: list[str]  # where the items not shown are

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    def counts_text(self, since: datetime.date | None) -> str:
        """E.g. "812 items: 400 open, 412 treating; 12 overdue; 30 dated since 2026-05-01"."""
        text = f"{self.total:,} items: " + ", ".join(f"{n:,} {s}" for s, n in self.counts)
        if self.overdue:
            text += f"; {self.overdue:,} overdue"
        if since is not None:
            text += f"; {self.recent:,} dated since {since}"
        return text


def summarised(section: PackSection, limit: int = PACK_LIMIT) -> InputSummary:
    """The one decision of what a pack lists of an input, for the page and the Markdown."""
    items = section.items
    overdue = sum(1 for i in items if i.overdue)
    recent = sum(1 for i in items if i.recent)
    if len(items) <= limit:
        return InputSummary(list(items), len(items), [], overdue, recent, [])
    first = sorted(items, key=lambda i: (not i.overdue, not i.recent))[:limit]
    shown = {id(i) for i in first}
    registers = sorted({i.register for i in items if id(i) not in shown and i.register})
    counts = Counter(i.status for i in items).most_common()
    return InputSummary(first, len(items), counts, overdue, recent, registers)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def management_review_markdown(pack: ManagementReviewPack, title: str) -> str:
    period = f"since {pack.since}" if pack.since else "with no earlier review on record"
    lines = [f"# Management review input pack: {title}", ""]
    if pack.findings:
        lines += [f"Conformity {pack.findings}.", ""]
    lines += [
        f"Inputs {period}" + (f" (last review: {pack.last_review})." if pack.last_review else "."),
        "",
    ]
    for section in pack.inputs:
        lines += [f"## {_capital(section.title)}", ""]
        if section.missing:
            lines += [MISSING, ""]
            continue
        summary = summarised(section)
        if summary.more:
            lines += [summary.counts_text(pack.since) + ".", ""]
        lines += [f"- {item.item_id}: {item.text}" for item in summary.shown]
        if summary.more:
            lines.append(f"- \u2026 and {summary.more:,} more{_in_registers(summary.registers)}")
        lines.append("")
    lines += ["## Draft minutes: what the review decides", ""]
    lines += [
        f"- [ ] {s.title[:1].upper()}{s.title[1:]}: decision, owner, date" for s in pack.outputs
    ]
    return "\n".join(lines) + "\n"


def _in_registers(names: list[str]) -> str:
    if not names:
        return ""
    return f" in the {', '.join(names)} register{'s' * (len(names) > 1)}"


def management_review_json(pack: ManagementReviewPack) -> dict[str, Any]:
    return {
        "findings": pack.findings,
        "since": pack.since.isoformat() if pack.since else None,
        "last_review": pack.last_review,
        "inputs": [
            {
                "id": s.key,
                "title": s.title,
                "missing": s.missing,
                "items": [{"id": i.item_id, "text": i.text} for i in s.items],
            }
            for s in pack.inputs
        ],
        "outputs": [{"id": s.key, "title": s.title} for s in pack.outputs],
    }


@dataclass
class ChecklistRow:
    clause: str
    requirement: str
    state: str
    evidence: str
    findings: str


def audit_checklist(
    assessment: Assessment, clauses: list[str], view: Handbook
) -> list[ChecklistRow]:
    """The requirements of the given clauses (and the clauses below them), with their state,
    evidence and findings: the auditor's working paper."""
    wanted = {leaf for c in clauses for leaf in leaves_of(view.standard, c)}
    rows = []
    for clause in assessment.clauses:
        if clause.clause.id not in wanted:
            continue
        for result in clause.requirements:
            rows.append(
                ChecklistRow(
                    clause.clause.id,
                    result.requirement.text,
                    result.state.value,
                    " ".join(result.evidence),
                    "; ".join(f"{f.item}: {f.problem}" for f in result.findings),
                )
            )
    return rows


def audit_checklist_markdown(rows: list[ChecklistRow], clauses: list[str]) -> str:
    lines = [f"# Internal audit checklist: {', '.join(clauses)}", ""]
    lines += [
        "| Clause | Requirement | State | Evidence in the handbook | Findings | Auditor's notes |"
    ]
    lines += ["|---|---|---|---|---|---|"]
    for row in rows:
        cells = [row.clause, row.requirement, row.state, row.evidence or "none", row.findings, " "]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def audit_checklist_csv(rows: list[ChecklistRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["clause", "requirement", "state", "evidence", "findings", "notes"])
    for row in rows:
        values = [row.clause, row.requirement, row.state, row.evidence, row.findings, ""]
        writer.writerow([csv_cell(v) for v in values])
    return out.getvalue()


def management_review_page(pack: ManagementReviewPack, links: Any) -> str:
    """The pack as a generated page: every value escaped, every item linked where it can be."""
    from markupsafe import Markup

    from .html import html_text
    from .pages import front_matter

    period = f"since {pack.since}" if pack.since else "with no earlier review on record"
    parts = [
        "---\n" + front_matter("Management review input pack") + "\n---\n",
        "# Management review input pack\n",
        *(
            [f'<p class="sms-lead">Conformity {html_text(pack.findings)}.</p>\n']
            if pack.findings
            else []
        ),
        f'<p class="sms-lead">Inputs of the next management review, {html_text(period)}. '
        "Each item links to its record; an input with no data is shown as missing.</p>\n",
    ]
    for section in pack.inputs:
        parts.append(f"## {html_text(_capital(section.title))}\n")
        if section.missing:
            parts.append(
                '<p class="sms-empty"><strong>Missing:</strong> the handbook holds no '
                "data for this input; bring it to the review.</p>\n"
            )
            continue
        parts.append(_input_html(summarised(section), pack.since, links) + "\n")
    parts.append("## Draft minutes: what the review decides\n")
    outputs = Markup("").join(
        Markup("<li>") + html_text(_capital(s.title)) + Markup(": decision, owner, date</li>")
        for s in pack.outputs
    )
    parts.append(str(Markup("<ul>") + outputs + Markup("</ul>")) + "\n")
    return "\n".join(parts)


def _input_html(summary: InputSummary, since: datetime.date | None, links: Any) -> str:
    """One input's list; a long one led by its counts and ended by where the rest are."""
    from markupsafe import Markup

    from .html import html_text, link

    items = Markup("").join(
        Markup("<li>")
        + (link(links, i.item_id, i.item_id) if links.has(i.item_id) else html_text(i.item_id))
        + Markup(": ")
        + html_text(i.text)
        + Markup("</li>")
        for i in summary.shown
    )
    if not summary.more:
        return str(Markup("<ul>") + items + Markup("</ul>"))
    where = Markup(", ").join(
        link(links, f"page:register:{name}", name) for name in summary.registers
    )
    rest = Markup("<li>\u2026 and {} more").format(f"{summary.more:,}")
    if summary.registers:
        rest += Markup(": see the register{} {}").format("s" * (len(summary.registers) > 1), where)
    lead = Markup('<p class="sms-pack-counts">{}.</p>').format(summary.counts_text(since))
    return str(lead + Markup("<ul>") + items + rest + Markup("</li></ul>"))


def audit_checklist_page(rows: list[ChecklistRow], links: Any) -> str:
    """The checklist of every clause as a generated page, for the auditors' audience."""
    from markupsafe import Markup

    from .html import html_text, link, state_badge
    from .pages import front_matter

    body = Markup("").join(
        Markup("<tr><td>")
        + link(links, f"clause:{row.clause}", row.clause)
        + Markup("</td><td>")
        + html_text(row.requirement)
        + Markup("</td><td>")
        + state_badge(row.state)
        + Markup("</td><td>")
        + html_text(row.evidence or "none")
        + Markup("</td><td>")
        + html_text(row.findings)
        + Markup("</td><td></td></tr>")
        for row in rows
    )
    table = (
        Markup(
            '<table class="sms-table sortable"><thead><tr><th>Clause</th><th>Requirement</th>'
            "<th>State</th><th>Evidence in the handbook</th><th>Findings</th>"
            "<th>Auditor's notes</th></tr></thead><tbody>"
        )
        + body
        + Markup("</tbody></table>")
    )
    return (
        "---\n" + front_matter("Internal audit checklist") + "\n---\n\n"
        "# Internal audit checklist\n\n"
        '<p class="sms-lead">Every requirement, its state, the evidence the handbook holds and '
        "the findings, with room for the auditor's notes. `sms-handbook pack audit --clauses "
        "...` gives the same for the clauses of one audit, as Markdown or CSV.</p>\n\n"
        + str(table)
        + "\n"
    )
