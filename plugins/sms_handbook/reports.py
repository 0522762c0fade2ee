"""Coverage and review reports for the command line: text, JSON or CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json

from .core.coverage import ClauseStatus, Coverage
from .core.review import ReviewItem, ReviewState
from .render.traceability import coverage_csv

REPORT_FORMATS = ("text", "json", "csv")


def coverage_report(coverage: Coverage, output_format: str) -> str:
    if output_format == "csv":
        return coverage_csv(coverage)
    if output_format == "json":
        payload = {
            "standard": coverage.standard.id,
            "clauses": len(coverage.clauses),
            "approved": coverage.approved,
            "draft": coverage.count(ClauseStatus.DRAFT),
            "gap": coverage.count(ClauseStatus.GAP),
            "percent": round(coverage.percent, 1),
            "missing": [{"clause": c.id, "what": e.what} for c, e in coverage.missing],
            "by_clause": [
                {
                    "clause": entry.clause.id,
                    "title": entry.clause.title,
                    "status": entry.status.value,
                    "documents": [d.id for d in entry.documents],
                    "registers": [r.name for r in entry.registers],
                    "records": [record.id for _r, record in entry.records],
                    "missing": [e.what for e in entry.missing],
                }
                for entry in coverage.clauses
            ],
        }
        return json.dumps(payload, indent=2) + "\n"
    lines = []
    width = max(len(c.clause.id) for c in coverage.clauses)
    for entry in coverage.clauses:
        evidence = " ".join(
            [*(d.id or "" for d in entry.documents), *(r.name for r in entry.registers)]
        )
        status = entry.status.value
        lines.append(f"{entry.clause.id:<{width}}  {status:<8}  {entry.clause.title}  [{evidence}]")
        for expectation in entry.missing:
            lines.append(f"{'':<{width}}  missing   {expectation.what}")
    lines.append("")
    lines.append(
        f"{coverage.standard.title}: {coverage.approved} of {len(coverage.clauses)} leaf clauses "
        f"addressed by approved documents ({coverage.percent:.0f}%); "
        f"{coverage.count(ClauseStatus.DRAFT)} draft only, "
        f"{coverage.count(ClauseStatus.GAP)} gaps; "
        f"{len(coverage.missing)} expected documented information missing"
    )
    return "\n".join(lines) + "\n"


def reviews_report(items: list[ReviewItem], today: datetime.date, output_format: str) -> str:
    ordered = sorted(items, key=lambda i: (i.state.rank, str(i.due or "9999"), i.id))
    if output_format == "json":
        payload = {
            "today": today.isoformat(),
            "counts": {
                state.value: sum(1 for i in items if i.state is state) for state in ReviewState
            },
            "items": [
                {
                    "kind": i.kind,
                    "id": i.id,
                    "title": i.title,
                    "owner": i.owner,
                    "path": i.path,
                    "line": i.line,
                    "due": i.due.isoformat() if i.due else None,
                    "state": i.state.value,
                    "status": i.status,
                }
                for i in ordered
            ],
        }
        return json.dumps(payload, indent=2) + "\n"
    if output_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["state", "due", "kind", "id", "title", "owner", "path", "line"])
        for i in ordered:
            writer.writerow(
                [i.state.value, i.due or "", i.kind, i.id, i.title, i.owner or "", i.path, i.line]
            )
        return out.getvalue()
    lines = [
        f"{i.state.value:<13}  {i.due or '-'!s:<10}  {i.kind:<12}  {i.id:<18}  {i.title}"
        f"  ({i.owner or 'no owner'})"
        for i in ordered
    ]
    counts = ", ".join(f"{sum(1 for i in items if i.state is s)} {s.value}" for s in ReviewState)
    lines.append("")
    lines.append(f"review state on {today}: {counts}")
    return "\n".join(lines) + "\n"
