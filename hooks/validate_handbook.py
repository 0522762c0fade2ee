"""pre-commit hook: validate the whole handbook (cross-references span files)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from sms_handbook.commands.common import run_guarded
from sms_handbook.commands.validate import validate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the SMS handbook.")
    parser.add_argument(
        "filenames", nargs="*", help="changed files (the whole handbook is checked)"
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="handbook root (default: .)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    args = parser.parse_args(argv)
    return run_guarded(lambda: validate(args.root, "text", args.strict))


if __name__ == "__main__":
    raise SystemExit(main())
