"""The traceability matrix: every leaf clause against the evidence that addresses it."""

from __future__ import annotations

import csv
import io

from markupsafe import Markup

from ..core.coverage import ClauseCoverage, ClauseStatus, Coverage, clauses_by_document
from ..core.model import Handbook
from .html import html_text, item_link, join, link, render_template
from .links import LinkMap, clause_anchor
from .pages import front_matter


def _evidence(view: Handbook, links: LinkMap, entry: ClauseCoverage) -> tuple[Markup, Markup]:
    documents = join(
        item_link(view, links, d.id)
        + Markup(f' <span class="sms-muted">({html_text(d.get("status"))})</span>')
        for d in entry.documents
        if d.id
    )
    parts = [link(links, f"page:register:{r.name}", r.title) for r in entry.registers]
    parts += [item_link(view, links, record.id) for _register, record in entry.records]
    return documents, join(parts)


def render_traceability(view: Handbook, links: LinkMap, coverage: Coverage) -> str:
    standard = coverage.standard
    entries = coverage.by_clause()
    sections = []
    for top in standard.top_level:
        rows: list[dict[str, object]] = []
        emitted: set[str] = set()
        for leaf in (entries[c] for c in entries if c.split(".")[0] == top.id):
            for ancestor in standard.ancestors(leaf.clause.id):
                if ancestor.id != top.id and ancestor.id not in emitted:
                    emitted.add(ancestor.id)
                    rows.append(
                        {
                            "group": f"{ancestor.id} {ancestor.title}",
                            "anchor": clause_anchor(ancestor.id),
                        }
                    )
            documents, records = _evidence(view, links, leaf)
            rows.append(
                {
                    "group": None,
                    "anchor": clause_anchor(leaf.clause.id),
                    "id": leaf.clause.id,
                    "title": leaf.clause.title,
                    "status": leaf.status.value,
                    "documents": documents,
                    "records": records,
                    "missing": join((html_text(e.what) for e in leaf.missing), "; "),
                }
            )
        sections.append(
            {"title": f"{top.id} {top.title}", "anchor": clause_anchor(top.id), "rows": rows}
        )
    by_document = [
        {
            "document": item_link(view, links, document.id)
            + Markup(" ")
            + html_text(document.title),
            "type": html_text(document.get("type") or ""),
            "status": str(document.get("status")),
            "clauses": join(link(links, f"clause:{c}", c) for c in leaves),
        }
        for document, leaves in clauses_by_document(view)
    ]
    return render_template(
        "traceability.md.j2",
        front_matter=front_matter("Traceability matrix"),
        title="Traceability matrix",
        standard=standard.title,
        percent=f"{coverage.percent:.0f}%",
        total=len(coverage.clauses),
        approved=coverage.approved,
        draft=coverage.count(ClauseStatus.DRAFT),
        gap=coverage.count(ClauseStatus.GAP),
        missing_count=len(coverage.missing),
        sections=sections,
        missing=[(link(links, f"clause:{c.id}", c.id), e.what) for c, e in coverage.missing],
        by_document=by_document,
    )


def coverage_csv(coverage: Coverage) -> str:
    """The matrix as CSV: one row per leaf clause."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["clause", "title", "status", "documents", "registers", "records", "missing"])
    for entry in coverage.clauses:
        writer.writerow(
            [
                entry.clause.id,
                entry.clause.title,
                entry.status.value,
                " ".join(d.id or "" for d in entry.documents),
                " ".join(r.name for r in entry.registers),
                " ".join(record.id for _r, record in entry.records),
                "; ".join(e.what for e in entry.missing),
            ]
        )
    return out.getvalue()
