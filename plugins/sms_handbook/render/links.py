"""Where things live in the built site, and links to them from any page.

Renderers never build URLs themselves: they ask a `LinkMap` for the href of an item id, a
generated page or a clause, relative to the page being rendered. Only what is in the
audience's view is in the map, so a hidden item can never be linked.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from dataclasses import dataclass, field


def slug(text: str) -> str:
    """Lower-case words joined by hyphens: a heading's id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def anchor(item_id: str) -> str:
    """The HTML id of an item's section, for example `rsk-001`. Ids that are not already
    plain (`W 1`, `Rsk-1`) get a short digest of their own, so that two ids never share an
    anchor (`W 1` and `w-1` would)."""
    plain = slug(item_id)
    if item_id in (plain, plain.upper()):
        return plain
    return f"{plain}-{hashlib.sha256(item_id.encode()).hexdigest()[:6]}"


def clause_anchor(clause_id: str) -> str:
    return "clause-" + clause_id.replace(".", "-")


@functools.lru_cache(maxsize=65536)  # a register page links the same few targets thousands of times
def relative_url(url: str, base: str) -> str:
    """`url` relative to the page at `base` (both site-relative), as MkDocs computes it."""
    path, _, fragment = url.partition("#")
    if base != ".":
        head, tail = posixpath.split(base)
        base = head if "." in tail else base
    relative = posixpath.relpath("/" + path, "/" + base)
    if (not path or path.endswith("/")) and not relative.endswith("/"):
        relative += "/"
    if fragment and relative in ("./", "."):
        return f"#{fragment}"
    return relative + (f"#{fragment}" if fragment else "")


@dataclass
class LinkMap:
    """Site-relative URLs of everything that can be linked, keyed by id or page name.

    Keys: a document or record id; `page:<name>` for generated pages (`catalogue`,
    `traceability`, `reviews`, `register:<kind>`); `clause:<id>` for a clause's row.
    """

    urls: dict[str, str] = field(default_factory=dict)
    current: str = "."

    def at(self, page_url: str) -> LinkMap:
        """The same map, for links from the page at `page_url`."""
        return LinkMap(self.urls, page_url or ".")

    def href(self, key: str) -> str | None:
        url = self.urls.get(key)
        return None if url is None else relative_url(url, self.current)

    def has(self, key: str) -> bool:
        return key in self.urls
