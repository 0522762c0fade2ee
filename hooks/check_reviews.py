"""pre-commit hook: report documents, registers and records past their review date."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from sms_handbook.commands.common import run_guarded
from sms_handbook.commands.reports import check_reviews


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Report overdue reviews of the SMS handbook.")
    parser.add_argument("filenames", nargs="*", help="ignored: reviews concern the whole handbook")
    parser.add_argument("--root", type=Path, default=Path("."), help="handbook root (default: .)")
    parser.add_argument(
        "--due-soon", action="store_true", help="also report items due within `due_soon_days`"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print what is overdue but never fail"
    )
    args = parser.parse_args(argv)
    return run_guarded(lambda: check_reviews(args.root, args.due_soon, args.report_only))


if __name__ == "__main__":
    raise SystemExit(main())
