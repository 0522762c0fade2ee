"""Links between the handbook's pages, checked at the source: by `validate`, the hooks and
the preview, each at the link's line and column, before a strict build stops on them.

A link to a page or file that does not exist (SMS206), to an anchor its page does not have
(SMS207), and from a page to one its own readers may not see (SMS310: the build turns it
into "restricted item"; a page says `hidden_links: accepted` when that is meant).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .anchors import PageAnchors, slugify_key
from .core.audience import Audience
from .core.diagnostics import Diagnostic
from .core.documents import split_front_matter
from .core.link_levels import LinkLevels, link_levels
from .core.model import Document, Handbook
from .core.scope import Hidden
from .python_tags import documented_value
from .stage.generated import generated_uris
from .stage.links import HiddenTargets, markdown_links

ACCEPT_KEY = "hidden_links"  # `hidden_links: accepted`: the page means its hidden links
ACCEPTED = "accepted"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
Links = list[tuple[str, int]]  # (href, offset in the body)


@dataclass
class LinkCheck:
    """What the links of every page are checked against."""

    handbook: Handbook
    docs_dir: Path
    pages_dir: str
    view_of: Callable[[str], tuple[Handbook, Hidden]]
    generated: dict[str, set[str]]  # audience -> src_uris of its generated pages and files
    # None when a slugify of the site's own makes ids, or when anchors are not judged
    anchors_of: PageAnchors | None = None
    levels: LinkLevels = field(default_factory=LinkLevels)  # the site's `validation:`
    _anchors: dict[str, frozenset[str] | None] = field(default_factory=dict)
    _hidden: dict[str, HiddenTargets] = field(default_factory=dict)
    # a long-lived process's: the links found in each body, by its text (LoadCache.links)
    earlier: dict[str, Links] = field(default_factory=dict)
    found: dict[str, Links] = field(default_factory=dict)

    def links_in(self, body: str) -> Links:
        """The Markdown links of a page's body (not those in code), with their offsets."""
        links = self.earlier.get(body)
        if links is None:
            links = list(markdown_links(_without_code(body)))
        self.found[body] = links
        return links

    @functools.cached_property
    def every_generated(self) -> set[str]:
        return set().union(*self.generated.values())

    def anchors(self, document: Document) -> frozenset[str] | None:
        """The ids a page's body gives its headings and elements; None when they cannot be
        known from the source (page templates may write headings)."""
        if document.src_uri not in self._anchors:
            _head, body = split_front_matter(document.source)
            known = self.anchors_of
            if known is None or any(sign in body for sign in _WRITES_HEADINGS):
                self._anchors[document.src_uri] = None
            else:
                self._anchors[document.src_uri] = known.of(body)
        return self._anchors[document.src_uri]

    def hidden_from(self, audience: str) -> HiddenTargets:
        """What `audience` may not see, as the stage takes links to it out."""
        if audience not in self._hidden:
            view, hidden = self.view_of(audience)
            targets = HiddenTargets(generated_dir=self.pages_dir)
            targets.src_uris = {d.src_uri for d in hidden.documents}
            inside = self.pages_dir.strip("/") + "/"
            visible = [d.src_uri for d in view.documents if d.src_uri.startswith(inside)]
            for name in [*self.generated[audience], *visible]:
                targets.add_present(name)
            self._hidden[audience] = targets
        return self._hidden[audience]


def link_diagnostics(
    handbook: Handbook,
    root: Path,
    options: Any,
    view_of: Callable[[str], tuple[Handbook, Hidden]],
    site_config: dict[str, Any] | None = None,
    kept_in: Path | None = None,
    kept: dict[str, Links] | None = None,
    *,
    notes: bool = True,
) -> list[Diagnostic]:
    """Every broken internal link and anchor, and every link to a page its readers may not
    see, of every page of `handbook`; the anchors of pages are kept in the folder `kept_in`
    (the git directory) between runs. `kept`: the links found in each body by the last call
    of a long-lived process (the preview), brought up to date. Without `notes` (a caller
    that reports errors only), anchors are judged only where the site makes a missing one
    an error (`validation: anchors: warn`): at `info` (MkDocs' default) or `ignore` an
    anchor problem can only be a note or nothing, so no page is converted to learn its ids."""
    settings = handbook.settings
    levels = link_levels(site_config or {})
    judges_anchors = notes or levels.level("links", "anchors") == "warn"
    compares = bool(options.compare_with)
    generated = {
        audience: generated_uris(
            view_of(audience)[0], options.pages_dir, list(options.pages), compares
        )
        for audience in settings.audiences
    }
    check = LinkCheck(
        handbook,
        root / settings.docs_dir,
        options.pages_dir,
        view_of,
        generated,
        _page_anchors(site_config or {}, kept_in) if judges_anchors else None,
        levels,
    )
    check.earlier = kept if kept is not None else {}
    diagnostics = []
    for document in handbook.documents:
        diagnostics += page_link_diagnostics(check, document)
    if check.anchors_of is not None:
        check.anchors_of.save()
    if kept is not None:  # the bodies of this call only
        kept.clear()
        kept.update(check.found)
    return diagnostics


