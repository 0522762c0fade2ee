"""Links to what the audience may not see, taken out of a page before it is staged.

A link from a visible page to a hidden one becomes the plain text "restricted item" (its text
is often the hidden page's title), so that no engine ever reads the hidden path or title, nor
warns about a page it cannot find. Markdown links are found by Python-Markdown's own link
processors (inline, reference and image forms, nesting and escapes as Markdown reads them);
raw HTML is read by an HTML parser (`rawhtml.scrub_html`), which also cuts a comment naming a
hidden target. Only those spans change: every other byte of the page stays as written. Code
is left as it is written, except for links to hidden targets in it, which are treated like
any other text: a code sample may not name a hidden page either.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.blockprocessors import ReferenceProcessor
from markdown.inlinepatterns import LinkInlineProcessor

from ..core.page_refs import case_folded
from ..guard import RESTRICTED_TEXT
from .layout import link_targets, output_paths
from .rawhtml import scrub_html

_LINK_PROCESSORS = (
    "link",
    "reference",
    "short_reference",
    "image_link",
    "image_reference",
    "short_image_ref",
)
_REFERENCE_PROCESSORS = ("reference", "short_reference", "image_reference", "short_image_ref")


@dataclass
class HiddenTargets:
    """Source paths and URLs (without `index.html` and slashes) of what is left out; a link
    names one in any letter case (`case_folded`).

    `generated_dir` is the folder of the generated pages (`handbook`): a link into it names a
    page some audience has, so one that this build does not have (`present`: its generated
    pages and the visible files there, as source paths and URLs) is hidden, not missing."""

    src_uris: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    use_directory_urls: bool = True
    generated_dir: str = ""
    present: set[str] = field(default_factory=set)
    _folded: dict[str, tuple[int, int, frozenset[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def names_hidden(self, href: str | None, page_src_uri: str) -> bool:
        sources, urls = link_targets(href, page_src_uri, self.use_directory_urls)
        sources, urls = {case_folded(s) for s in sources}, {case_folded(u) for u in urls}
        if sources & self._folded_set("src_uris") or urls & self._folded_set("urls"):
            return True
        if not self.generated_dir or not sources:
            return False
        inside = case_folded(self.generated_dir.strip("/") + "/")
        named = {*sources, *urls}
        present = self._folded_set("present")
        return any(n.startswith(inside) for n in named) and not named & present

    def _folded_set(self, name: str) -> frozenset[str]:
        """The set `name` case-folded, folded again whenever it was replaced or grew."""
        names: set[str] = getattr(self, name)
        cached = self._folded.get(name)
        if cached is None or cached[:2] != (id(names), len(names)):
            cached = (id(names), len(names), frozenset(case_folded(n) for n in names))
            self._folded[name] = cached
        return cached[2]

    def add_present(self, src_uri: str) -> None:
        """A generated page or visible file under `generated_dir`: links to it stay."""
        self.present.add(src_uri)
        for output in output_paths(src_uri):
            self.present.add(output.removesuffix("index.html").strip("/"))
            self.present.add(output.strip("/"))


@dataclass(frozen=True)
class Scrubbed:
    """A page without links to hidden targets: its text, how many links were taken out, and
    how many list items and table rows went with them (they held nothing else)."""

    text: str
    removed: int
    dropped: int = 0


def scrub_page(text: str, src_uri: str, targets: HiddenTargets) -> Scrubbed:
    """`text` without links, images and references to hidden targets, nor HTML comments
    naming one; a list item or table row whose only content was such a link goes."""

    def hidden(href: str | None) -> bool:
        return targets.names_hidden(href, src_uri)

    marker = _unused_character(text)
    text, removed = _markdown_links(text, hidden, marker)
    text, dropped = _drop_emptied_lines(text, marker)
    text = text.replace(marker, RESTRICTED_TEXT)
    if "<" not in text:
        return Scrubbed(text, removed, dropped)  # no raw HTML, no comment: nothing to parse
    scrubbed, html_removed = scrub_html(text, hidden)
    return Scrubbed(scrubbed, removed + html_removed, dropped)


# What a link taken out becomes until the lines it emptied are dropped, then the plain text
# RESTRICTED_TEXT: a private-use character the page does not hold (icon fonts put such
# characters in pages, and the author's stay as written).
_PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))


def _unused_character(text: str) -> str:
    codes = itertools.chain.from_iterable(_PRIVATE_USE)
    return next(chr(code) for code in codes if chr(code) not in text)


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|[0-9]{1,9}[.)])\s+")
_EMPHASIS = "*_~ \t.,;:"


def _drop_emptied_lines(text: str, marker: str) -> tuple[str, int]:
    """Without the list items and table rows whose only content was a hidden link (`marker`
    where each was): a column of "restricted item" lines tells a reader nothing."""
    if marker not in text:
        return text, 0
    kept, dropped = [], 0
    for line in text.split("\n"):
        if marker in line and _only_replacements(line, marker):
            dropped += 1
            continue
        kept.append(line)
    return "\n".join(kept), dropped


def _only_replacements(line: str, marker: str) -> bool:
    item = _LIST_ITEM.match(line)
    if item is not None:
        rest = line[item.end() :].replace(marker, "")
        return not rest.strip(_EMPHASIS)
    stripped = line.strip()
    if stripped.startswith("|") or stripped.endswith("|"):
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        filled = [cell for cell in cells if cell.strip(_EMPHASIS)]
        return all(cell.replace(marker, "").strip(_EMPHASIS) == "" for cell in filled)
    return False


@functools.lru_cache(maxsize=1)
def _parser() -> Markdown:
    """One Markdown instance whose link processors read every page's links (sharing one
    reading of each text's brackets)."""
    md = Markdown()
    md.treeprocessors["inline"].stashed_nodes = {}
    brackets = _Brackets()
    for name in _LINK_PROCESSORS:
        processor = md.inlinePatterns[name]
        assert isinstance(processor, LinkInlineProcessor)
        processor.getText = brackets.link_text
    return md


