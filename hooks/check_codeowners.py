"""pre-commit hook: CODEOWNERS must follow the owners of documents and registers."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from sms_handbook.commands.common import run_guarded
from sms_handbook.commands.repository import check_codeowners


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check that CODEOWNERS is up to date.")
    parser.add_argument("filenames", nargs="*", help="ignored: the whole handbook is checked")
    parser.add_argument("--root", type=Path, default=Path("."), help="handbook root (default: .)")
    parser.add_argument("--output", type=Path, help="the CODEOWNERS file (default: found)")
    args = parser.parse_args(argv)
    return run_guarded(lambda: check_codeowners(args.root, args.output))


if __name__ == "__main__":
    raise SystemExit(main())
