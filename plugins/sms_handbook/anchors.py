"""The anchors of a page: the ids its body gives its headings and elements (toc, attr_list,
md_in_html, raw HTML), what a link's `#fragment` is judged against (SMS207).

Each body is converted once, and only as far as ids need: before the inline step, the text of
every element that can give no id is left out (text holding no placeholder of a raw HTML block,
and no `{` of an attribute list or `<` of inline HTML, or one of them but neither a `#` nor an
`id=` or `name=` in any case; a heading keeps its text, which its id is made from), so most of
the inline work is spared and no id changes. What a conversion
found is kept between runs in the repository's git directory, which no commit or pull request
can write, under a digest of the body and of how it is converted: a page is converted again
only when its text, the slugify or Python-Markdown changes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX

from .history_cache import read_json, write_json

FORMAT = 1
NAME = "sms-handbook-anchors.json"
KEPT_OTHERS = 500  # bodies kept besides this run's: at least this many, at most as many again
EXTENSIONS = ("toc", "attr_list", "md_in_html", "tables")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MARKS = ("{", "<")  # an attribute list, inline HTML
# What an id needs in a text with those marks: `#` (an attribute list's `#id`) or an attribute
# named id or name (`id=` of an attribute list; `id=`, `name=` of an HTML tag, in any case, as
# the HTML parser lowers attribute names)
_ID_ATTRIBUTE = re.compile(r"(?:id|name)\s*=")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def _gives_no_id(text: str | None) -> bool:
    """Whether `text` (an element's text or tail before the inline step) can give no id: it
    holds no placeholder of a raw HTML block, and no attribute list or inline HTML that could
    name one."""
    if text is None or STX in text:
        return False
    if not any(mark in text for mark in _MARKS):
        return True
    return "#" not in text and _ID_ATTRIBUTE.search(text.lower()) is None


class _IdlessText(Treeprocessor):
    """Leaves out, before the inline step, the text that cannot give an id."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag not in HEADINGS and _gives_no_id(element.text):
                element.text = ""
            if _gives_no_id(element.tail):
                element.tail = ""


def converter(slugify: Callable[..., str] | None, *, spare: bool = True) -> Markdown:
    """The conversion anchors are read from: toc (with the site's slugify), attr_list,
    md_in_html and tables; with `spare`, without the text that gives no id."""
    toc = {"slugify": slugify} if slugify is not None else {}
    md = Markdown(extensions=list(EXTENSIONS), extension_configs={"toc": toc})
    if spare:  # after the block parser's own (30), before the inline step (20)
        md.treeprocessors.register(_IdlessText(md), "sms-idless-text", 25)
    return md


def ids_in(md: Markdown, body: str) -> frozenset[str]:
    """The ids `md` gives the elements of `body`."""
    md.reset()
    parser = _Ids()
    parser.feed(md.convert(body))
    return frozenset(parser.ids)


def slugify_key(value: Any) -> str:
    """What names a slugify in the kept anchors' key: the tag as the configuration writes it
    (name, arguments) and the version of the package that holds it."""
    if value is None:
        return ""
    name = str(getattr(value, "name", value))
    package = sys.modules.get(name.split(".", maxsplit=1)[0])
    version = str(getattr(package, "__version__", ""))
    parts = [name, list(getattr(value, "args", ())), getattr(value, "kwds", {}), version]
    return json.dumps(parts, sort_keys=True, default=str)


@dataclass
class PageAnchors:
    """The anchors of page bodies under one slugify, converted once per body and kept in
    `folder` (the git directory; None: kept for this run only)."""

    slugify: Callable[..., str] | None
    slugify_name: str  # slugify_key of the site's configuration
    folder: Path | None = None
    _kept: dict[str, list[str]] | None = None  # read when first asked
    _used: dict[str, list[str]] = field(default_factory=dict)
    _md: Markdown | None = None
    _changed: bool = False

    def _read(self) -> dict[str, list[str]]:
        if self._kept is None:
            data = read_json(self.folder / NAME) if self.folder is not None else {}
            current = isinstance(data, dict) and data.get("format") == FORMAT
            kept = data.get("anchors") if current else None
            self._kept = kept if isinstance(kept, dict) else {}
        return self._kept

    def of(self, body: str) -> frozenset[str]:
        key = self._key(body)
        found = self._used.get(key)
        if found is None:
            found = self._read().get(key)
        if not (isinstance(found, list) and all(isinstance(i, str) for i in found)):
            if self._md is None:
                self._md = converter(self.slugify)
            found = sorted(ids_in(self._md, body))
            self._changed = True
        self._used[key] = found
        return frozenset(found)

    def _key(self, body: str) -> str:
        digest = hashlib.sha256()
        for part in (str(FORMAT), markdown.__version__, self.slugify_name, body):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def save(self) -> None:
        """Keep what this run converted and read, and the most recent others (a file of other
        branches' pages, say) up to as many again."""
        if self.folder is None or not self._changed:
            return
        others = [(k, v) for k, v in self._read().items() if k not in self._used]
        room = max(KEPT_OTHERS, len(self._used))
        kept = dict(others[-room:])
        kept.update(self._used)
        write_json(self.folder / NAME, {"format": FORMAT, "anchors": kept})
