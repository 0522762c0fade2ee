"""Pages that name what their own readers may not see, found at the source before a build.

An internal role's id in a public procedure would fail the public build's verification; here
`validate` (and so the pre-commit hook) reports it at the page's line and column instead.
Only ids and titles are searched: a page that repeats a hidden item's field text is the
verification's to catch.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from .core.audience import Audience
from .core.diagnostics import Diagnostic
from .core.documents import split_front_matter
from .core.model import Document, Handbook
from .core.scope import Hidden, scope_to_audience
from .matching import Matcher
from .verify import ID_LIKE, MIN_TEXT, MIN_WORDS, PROSE_WORD, Secret, allow_hint


def name_secrets(view: Handbook, hidden: Hidden, allow: Iterable[str] = ()) -> list[Secret]:
    """Ids and titles of what `view` hides (no field text): what a page may name by mistake.
    A title that a visible item also carries is not a secret."""
    visible_titles = {d.title for d in view.documents}
    visible_titles.update(r.title for r in view.registers.values())
    visible_titles.update(allow)
    found: dict[str, Secret] = {}

    def add(text: Any, what: str, is_id: bool) -> None:
        if not isinstance(text, str) or text in found or text in visible_titles:
            return
        if is_id and len(text) >= 5 and ID_LIKE.search(text):
            found[text] = Secret(text, what, True, True)
        elif not is_id and (len(PROSE_WORD.findall(text)) >= MIN_WORDS or len(text) >= MIN_TEXT):
            found[text] = Secret(text, what, True)

    for document in hidden.documents:
        where = f"{document.path}, classified {document.classification}"
        add(document.id, f"id of a hidden document ({where})", True)
        add(document.meta.get("title"), f"title of a hidden document ({where})", False)
    for register in hidden.registers:
        add(register.header.get("title"), f"title of a hidden register ({register.path})", False)
    for register, record in hidden.records:
        where = f"{register.path}:{record.line}"
        add(record.id, f"id of a hidden {register.name} record ({where})", True)
        title = register.record_title(record)
        if title != record.id:
            add(title, f"title of hidden {register.name} record {record.id} ({where})", False)
    return list(found.values())


def exposure_diagnostics(
    handbook: Handbook,
    allow: Iterable[str] = (),
    view_of: Callable[[str], tuple[Handbook, Hidden]] | None = None,
    published: Callable[[Document, str], str] | None = None,
    kept: Kept | None = None,
    variant: str = "",
    searches: dict[str, PageSearch] | None = None,
) -> list[Diagnostic]:
    """Pages that name an item their own readers may not see (an internal role's id in a
    public procedure), at the page's line and column: found by `validate`, before a build.
    `published` gives a body as its readers get it written (template code blanked out).
    `kept`: what each page gave at the last call of a long-lived process (the preview), by
    its text, its `render_macros` and the secrets it was searched for, under the settings
    `variant` names (what `published` depends on); brought up to date. `searches`: each
    audience's search, made once for the views `view_of` gives (a preview's body-only saves
    keep those views)."""
    settings = handbook.settings
    diagnostics = []
    allowed = list(allow)
    earlier, found = kept or {}, {}
    for audience in settings.audiences:
        if Audience(settings, audience).sees_everything:
            continue
        pages = [d for d in handbook.documents if d.classification == audience]
        if not pages:
            continue
        search = searches.get(audience) if searches is not None else None
        if search is None:
            view, hidden = view_of(audience) if view_of else scope_to_audience(handbook, audience)
            secrets = name_secrets(view, hidden, allowed)
            search = PageSearch(audience, secrets, published, variant)
            if searches is not None:
                searches[audience] = search
        for page in pages:
            if kept is None:  # nothing to keep: no key to make (it reads every secret)
                diagnostics += search(page)
                continue
            key = (search.key, page.path, page.source, repr(page.meta.get("render_macros")))
            problems = earlier.get(key)
            found[key] = problems if problems is not None else search(page)
            diagnostics += found[key]
    if kept is not None:  # the pages of this call only
        kept.clear()
        kept.update(found)
    return diagnostics


Kept = dict[tuple[str, str, str, str], list[Diagnostic]]


class PageSearch:
    """The pages of one audience searched for the ids and titles it may not see."""

    def __init__(
        self,
        audience: str,
        secrets: list[Secret],
        published: Callable[[Document, str], str] | None,
        variant: str = "",
    ) -> None:
        self.audience = audience
        self.secrets = {s.text: s for s in secrets}
        self.published = published
        self._named = (audience, secrets, variant)
        self.matcher = Matcher(list(self.secrets)) if secrets else None

    @functools.cached_property
    def key(self) -> str:
        """What the search is, as a digest: a kept result holds while it is the same."""
        return hashlib.sha256(repr(self._named).encode()).hexdigest()

    def __call__(self, page: Document) -> list[Diagnostic]:
        if self.matcher is None:
            return []
        audience, diagnostics = self.audience, []
        # The body only: front matter references are scoped before anything renders them.
        _head, body = split_front_matter(page.source)
        offset = len(page.source) - len(body)
        body = self.published(page, body) if self.published is not None else body
        for text, found in self.matcher.positions(body):
            start = found + offset
            line = page.source.count("\n", 0, start) + 1
            column = start - page.source.rfind("\n", 0, start)
            secret = self.secrets[text]
            message = (
                f"this {audience} page names '{text}', the {secret.what}, which its "
                f"{audience} readers may not see; classify the page higher, classify that "
                f"item lower, or reword{allow_hint(secret)}"
            )
            diagnostics.append(Diagnostic(page.path, line, column, "SMS309", message))
        return diagnostics
