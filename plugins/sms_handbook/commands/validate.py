"""`sms-handbook validate`: check the handbook and report every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import gitrepo
from ..core.approvals import approval_diagnostics
from ..core.diagnostics import Severity, has_errors
from ..core.review import review_diagnostics
from ..reporting import FORMATS, render
from .common import add_root, handbook_at, load, renamed_documents, report_date


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check documents and registers; report problems as path:line:column",
        description=(
            "Check every document's front matter and every register against its schema, then "
            "identifiers, cross-references, clause ids, classifications and lifecycle rules. "
            "Reports every problem found, then a summary line."
        ),
    )
    add_root(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (workflow annotations) or json",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--base",
        metavar="REV",
        help="also check approvals against this git revision: changed documents need a higher "
        "version, and approved ones a new approval ('main' for the merge base with main)",
    )
    parser.set_defaults(run=run)


def validate(
    root: Path,
    output_format: str = "text",
    strict: bool = False,
    base: str | None = None,
    approvals_only: bool = False,
) -> int:
    """Validate the handbook at `root`, print the report; returns the exit status.
    `approvals_only`: report only versions and approvals against `base` (the approvals hook;
    the validate hook reports the rest, so nothing is printed twice)."""
    loaded = load(root)
    handbook = loaded.result.handbook
    diagnostics = [] if approvals_only else list(loaded.foreseen)
    if base is not None and gitrepo.is_repository(root) and not gitrepo.has_commits(root):
        sys.stderr.write("no commits yet: nothing to check versions and approvals against\n")
    elif base is not None:
        old, name = handbook_at(loaded, None if base == "main" else base)
        renamed = renamed_documents(loaded, name)
        diagnostics = sorted(diagnostics + approval_diagnostics(old, handbook, name[:12], renamed))
    if loaded.settings.overdue_is_warning and not approvals_only:
        diagnostics = sorted(diagnostics + review_diagnostics(handbook, report_date()))
    records = sum(len(r.records) for r in handbook.registers.values())
    checked = (
        f"{len(handbook.documents)} pages, {len(handbook.registers)} registers, {records} records"
    )
    sys.stdout.write(render(diagnostics, output_format, checked))
    if not approvals_only and loaded.result.ok:
        # Findings are not diagnostics: said on stderr, listed by `report coverage`.
        sys.stderr.write(f"{loaded.integrity.summary()}\n")
    warned = any(d.severity is Severity.WARNING for d in diagnostics)  # notes are advice
    return 1 if has_errors(diagnostics) or (strict and warned) else 0


def run(args: argparse.Namespace) -> int:
    return validate(args.root, args.format, args.strict, args.base)
