"""A staged page's front matter: what themes and other plugins read, typed as they read it.

A plain page keeps its front matter as written, byte for byte, unless the stage has to
change it: keys of document control go (they are in the control block, scoped), values
naming a page the audience may not see go (as a Markdown link to it would), and a title
is written escaped. Only then is the front matter written again, from the values as an
engine reads them (a nested `date: {created: 2024-01-02}` stays a date).
"""

from __future__ import annotations

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
    typed = as_engines_read(head, document.path)
    source = typed if typed is not None else document.meta
    if document.controlled:
        kept = {k: v for k, v in source.items() if k in PRESENTATION_KEYS}
    else:  # a plain page keeps what it says: the theme and other plugins read it
        kept = {k: v for k, v in source.items() if k not in DOCUMENT_CONTROL_FIELDS}

    def names_hidden(value: str) -> bool:  # read from the page, or from docs/ (`links:`)
        return targets.names_hidden(value, document.src_uri) or targets.names_hidden(
            value, "index.md"
        )

    title = kept.pop("title", None)
    kept, removed = without_hidden_pages(kept, names_hidden)
    if document.controlled or title is not None:
        # Themes print page titles into the navigation and <title> without escaping them:
        # a title is text, so the stage writes it escaped.
        kept = {"title": str(html_text(document.title)), **kept}
    if typed is not None and kept == typed:
        return head, 0  # nothing to change: as the author wrote it
    return (dump_yaml(kept) if kept else None), removed