def page_link_diagnostics(check: LinkCheck, document: Document) -> list[Diagnostic]:
    _head, body = split_front_matter(document.source)
    offset = len(document.source) - len(body)
    readers = Audience(check.handbook.settings, document.classification)
    accepted = document.meta.get(ACCEPT_KEY) == ACCEPTED
    hidden = None if readers.sees_everything or accepted else check.hidden_from(readers.name)
    diagnostics = []
    for href, start in check.links_in(body):
        line, column = _position(document.source, offset + start)
        for code, message in _problems(check, document, href, hidden, readers.name):
            judged = _at_site_level(
                check.levels, Diagnostic(document.path, line, column, code, message)
            )
            if judged is not None:
                diagnostics.append(judged)
    return diagnostics


# Our link diagnostics of the kinds MkDocs reports, by its name of the kind (`validation.links`)
_MKDOCS_KINDS = {"SMS206": "not_found", "SMS207": "anchors"}


def _at_site_level(levels: LinkLevels, diagnostic: Diagnostic) -> Diagnostic | None:
    """A link problem at the level the site's `validation:` gives its kind, as MkDocs logs it
    (SMS310 is ours: MkDocs never sees a hidden link)."""
    kind = _MKDOCS_KINDS.get(diagnostic.code)
    if diagnostic.code == "SMS208":
        return levels.excluded_target(diagnostic, "links")
    return diagnostic if kind is None else levels.judged(diagnostic, "links", kind)


def _problems(
    check: LinkCheck,
    document: Document,
    href: str,
    hidden: HiddenTargets | None,
    audience: str,
) -> Iterator[tuple[str, str]]:
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or href.startswith("/"):
        return  # another host, or a site-absolute URL that MkDocs leaves alone
    path = unquote(parts.path)
    by_uri = check.handbook.document_by_uri
    target = posixpath.normpath(posixpath.join(posixpath.dirname(document.src_uri), path))
    if not path:
        target = document.src_uri
    elif _left_out(check, target):
        yield (
            "SMS208",
            f"the link '{href}' leads to {target}, which the site leaves out (its "
            "`exclude_docs` or `draft_docs`): the published link leads nowhere; link to a page "
            "of the site",
        )
        return
    elif posixpath.splitext(target)[1] and by_uri(target) is None and not _exists(check, target):
        yield (
            "SMS206",
            f"the link '{href}' leads to no page nor file of {check.docs_dir.name}/"
            f"{'' if target == path else f' ({target})'} and to no generated page; fix the "
            "path (relative to this page's folder)",
        )
        return
    if hidden is not None and hidden.names_hidden(href, document.src_uri):
        yield (
            "SMS310",
            f"this {audience} page links to '{href}', which its {audience} readers may not "
            f'see: their page shows "restricted item" there (a list item or table row '
            "holding only the link is left out); link to a page they may see, classify this "
            f"page higher, or say it is meant with `{ACCEPT_KEY}: {ACCEPTED}` in its front "
            "matter",
        )
        return
    page = by_uri(target)
    if not parts.fragment or page is None:
        return
    anchors = check.anchors(page)
    fragment = unquote(parts.fragment)
    if anchors is not None and fragment not in anchors:
        yield (
            "SMS207",
            f"the link '{href}' names the anchor #{fragment}, which {target} does not have"
            f"{_closest(fragment, anchors)}; link to one of its headings' anchors",
        )


def _left_out(check: LinkCheck, target: str) -> bool:
    """Whether `target` is a file of docs/ that the site leaves out (site_files.py)."""
    if target.startswith("../") or target == ".." or target in check.every_generated:
        return False
    left_out = check.handbook.settings.site_files.is_left_out(target)
    return left_out and (check.docs_dir / target).is_file()


def _exists(check: LinkCheck, target: str) -> bool:
    if target.startswith("../") or target == "..":
        return False
    return target in check.every_generated or (check.docs_dir / target).is_file()


def _closest(fragment: str, anchors: frozenset[str]) -> str:
    import difflib

    close = difflib.get_close_matches(fragment, sorted(anchors), n=1, cutoff=0.6)
    return f" (did you mean #{close[0]}?)" if close else ""


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - source.rfind("\n", 0, offset)


def _without_code(body: str) -> str:
    """`body` with fenced code and code spans blanked (same length): not links."""
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * len(opening.group(1))
            lines[index] = " " * len(line)
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            lines[index] = " " * len(line)
    text = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


# Page templates, and the listing that Material's tags plugin writes in place of its marker (a
# heading per tag), give a page headings its source does not show.
_WRITES_HEADINGS = ("{{", "{%", "<!-- material/tags", "[TAGS]")


def _page_anchors(site_config: dict[str, Any], kept_in: Path | None) -> PageAnchors | None:
    """The pages' anchors under the slugify that makes heading ids: toc's own, or one of the
    documented functions the site names (pymdownx.slugs.slugify ...); None for one of the
    site's own, which validation never runs."""
    extensions = site_config.get("markdown_extensions") or []
    for entry in extensions if isinstance(extensions, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("toc"), dict):
            if "slugify" not in entry["toc"]:
                break
            named = entry["toc"]["slugify"]
            slugify = documented_value(named)
            if slugify is None:
                return None
            return PageAnchors(slugify, slugify_key(named), kept_in)
    return PageAnchors(None, slugify_key(None), kept_in)
