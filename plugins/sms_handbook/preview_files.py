"""The files of a live preview besides its pages (exports, attachments, the search index, the
sitemap), checked as `build` checks a site: a file that names an item hidden from the
preview's audience is not served as it stands; a notice naming the problem takes its place.

Files are read once per change: each checked file's signature (size, times, inode) is kept,
and a file whose signature did not change is not read again. The same checks serve both
previews: the MkDocs plugin's (mkdocs_plugin/plugin.py) and the Zensical preview's
(zensical_preview.py), which checks every staged file before Zensical can read it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .content import UnreadableError, plain_bytes, texts_of
from .core.diagnostics import Diagnostic
from .core.model import Handbook
from .index_entries import INDEX_NAME, IndexEntries
from .shipped import is_shipped
from .verify import Secret, SecretFinder, file_text

Signature = tuple[int, int, int, int]

NOTICE_HTML = (
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>Not served</title></head>'
    "<body><h1>Not served</h1><p><code>{problem}</code></p></body></html>\n"
)


def signature(path: Path) -> Signature | None:
    """What changes whenever a file is written (its change time cannot be set back)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return signature_of(info)


def signature_of(info: os.stat_result) -> Signature:
    """`signature` of a file whose status is at hand."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def hidden_in(name: str, data: bytes, finder: SecretFinder) -> list[Secret]:
    """The hidden items a file names (`name`: its path in the site, for the theme's own
    files, which are not searched), read as verification reads it."""
    if is_shipped(name, data):
        return []
    try:
        text = file_text(texts_of(data))
    except UnreadableError:
        text = file_text(plain_bytes(data))  # what can be searched, searched
    return finder(text)


def notice(name: str, problem: str) -> bytes:
    """What is served in place of a refused file: the problem, in the file's own kind."""
    if name.endswith(".json"):
        return (json.dumps({"not_served": problem}) + "\n").encode()
    if name.endswith((".html", ".htm")):
        from html import escape

        return NOTICE_HTML.format(problem=escape(problem)).encode()
    return f"Not served: {problem}\n".encode()


@dataclass
class Where:
    """Where a refused file's text came from, to name it in the problem."""

    root: Path
    view: Handbook

    def source_of(self, text: str, candidates: list[str], fallback: str) -> tuple[str, int, int]:
        """The first repository file of `candidates`, then of the handbook's visible pages
        and registers, holding `text` (any case), with its line and column; else
        `fallback`."""
        registers = [r.path for r in self.view.registers.values()]
        documents = [d.path for d in self.view.documents]
        wanted = " ".join(text.split()).casefold()
        for path in [*candidates, *registers, *documents]:
            try:
                lines = (self.root / path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, start=1):
                at = " ".join(line.split()).casefold().find(wanted)
                if at >= 0:
                    return path, number, at + 1
        return (candidates[0] if candidates else fallback), 1, 1


def refusal(
    name: str,
    found: list[Secret],
    where: Where,
    attachment: str | None,
    fallback: str = "",
    code: str = "SMS715",
) -> str:
    """The problem of a refused file (`attachment`: its source in docs/, when it has one;
    `fallback`: the path to name when no file of the repository holds the text; `code`:
    SMS711 for a page): names the file, the kind of item and where the text is, never the
    text."""
    what = "id" if found[0].is_id else "title" if found[0].is_name else "text"
    if found[0].is_path:
        what = "path"
    candidates = [attachment] if attachment else []
    path, line, column = where.source_of(found[0].text, candidates, fallback or name)
    message = (
        f"{name} of the preview names the {what} of an item hidden from the "
        f"{where.view.audience} audience ({len(found)} found); the preview serves a notice in "
        "its place until the text is reworded"
    )
    return str(Diagnostic(path, line, column, code, message))


@dataclass
class SiteFiles:
    """The files of one preview's site that are not its pages, as last checked."""

    checked: dict[str, Signature] = field(default_factory=dict)  # path -> signature when clean
    key: str = ""  # what the files were checked against (`SecretFinder.digest`)
    # path -> (signature of the notice written in its place, the problem)
    refused: dict[str, tuple[Signature | None, str]] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)  # the files the last check read
    index: IndexEntries = field(default_factory=IndexEntries)  # Material's, by its entries

    def start(self, finder: SecretFinder) -> None:
        """A new round of checks: when what is hidden changed, every file is read again."""
        if finder.digest != self.key:
            self.checked, self.refused, self.key = {}, {}, finder.digest

    def check_sources(
        self, sources: dict[str, Path], finder: SecretFinder, where: Where
    ) -> tuple[list[str], dict[str, bytes]]:
        """Staged files about to be copied into the site (their name there -> their file):
        (the problems, the notice to serve in place of each refused file)."""
        problems, refused = [], {}
        docs = where.view.settings.docs_dir
        for name, path in sources.items():
            if self.unchanged(path):
                continue
            found = self._found_in(name, path, finder)
            if not found:
                continue
            attachment = f"{docs}/{name}"
            source = attachment if (where.root / attachment).is_file() else None
            problems.append(refusal(name, found, where, source))
            refused[name] = notice(name, problems[-1])
        return problems, refused

    def _found_in(self, name: str, path: Path, finder: SecretFinder) -> list[Secret]:
        """What of the hidden items the file at `path` (`name` in the site) names; a file
        naming none is kept as checked, one that cannot be read names none."""
        try:
            data = path.read_bytes()
        except OSError:
            return []
        found = self.index.hidden_in(data, finder) if name == INDEX_NAME else None
        if found is None:
            found = hidden_in(name, data, finder)
        if not found:
            self.passed(path)
        return found

    def unchanged(self, path: Path) -> bool:
        return self.checked.get(str(path)) == signature(path)

    def passed(self, path: Path) -> None:
        seen = signature(path)
        if seen is not None:
            self.checked[str(path)] = seen

    def check_site(
        self, site_dir: Path, skip: set[str], finder: SecretFinder, where: Where
    ) -> list[str]:
        """Every file of `site_dir` written since it was last checked, but those of `skip`
        (the pages, checked as they are rendered): a file naming a hidden item is replaced
        by a notice. Returns the problems."""
        problems: list[str] = []
        self.read = []
        for path in _files(site_dir):
            if str(path) in skip or self.unchanged(path) or self._still_refused(path):
                continue
            self.read.append(str(path))
            name = path.relative_to(site_dir).as_posix()
            read = signature(path)
            found = self._found_in(name, path, finder)
            if found and signature(path) == read:  # else written again meanwhile: checked next time
                shown = path.relative_to(where.root) if path.is_relative_to(where.root) else name
                problems.append(refusal(name, found, where, None, str(shown)))
                path.write_bytes(notice(name, problems[-1]))
                self.refused[str(path)] = (signature(path), problems[-1])
        for gone in [p for p in self.refused if not os.path.exists(p)]:
            del self.refused[gone]
        return problems

    def _still_refused(self, path: Path) -> bool:
        """Whether `path` still holds the notice written in its place (a file written again
        since is checked again)."""
        kept = self.refused.get(str(path))
        if kept is not None and kept[0] == signature(path):
            return True
        self.refused.pop(str(path), None)
        return False

    @property
    def problems(self) -> list[str]:
        """The problems of the files refused and not written again since."""
        return [problem for _signature, problem in self.refused.values()]


def _files(folder: Path) -> Iterator[Path]:
    for here, directories, names in os.walk(folder, followlinks=False):
        directories.sort()
        for name in sorted(names):
            path = Path(here) / name
            if not path.is_symlink():
                yield path
