"""Raw HTML of a page read by an HTML parser, and only what names a hidden target cut out.

The page is never written back from the parser's events: the parser says where each tag,
comment and run of text starts, and the stage cuts the spans it means to remove from the
page as written. Everything else (entities, a bare `&` in text or URLs, code, the case and
spacing of tags) keeps its bytes.

Comments stay, as plain MkDocs keeps them (Material reads `<!-- more -->` and
`<!-- material/tags -->`). A comment is read like any other text: one that names a hidden
target (a link inside it, or a path or URL written in it) is cut whole. Comments are found
as the HTML standard finds them: closed by `-->` or `--!>`, `<!-->` and `<!--->` empty, one
left open running to the end of the page; bogus comments (`<!x>`, `<?x>`, `<![CDATA[x]]>`,
`<!DOCTYPE>`) are read the same way. Every word of a comment is read as a link would be
(attribute values and Markdown link targets inside it too), so a parser that ends a comment
elsewhere than a browser does still finds a link inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from ..core.page_refs import looks_like_path
from ..guard import RESTRICTED_TEXT

RESTRICTED_HTML = f'<span class="sms-restricted">{RESTRICTED_TEXT}</span>'

# Attributes through which an element names another file of the site.
URL_ATTRIBUTES = frozenset(
    ["href", "src", "data", "poster", "action", "formaction", "srcset", "cite"]
)
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_COMMENT_END = re.compile(r"--!?>")
# What separates the words of a comment: a path ends at white space, quotes, markup and
# Markdown link syntax (`href="a.md"`, `[x](a.md)`, `srcset="a.png 1x, b.png 2x"`).
_WORDS = re.compile(r"[\s\"'`=<>()\[\]{},;!*|]+")

Hidden = Callable[[str | None], bool]


class _Reader(HTMLParser):
    """The spans of a page to cut, decided as the parser reads it: each element naming a
    hidden target (with its content, up to its end tag) and each comment naming one. A span
    ends where the parser's next event starts."""

    def __init__(self, text: str, hidden: Hidden) -> None:
        super().__init__(convert_charrefs=False)
        self.hidden = hidden
        self.cuts: list[tuple[int, int, str]] = []  # (start, end, replacement)
        self.ending: tuple[int, str] | None = None  # a cut that ends where the next event starts
        self.open_cut: int | None = None  # the start of a hidden element not yet closed
        self.skipping: list[str] = []  # its open tags
        self.raw_text: tuple[int, str] | None = None  # a <style> or <script> just opened
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _next_event(self) -> None:
        if self.ending is not None:
            start, replacement = self.ending
            self.cuts.append((start, self._here(), replacement))
            self.ending = None

    def _names_hidden(self, attrs: list[tuple[str, str | None]]) -> bool:
        """Whether an attribute names a hidden target: a URL attribute as a link, and any
        other (`style` with `url()`, `xlink:href`, `ping`, a refresh's `content`) word by
        word, as a comment is read."""
        for name, value in attrs:
            if not value:
                continue
            if name in URL_ATTRIBUTES:
                candidates = [v.strip().split(" ")[0] for v in value.split(",")]
                if any(self.hidden(c) for c in candidates):
                    return True
            if text_names_hidden(value, self.hidden):
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._next_event()
        self.raw_text = (self._here(), tag) if tag in self.CDATA_CONTENT_ELEMENTS else None
        void = tag in VOID_ELEMENTS
        if self.skipping:
            if not void:
                self.skipping.append(tag)
        elif self._names_hidden(attrs):
            if void:
                self.ending = (self._here(), RESTRICTED_HTML)
            else:
                self.open_cut, self.skipping = self._here(), [tag]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._next_event()
        if not self.skipping and self._names_hidden(attrs):
            self.ending = (self._here(), RESTRICTED_HTML)

    def handle_endtag(self, tag: str) -> None:
        self._next_event()
        if tag not in self.skipping:
            return
        while self.skipping and self.skipping.pop() != tag:
            pass
        if not self.skipping and self.open_cut is not None:
            self.ending, self.open_cut = (self.open_cut, RESTRICTED_HTML), None

    def handle_data(self, data: str) -> None:
        """Text; the content of a `<style>` or `<script>` naming a hidden target (a CSS
        `url()`, a script's address) makes the whole element go."""
        self._next_event()
        opened, self.raw_text = self.raw_text, None
        if self.skipping or not text_names_hidden(data, self.hidden):
            return
        if opened:
            self.open_cut, self.skipping = opened[0], [opened[1]]

    def handle_entityref(self, name: str) -> None:
        self._next_event()

    def handle_charref(self, name: str) -> None:
        self._next_event()

    def _comment(self, content: str) -> None:
        self._next_event()
        if not self.skipping and text_names_hidden(content, self.hidden):
            self.ending = (self._here(), "")

    def handle_comment(self, data: str) -> None:
        self._comment(data)

    def handle_decl(self, decl: str) -> None:
        self._comment(decl)

    def handle_pi(self, data: str) -> None:
        self._comment(data)

    def unknown_decl(self, data: str) -> None:
        self._comment(data)

    def finish(self, end: int) -> list[tuple[int, int, str]]:
        """The cuts, once the whole page is read (`end`: where the parser stopped)."""
        if self.ending is not None:
            self.cuts.append((self.ending[0], end, self.ending[1]))
        if self.open_cut is not None:  # never closed: to the end of the page
            self.cuts.append((self.open_cut, -1, RESTRICTED_HTML))
        return self.cuts

    def parse_comment(self, i: int, report: int = 1) -> int:
        """A comment as the HTML standard ends it (the page is fed whole, so one left open
        runs to its end)."""
        rawdata = self.rawdata
        start = i + 4
        for abrupt in (">", "->"):
            if rawdata.startswith(abrupt, start):
                if report:
                    self.handle_comment("")
                return start + len(abrupt)
        found = _COMMENT_END.search(rawdata, start)
        end, close = (found.start(), found.end()) if found else (len(rawdata), len(rawdata))
        if report:
            self.handle_comment(rawdata[start:end])
        return close


