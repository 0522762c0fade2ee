"""Front-matter values that name a page (Material's `links:` of blog posts, `related:`,
redirects…), found and taken out for an audience that may not see the page.

Any string of a page's front matter may be a path or URL; one that names a hidden page
goes, as a Markdown link to it would, with the list item or mapping entry holding it: a
value, a mapping key, or a word of a longer text (a description, a multi-line note).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

NamesHidden = Callable[[str], bool]
_LONGEST_PATH = 500  # a longer value is prose, not a path
_FILE_NAME = re.compile(r"[\w.-]+\.[^\W\d_]\w{0,7}")  # a name with an extension: `notes.txt`
# What a value naming a path or a file holds (`a/b`, `a\b`, `page.md`, `notes.txt`).
_PATH_MARKS = ("/", "\\", ".")


def without_hidden_pages(
    value: Any, names_hidden: NamesHidden, *, emptied: bool = False
) -> tuple[Any, int]:
    """`value` without the strings (list items, mapping entries) `names_hidden` refuses,
    and without containers emptied by that; the count of strings taken out. `value` itself
    when nothing goes. With `emptied`, a mapping's value that goes leaves its key with an
    empty text (for a reader that requires the key), and a list's item that held one goes
    whole."""
    if isinstance(value, list):
        items = [(None, item) for item in value]
    elif isinstance(value, dict):
        items = list(value.items())
    else:
        return value, 0
    kept: list[tuple[Any, Any]] = []
    removed = 0
    for key, item in items:
        if isinstance(key, str) and _names_hidden(key, names_hidden):
            removed += 1  # a key written as a path (`see_also: {hidden.md: …}`)
            continue
        if isinstance(item, str):
            if _names_hidden(item, names_hidden):
                removed += 1
                if emptied and key is not None:
                    kept.append((key, ""))
                continue
            kept.append((key, item))
            continue
        scoped, inner = without_hidden_pages(item, names_hidden, emptied=emptied)
        removed += inner
        if emptied and inner and key is None:
            continue  # an entry of a list (a social link, say) goes whole
        if not inner or scoped:  # else a section of links that held only hidden ones
            kept.append((key, scoped))
    if not removed:
        return value, 0
    if isinstance(value, list):
        return [item for _, item in kept], removed
    return dict(kept), removed


def _names_hidden(value: str, names_hidden: NamesHidden) -> bool:
    """Whether a string names a hidden page: as a whole, or (prose, several lines) by any
    word of it written as a path."""
    if not _may_be_path(value):  # nor any word of it, each a part of it
        return False
    if looks_like_path(value) and names_hidden(value):
        return True
    words = [w.lstrip("([<\"'`").rstrip(")]>\"'`,;:.!?") for w in value.split()]
    return len(words) > 1 and any(w and looks_like_path(w) and names_hidden(w) for w in words)


def _may_be_path(value: str) -> bool:
    return any(mark in value for mark in _PATH_MARKS)


def case_folded(name: str) -> str:
    """A target name as a server that ignores letter case reads it (macOS and Windows file
    systems, some object stores): `Internal/Plan.md` names `internal/plan.md` there, so a
    name matching a hidden target in any case names that target (fail closed)."""
    return name.casefold()


def as_browser_reads(href: str) -> str:
    """A link with each backslash a slash, as browsers read web addresses
    (`internal\\plan.md` leads to `internal/plan.md`)."""
    return href.replace("\\", "/")


def looks_like_path(value: str) -> bool:
    """A value that can name a page or file: `a/b`, `page.md`, `page.html`, `notes.txt` (a
    bare word is a tag or a name, even when a page has it as its file name)."""
    if len(value) > _LONGEST_PATH or "\n" in value:
        return False
    if not _may_be_path(value):  # the path is a part of the value
        return False
    path = urlsplit(as_browser_reads(value).strip()).path
    return "/" in path or path.endswith((".md", ".html")) or bool(_FILE_NAME.fullmatch(path))


def named_sources(value: str, page_src_uri: str) -> set[str]:
    """The source paths a front-matter value may name: read against the page's folder, its
    URL's folder, and the docs folder (Material reads a post's `links:` from there)."""
    parts = urlsplit(as_browser_reads(value).strip())
    if parts.scheme or parts.netloc or not parts.path:
        return set()
    path = unquote(parts.path)
    folder = posixpath.dirname(page_src_uri)
    bases = {"", folder, page_src_uri.removesuffix(".md")}
    found = set()
    for base in bases:
        target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        stem = target.removesuffix(".html").removesuffix("/index").removesuffix(".md")
        found.update({target, f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"})
    return found


def folded_sources(hidden_sources: Iterable[str]) -> frozenset[str]:
    """`hidden_sources` as `hidden_page_test` compares them (once for many pages)."""
    return frozenset(case_folded(source) for source in hidden_sources)


def hidden_page_test(page_src_uri: str, hidden_sources: Collection[str]) -> NamesHidden:
    """Whether a front-matter value of the page names one of `hidden_sources`, in any
    letter case (a frozenset from `folded_sources` is taken as it is)."""
    folded = (
        hidden_sources if isinstance(hidden_sources, frozenset) else folded_sources(hidden_sources)
    )
    return lambda value: any(case_folded(n) in folded for n in named_sources(value, page_src_uri))
