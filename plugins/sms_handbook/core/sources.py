"""Discover the handbook's source files and read them as text.

Everything the later stages know about the file system comes from here: they never read
files themselves.
"""

from __future__ import annotations

import re
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
    documents: list[SourceFile]
    registers: list[SourceFile]
    schemas: list[SourceFile]


def discover(root: Path, settings: Settings) -> tuple[Sources, list[Diagnostic]]:
    """Read every Markdown page, register and register schema under `root`."""
    diagnostics: list[Diagnostic] = []

    def read_all(folder: Path, patterns: tuple[str, ...], recursive: bool) -> list[SourceFile]:
        if not folder.is_dir():
            return []
        found: set[Path] = set()
        for pattern in patterns:
            found.update(folder.rglob(pattern) if recursive else folder.glob(pattern))
        files = []
        for file in sorted(found):
            if not file.is_file() or _hidden(file.relative_to(folder)):
                continue
            relative = file.relative_to(root).as_posix()
            text, problem = read_text(file.read_bytes(), relative)
            if problem:
                diagnostics.append(problem)
            elif text is not None:
                files.append(SourceFile(relative, text))
        return files

    sources = Sources(
        documents=read_all(root / settings.docs_dir, MARKDOWN, recursive=True),
        registers=read_all(root / settings.registers_dir, ("*.yaml", "*.yml"), recursive=False),
        schemas=read_all(root / settings.schemas_dir, ("*.schema.json",), recursive=False),
    )
    return sources, diagnostics


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


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
