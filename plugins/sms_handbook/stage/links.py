"""Links to what the audience may not see, taken out of a page before it is staged.

A link from a visible page to a hidden one becomes the plain text "restricted item" (its text
is often the hidden page's title), so that no engine ever reads the hidden path or title, nor
warns about a page it cannot find. Markdown links are found by Python-Markdown's own link
processors (inline, reference and image forms, nesting and escapes as Markdown reads them);
raw HTML is read by an HTML parser (`guard.scrub`), which also drops HTML comments. Fenced
code is left as it is written, except for its HTML comments and raw links, which are treated
like any other text: a code sample may not name a hidden page either.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.blockprocessors import ReferenceProcessor

from ..guard import RESTRICTED_TEXT, scrub_html
from .layout import link_targets

_LINK_PROCESSORS = (
    "link",
    "reference",
    "short_reference",
    "image_link",
    "image_reference",
    "short_image_ref",
)


@dataclass
class HiddenTargets:
    """Source paths and URLs (without `index.html` and slashes) of what is left out."""

    src_uris: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    use_directory_urls: bool = True

    def names_hidden(self, href: str | None, page_src_uri: str) -> bool:
        sources, urls = link_targets(href, page_src_uri, self.use_directory_urls)
        return bool(sources & self.src_uris or urls & self.urls)


def scrub_page(text: str, src_uri: str, targets: HiddenTargets) -> tuple[str, int]:
    """`text` without links, images and references to hidden targets, and without HTML
    comments; returns the text and how many links were taken out."""

    def hidden(href: str | None) -> bool:
        return targets.names_hidden(href, src_uri)

    text, removed = _markdown_links(text, hidden)
    if "<" not in text:
        return text, removed  # no raw HTML, no comment: nothing for the HTML parser
    scrubbed, html_removed = scrub_html(text, hidden)
    return scrubbed, removed + html_removed


@functools.lru_cache(maxsize=1)
def _parser() -> Markdown:
    """One Markdown instance whose link processors read every page's links."""
    md = Markdown()
    md.treeprocessors["inline"].stashed_nodes = {}
    return md


def _markdown_links(text: str, hidden: Callable[[str | None], bool]) -> tuple[str, int]:
    if "[" not in text:
        return text, 0
    md = _parser()
    md.references.clear()
    removed = 0
    kept_lines = []
    for line in text.split("\n"):
        match = ReferenceProcessor.RE.match(line)
        if match:
            reference, href = match.group(1).strip().lower(), match.group(2).strip("<>")
            md.references[reference] = (href, None)
            if hidden(href):
                removed += 1
                continue  # the definition names the hidden target: it goes
        kept_lines.append(line)
    text = "\n".join(kept_lines)
    for name in _LINK_PROCESSORS:
        processor = md.inlinePatterns[name]
        position = 0
        while True:
            found = processor.compiled_re.search(text, position)
            if found is None:
                break
            element, start, end = processor.handleMatch(found, text)
            if element is None or start is None or end is None:
                position = found.start() + 1
                continue
            href = element.get("href") if element.tag == "a" else element.get("src")
            if hidden(href):
                text = text[:start] + RESTRICTED_TEXT + text[end:]
                removed += 1
                position = start + len(RESTRICTED_TEXT)
            else:
                position = found.start() + 1  # links inside this one are still to be read
    return text, removed
