"""`sms-handbook report` and `sms-handbook export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core.coverage import compute_coverage
from ..core.review import review_diagnostics, review_items
from ..core.scope import scope_to_audience
from ..render.export import export_json
from ..reporting import render
from ..reports import REPORT_FORMATS, coverage_report, reviews_report
from .common import CommandError, add_root, load, print_diagnostics, report_date


def add_parsers(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="coverage of the standard's clauses, or the review status",
        description=(
            "coverage: every leaf clause with its status (approved, draft, gap), evidence and "
            "missing documented information. reviews: every document, register and dated "
            "record with its next review date and state."
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


def _view(args: argparse.Namespace, audience: str | None) -> Any:
    loaded = load(args.root)
    if not loaded.result.ok:
        print_diagnostics([d for d in loaded.result.diagnostics if d.is_error])
        raise CommandError("the handbook has errors (listed above); run `sms-handbook validate`")
    settings = loaded.settings
    if audience is None:
        return loaded.result.handbook
    if audience not in settings.audiences:
        raise CommandError(
            f"unknown audience '{audience}'; audiences: {', '.join(settings.audiences)}"
        )
    return scope_to_audience(loaded.result.handbook, audience)[0]


def run_report(args: argparse.Namespace) -> int:
    view = _view(args, args.audience)
    if args.kind == "coverage":
        sys.stdout.write(coverage_report(compute_coverage(view), args.format))
    else:
        on = report_date()
        sys.stdout.write(reviews_report(review_items(view, on), on, args.format))
    return 0


def run_export(args: argparse.Namespace) -> int:
    text = export_json(_view(args, args.audience))
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
