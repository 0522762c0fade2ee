"""`sms-handbook diff`: what a change does to the handbook, ready for a pull request comment."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..core.audience import most_restricted
from ..core.changes import compare, views_to_compare
from ..core.tool_output import marked_json, marker_line
from ..render.changes import changes_markdown
from ..render.export import percent_figure
from ..site_config import find_config
from .common import CommandError, add_root, handbook_at, load, report_date


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "diff",
        help="what changed since a base revision, as Markdown for a pull request comment",
        description=(
            "Compare the handbook in the working tree with BASE (a git revision; default: the "
            "merge base with the main branch): documents added, changed and retired with their "
            "version changes, approvals needed, coverage change per clause, reviews that became "
            "or stopped being overdue, and register records changed."
        ),
    )
    parser.add_argument("base", nargs="?", help="git revision to compare with")
    add_root(parser)
    parser.add_argument("--audience", help="compare only what this audience sees")
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown (default: a pull request comment) or json",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.base and args.root == Path(".") and find_config(Path(args.base)) is not None:
        args.root, args.base = Path(args.base), None  # `diff ROOT`: the root, not a revision
    loaded = load(args.root)
    old, base = handbook_at(loaded, args.base)
    new = loaded.result.handbook
    withdrawn = 0
    if args.audience:
        if args.audience not in loaded.settings.audiences:
            raise CommandError(f"unknown audience '{args.audience}'")
        old, new, withdrawn = views_to_compare(old, new, args.audience)
    changes = compare(old, new, report_date(), withdrawn)
    audience = args.audience or most_restricted(loaded.settings)
    if args.format == "json":
        payload = {
            "base": base,
            "withdrawn": changes.withdrawn,
            "coverage": {  # requirements evidenced and documented, percent (as the export)
                "before": percent_figure(changes.coverage[0]),
                "after": percent_figure(changes.coverage[1]),
                "documented_before": percent_figure(changes.documented[0]),
                "documented_after": percent_figure(changes.documented[1]),
            },
            "documents": [
                {
                    "id": c.document.id,
                    "change": c.change,
                    "old_version": c.old_version,
                    "new_version": c.new_version,
                }
                for c in changes.documents
            ],
            "approvals": [
                {"id": d.id, "approver": d.get("approver"), "status": d.get("status")}
                for d in changes.approvals
            ],
            "clauses": [
                {"clause": c.clause_id, "before": c.old, "after": c.new} for c in changes.clauses
            ],
            "reviews": [{"id": r.item_id, "change": r.change} for r in changes.reviews],
            "records": [
                {"register": c.register, "id": c.record_id, "change": c.change}
                for c in changes.records
            ],
        }
        data = marked_json("changes", audience, payload)
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        sys.stdout.write(marker_line("changes", audience, "html"))
        sys.stdout.write(changes_markdown(changes, new, base))
    return 0
