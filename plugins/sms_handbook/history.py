"""Revision history of each document from git, with the version and approval at each commit."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import gitrepo
from .core.documents import split_front_matter
from .core.loading import load_yaml


@dataclass(frozen=True)
class Revision:
    commit: str
    date: str  # YYYY-MM-DD
    author: str
    subject: str
    version: str | None
    status: str | None
    approved_on: str | None
    approver: str | None
    approval: bool  # this commit recorded a (new) approval


@dataclass
class History:
    """Revisions per document path (relative to the handbook root), newest first."""

    available: bool
    note: str = ""
    revisions: dict[str, list[Revision]] = field(default_factory=dict)


def _front_matter(text: str | None) -> dict[str, object]:
    if text is None:
        return {}
    front_matter, _body = split_front_matter(text.replace("\r\n", "\n"))
    if front_matter is None:
        return {}
    # The same loader, with the same limits, as every other read of YAML: an alias bomb or
    # deep nesting in an old commit costs no more than in the current tree.
    parsed, problems = load_yaml(front_matter, path="history")
    if parsed is None or problems:
        return {}
    data = parsed.data
    parsed.release()
    return data if isinstance(data, dict) else {}


def _commits(output: str) -> list[tuple[list[str], list[tuple[str, str, str | None]]]]:
    """(header fields, [(status, path, old path)]) per commit, newest first."""
    commits = []
    for chunk in output.split("\x1e")[1:]:
        lines = chunk.strip("\n").split("\n")
        header = lines[0].split("\x1f")
        files: list[tuple[str, str, str | None]] = []
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) == 3 and parts[0].startswith(("R", "C")):
                files.append((parts[0][0], parts[2], parts[1]))
            elif len(parts) == 2:
                files.append((parts[0][0], parts[1], None))
        commits.append((header, files))
    return commits


def _as_text(value: object) -> str | None:
    return None if value is None else str(value)


def _unavailable(root: Path) -> str:
    """Why a folder without repository facts has no history."""
    if not gitrepo.is_repository(root):
        return "Revision history is not available: the handbook is not in a git repository."
    return "Revision history is not available: the repository has no commits yet."


def _timeline(
    commits: list[tuple[list[str], list[tuple[str, str, str | None]]]],
) -> dict[str, list[tuple[list[str], str]]]:
    """Each Markdown file's commits (header, path then), oldest first, following renames
    forward, so that each file ends up under its current path."""
    timeline: dict[str, list[tuple[list[str], str]]] = {}
    for header, files in reversed(commits):
        for status, path, old_path in files:
            if not path.endswith(".md"):
                continue
            if old_path is not None and status == "R":
                timeline[path] = timeline.pop(old_path, [])
            if status == "D":
                timeline.pop(path, None)
                continue
            timeline.setdefault(path, []).append((header, path))
    return timeline


def _revisions(
    entries: list[tuple[list[str], str]], contents: Iterator[str | None]
) -> list[Revision]:
    """A file's revisions, newest first, from its commits (oldest first) and the contents
    `contents` gives in the same order."""
    revisions, previous_approval = [], None
    for header, _path in entries:
        meta = _front_matter(next(contents))
        approved_on = _as_text(meta.get("approved_on"))
        approval = meta.get("status") == "approved" and approved_on != previous_approval
        if meta.get("status") == "approved":
            previous_approval = approved_on
        revisions.append(
            Revision(
                commit=header[0][:10],
                date=header[1][:10],
                author=header[2],
                subject=header[3] if len(header) > 3 else "",
                version=_as_text(meta.get("version")),
                status=_as_text(meta.get("status")),
                approved_on=approved_on,
                approver=_as_text(meta.get("approver")),
                approval=approval,
            )
        )
    return revisions[::-1]


def load_history(
    root: Path,
    docs_dir: str,
    documents: Collection[str] | None = None,
    facts: gitrepo.Facts | None = None,
) -> History:
    """The history of every Markdown page under `docs_dir`, or of those whose paths (from the
    root) `documents` lists (a control block shows one; no other page does); a note says why
    when unavailable. `facts`: what `gitrepo.facts(root)` said, if the caller asked it."""
    facts = facts or gitrepo.facts(root)  # one git call for what three would ask
    if facts is None:
        return History(False, _unavailable(root))
    if documents is not None and not documents:
        return History(True)  # no page to show a history on: git is not asked
    try:
        output = gitrepo.log(root, [docs_dir])
    except gitrepo.GitError as error:
        return History(False, f"Revision history is not available: {error}.")
    prefix, shallow = facts.prefix, facts.shallow
    timeline = _timeline(_commits(output))
    if documents is not None:
        timeline = {p: e for p, e in timeline.items() if p.removeprefix(prefix) in documents}
    specs = [f"{header[0]}:{path}" for entries in timeline.values() for header, path in entries]
    contents = iter(gitrepo.blobs(root, specs))
    history = History(True)
    for path, entries in timeline.items():
        history.revisions[path.removeprefix(prefix)] = _revisions(entries, contents)
    if shallow:
        oldest = min((r.date for rs in history.revisions.values() for r in rs), default="")
        history.note = f"This is a shallow clone: history before {oldest} is not available."
    return history
