"""`sms-handbook import comply THEME_DIR [ROOT]`: a Comply project's documents as drafts."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.model import Handbook
from ..importers.comply import ComplyError, Converted, comply_files, convert
from ..safe_write import UnsafeWriteError, create_file
from ..scaffold import FOLDERS, PREFIXES, NewDocument, next_id
from .common import CommandError, Loaded, add_root, load
from .repository import sync_codeowners


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "import",
        help="bring documents from another tool into the handbook",
        description="Convert another tool's documents into controlled drafts of this handbook.",
    )
    sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    comply = sources.add_parser(
        "comply",
        help="policies, procedures and narratives of a strongdm/comply project",
        description=(
            "Convert the policies, procedures and narratives of a Comply project (THEME_DIR "
            "holds policies/, procedures/, narratives/) into draft documents of the handbook at "
            "ROOT: front matter from Comply's metadata, the next free ids, Pandoc Markdown "
            "(grid and simple tables, a./i. lists, \\pagebreak, <placeholders>) as Markdown "
            "that MkDocs renders. Reports what it could not convert at the file and line. "
            "Never overwrites a file and never changes THEME_DIR."
        ),
    )
    comply.add_argument("theme", type=Path, metavar="THEME_DIR", help="the Comply project")
    add_root(comply)
    comply.add_argument("--owner", help="owner role of every draft (default: service-manager)")
    comply.add_argument(
        "--approver", help="approver role of every draft (default: managing-director)"
    )
    comply.add_argument(
        "--organization",
        help="the name that replaces Comply's {{.Name}} (default: site_author in mkdocs.yml)",
    )
    comply.add_argument(
        "--dry-run", action="store_true", help="say what would be created; write nothing"
    )
    comply.set_defaults(run=run_comply)


def run_comply(args: argparse.Namespace) -> int:
    theme: Path = args.theme
    files = theme_files(theme)
    loaded = load(args.root)
    run = ComplyImport(
        args=args,
        handbook=loaded.result.handbook,
        docs=args.root / loaded.settings.docs_dir,
        owner=checked_role(loaded, "owner", args.owner or "service-manager"),
        approver=checked_role(loaded, "approver", args.approver or "managing-director"),
        organization=organization_name(loaded, args.organization),
    )
    for folder, source in files:
        run.import_file(folder, source)
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{verb} {run.created} of {len(files)} Comply documents as drafts; {run.notes} "
        f"note(s), {run.failed} not imported"
    )
    if run.created and not args.dry_run:
        updated = sync_codeowners(args.root)
        if updated:
            print(f"updated {updated} for the new documents")
        print(
            "next: map each draft to the clauses of ISO/IEC 20000-1 (`clauses:`), check "
            "owners and the notes above, then run sms-handbook validate"
        )
    return 1 if run.failed else 0


def theme_files(theme: Path) -> list[tuple[str, Path]]:
    if not theme.is_dir():
        raise CommandError(f"{theme} is not a folder")
    files = comply_files(theme)
    if not files:
        raise CommandError(
            f"{theme} holds no Comply documents (policies/, procedures/ or narratives/ *.md)"
        )
    return files


def checked_role(loaded: Loaded, label: str, role: str) -> str:
    roles_register = loaded.result.handbook.registers.get("roles")
    roles = [r.id for r in roles_register.records] if roles_register else []
    if role not in roles:
        raise CommandError(
            f"{label} '{role}' is not a role; pass --{label} (roles: {', '.join(roles)})"
        )
    return role


def organization_name(loaded: Loaded, given: str | None) -> str:
    organization = given or str(loaded.site_config.get("site_author") or "")
    if organization:
        return organization
    print("Comply's {{.Name}} becomes 'the organization'; pass --organization NAME to name it")
    return "the organization"


@dataclass
class ComplyImport:
    """One import run: the next free number of each prefix and what became of each file."""

    args: argparse.Namespace
    handbook: Handbook
    docs: Path
    owner: str
    approver: str
    organization: str
    numbers: dict[str, int] = field(default_factory=dict)
    created: int = 0
    failed: int = 0
    notes: int = 0

    def import_file(self, folder: str, source: Path) -> None:
        shown = _shown(source, self.args.theme)
        try:
            document = convert(source.read_text(encoding="utf-8"), folder, self.organization)
        except UnicodeDecodeError:
            return self.refuse(Diagnostic(shown, 1, 1, "SMS901", "not UTF-8 text; not imported"))
        except ComplyError as error:
            return self.refuse(Diagnostic(shown, error.line, 1, "SMS901", f"{error}; not imported"))
        target = self.docs / FOLDERS[document.doc_type] / source.name
        if target.is_symlink() or target.exists():
            there = "is a symbolic link" if target.is_symlink() else "exists"
            return self.refuse(
                Diagnostic(shown, 1, 1, "SMS901", f"{target} {there}; not overwritten")
            )
        doc_id = self.next_id(document.doc_type)
        for note in document.notes:
            _say(Diagnostic(shown, note.line, 1, "SMS902", note.message))
            self.notes += 1
        title = document.title or source.stem.replace("-", " ").capitalize()
        text = _document_text(
            document, doc_id, title, self.owner, self.approver, f"{folder}/{source.name}"
        )
        if self.args.dry_run:
            print(f"would create {target} as {doc_id} from {shown}")
        else:
            try:
                create_file(self.args.root, target, text)
            except UnsafeWriteError as error:
                self.numbers[PREFIXES[document.doc_type]] -= 1
                return self.refuse(Diagnostic(shown, 1, 1, "SMS901", f"{error}; not imported"))
            print(f"created {target} as {doc_id} (draft 0.1) from {shown}")
        self.created += 1
        return None

    def next_id(self, doc_type: str) -> str:
        prefix = PREFIXES[doc_type]
        if prefix not in self.numbers:
            self.numbers[prefix] = int(next_id(self.handbook, doc_type).split("-")[1])
        self.numbers[prefix] += 1
        return f"{prefix}-{self.numbers[prefix] - 1:03d}"

    def refuse(self, diagnostic: Diagnostic) -> None:
        _say(diagnostic)
        self.failed += 1


def _shown(path: Path, theme: Path) -> str:
    try:
        return (theme.name / path.relative_to(theme)).as_posix()
    except ValueError:
        return path.as_posix()


def _say(diagnostic: Diagnostic) -> None:
    sys.stderr.write(f"{diagnostic}\n")


def _document_text(
    document: Converted, doc_id: str, title: str, owner: str, approver: str, source: str
) -> str:
    front = NewDocument(doc_id, title, document.doc_type, owner, approver).front_matter()
    origin = f"Imported from Comply (`{source}`"
    origin += f", {document.acronym})." if document.acronym else ")."
    criteria = "; ".join(f"{k} {', '.join(v)}" for k, v in document.satisfies.items() if v)
    if criteria:
        origin += f" There it satisfied {criteria}."
    origin += " Name the clauses of ISO/IEC 20000-1 it addresses in `clauses:` before review."
    history = [
        f"- {r.get('date', 'undated')}: {' '.join(str(r.get('comment', '')).split())}"
        for r in document.revisions
    ]
    revisions = "\n\nComply's revision history:\n\n" + "\n".join(history) if history else ""
    body = _shift_headings(document.body, title)
    return f"{front}\n# {title}\n\n*{origin}*{revisions}\n\n{body}"


def _shift_headings(body: str, title: str) -> str:
    """Comply's sections are `#` headings; under the page's own title they become `##`. A
    first heading that repeats the title (as narratives do) goes."""
    lines, out, fence = body.split("\n"), [], False
    has_h1 = any(line.startswith("# ") for line in lines)
    dropped = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        shifted = line
        if not fence and line.startswith("#"):
            text = line.lstrip("#").strip()
            if not dropped and text.lower() == title.lower():
                dropped = True
                continue
            marks = line.split(" ", 1)[0]
            if has_h1 and marks == "#" * len(marks):
                shifted = "#" + line
        out.append(shifted)
    return "\n".join(out).lstrip("\n")
