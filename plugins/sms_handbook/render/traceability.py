"""The traceability matrix: every leaf clause, its requirements, their states and evidence."""

from __future__ import annotations

import csv
import io
import re

from markupsafe import Markup

from ..core.conformity import GRADE_MEANINGS, LIMITS, Assessment, ClauseResult, Finding, State
from ..core.coverage import ClauseCoverage, Coverage, clauses_by_document
from ..core.integrity import CHECK_TITLES, GRADE_ORDER, HistoryReport
from ..core.model import Handbook
from .html import html_text, item_link, join, link, render_template, state_badge
from .links import LinkMap, clause_anchor
from .pages import front_matter
from .search import RenderedPage, SearchEntry, facts_text, rows_text, section

NOT_ASSESSED = "not assessed"


def id_order(item_id: str) -> tuple[tuple[str, int], ...]:
    """Ids in the order people count them: POL-2 before POL-10, whatever the files' order."""
    return tuple((text, int(number or 0)) for text, number in _ID_PARTS.findall(item_id))


_ID_PARTS = re.compile(r"([^0-9]*)([0-9]*)")


def _evidence(view: Handbook, links: LinkMap, entry: ClauseCoverage) -> tuple[Markup, Markup]:
    documents = join(
        item_link(view, links, d.id)
        + Markup(f' <span class="sms-muted">({html_text(d.get("status"))})</span>')
        for d in sorted(entry.documents, key=lambda d: id_order(d.id or ""))
        if d.id
    )
    registers = sorted(entry.registers, key=lambda r: r.name)
    parts = [link(links, f"page:register:{r.name}", r.title) for r in registers]
    records = sorted(entry.records, key=lambda pair: id_order(pair[1].id))
    parts += [item_link(view, links, record.id) for _register, record in records]
    return documents, join(parts)


def _requirements(result: ClauseResult) -> Markup:
    if not result.requirements:
        return html_text("judged in the audit: documents cannot show it")
    items = Markup("").join(
        Markup("<li>")
        + state_badge(r.state.value)
        + Markup(" ")
        + html_text(r.requirement.text)
        + Markup("</li>")
        for r in result.requirements
    )
    return Markup('<ul class="sms-requirements">') + items + Markup("</ul>")


def finding_item(view: Handbook, links: LinkMap, finding: Finding) -> Markup:
    """The item a finding is about, linked where the audience can follow it."""
    key = finding.link
    if key and links.has(key) and not key.startswith("clause:"):
        return link(links, key, finding.item)
    return html_text(finding.item)


def render_traceability(
    view: Handbook, links: LinkMap, coverage: Coverage, assessment: Assessment
) -> RenderedPage:
    """The matrix and its search entries: one per leaf clause, at its row."""
    sections, clause_entries = _clause_sections(view, links, coverage, assessment)
    by_document = _by_document(view, links)
    findings = _finding_rows(view, links, assessment)
    history = assessment.history
    history_rows = _history_rows(view, links, history)
    counts = [(state.value, assessment.count(state)) for state in State]
    markdown = render_template(
        "traceability.md.j2",
        front_matter=front_matter("Traceability matrix"),
        title="Traceability matrix",
        standard=coverage.standard.title,
        summary=assessment.summary(),
        headline=assessment.headline(),
        grade_meanings=list(GRADE_MEANINGS.items()),
        total=len(assessment.requirements),
        counts=counts,
        sections=sections,
        findings=findings,
        limits=LIMITS,
        by_document=by_document,
        history=history,
        history_rows=history_rows,
        migrated=[item_link(view, links, m.item) for m in (history.migrated if history else [])],
    )
    facts = [
        ("Findings by grade", assessment.headline()),
        ("Conformity", assessment.summary()),
        *counts,
        ("Findings", len(findings)),
    ]
    search = [section("", "Traceability matrix", facts_text(facts)), *clause_entries]
    search += _table_entries(findings, history_rows if history is not None else None, by_document)
    return RenderedPage(markdown, search)


Row = dict[str, object]


def _clause_sections(
    view: Handbook, links: LinkMap, coverage: Coverage, assessment: Assessment
) -> tuple[list[Row], list[SearchEntry]]:
    """One table per top-level clause (a group row for each clause between it and its
    leaves, a row per leaf), and a search entry per clause."""
    standard = coverage.standard
    entries = coverage.by_clause()
    results = assessment.by_clause()
    sections: list[Row] = []
    clause_entries = []
    for top in standard.top_level:
        clause_entries.append(section(clause_anchor(top.id), f"{top.id} {top.title}"))
        rows: list[Row] = []
        emitted: set[str] = set()
        for leaf in (entries[c] for c in entries if c.split(".")[0] == top.id):
            for ancestor in standard.ancestors(leaf.clause.id):
                if ancestor.id != top.id and ancestor.id not in emitted:
                    emitted.add(ancestor.id)
                    group = f"{ancestor.id} {ancestor.title}"
                    rows.append({"group": group, "anchor": clause_anchor(ancestor.id)})
            row, entry = _leaf_row(view, links, leaf, results[leaf.clause.id])
            rows.append(row)
            clause_entries.append(entry)
        sections.append(
            {"title": f"{top.id} {top.title}", "anchor": clause_anchor(top.id), "rows": rows}
        )
    return sections, clause_entries


