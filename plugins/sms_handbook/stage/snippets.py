"""Snippets (`--8<--`) expanded into the stage, through pymdownx.snippets' own grammar.

The real `SnippetPreprocessor` parses every form (line ranges, sections, blocks, nesting,
`auto_append`); we only decide which files it may open. A page or attachment in `docs/` is
read from what the model classified (never a second read of the disk), and only when this
audience may see it. Outside `docs/`, only files under the base paths the maintainer set in
mkdocs.yml may be included, except the registers, site output, caches, dot folders, anything
reached through a symbolic link, anything the tool wrote (an export, a pack, a built
site: see core/tool_output.py), and below the highest audience the site's configuration
(its nav names every page, its repository) and any file naming a hidden page or attachment
as a link would. The stage then holds the expanded page and no engine runs
snippets again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown

from ..core.tool_output import in_built_site, is_tool_output
from ..site_config import RelativePath


@dataclass
class SnippetAccess:
    """Which files this audience's snippets may read, and what they read."""

    root: Path
    docs_dir: Path
    refused_dirs: list[Path]
    page_text: Callable[[str], str | None]  # docs-relative path -> visible page text
    page_hidden: Callable[[str], bool]  # docs-relative path of something hidden
    attachment_visible: Callable[[str], bool]
    left_out: list[str] = field(default_factory=list)
    base_paths: list[Path] = field(default_factory=list)  # as mkdocs.yml sets them, resolved
    # whether a text outside docs/ names a hidden page or attachment (set with the targets)
    names_hidden: Callable[[str], bool] = lambda _text: False

    def text(self, path: str) -> str | None:
        """The text of a snippet file this audience may include, or None."""
        absolute = Path(os.path.abspath(path))
        if not absolute.is_relative_to(self.root) or _through_link(self.root, absolute):
            self.left_out.append(path)
            return None
        if absolute.is_relative_to(self.docs_dir):
            name = absolute.relative_to(self.docs_dir).as_posix()
            text = self.page_text(name)
            if text is not None:
                return text
            if (
                self.page_hidden(name)
                or not self.attachment_visible(name)
                or is_tool_output(absolute)
            ):
                self.left_out.append(name)
                return None
            return _read(absolute)
        relative = absolute.relative_to(self.root)
        if (
            not any(absolute.is_relative_to(base) for base in self.base_paths)
            or any(part.startswith(".") for part in relative.parts)
            or any(absolute.is_relative_to(folder) for folder in self.refused_dirs)
            or in_built_site(absolute, self.root)
            or is_tool_output(absolute)
        ):
            self.left_out.append(relative.as_posix())
            return None
        text = _read(absolute)
        if text is not None and self.names_hidden(text):  # a listing of pages, a nav
            self.left_out.append(relative.as_posix())
            return None
        return text


def _through_link(root: Path, path: Path) -> bool:
    current = path
    while current not in (root, current.parent):
        if current.is_symlink():
            return True
        current = current.parent
    return False


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def snippet_config(options: dict[str, Any], root: Path, docs_dir: Path) -> dict[str, Any]:
    """pymdownx.snippets' options as the site sets them over its defaults, with the base paths
    of a page at the top of docs/ (see `snippet_bases`)."""
    from .snippet_processors import extension_defaults  # (module docstring)

    defaults = extension_defaults()
    config = {**defaults, **options}
    config["base_path"] = snippet_bases(config.get("base_path"), root, docs_dir, "index.md")
    config["url_download"] = bool(config.get("url_download"))
    return config


def snippet_bases(value: Any, root: Path, docs_dir: Path, page: str) -> list[str]:
    """The base paths for the page `page` (relative to docs/), as MkDocs hands them to the
    extension: text relative to mkdocs.yml's folder; `!relative` the page's own folder;
    `!relative $config_dir/…` and `!relative $docs_dir/…` below those folders."""
    values = value if isinstance(value, list) else [value or "."]
    bases = []
    for base in values:
        if isinstance(base, RelativePath):
            prefix, _, suffix = base.suffix.partition("/")
            folders = {"$config_dir": root, "$docs_dir": docs_dir, "": (docs_dir / page).parent}
            if prefix not in folders:
                continue  # MkDocs refuses the configuration
            bases.append(str((folders[prefix] / suffix).resolve()))
        else:
            bases.append(str((root / str(base)).resolve()))
    return bases


def page_relative(options: dict[str, Any]) -> bool:
    """Whether a base path is the page's own folder (`!relative`), so differs by page."""
    value = options.get("base_path")
    values = value if isinstance(value, list) else [value]
    return any(isinstance(base, RelativePath) and base.suffix == "" for base in values)


@dataclass
class Snippets:
    """Expands snippets in page text, with the options of the site's configuration."""

    options: dict[str, Any]
    access: SnippetAccess

    def __post_init__(self) -> None:
        config = snippet_config(self.options, self.access.root, self.access.docs_dir)
        if "base_path" in self.options:
            self.access.base_paths = [Path(b) for b in config["base_path"]]
        from .snippet_processors import CheckedSnippets  # made only for a site listing them

        self.processor = CheckedSnippets(config, Markdown(), self.access)
        self.by_page = page_relative(self.options)

    def expand(self, text: str, page: str = "index.md") -> tuple[str, str | None]:
        """(expanded text, None), or (text, the error) when a snippet cannot be found;
        `page` (relative to docs/) places `!relative` base paths."""
        if "-8<-" not in text and not self.processor.auto_append:
            return text, None
        if self.by_page:
            bases = snippet_bases(
                self.options["base_path"], self.access.root, self.access.docs_dir, page
            )
            self.processor.base_path = bases
            self.access.base_paths = [Path(b) for b in bases]
        from .snippet_processors import SnippetMissingError

        try:
            return "\n".join(self.processor.run(text.split("\n"))), None
        except SnippetMissingError as error:
            return text, str(error)
