"""What the sections of a record name: the ids and attribute values of its headings.

A `covers:` claim is backed by a section whose heading names the item, through Markdown's
attribute lists (`## Policies {#policies}` or `## Policies and objectives {data-covers="policies
objectives"}`). The body is parsed as Markdown and its headings read with an HTML parser, so a
`#` line inside fenced code is never a heading.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser

from markdown import Markdown

from ..documents import split_front_matter
from ..model import Document
from .linked_rules import ID_IN_TEXT

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _HeadingNames(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HEADINGS:
            for _name, value in attrs:
                self.names.update((value or "").split())


@functools.lru_cache(maxsize=256)
def _names_in(body: str) -> frozenset[str]:
    html = Markdown(extensions=["attr_list", "fenced_code", "tables"]).convert(body)
    parser = _HeadingNames()
    parser.feed(html)
    parser.close()
    return frozenset(parser.names)


def section_names(document: Document) -> frozenset[str]:
    """Every id and attribute value (each word of it) of the document's headings. A heading
    has attributes only from an attribute list (`{...}`) or as raw HTML (`<h2 id=...>`): a
    body holding neither has none, and is not converted to find that out."""
    body = split_front_matter(document.source)[1]
    if "{" not in body and "<h" not in body.lower():
        return frozenset()
    return _names_in(body)


TextFacts = tuple[tuple[str, ...], frozenset[str]]


def text_facts(document: Document) -> TextFacts:
    """What the assessment reads of a document's text (front matter aside, which it reads
    as data): the ids it names and its sections' names. Two texts with the same facts
    assess alike."""
    return tuple(ID_IN_TEXT.findall(document.source)), section_names(document)
