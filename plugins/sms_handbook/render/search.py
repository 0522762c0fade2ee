"""Search entries of a generated page, made from the values the page shows.

A register page of a thousand records is a megabyte of HTML that a site's search would parse
back into sections. The renderer already holds each section's heading and values, so it writes
the entries itself: one for the page, one per section, in the form Material's search index
keeps (title and text as escaped HTML, no tags). An engine that can take them (MkDocs and
ProperDocs with Material's search) indexes them instead of parsing the page; any other engine
parses the page as usual, so the entries must say what the page says, and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape


@dataclass(frozen=True)
class SearchEntry:
    anchor: str  # the section's HTML id; "" for the page itself
    title: str  # escaped text
    text: str  # escaped text

    def as_json(self) -> dict[str, str]:
        return {"anchor": self.anchor, "title": self.title, "text": self.text}


@dataclass
class RenderedPage:
    """A generated page's Markdown together with its search entries."""

    markdown: str
    search: list[SearchEntry] = field(default_factory=list)


def search_text(value: Any) -> str:
    """What a reader sees of a value (HTML of our own making, or plain text), as escaped
    text on one line."""
    if isinstance(value, Markup):
        if "<" not in value and "&" not in value:  # escaped text that escapes to itself
            return " ".join(value.split())
        return str(escape(value.striptags()))
    return str(escape(" ".join(str(value).split())))


def facts_text(facts: Iterable[tuple[str, Any]]) -> str:
    """`Label: value` pairs, as a search preview shows them (empty values left out)."""
    pairs = ((search_text(label), search_text(value)) for label, value in facts)
    return " ".join(f"{label}: {value}" for label, value in pairs if value)


def rows_text(rows: Iterable[Iterable[Any]]) -> str:
    """A table's rows for a search preview: cells apart by commas, rows by semicolons."""
    return "; ".join(", ".join(filter(None, (search_text(cell) for cell in row))) for row in rows)


def section(anchor: str, title: Any, text: str = "") -> SearchEntry:
    return SearchEntry(anchor, search_text(title), text)
