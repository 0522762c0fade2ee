"""`sms-handbook report` and `sms-handbook export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core.conformity import assess, floor_percent
from ..core.integrity import HistoryReport
from ..core.review import review_diagnostics, review_items
from ..render.export import export_json
from ..reporting import render
from ..reports import (
    REPORT_FORMATS,
    coverage_report,
    coverage_summary,
    reviews_report,
    reviews_summary,
)
from .common import CommandError, add_root, load, load_valid, one_audience, report_date


def add_parsers(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="coverage of the standard's clauses, or the review status",
        description=(
            "coverage: every requirement of the standard with its state (gap, planned, "
            "lapsed, documented, evidenced), the evidence that shows it and the findings an "
            "auditor would raise, with their remedies. reviews: every document, register and "
            "dated record with its next review date and state."
        ),
    )
    report.add_argument("kind", choices=("coverage", "reviews"), help="which report")
    add_root(report)
    report.add_argument(
        "--format", choices=REPORT_FORMATS, default="text", help="text (default), json or csv"
    )
    report.add_argument(
        "--audience", help="report on what this audience sees (default: everything)"
    )
    report.add_argument(
        "--summary",
        action="store_true",
        help="text only: the figures without the line per requirement or item",
    )
    report.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="FIGURE=PERCENT",
        type=_threshold,
        help="coverage: exit 1 when `evidenced` or `documented` is below PERCENT "
        "(for CI, for example --fail-under evidenced=80); may be given twice",
    )
    report.set_defaults(run=run_report)

    export = commands.add_parser(
        "export",
        help="write one audience's view of the handbook as JSON",
        description="Write the handbook model as the given audience sees it, as JSON.",
    )
    add_root(export)
    export.add_argument("--audience", required=True, help="audience to export for")
    export.add_argument(
        "-o", "--output", type=Path, help="file to write (default: standard output)"
    )
    export.set_defaults(run=run_export)


def _view(args: argparse.Namespace, audience: str | None) -> tuple[Any, HistoryReport]:
    """The handbook as `audience` sees it (everything when None), and the history checks."""
    loaded = load_valid(args.root, "run `sms-handbook validate`")
    if audience is None:
        return loaded.result.handbook, loaded.integrity
    return loaded.view(one_audience(loaded, audience))[0], loaded.integrity


def _threshold(value: str) -> tuple[str, float]:
    figure, _, number = value.partition("=")
    if figure not in ("evidenced", "documented"):
        raise argparse.ArgumentTypeError("write evidenced=PERCENT or documented=PERCENT")
    try:
        return figure, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{number}' is not a number") from None


def run_report(args: argparse.Namespace) -> int:
    if args.summary and args.format != "text":
        raise CommandError("--summary goes with the text format (JSON and CSV hold the figures)")
    view, history = _view(args, args.audience)
    if args.kind == "coverage":
        assessment = assess(view, report_date(), history)
        if args.summary:
            sys.stdout.write(coverage_summary(assessment))
        else:
            sys.stdout.write(coverage_report(assessment, args.format))
        percents = {f: getattr(assessment, f"{f}_percent") for f, _ in args.fail_under}
        failed = [
            f"{figure} is {floor_percent(percents[figure])}, below {limit:g}%"
            for figure, limit in args.fail_under
            if percents[figure] < limit
        ]
        for line in failed:
            sys.stderr.write(f"sms-handbook: {line}\n")
        return 1 if failed else 0
    if args.fail_under:
        raise CommandError("--fail-under applies to the coverage report only")
    on = report_date()
    items = review_items(view, on)
    if args.summary:
        sys.stdout.write(reviews_summary(items, on) + "\n")
    else:
        sys.stdout.write(reviews_report(items, on, args.format))
    return 0


def run_export(args: argparse.Namespace) -> int:
    view, history = _view(args, args.audience)
    text = export_json(view, assess(view, report_date(), history), marked=True)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        sys.stderr.write(f"wrote {args.output}\n")
    else:
        sys.stdout.write(text)
    return 0


def check_reviews(root: Path, due_soon: bool = False, report_only: bool = False) -> int:
    """Print overdue (and, if asked, due soon) items as diagnostics; 1 when there are any."""
    loaded = load(root)
    on = report_date()
    diagnostics = review_diagnostics(loaded.result.handbook, on, due_soon)
    sys.stdout.write(render(diagnostics, "text", f"reviews on {on}"))
    return 0 if report_only or not diagnostics else 1
