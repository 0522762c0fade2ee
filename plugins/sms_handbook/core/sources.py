"""Discover the handbook's source files and read them as text.

Everything the later stages know about the file system comes from here: they never read
files themselves.
"""

from __future__ import annotations

import fnmatch
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .settings import Settings

# The extensions MkDocs treats as Markdown pages.
MARKDOWN = ("*.md", "*.markdown", "*.mdown", "*.mkdn", "*.mkd")


@dataclass(frozen=True)
class SourceFile:
    """A text file of the handbook; `path` is relative to the root, with forward slashes."""

    path: str
    text: str


@dataclass(frozen=True)
class Sources:
    """What `discover` found. Registers and schemas are read at once; Markdown pages are
    read one at a time by `documents()`, so a large handbook is never all in memory."""

    root: Path
    document_files: list[Path]
    registers: list[SourceFile]
    schemas: list[SourceFile]
    rules: list[SourceFile]

    def documents(self, diagnostics: list[Diagnostic]) -> Iterator[SourceFile]:
        """Each readable Markdown page; an unreadable one adds its diagnostic instead."""
        for file in self.document_files:
            source = _read(self.root, file, diagnostics)
            if source is not None:
                yield source


def discover(root: Path, settings: Settings) -> tuple[Sources, list[Diagnostic]]:
    """Find every Markdown page, register and register schema under `root`."""
    diagnostics: list[Diagnostic] = []

    def read_all(folder: Path, patterns: tuple[str, ...]) -> list[SourceFile]:
        found = (_read(root, file, diagnostics) for file in _find(folder, patterns, False))
        return [source for source in found if source is not None]

    sources = Sources(
        root=root,
        document_files=site_pages(root / settings.docs_dir, settings),
        registers=read_all(root / settings.registers_dir, ("*.yaml", "*.yml")),
        schemas=read_all(root / settings.schemas_dir, ("*.schema.json",)),
        rules=read_all(root / settings.rules_dir, ("*.yaml", "*.yml")),
    )
    named = [f.relative_to(root).as_posix() for f in sources.document_files]
    named += [s.path for s in (*sources.registers, *sources.schemas, *sources.rules)]
    diagnostics += [d for d in map(unsafe_name, named) if d is not None]
    return sources, diagnostics


# Characters a path in a line-based file (CODEOWNERS, reports) cannot hold as they are: line
# breaks and other controls, invisible ones, whitespace but the space (a CODEOWNERS line is
# split at whitespace, and the space is escaped), and the wildcards of CODEOWNERS patterns.
_WILDCARDS = frozenset("*?[]\\")
_UNSAFE_CATEGORIES = frozenset(("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"))


def unsafe_character(path: str) -> str | None:
    """The first character of `path` that a line-based file cannot hold, if any."""
    for character in path:
        if character == " ":
            continue
        if character in _WILDCARDS or unicodedata.category(character) in _UNSAFE_CATEGORIES:
            return character
    return None


def unsafe_name(path: str) -> Diagnostic | None:
    """SMS015 for a path that holds such a character."""
    character = unsafe_character(path)
    if character is None:
        return None
    return Diagnostic(
        path,
        1,
        1,
        "SMS015",
        f"the file name holds {character!a} (U+{ord(character):04X}), which would break "
        "a line of CODEOWNERS or a report; rename the file",
    )


def site_pages(docs_dir: Path, settings: Settings) -> list[Path]:
    """The Markdown pages of docs/ that are part of the site (see site_files.py)."""
    return _markdown_pages(docs_dir, settings, left_out=False)


def left_out_pages(docs_dir: Path, settings: Settings) -> list[str]:
    """The Markdown pages of docs/ that the site leaves out, relative to docs/."""
    pages = _markdown_pages(docs_dir, settings, left_out=True)
    return [page.relative_to(docs_dir).as_posix() for page in pages]


def _markdown_pages(docs_dir: Path, settings: Settings, left_out: bool) -> list[Path]:
    is_left_out = settings.site_files.is_left_out
    return [
        page
        for page, relative in _found(docs_dir, MARKDOWN, recursive=True)
        if is_left_out(relative) is left_out
    ]


def _find(folder: Path, patterns: tuple[str, ...], recursive: bool) -> list[Path]:
    return [path for path, _relative in _found(folder, patterns, recursive)]


def _found(folder: Path, patterns: tuple[str, ...], recursive: bool) -> list[tuple[Path, str]]:
    """The files under `folder` (its subfolders too when `recursive`) whose name matches one
    of `patterns` as `Path.glob` matches it, none under a name that starts with a dot, each
    with its path relative to `folder` (forward slashes), in the order of their paths. A
    folder reached through a symbolic link is not entered, as `Path.rglob` does not."""
    if not folder.is_dir():
        return []
    matches = [re.compile(fnmatch.translate(pattern)).match for pattern in patterns]
    found: list[tuple[str, ...]] = []
    folders: list[tuple[str, ...]] = [()]
    while folders:
        inside = folders.pop()
        try:
            with os.scandir(os.path.join(folder, *inside)) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            if recursive and _is_folder(entry):
                folders.append((*inside, entry.name))
            elif any(match(entry.name) for match in matches) and _is_file(entry):
                found.append((*inside, entry.name))
    found.sort()  # as `Path` objects sort: part by part
    return [(folder.joinpath(*parts), "/".join(parts)) for parts in found]


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _read(root: Path, file: Path, diagnostics: list[Diagnostic]) -> SourceFile | None:
    relative = file.relative_to(root).as_posix()
    text, problem = read_text(file.read_bytes(), relative)
    if problem:
        diagnostics.append(problem)
    return SourceFile(relative, text) if text is not None else None


_NEWLINES = re.compile(r"\r\n?")


def read_text(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """Decode UTF-8 (an optional BOM is dropped) and normalise newlines to `\\n`."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, Diagnostic(
            path,
            line,
            1,
            "SMS002",
            "file contains NUL bytes: it is binary, not UTF-8 text; replace it with a text file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        return None, Diagnostic(
            path,
            line,
            column,
            "SMS001",
            f"byte 0x{data[start]:02x} is not valid UTF-8; save the file with UTF-8 encoding",
        )
    return _NEWLINES.sub("\n", text), None
