"""`sms-handbook codeowners` and `sms-handbook schema`: files the code host and editors read."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .. import gitrepo
from ..codeowners import CodeownersError, codeowners
from ..core.diagnostics import Diagnostic
from ..core.schemas import load_schemas
from ..core.sources import discover
from ..reporting import render
from ..safe_write import UnsafeWriteError, replace_file
from ..schema_export import export
from .common import CommandError, add_root, load

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


def add_parsers(commands: Any) -> None:
    owners = commands.add_parser(
        "codeowners",
        help="generate CODEOWNERS from document and register owners, or check it",
        description=(
            "Each controlled document and register is owned, on the code host, by the "
            "`code_owners` of its owner role in the roles register. Prints the file, writes it "
            "with --write, or fails with --check when it is out of date."
        ),
    )
    add_root(owners)
    owners.add_argument(
        "--output", type=Path, help="file to write or check (default: found, or .github/CODEOWNERS)"
    )
    mode = owners.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write the file")
    mode.add_argument("--check", action="store_true", help="fail when the file is out of date")
    owners.set_defaults(run=run_codeowners)

    schema = commands.add_parser(
        "schema",
        help="export complete JSON Schemas for editors",
        description=(
            "Write one schema per register kind (including the repository's own) and for front "
            "matter to DIR, in JSON Schema 2020-12, with a draft-07 copy in DIR/draft-07 for "
            "the YAML language server. Point modelines at them: "
            "# yaml-language-server: $schema=../.schemas/draft-07/risks.schema.json"
        ),
    )
    add_root(schema)
    schema.add_argument("--out", type=Path, required=True, metavar="DIR")
    schema.set_defaults(run=run_schema)


def codeowners_path(root: Path, output: Path | None) -> tuple[Path, Path]:
    """The CODEOWNERS file, and the folder it is written inside: the repository's top (or
    the handbook root), or the folder of a file named by --output."""
    if output is not None:
        return output, Path(os.path.abspath(output)).parent
    top = root
    if gitrepo.is_repository(root):
        top = Path(gitrepo.text(root, "rev-parse", "--show-toplevel"))
    for name in LOCATIONS:
        if (top / name).is_file():
            return top / name, top
    return top / LOCATIONS[0], top


def expected_codeowners(root: Path) -> str:
    """What CODEOWNERS should say; `CodeownersError` when it cannot be written safely."""
    prefix = gitrepo.prefix(root) if gitrepo.is_repository(root) else ""
    return codeowners(load(root).result.handbook, prefix)


def sync_codeowners(root: Path) -> Path | None:
    """Keep an existing CODEOWNERS in step with new documents (so that the next commit's hook
    passes); returns its path when it was rewritten. A missing one stays missing."""
    owners, inside = codeowners_path(root, None)
    if not owners.is_file():
        return None
    try:
        text = expected_codeowners(root)
        if owners.read_text(encoding="utf-8") == text:
            return None
        replace_file(inside, owners, text)
    except (CodeownersError, UnsafeWriteError) as error:
        sys.stderr.write(f"sms-handbook: {owners} not updated: {error}\n")
        return None
    return owners


def check_codeowners(root: Path, output: Path | None = None) -> int:
    path, _inside = codeowners_path(root, output)
    shown = (
        path.relative_to(root.resolve()).as_posix()
        if path.resolve().is_relative_to(root.resolve())
        else str(path)
    )
    try:
        expected = expected_codeowners(root)
    except CodeownersError as error:
        problems = [
            Diagnostic(name, 1, 1, "SMS015", f"not writable into {path.name}: {why}")
            for name, why in error.problems
        ]
        sys.stdout.write(render(problems, "text", "CODEOWNERS"))
        return 1
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == expected:
        return 0
    state = "is missing" if current is None else "is out of date"
    message = f"{path.name} {state}: run `sms-handbook codeowners --write` and commit it"
    sys.stdout.write(render([Diagnostic(shown, 1, 1, "SMS701", message)], "text", "CODEOWNERS"))
    return 1


def run_codeowners(args: argparse.Namespace) -> int:
    if args.check:
        return check_codeowners(args.root, args.output)
    path, inside = codeowners_path(args.root, args.output)
    try:
        text = expected_codeowners(args.root)
        if args.write:
            replace_file(inside, path, text)
    except (CodeownersError, UnsafeWriteError) as error:
        done = "written" if args.write else "printed"
        raise CommandError(f"CODEOWNERS not {done}: {error}") from None
    if args.write:
        print(f"wrote {path}")
    else:
        sys.stdout.write(text)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    sources, _problems = discover(args.root, loaded.settings)
    schemas, problems = load_schemas(sources.schemas)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    try:
        written = export(schemas, args.out)
    except UnsafeWriteError as error:
        raise CommandError(str(error)) from None
    print(f"wrote {len(written)} schemas to {args.out}")
    return 1 if problems else 0
