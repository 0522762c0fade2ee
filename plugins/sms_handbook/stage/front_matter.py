"""A staged page's front matter: what themes and other plugins read, typed as they read it.

A plain page keeps its front matter as written, byte for byte, unless it has to change:
keys of document control go (they are in the control block, scoped), references to hidden
items are scoped (`core.scope`), values naming a page the audience may not see go (as a
Markdown link to it would), and a title is written escaped. Only then is the front matter
written again, with its dates as an engine reads them (a nested `date: {created: 2024-01-02}`
stays a date).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import yaml

from ..core.documents import DOCUMENT_CONTROL_FIELDS
from ..core.loading import dump_yaml, load_yaml
from ..core.model import Document
from ..core.page_refs import without_hidden_pages
from ..render.html import html_text
from .links import HiddenTargets

# Front matter keys a controlled document's staged page keeps: what themes and engines
# read. Everything else (owners, references, clauses…) is in the control block, scoped.
PRESENTATION_KEYS = (
    "title",
    "description",
    "hide",
    "icon",
    "template",
    "tags",
    "search",
    "subtitle",
    "status",
    "date",
    "authors",
    "slug",
    "categories",
    "links",
    "readtime",
    "draft",
    "pin",
    "cover",
    "hero",
    "social",
    "comments",
)


def as_engines_read(head: str | None, path: str) -> dict[str, Any] | None:
    """The front matter as an engine reads it (dates as dates, however deep), loaded by the
    core loader (same limits); None when it holds no mapping the loader accepts."""
    if not head:
        return None
    document, problems = load_yaml(head, path=path)
    if document is None or problems or not isinstance(document.root, yaml.MappingNode):
        return None
    data = yaml.constructor.SafeConstructor().construct_document(document.root)
    document.release()
    return data if isinstance(data, dict) else None


def staged_front_matter(
    head: str | None, document: Document, targets: HiddenTargets
) -> tuple[str | None, int]:
    """The front matter the staged page has (None: none), and how many values naming a
    hidden page went."""

    def names_hidden(value: str) -> bool:  # read from the page, or from docs/ (`links:`)
        return targets.names_hidden(value, document.src_uri) or targets.names_hidden(
            value, "index.md"
        )

    typed = as_engines_read(head, document.path)
    meta = document.meta if typed is None else with_engine_types(document.meta, typed)
    kept, removed = _kept(meta, document, names_hidden)
    if typed is not None and kept == typed:
        return head, 0  # neither the audience's scope nor the stage changes it: as written
    return (dump_yaml(kept) if kept else None), removed


def _kept(
    meta: dict[str, Any], document: Document, names_hidden: Callable[[str], bool]
) -> tuple[dict[str, Any], int]:
    """What of `meta` the staged page keeps, and how many values naming a hidden page went."""
    if document.controlled:
        kept = {k: v for k, v in meta.items() if k in PRESENTATION_KEYS}
    else:  # a plain page keeps what it says: the theme and other plugins read it
        kept = {k: v for k, v in meta.items() if k not in DOCUMENT_CONTROL_FIELDS}
    title = kept.pop("title", None)
    kept, removed = without_hidden_pages(kept, names_hidden)
    if document.controlled or title is not None:
        # Themes print page titles into the navigation and <title> without escaping them:
        # a title is text, so the stage writes it escaped.
        kept = {"title": str(html_text(document.title)), **kept}
    return kept, removed


def with_engine_types(value: Any, typed: Any) -> Any:
    """`value` (the audience's front matter: references scoped, dates as text) with the
    dates of `typed` (the same front matter as engines read it) wherever both agree."""
    if isinstance(value, str) and isinstance(typed, datetime.date):
        return typed
    if isinstance(value, dict) and isinstance(typed, dict):
        return {k: with_engine_types(v, typed.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(typed, list) and len(value) == len(typed):
        return [with_engine_types(v, t) for v, t in zip(value, typed, strict=True)]
    return value
