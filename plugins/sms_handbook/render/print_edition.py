"""The print edition: every controlled document on one page, ready to print to PDF."""

from __future__ import annotations

import posixpath
import re
from html import escape
from html.parser import HTMLParser

from markupsafe import Markup

from .html import html_text
from .links import anchor, relative_url


def _site_path(url: str, page_url: str) -> str:
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    joined = posixpath.normpath(posixpath.join(base, url))
    return "" if joined == "." else joined + ("/" if url.endswith("/") else "")


_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:|^/")  # a URL with a scheme, or site-absolute


class _Rebase(HTMLParser):
    """Copies a document's HTML, changing only attributes: ids (and the labels that point at
    them), content-tab radio groups and relative links, re-based onto the print page. Tags
    it does not change are copied as written; text, comments and entities verbatim."""

    def __init__(self, prefix: str, page_url: str, print_url: str) -> None:
        super().__init__(convert_charrefs=False)
        self.prefix, self.page_url, self.print_url = prefix, page_url, print_url
        self.out: list[str] = []
        self.has_h1 = False

    def _value(self, name: str, value: str) -> str:
        if name in ("id", "for"):
            return f"{self.prefix}-{value}"
        if name == "name" and value.startswith("__tabbed_"):
            return f"{self.prefix}-{value}"
        if name in ("href", "src"):
            if value.startswith("#"):
                return f"#{self.prefix}-{value[1:]}"
            if value and not _ABSOLUTE.match(value):
                return relative_url(_site_path(value, self.page_url), self.print_url)
        return value

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        self.has_h1 = self.has_h1 or tag == "h1"
        changed = [(n, v if v is None else self._value(n, v)) for n, v in attrs]
        if changed == attrs:
            self.out.append(self.get_starttag_text() or "")
            return
        parts = [tag] + [n if v is None else f'{n}="{escape(v, quote=True)}"' for n, v in changed]
        self.out.append("<" + " ".join(parts) + (" />" if closed else ">"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")


def print_section(doc_id: str, title: str, html: str, page_url: str, print_url: str) -> str:
    """One document's rendered HTML, re-based onto the print page with unique ids.

    Ids, the labels that point at them and the radio groups of content tabs are made unique
    per document: two documents' tabs on one page would otherwise switch each other."""
    prefix = anchor(doc_id)
    rebase = _Rebase(prefix, page_url, print_url)
    rebase.feed(html)
    rebase.close()
    body = "".join(rebase.out)
    heading = "" if rebase.has_h1 else f"<h1>{html_text(title)}</h1>"
    notice = (
        '<p class="sms-uncontrolled">'
        "Uncontrolled when printed: the handbook site is the controlled copy.</p>"
    )
    section = f'<section class="sms-print-document" id="{prefix}">'
    return f"{section}\n{notice}\n{heading}\n{body}\n</section>"


def print_cover(audience: str | None, date: str) -> str:
    return str(
        Markup(
            '<div class="sms-print-cover"><p class="sms-lead">All controlled documents of this '
            "handbook{audience}, as of {date}. Printed or saved copies are uncontrolled: the "
            "handbook site is the controlled copy.</p></div>"
        ).format(audience=f" for the {audience} audience" if audience else "", date=date)
    )
