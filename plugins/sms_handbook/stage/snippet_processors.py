"""pymdownx.snippets' own processor, as the stage and its checks use it.

Imported only where a site lists pymdownx.snippets (`expansion.snippet_options`): the extension
imports Python's URL and TLS modules (some 2 MB), which a build of any other site never needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markdown import Markdown
from pymdownx.snippets import SnippetExtension, SnippetMissingError, SnippetPreprocessor

if TYPE_CHECKING:
    from .snippets import SnippetAccess

__all__ = ["CheckedSnippets", "Resolver", "SnippetMissingError", "extension_defaults"]


def extension_defaults() -> dict[str, Any]:
    """The extension's options as it sets them by default."""
    return {key: value[0] for key, value in SnippetExtension().config.items()}


class CheckedSnippets(SnippetPreprocessor):
    def __init__(self, config: dict[str, Any], md: Markdown, access: SnippetAccess) -> None:
        super().__init__(config, md)
        self.access = access

    def get_snippet_path(self, path: str) -> str | None:
        found = super().get_snippet_path(path)
        if found is None:
            return None
        return found if self.access.text(found) is not None else None

    def read_lines(self, path: str) -> list[str]:
        text = self.access.text(path) or ""
        return text.split("\n") if text else []


class Resolver(SnippetPreprocessor):
    """The extension's own processor, told to raise on the first file it cannot find."""

    def problem(self, lines: list[str]) -> str | None:
        """Why `lines` (one snippet's notation) cannot be expanded, or None."""
        self.seen: set[str] = set()
        self.bases = None
        self.failed: set[str] = set()
        try:
            self.parse_snippets(lines)
        except SnippetMissingError as error:
            return str(error)
        except (OSError, UnicodeDecodeError) as error:
            return f"a snippet file cannot be read ({error})"
        return None
