"""The `sms-handbook` command: a thin front end over the core."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .core.build import BuildResult, build_handbook
from .core.diagnostics import Diagnostic, has_errors
from .core.settings import Settings
from .project import read_settings
from .reporting import FORMATS, render

Command = Callable[[argparse.Namespace], int]

DESCRIPTION = """\
Documentation-as-code for an ISO/IEC 20000-1:2018 service management system.
Validates the Markdown documents and YAML registers of a handbook repository and
builds the audience-scoped handbook with MkDocs."""

EPILOG = """\
exit status: 0 when no errors were found, 1 when errors were found (or warnings, with
--strict), 2 when the command line or the configuration is wrong.

Run `sms-handbook COMMAND --help` for the options of each command."""


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "root",
        nargs="?",
        default=".",
        type=Path,
        metavar="ROOT",
        help="handbook root, the folder holding mkdocs.yml (default: current folder)",
    )


def load(root: Path, audience: str | None = None) -> tuple[Settings | None, BuildResult | None, list[Diagnostic]]:
    """Settings and the built model, or the configuration problems that stop us."""
    settings, _config, problems = read_settings(root, audience)
    if settings is None:
        return None, None, problems
    return settings, build_handbook(root, settings), []


def run_validate(args: argparse.Namespace) -> int:
    settings, result, problems = load(args.root)
    if result is None:
        sys.stdout.write(render(problems, args.format, "configuration"))
        return 2
    diagnostics = list(result.diagnostics)
    if settings is not None and settings.overdue_is_warning:
        from .core.review import review_diagnostics

        diagnostics = sorted(diagnostics + review_diagnostics(result.handbook))
    documents = len(result.handbook.documents)
    records = sum(len(r.records) for r in result.handbook.registers.values())
    checked = f"{documents} pages, {len(result.handbook.registers)} registers, {records} records"
    sys.stdout.write(render(diagnostics, args.format, checked))
    failed = has_errors(diagnostics) or (args.strict and bool(diagnostics))
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sms-handbook",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="check documents and registers; report every problem as path:line:column",
        description=(
            "Check every document's front matter and every register against its schema, "
            "cross-references, clause ids, classifications and lifecycle rules. Reports "
            "every problem found, then a summary line."
        ),
    )
    _add_root(validate)
    validate.add_argument(
        "--format", choices=FORMATS, default="text",
        help="text (default), github (workflow annotations) or json",
    )
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    validate.set_defaults(run=run_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    try:
        return run(args)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as error:  # a bug of ours: one line, details on request
        if os.environ.get("SMS_DEBUG"):
            raise
        sys.stderr.write(
            f"sms-handbook: internal error: {type(error).__name__}: {error}\n"
            "Run again with SMS_DEBUG=1 for the details, and please report it.\n"
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
