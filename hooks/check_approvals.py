"""pre-commit hook: changed documents need a higher version, approved ones a new approval."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from sms_handbook.commands.common import run_guarded
from sms_handbook.commands.validate import validate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check versions and approvals against a base.")
    parser.add_argument(
        "filenames", nargs="*", help="changed files (the whole handbook is checked)"
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="handbook root (default: .)")
    parser.add_argument(
        "--base",
        default="main",
        help="git revision to compare with (default: merge base with main)",
    )
    args = parser.parse_args(argv)
    return run_guarded(
        lambda: validate(args.root, "text", strict=False, base=args.base, approvals_only=True)
    )


if __name__ == "__main__":
    raise SystemExit(main())
