"""`sms-handbook init` and `sms-handbook new`: start a handbook, start a document."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..codeowners import codeowners
from ..core.build import build_handbook
from ..core.schemas import load_schemas
from ..core.settings import Settings
from ..core.standards import load_standard
from ..safe_write import UnsafeWriteError, create_file
from ..scaffold import EXAMPLE_REGISTERS, FOLDERS, NewDocument, next_id, skeleton
from ..schema_export import export
from .common import CommandError, load, report_date
from .repository import sync_codeowners

TYPES = tuple(FOLDERS)
INIT_FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "github-workflow.yml": ".github/workflows/handbook.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "README.md": "README.md",
}
HOME = """---
title: {name}
classification: public
---

# {name}

Welcome. The [service catalogue](handbook/catalogue/index.md) describes the services we deliver.
"""


def add_parsers(commands: Any) -> None:
    init = commands.add_parser(
        "init",
        help="create a new handbook repository that validates and builds at once",
        description=(
            "Create DIR with mkdocs.yml, one example record per register (with editor schema "
            "modelines), a draft for every document ISO/IEC 20000-1 expects, pre-commit hooks, "
            "CI workflows for GitHub and GitLab, and a .gitignore. Never overwrites a file."
        ),
    )
    init.add_argument("directory", type=Path, metavar="DIR")
    init.add_argument("--name", default="Example Services", help="the organization's name")
    init.set_defaults(run=run_init)

    new = commands.add_parser(
        "new",
        help="create a controlled document with the next free id",
        description="Create a draft document of TYPE in its folder, with valid front matter.",
    )
    new.add_argument("type", choices=TYPES, metavar="TYPE", help=", ".join(TYPES))
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--root", type=Path, default=Path("."), help="handbook root (default: .)")
    new.add_argument("--owner", help="owner role id (asked when omitted and interactive)")
    new.add_argument("--approver", help="approver role id (asked when omitted and interactive)")
    new.add_argument("--clause", action="append", default=[], help="clause id (repeatable)")
    new.add_argument("--classification", help="an audience (default: the configured default)")
    new.set_defaults(run=run_new)


def _write(target: Path, path: Path, text: str, written: list[Path]) -> None:
    try:
        create_file(target, path, text)
    except UnsafeWriteError as error:
        raise CommandError(f"{error}; init never overwrites a file") from None
    written.append(path)


def run_init(args: argparse.Namespace) -> int:
    target: Path = args.directory
    # A freshly cloned empty repository holds only `.git`: that is empty enough.
    if target.exists() and any(p.name != ".git" for p in target.iterdir()):
        raise CommandError(f"{target} is not empty; init creates a new handbook in an empty folder")
    settings = Settings()
    today = report_date()
    next_review = (today + datetime.timedelta(days=180)).isoformat()
    planned: list[tuple[Path, str]] = []
    folder = resources.files("sms_handbook") / "data" / "init"
    for source, destination in INIT_FILES.items():
        text = (folder / source).read_text("utf-8")
        text = text.replace("__NAME__", args.name).replace("__VERSION__", __version__)
        planned.append((target / destination, text))
    for name, text in EXAMPLE_REGISTERS.items():
        modeline = f"# yaml-language-server: $schema=../.schemas/draft-07/{name}.schema.json\n"
        body = text.format(today=today.isoformat(), next_review=next_review)
        planned.append((target / "registers" / f"{name}.yaml", modeline + body))
    planned.append((target / "docs" / "index.md", HOME.format(name=args.name)))
    standard = load_standard(settings.standard)
    for document in skeleton(standard, "service-manager", "managing-director"):
        planned.append((target / "docs" / document.path, document.text()))
    written: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for path, text in planned:
        _write(target, path, text, written)
    try:
        export(load_schemas([])[0], target / ".schemas")
    except UnsafeWriteError as error:
        raise CommandError(str(error)) from None
    result = build_handbook(target, settings)
    for diagnostic in result.diagnostics:
        sys.stderr.write(f"{diagnostic}\n")
    owners = target / ".github" / "CODEOWNERS"  # the first commit's hooks check it
    if result.ok and not owners.exists():
        _write(target, owners, codeowners(result.handbook, ""), written)
    print(f"created {len(written)} files in {target}; editor schemas in {target / '.schemas'}")
    steps = [] if target.resolve() == Path.cwd().resolve() else [f"cd {target}"]
    if not (target / ".git").exists():  # a cloned repository is one already
        steps.append("git init")
    print("next: " + " && ".join([*steps, "pre-commit install", "sms-handbook serve"]))
    return 0 if result.ok else 1


def _roles_asked(args: argparse.Namespace, roles: list[str]) -> tuple[str, str, list[str]]:
    """Owner and approver: from the options, else asked on a terminal; the options missing
    without a terminal to ask on are problems."""
    chosen, problems = {}, []
    for label in ("owner", "approver"):
        given = getattr(args, label)
        if given:
            chosen[label] = given
        elif sys.stdin.isatty():
            chosen[label] = input(f"{label} role ({', '.join(roles)}): ").strip()
        else:
            chosen[label] = ""
            problems.append(f"--{label} is required")
    return chosen["owner"], chosen["approver"], problems


def run_new(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    handbook = loaded.result.handbook
    roles_register = handbook.registers.get("roles")
    roles = [r.id for r in roles_register.records] if roles_register else []
    owner, approver, problems = _roles_asked(args, roles)
    for label, role in (("owner", owner), ("approver", approver)):
        if role and role not in roles:
            problems.append(f"{label} '{role}' is not a role")
    if owner and owner == approver:
        problems.append("owner and approver must be different roles")
    if problems:  # so far, only problems with the roles
        problems.append(f"roles: {', '.join(roles)}")
    unknown = [c for c in args.clause if c not in handbook.standard.clauses]
    if unknown:
        problems.append(f"unknown clause {', '.join(unknown)}")
    if args.classification and args.classification not in loaded.settings.audiences:
        audiences = ", ".join(loaded.settings.audiences)
        problems.append(f"classification '{args.classification}' is not an audience ({audiences})")
    if problems:
        raise CommandError("; ".join(problems))
    document = NewDocument(
        next_id(handbook, args.type),
        args.title,
        args.type,
        owner,
        approver,
        tuple(args.clause),
        args.classification,
    )
    path = args.root / loaded.settings.docs_dir / document.path
    if path.exists():
        raise CommandError(f"{path} exists; choose another title")
    try:
        create_file(args.root, path, document.text())
    except UnsafeWriteError as error:
        raise CommandError(str(error)) from None
    print(f"created {path} as {document.doc_id} (draft 0.1)")
    owners = sync_codeowners(args.root)
    if owners is not None:  # named as the document is: from the root as given
        print(f"updated {_as_given(args.root, owners)} for the new document")
    print("next: write it, then `sms-handbook validate` and commit it for review", file=sys.stderr)
    return 0


def _as_given(root: Path, path: Path) -> Path:
    """`path` as the user would write it: under `root` as they gave it, else from here."""
    try:
        return root / path.resolve().relative_to(root.resolve())
    except ValueError:
        return Path(os.path.relpath(path))
