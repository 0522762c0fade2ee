"""The print edition: every controlled document on one page, ready to print to PDF."""

from __future__ import annotations

import posixpath
import re

from markupsafe import Markup

from .html import html_text
from .links import anchor, relative_url

_ID = re.compile(r'\b(id|for)="([^"]+)"')
_TAB_GROUP = re.compile(r'\bname="(__tabbed_[^"]*)"')
_HREF = re.compile(r'\b(href|src)="([^"]*)"')
_H1 = re.compile(r"<h1\b")


def _site_path(url: str, page_url: str) -> str:
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    joined = posixpath.normpath(posixpath.join(base, url))
    return "" if joined == "." else joined + ("/" if url.endswith("/") else "")


def print_section(doc_id: str, title: str, html: str, page_url: str, print_url: str) -> str:
    """One document's rendered HTML, re-based onto the print page with unique ids."""
    prefix = anchor(doc_id)
    # Ids, the labels that point at them and the radio groups of content tabs are made
    # unique per document: two documents' tabs on one page would otherwise switch each other.
    html = _ID.sub(lambda m: f'{m.group(1)}="{prefix}-{m.group(2)}"', html)
    html = _TAB_GROUP.sub(lambda m: f'name="{prefix}-{m.group(1)}"', html)

    def rebase(match: re.Match[str]) -> str:
        attribute, url = match.groups()
        if url.startswith("#"):
            return f'{attribute}="#{prefix}-{url[1:]}"'
        if not url or re.match(r"^[a-z][a-z0-9+.-]*:|^/", url):
            return match.group(0)
        return f'{attribute}="{relative_url(_site_path(url, page_url), print_url)}"'

    html = _HREF.sub(rebase, html)
    heading = "" if _H1.search(html) else f"<h1>{html_text(title)}</h1>"
    notice = (
        '<p class="sms-uncontrolled">'
        "Uncontrolled when printed: the handbook site is the controlled copy.</p>"
    )
    section = f'<section class="sms-print-document" id="{prefix}">'
    return f"{section}\n{notice}\n{heading}\n{html}\n</section>"


def print_cover(audience: str | None, date: str) -> str:
    return str(
        Markup(
            '<div class="sms-print-cover"><p class="sms-lead">All controlled documents of this '
            "handbook{audience}, as of {date}. Printed or saved copies are uncontrolled: the "
            "handbook site is the controlled copy.</p></div>"
        ).format(audience=f" for the {audience} audience" if audience else "", date=date)
    )
