"""Conformity and review reports for the command line: text, JSON or CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json

from .core.conformity import GRADE_MEANINGS, LIMITS, Assessment, State
from .core.diagnostics import one_line
from .core.integrity import GRADE_ORDER, HistoryReport
from .core.integrity.findings import CHECK_TITLES, Check, HistoryFinding
from .core.review import ReviewItem, ReviewState
from .render.export import conformity_data
from .render.traceability import coverage_csv, csv_cell

REPORT_FORMATS = ("text", "json", "csv")


def coverage_summary(assessment: Assessment) -> str:
    """The conformity report's figures alone: requirements by state, findings, the two
    percentages and what they cannot judge."""
    counts = ", ".join(f"{assessment.count(state)} {state.value}" for state in State)
    total = len(assessment.requirements)
    findings = len(assessment.findings)
    lines = [
        f"Conformity with {assessment.standard_title} on {assessment.today}",
        "",
        f"findings: {assessment.headline()}"
        + (" (the full report lists them with remedies)" if findings else ""),
        f"requirements: {counts} ({total} in all)",
        *([assessment.history.summary()] if assessment.history else []),
        "",
        assessment.summary(),
        "",
        LIMITS,
    ]
    return _text_lines(lines)


def coverage_report(assessment: Assessment, output_format: str) -> str:
    """The conformity report: per requirement its state, then the findings."""
    if output_format == "csv":
        return coverage_csv(assessment)
    if output_format == "json":
        return json.dumps(conformity_data(assessment), indent=2, ensure_ascii=False) + "\n"
    lines = [
        f"Conformity with {assessment.standard_title} on {assessment.today}",
        "",
        f"Findings: {assessment.headline()}",
        *(f"  {grade}: {meaning}" for grade, meaning in GRADE_MEANINGS.items()),
        "",
        "By requirement:",
    ]
    width = max(len(c.clause.id) for c in assessment.clauses)
    for clause in assessment.clauses:
        state = clause.state.value if clause.state else "not assessed"
        lines.append(f"{clause.clause.id:<{width}}  {state:<10}  {clause.clause.title}")
        for result in clause.requirements:
            evidence = f"  [{' '.join(result.evidence)}]" if result.evidence else ""
            lines.append(
                f"{'':<{width}}    {result.state.value:<10}  {result.requirement.text}{evidence}"
            )
    lines += ["", f"Findings ({assessment.headline()}):"]
    for grade in GRADE_ORDER:
        for f in assessment.graded(grade):
            lines.append(
                f"  {f.grade} {f.clause} {f.state.value}: {f.item}: {f.problem}; remedy: {f.remedy}"
            )
            lines.append(f"    grade {f.why}")
    lines += history_lines(assessment.history)
    lines += ["", assessment.summary(), "", LIMITS]
    return _text_lines(lines)


def _text_lines(lines: list[str]) -> str:
    """Lines of a text report; what a value holds can never start a line of its own."""
    return "".join(one_line(line) + "\n" for line in lines)


def history_lines(history: HistoryReport | None) -> list[str]:
    """The history checks in the text report: each finding with its grade, then the migrated
    items to verify against their source; or, once, why the checks were not possible."""
    if history is None:
        return []
    lines = ["", "History of the evidence:", f"  {history.summary()}"]
    if not history.available:
        return lines
    if history.note:
        lines.append(f"  {history.note}")
    lines += finding_groups_lines(history.findings)
    if history.migrated:
        source = f" ({history.migrated_from})" if history.migrated_from else ""
        lines += [
            "",
            f"Migrated at the adoption baseline {history.baseline[:12]}: verify against the "
            f"source{source} ({len(history.migrated)}):",
            "  " + ", ".join(m.item for m in history.migrated),
        ]
    return lines


def finding_groups_lines(findings: list[HistoryFinding]) -> list[str]:
    """History findings, those sharing grade, check, remedy and the record addressing them
    under one line that says these once, each item on a line of its own below it."""
    groups: dict[tuple[str, Check, str | None, str], list[HistoryFinding]] = {}
    for finding in findings:
        groups.setdefault(_finding_group(finding), []).append(finding)
    lines = []
    for (grade, check, addressed_by, remedy), items in groups.items():
        if len(items) == 1:
            f = items[0]
            lines.append(f"  {f.line} ({f.path}); remedy: {f.remedy}")
            continue
        addressed = f", addressed by {addressed_by}" if addressed_by else ""
        lines.append(
            f"  {grade} {check} ({len(items)} items{addressed}): {CHECK_TITLES[check]}; "
            f"remedy: {remedy}"
        )
        lines += [f"    {f.item}: {f.problem} ({f.path})" for f in items]
    return lines


def _finding_group(finding: HistoryFinding) -> tuple[str, Check, str | None, str]:
    return (finding.grade, finding.check, finding.addressed_by, finding.remedy)


def reviews_summary(items: list[ReviewItem], today: datetime.date) -> str:
    """The review report's figures alone: how many items are in each state."""
    counts = ", ".join(f"{sum(1 for i in items if i.state is s)} {s.value}" for s in ReviewState)
    return f"review state on {today}: {counts}"


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
            row = [i.state.value, i.due or "", i.kind, i.id, i.title, i.owner or "", i.path, i.line]
            writer.writerow([csv_cell(str(value)) for value in row])
        return out.getvalue()
    lines = [
        f"{i.state.value:<13}  {i.due or '-'!s:<10}  {i.kind:<12}  {i.id:<18}  {i.title}"
        f"  ({i.owner or 'no owner'})"
        for i in ordered
    ]
    lines.append("")
    lines.append(reviews_summary(items, today))
    return _text_lines(lines)