_BRACKET = re.compile(r"[\[\]]")


class _Brackets:
    """`getText` of Python-Markdown's link processors, with the same answers: the text
    between the `[` just before `index` and the `]` that closes it (brackets counted as
    Markdown counts them, escaped or not). Markdown finds the closing brackets of a text
    once per processor, reading every character in Python; here the text's brackets are
    paired once for all six processors, reading only the brackets."""

    def __init__(self) -> None:
        self._text: str | None = None
        self._ends: dict[int, int] = {}

    def link_text(self, data: str, index: int) -> tuple[str, int, bool]:
        if index > 0 and data[index - 1] == "[":
            if data is not self._text:
                self._text, self._ends = data, _closing_brackets(data)
            end = self._ends.get(index)
        else:
            end = _closing_bracket(data, index)
        if end is None:
            return data[index:], len(data), False
        return data[index : end - 1], end, True


def _closing_brackets(text: str) -> dict[int, int]:
    """For each `[` that closes: the index after it -> the index after its `]`."""
    ends, opened = {}, []
    for bracket in _BRACKET.finditer(text):
        if bracket.group() == "[":
            opened.append(bracket.end())
        elif opened:
            ends[opened.pop()] = bracket.end()
    return ends


def _closing_bracket(text: str, index: int) -> int | None:
    """The index after the `]` that closes a bracket opened before `index`, if one does."""
    depth = 0
    for bracket in _BRACKET.finditer(text, index):
        if bracket.group() == "[":
            depth += 1
        elif depth == 0:
            return bracket.end()
        else:
            depth -= 1
    return None


def _markdown_links(
    text: str, hidden: Callable[[str | None], bool], marker: str
) -> tuple[str, int]:
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
            href = _target(element)
            if hidden(href):
                start -= _escaping_backslash(text, start)
                text = text[:start] + marker + text[end:]
                removed += 1
                position = start + len(marker)
            else:
                position = found.start() + 1  # links inside this one are still to be read
    return text, removed


def _read_links(
    md: Markdown, names: tuple[str, ...], text: str
) -> Iterator[tuple[str | None, int, int]]:
    """(target, start, end) of each link or image that the processors `names` of `md` read
    in `text`, those inside another link included."""
    for name in names:
        processor = md.inlinePatterns[name]
        position = 0
        while (hit := processor.compiled_re.search(text, position)) is not None:
            position = hit.start() + 1
            element, start, end = processor.handleMatch(hit, text)
            if element is not None and start is not None and end is not None:
                yield _target(element), start, end


def _target(element: Element) -> str | None:
    """The target of a link (`a`) or image element."""
    return element.get("href") if element.tag == "a" else element.get("src")


def _referenced(md: Markdown, text: str) -> set[str | None]:
    """The targets of the definitions that a reference link or image of `text` uses (by
    target: of two definitions with one target, both count as used)."""
    return {href for href, _start, _end in _read_links(md, _REFERENCE_PROCESSORS, text)}


def _escaping_backslash(text: str, start: int) -> int:
    """1 when the `[` or `!` at `start` is escaped (`\\[x\\](hidden.md)`: no link to Markdown,
    but a hidden path all the same): the backslash goes with what is taken out."""
    backslashes = 0
    while backslashes < start and text[start - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2


def markdown_links(text: str) -> list[tuple[str, int]]:
    """Every link and image target in `text` as Markdown reads it, with the offset where it
    is written: an inline link at its `[`, a reference link at its definition. A definition
    no reference of `text` uses is left out: it writes no link (MkDocs never checks it)."""
    md = _parser()
    md.references.clear()
    found: dict[int, tuple[str, int]] = {}  # by where the link ends: an image holds a link
    definitions: dict[int, tuple[str, int]] = {}
    prose = []  # the lines that are not definitions: Markdown reads references there only
    offset = 0
    for line in text.split("\n"):
        match = ReferenceProcessor.RE.match(line)
        if match:
            href = match.group(2).strip("<>")
            md.references[match.group(1).strip().lower()] = (href, None)
            definitions[offset + match.end()] = (href, offset + match.start(2))
        else:
            prose.append(line)
        offset += len(line) + 1
    used = _referenced(md, "\n".join(prose)) if definitions else set()
    found.update((end, link) for end, link in definitions.items() if link[0] in used)
    for href, start, end in _read_links(md, ("link", "image_link"), text):
        if href is not None and end not in found:
            found[end] = (href, start)
    return sorted(found.values(), key=lambda link: link[1])