def _leaf_row(
    view: Handbook, links: LinkMap, leaf: ClauseCoverage, result: ClauseResult
) -> tuple[Row, SearchEntry]:
    """A leaf clause's row of the matrix and its search entry."""
    documents, records = _evidence(view, links, leaf)
    requirements = _requirements(result)
    status = result.state.value if result.state else NOT_ASSESSED
    anchor = clause_anchor(leaf.clause.id)
    facts = [
        ("State", status),
        ("Requirements", requirements),
        ("Documents", documents),
        ("Registers and records", records),
    ]
    entry = section(anchor, f"{leaf.clause.id} {leaf.clause.title}", facts_text(facts))
    row: Row = {
        "group": None,
        "anchor": anchor,
        "id": leaf.clause.id,
        "title": leaf.clause.title,
        "status": status,
        "requirements": requirements,
        "documents": documents,
        "records": records,
        "findings": sum(len(r.findings) for r in result.requirements),
    }
    return row, entry


def _by_document(view: Handbook, links: LinkMap) -> list[dict[str, Markup | str]]:
    """Each document with the leaf clauses it addresses."""
    return [
        {
            "document": item_link(view, links, document.id)
            + Markup(" ")
            + html_text(document.title),
            "type": html_text(document.get("type") or ""),
            "status": str(document.get("status")),
            "clauses": join(link(links, f"clause:{c}", c) for c in leaves),
        }
        for document, leaves in sorted(
            clauses_by_document(view), key=lambda pair: id_order(pair[0].id or "")
        )
    ]


def _finding_rows(
    view: Handbook, links: LinkMap, assessment: Assessment
) -> list[dict[str, Markup | str]]:
    """The conformity findings, worst grade first."""
    return [
        {
            "grade": f.grade,
            "why": html_text(f.why),
            "clause": link(links, f"clause:{f.clause}", f.clause),
            "state": f.state.value,
            "requirement": html_text(f.text),
            "item": finding_item(view, links, f),
            "problem": html_text(f.problem),
            "remedy": html_text(f.remedy),
        }
        for grade in GRADE_ORDER
        for f in assessment.graded(grade)
    ]


def _history_rows(
    view: Handbook, links: LinkMap, history: HistoryReport | None
) -> list[dict[str, Markup | str]]:
    """The history checks' findings."""
    return [
        {
            "grade": f.grade,
            "check": CHECK_TITLES[f.check],
            "item": item_link(view, links, f.item),
            "problem": html_text(f.problem),
            "addressed": html_text(f.addressed_by or ""),
            "remedy": html_text(f.remedy),
        }
        for f in (history.findings if history else [])
    ]


def _table_entries(
    findings: list[dict[str, Markup | str]],
    history_rows: list[dict[str, Markup | str]] | None,
    by_document: list[dict[str, Markup | str]],
) -> list[SearchEntry]:
    """Search entries for the findings, the history (when checked) and the documents."""
    columns = ["grade", "clause", "state", "requirement", "item", "problem", "remedy"]
    entries = [
        section("findings", "Findings", rows_text([f[c] for c in columns] for f in findings))
    ]
    if history_rows is not None:
        history_columns = ["grade", "check", "item", "problem"]
        entries.append(
            section(
                "history",
                "History of the evidence",
                rows_text([f[c] for c in history_columns] for f in history_rows),
            )
        )
    document_columns = ["document", "type", "status", "clauses"]
    entries.append(
        section(
            "by-document",
            "Documents and the clauses they address",
            rows_text([d[c] for c in document_columns] for d in by_document),
        )
    )
    return entries


def coverage_csv(assessment: Assessment) -> str:
    """The matrix as CSV: one row per requirement, then one per finding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["clause", "title", "requirement", "state", "evidence", "findings"])
    for clause in assessment.clauses:
        if not clause.requirements:
            row = [clause.clause.id, clause.clause.title, "", NOT_ASSESSED, "", "0"]
            writer.writerow([csv_cell(v) for v in row])
        for result in clause.requirements:
            row = [
                clause.clause.id,
                clause.clause.title,
                result.requirement.text,
                result.state.value,
                " ".join(result.evidence),
                str(len(result.findings)),
            ]
            writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading
    apostrophe (OWASP's advice against CSV injection)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value
