"""pre-commit hook: report documents, registers and records past their review date."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sms_handbook.commands.common import load, report_date
from sms_handbook.core.review import ReviewState, review_items
from sms_handbook.reporting import render


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Report overdue reviews of the SMS handbook.")
    parser.add_argument(
        "filenames", nargs="*", help="ignored: review dates concern the whole handbook"
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="handbook root (default: .)")
    parser.add_argument(
        "--due-soon", action="store_true", help="also report items due within `due_soon_days`"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print what is overdue but never fail"
    )
    args = parser.parse_args(argv)
    from sms_handbook.core.diagnostics import Diagnostic

    loaded = load(args.root)
    on = report_date()
    flagged = {ReviewState.OVERDUE} | ({ReviewState.DUE_SOON} if args.due_soon else set())
    diagnostics = []
    for item in review_items(loaded.result.handbook, on):
        if item.state not in flagged:
            continue
        code = "SMS401" if item.kind in ("document", "register") else "SMS402"
        verb = "is due" if item.state is ReviewState.DUE_SOON else "was due"
        what = f"{item.kind} {item.id}" if code == "SMS401" else f"{item.id} ({item.title})"
        diagnostics.append(
            Diagnostic(item.path, item.line, 1, code, f"{what} {verb} for review on {item.due}")
        )
    sys.stdout.write(render(sorted(diagnostics), "text", f"reviews on {on}"))
    return 0 if args.report_only or not diagnostics else 1


if __name__ == "__main__":
    raise SystemExit(main())