def text_names_hidden(content: str, hidden: Hidden) -> bool:
    """Whether a comment's content names a hidden target: any word of it, an attribute value
        of markup in it or the target of a Markdown link in it, read as a link is read (a bare
    word is not a path: `<!-- more -->` stays when a hidden page is called `more.md`)."""
    words = (word.rstrip(".:?") for word in _WORDS.split(content))  # "…see a/b.md."
    return any(_may_be_path(word) and looks_like_path(word) and hidden(word) for word in words)


def _may_be_path(word: str) -> bool:
    return "/" in word or ".md" in word or ".htm" in word


def scrub_html(html: str, hidden: Hidden) -> tuple[str, int]:
    """`html` without the elements (with their content) and comments that name a target
    `hidden` says is hidden, each element replaced by "restricted item"; every other byte
    as written. Returns the text and how many elements and comments went."""
    reader = _Reader(html, hidden)
    reader.feed(html)
    consumed = len(html) - len(reader.rawdata)  # where the parser stopped
    if consumed < len(html) and text_names_hidden(html[consumed:], hidden):
        # a tag or a <script> left open to the end: Markdown or a browser may read a link
        # where the parser reports none, so the rest of the page goes (fail closed)
        cuts = reader.finish(consumed)
        if reader.open_cut is None:
            start = reader.raw_text[0] if reader.raw_text else consumed
            cuts.append((start, -1, RESTRICTED_HTML))
    else:
        reader.close()
        cuts = reader.finish(len(html) - len(reader.rawdata))
    if not cuts:
        return html, 0
    out, position = [], 0
    for start, end, replacement in cuts:
        out += [html[position:start], replacement]
        position = len(html) if end < 0 else end
    out.append(html[position:])
    return "".join(out), len(cuts)
