"""Group very long navigation sections, so that a page's navigation stays short.

A section of hundreds of pages is hard to scan, and with material's `navigation.prune` every
page of that section renders all of its siblings: builds grow with the square of the section's
size. Sections with more than `size` pages are split into groups of `size` consecutive pages,
titled by their first and last page; the rest of the navigation stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..core.diagnostics import shortened


def _title(page: Page) -> str:
    """A short label: the document id of a controlled document, else the (shortened) title."""
    doc_id = (page.meta or {}).get("id")
    if isinstance(doc_id, str):
        return doc_id
    title = str(page.title or page.file.name)
    return shortened(title, 28)


class PageGroup(Section):
    """A run of consecutive pages; titled by its first and last page once they are read."""

    def __init__(self, children: list[StructureItem]) -> None:
        super().__init__("", children)
        self.settled: str | None = None

    @property
    def title(self) -> str:
        if self.settled is not None:
            return self.settled
        first = next((c for c in self.children if isinstance(c, Page)), None)
        last = next((c for c in reversed(self.children) if isinstance(c, Page)), None)
        return f"{_title(first)} \u2013 {_title(last)}" if first and last else ""

    @title.setter
    def title(self, value: str) -> None:
        pass  # computed from the pages

    def settle(self) -> None:
        """Keep the title as it is now: once every page is read, it no longer changes, and
        every page's navigation asks for it again (a million times at 5,000 pages)."""
        self.settled = None
        self.settled = self.title


def _group(children: list[StructureItem], size: int, parent: Section | None) -> list[StructureItem]:
    pages = [c for c in children if isinstance(c, Page)]
    if size <= 0 or len(pages) <= size:
        return children
    others = [c for c in children if not isinstance(c, Page)]
    groups: list[StructureItem] = []
    for start in range(0, len(pages), size):
        chunk = pages[start : start + size]
        group = PageGroup(list(chunk))
        group.parent = parent
        for page in chunk:
            page.parent = group
        groups.append(group)
    return [*others, *groups]


def group_large_sections(nav: Navigation, size: int) -> list[PageGroup]:
    """Split every section (and the top level) with more than `size` pages; returns the
    groups made."""
    groups: list[PageGroup] = []

    def visit(items: list[StructureItem], parent: Section | None) -> list[StructureItem]:
        for item in items:
            if isinstance(item, Section):
                item.children = visit(item.children, item)
        grouped = _group(items, size, parent)
        if grouped is not items:
            groups.extend(g for g in grouped if isinstance(g, PageGroup))
        return grouped

    nav.items = visit(nav.items, None)
    return groups


# What Material's navigation template (partials/nav-item.html) asks of every item it lists
# and MkDocs' items lack. Each miss costs Jinja an AttributeError, a TypeError and a new
# `Undefined`: a little over 1 µs, 4 million times in a build of 5,000 pages.
THEME_LOOKUPS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (Page, ("typeset", "encrypted", "pages")),
    (Section, ("meta", "typeset", "pages")),
)


def answer_theme_lookups(items: Iterable[StructureItem], undefined: Callable[..., Any]) -> None:
    """Give each navigation item under `items` the attributes of `THEME_LOOKUPS` it lacks,
    each set to what Jinja makes of the miss (`undefined`, the environment's class, called
    as `Environment.getattr` calls it): every template renders exactly as before, without
    the exceptions. Run once every page is read (`on_env`): a plugin that sets one of them
    on a page (Material's `typeset`) has done so by then."""
    for item in items:
        for kind, names in THEME_LOOKUPS:
            if isinstance(item, kind):
                for name in names:
                    if not hasattr(item, name):
                        setattr(item, name, undefined(obj=item, name=name))
        if isinstance(item, Section):
            answer_theme_lookups(item.children, undefined)
