"""`sms-handbook pack`: the management review input pack and the internal audit checklist."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

from ..core.audience import most_restricted
from ..core.conformity.assess import assess
from ..core.tool_output import marked_json, marker_line
from ..render.packs import (
    audit_checklist,
    audit_checklist_csv,
    audit_checklist_markdown,
    management_review_json,
    management_review_markdown,
    management_review_pack,
)
from .common import CommandError, add_root, load_valid, one_audience, report_date


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "pack",
        help="the inputs of the next management review, or an internal audit checklist",
        description=(
            "management-review: every input a management review needs, gathered from the "
            "registers and records of the period since the last review record (or --since), "
            "each item with its id, missing inputs shown as missing, and an outline of the "
            "decisions to record. audit: the requirements of the given clauses with their "
            "state, the evidence the handbook holds and the findings, with a column for the "
            "auditor's notes."
        ),
    )
    parser.add_argument("kind", choices=("management-review", "audit"), help="which pack")
    add_root(parser)
    parser.add_argument("--since", type=_date, help="management-review: start of the period")
    parser.add_argument(
        "--clauses", nargs="+", default=[], metavar="CLAUSE", help="audit: clauses to audit"
    )
    parser.add_argument(
        "--audience", help="what this audience sees (default: the highest audience)"
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "json", "csv"),
        default="markdown",
        help="markdown (default), json (management-review) or csv (audit)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_valid(args.root, "run `sms-handbook validate`")
    audience = one_audience(loaded, args.audience, most_restricted(loaded.settings))
    view, _hidden = loaded.view(audience)
    if args.kind == "management-review":
        if args.format == "csv":
            raise CommandError("the management review pack is markdown or json")
        today = report_date()
        pack = management_review_pack(view, args.since, assess(view, today), today)
        if args.format == "json":
            data = marked_json("pack", audience, management_review_json(pack))
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
        else:
            title = loaded.site_config.get("site_name", "")
            sys.stdout.write(
                marker_line("pack", audience, "html") + management_review_markdown(pack, title)
            )
        return 0
    if not args.clauses:
        raise CommandError("name the clauses to audit: --clauses 8.5 8.6")
    unknown = [c for c in args.clauses if c not in view.standard.clauses]
    if unknown:
        raise CommandError(f"unknown clause {', '.join(unknown)}")
    rows = audit_checklist(assess(view, report_date()), args.clauses, view)
    if args.format == "json":
        raise CommandError("the audit checklist is markdown or csv")
    if args.format == "csv":
        sys.stdout.write(marker_line("pack", audience, "#") + audit_checklist_csv(rows))
    else:
        markdown = audit_checklist_markdown(rows, args.clauses)
        sys.stdout.write(marker_line("pack", audience, "html") + markdown)
    return 0
