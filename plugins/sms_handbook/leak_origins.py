"""Which file of the repository put a text into a built site: for verification's reports.

A hidden item's title in every page of a site usually comes from a theme override, not from
the page it was found in; the report names the file that holds the text, so that the author
fixes the right one. The files are read only for the few texts verification found.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .core.model import Handbook
from .stage.layout import output_paths

Origin = Callable[[str, str], str]  # (output file, text found) -> where it comes from


def origins(root: Path, handbook: Handbook, site_config: dict[str, object]) -> Origin:
    """The origin of a text in an output file: a theme override that holds it, the page or
    attachment the output file was made from, or what is known when neither holds it."""
    docs = handbook.settings.docs_dir
    pages = {
        output: document.path
        for document in handbook.documents
        for output in output_paths(document.src_uri)
    }
    theme = site_config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    overrides = _files(root, custom_dir) if isinstance(custom_dir, str) else []

    def origin(output: str, text: str) -> str:
        for path in overrides:
            if text in _read(root / path):
                return f" (it comes from the theme override {path})"
        page = pages.get(output)
        if page is not None:
            if text in _read(root / page):
                return f" (it comes from the page {page})"
            return (
                f" (in the page of {page}, whose source does not hold it: the theme, a plugin "
                "or a page template wrote it)"
            )
        attachment = f"{docs}/{output}"
        if (root / attachment).is_file():
            return f" (it comes from the attachment {attachment})"
        return ""

    return origin


def _files(root: Path, folder: str) -> list[str]:
    found = []
    for here, directories, names in os.walk(root / folder, followlinks=False):
        directories.sort()
        for name in sorted(names):
            found.append((Path(here) / name).relative_to(root).as_posix())
    return found


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""
