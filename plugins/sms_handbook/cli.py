"""The `sms-handbook` command: a thin front end over the core."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .commands import (
    authoring,
    changes,
    importing,
    packs,
    pdf,
    release,
    reports,
    repository,
    serving,
    site,
    validate,
)
from .commands.common import CommandError

DESCRIPTION = """\
Documentation-as-code for an ISO/IEC 20000-1:2018 service management system.
Validates the Markdown documents and YAML registers of a handbook repository and
builds the audience-scoped handbook with MkDocs."""

EPILOG = """\
exit status: 0 when all went well, 1 when problems were found (errors, or warnings
with --strict) or a build failed, 2 when the command line or the configuration is wrong.

Run `sms-handbook COMMAND --help` for the options of each command."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sms-handbook",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    validate.add_parser(commands)
    site.add_parsers(commands)
    reports.add_parsers(commands)
    packs.add_parser(commands)
    pdf.add_parser(commands)
    changes.add_parser(commands)
    release.add_parser(commands)
    authoring.add_parsers(commands)
    importing.add_parser(commands)
    repository.add_parsers(commands)
    serving.add_parser(commands)
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Arguments in any order: a ROOT after the options (`report coverage --format json .`)
    is taken as the root, which argparse alone refuses."""
    args, extra = parser.parse_known_args(argv)
    root = getattr(args, "root", None)
    if len(extra) == 1 and not extra[0].startswith("-") and root == Path("."):
        args.root = Path(extra[0])
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


# What the machine refuses (not a bug of ours, not the handbook's fault): said in one line.
MACHINE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(build_parser(), argv)
    try:
        status: int = args.run(args)
        return status
    except CommandError as error:
        sys.stderr.write(f"sms-handbook: {error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:  # `sms-handbook ... | head`: the reader went away
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as error:  # a bug of ours: one line, details on request
        if os.environ.get("SMS_DEBUG"):
            raise
        if isinstance(error, OSError) and error.errno in MACHINE_ERRORS:
            where = f": {error.filename}" if error.filename else ""
            sys.stderr.write(f"sms-handbook: {error.strerror}{where}\n")
            return 1
        sys.stderr.write(
            f"sms-handbook: internal error: {type(error).__name__}: {error}\n"
            "Run again with SMS_DEBUG=1 for the details, and please report it.\n"
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
