"""What several commands share: the handbook root, settings and the built model."""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import gitrepo
from ..context import ContextError, HandbookContext, load_context
from ..core.build import build_handbook
from ..core.diagnostics import Diagnostic
from ..core.model import Handbook
from ..core.settings import today


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 2."""


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "root",
        nargs="?",
        default=Path("."),
        type=Path,
        metavar="ROOT",
        help="handbook root, the folder holding mkdocs.yml (default: the current folder)",
    )


Loaded = HandbookContext


def load(root: Path, audience: str | None = None) -> HandbookContext:
    """Read settings and build the model; configuration problems end the command."""
    try:
        return load_context(root, audience)
    except ContextError as error:
        raise CommandError(str(error)) from None


def load_valid(root: Path, consequence: str) -> HandbookContext:
    """`load`, then end the command if the handbook has errors (printed first); the message
    ends with `consequence`, for example "nothing was printed"."""
    loaded = load(root)
    if not loaded.result.ok:
        print_diagnostics([d for d in loaded.result.diagnostics if d.is_error])
        raise CommandError(f"the handbook has errors (listed above); {consequence}")
    return loaded


def one_audience(loaded: HandbookContext, requested: str | None, default: str | None = None) -> str:
    """The audience a command works for: as asked, else `default`, else the configured one."""
    audience = requested or default or loaded.settings.audience
    if audience not in loaded.settings.audiences:
        raise CommandError(
            f"unknown audience '{audience}'; audiences: {', '.join(loaded.settings.audiences)}"
        )
    return audience


def report_date() -> datetime.date:
    try:
        return today()
    except ValueError as error:
        raise CommandError(f"SMS_TODAY is not a date (YYYY-MM-DD): {error}") from None


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        sys.stderr.write(f"{diagnostic}\n")


def handbook_at(loaded: Loaded, revision: str | None) -> tuple[Handbook, str]:
    """The handbook as it was at `revision` (default: merge base with the main branch)."""
    try:
        base = revision or gitrepo.default_base(loaded.root)
        commit = gitrepo.resolve(loaded.root, base)
        with tempfile.TemporaryDirectory(prefix="sms-base-") as folder:
            old_root = gitrepo.export_tree(loaded.root, commit, Path(folder))
            if (
                not (old_root / "mkdocs.yml").is_file()
                and not (old_root / loaded.settings.docs_dir).is_dir()
            ):
                raise CommandError(f"{base} holds no handbook at this path")
            old = build_handbook(old_root, loaded.settings).handbook
    except gitrepo.GitError as error:
        name = revision or "the main branch"
        raise CommandError(
            f"SMS503: cannot read the base revision ({name}): {error}; "
            "fetch it, or name another base revision"
        ) from None
    return old, base


def renamed_documents(loaded: Loaded, revision: str) -> dict[str, str]:
    """Documents renamed or moved since `revision`: {new path: old path}."""
    try:
        return gitrepo.renamed_since(loaded.root, revision, [loaded.settings.docs_dir])
    except gitrepo.GitError:
        return {}


def run_guarded(command: Callable[[], int]) -> int:
    """Run a front end's work: user errors become one line on stderr and exit status 2."""
    try:
        return command()
    except CommandError as error:
        sys.stderr.write(f"sms-handbook: {error}\n")
        return 2
