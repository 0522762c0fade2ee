"""Snippets (`--8<--`) that name no file, foreseen at the page's line.

The stage expands snippets with pymdownx.snippets' own processor; here the same processor
resolves each `--8<--` of a page on its own (base paths, `restrict_base_path`, sections and
nested snippets as the site configures them; addresses are never fetched). With
`check_paths: true` a missing file stops the page's expansion, and a strict build; without,
the snippet silently becomes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown import Markdown

from ..core.diagnostics import Diagnostic
from ..core.documents import split_front_matter
from ..core.model import Document
from .expansion import snippet_options
from .snippets import page_relative, snippet_bases, snippet_config

if TYPE_CHECKING:
    from .snippet_processors import Resolver

URL_PREFIXES = ("https://", "http://")


def snippet_diagnostics(
    documents: list[Document], config: dict[str, Any], root: Path, docs_dir: Path
) -> list[Diagnostic]:
    """Each `--8<--` of a page that names a file the site's pymdownx.snippets cannot find, at
    its line: SMS322 under `check_paths: true` (a strict build stops), else SMS323 (it is
    included as nothing)."""
    options = snippet_options(config)
    if options is None:
        return []
    settings = snippet_config(options, root, docs_dir)
    from .snippet_processors import Resolver  # only for a site listing the extension

    resolver = Resolver({**settings, "check_paths": True, "url_download": False}, Markdown())
    checked = bool(options.get("check_paths"))
    by_page = page_relative(options)
    found = []
    for document in documents:
        if "8<-" not in document.source:
            continue
        if by_page:
            resolver.base_path = snippet_bases(
                options["base_path"], root, docs_dir, document.src_uri
            )
        bases = _shown_bases(resolver.base_path, root)
        for line, notation in _notations(resolver, document.source):
            problem = resolver.problem(notation)
            if problem is not None:
                found.append(_diagnostic(document.path, line, problem, checked, bases))
    return found


def _notations(resolver: Resolver, source: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, notation) for each snippet a page names: an inline `--8<-- "file"`, or
    one path line of a block, read with the extension's own patterns."""
    _head, body = split_front_matter(source)
    offset = source[: len(source) - len(body)].count("\n")
    block = False
    for number, line in enumerate(body.split("\n"), start=offset + 1):
        match = resolver.RE_ALL_SNIPPETS.match(line)
        if match and match.group("escape"):
            continue
        if match and not match.group("inline_marker"):
            block = not block
        elif match and not block:
            if not _is_address(match.group("snippet")[1:-1].strip()):
                yield number, [line]
        elif block and not match:
            path = line.strip()
            if path and not path.startswith(";") and not _is_address(path):
                yield number, ["--8<--", line, "--8<--"]


def _is_address(path: str) -> bool:
    return path.lower().startswith(URL_PREFIXES)


def _diagnostic(path: str, line: int, problem: str, checked: bool, bases: str) -> Diagnostic:
    reason = (
        f"snippet file not found (pymdownx.snippets: {problem.rstrip('.')}; base paths: {bases})"
    )
    if checked:
        outcome = "with `check_paths: true` the page's snippets are not expanded, and a strict "
        outcome += "build stops; correct the path, or add the file"
        return Diagnostic(path, line, 1, "SMS322", f"{reason}: {outcome}")
    outcome = "it is included as nothing (`check_paths` is off); correct the path, or take "
    outcome += "the line out"
    return Diagnostic(path, line, 1, "SMS323", f"{reason}: {outcome}")


def _shown_bases(bases: list[str], root: Path) -> str:
    shown = [Path(os.path.relpath(base, root)).as_posix() for base in bases]
    return ", ".join(f"{name}/" if name != "." else "./" for name in shown)
