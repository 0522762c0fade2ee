"""One document as the stage holds it: its page template rendered, snippets expanded, links to
hidden pages taken out, the control block and the print edition's markers in place, and front
matter reduced to what themes and engines read."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ..core.documents import split_front_matter
from ..core.model import Document
from ..guard import print_markers
from ..render.control_block import render_control_block
from ..render.links import LinkMap
from .control import insert_after_title
from .expansion import render_by_default
from .front_matter import PRESENTATION_KEYS, staged_front_matter
from .history_block import history_html
from .htmlstash import PageStash
from .links import HiddenTargets, scrub_page
from .snippets import Snippets
from .templates import PageTemplates, safe_data

if TYPE_CHECKING:
    from .request import StageRequest


def page_marker(token: str, src_uri: str, flags: str) -> str:
    return f"<!-- sms-page {token} {quote(src_uri)} {flags} -->"


def marked_page(head: str | None, body: str, marker: str) -> str:
    """The staged page: its front matter, then the body with the guard's marker on a line of
    its own. A body that opens with a `# ` title keeps it first, as MkDocs reads the title
    there before rendering (Material's blog makes a post's address of it); the marker follows
    it, within the first three lines, where the guard looks."""
    lines = body.split("\n", 2)
    opening = next((index for index, line in enumerate(lines[:2]) if line.strip()), None)
    if opening is not None and lines[opening].strip().startswith("# "):
        body = "\n".join([*lines[: opening + 1], marker, *lines[opening + 1 :]])
    else:
        body = f"{marker}\n{body}"
    return f"---\n{head}---\n{body}" if head is not None else body


def staged_page(
    document: Document,
    request: StageRequest,
    links: LinkMap,
    templates: PageTemplates | None,
    snippets: Snippets | None,
    targets: HiddenTargets,
    token: str,
    notes: list[str] | None = None,
) -> tuple[str, PageStash, list[str], str | None]:
    """A page as the stage holds it, its HTML blocks, problems in words for the log, and its
    control block; what it left out for its readers is added to `notes`."""
    view = request.view
    problems: list[str] = []
    _head, body = split_front_matter(document.source)
    meta = document.meta
    if templates is not None and meta.get("render_macros", render_by_default(request)) is not False:
        page = {
            "title": safe_data(document.title),
            "meta": safe_data({k: v for k, v in meta.items() if k in PRESENTATION_KEYS}),
            "url": links.current,
        }
        body, problem = templates.render(body, page, links)
        if problem:
            problems.append(f"page template not rendered: {problem}")
    if snippets is not None:
        body, problem = snippets.expand(body, document.src_uri)
        if problem:
            problems.append(f"snippets not expanded: {problem}")
    scrubbed = scrub_page(body, document.src_uri, targets)
    body = scrubbed.text
    if scrubbed.dropped and notes is not None:
        notes.append(
            f"{document.path}: left out {scrubbed.dropped} list item(s) or table row(s) "
            "holding only a link to a page this audience may not see"
        )
    stash = PageStash(token)
    flags = ""
    block = None
    if document.controlled:
        flags = "c"
        history = history_html(view, request.history, document.path)
        block = render_control_block(view, links, document, request.today, history)
        body = insert_after_title(body, stash.put(block))
        # The print edition takes the document's finished content from between these.
        start, end = print_markers(token)
        body = f"{stash.put(start).strip()}\n\n{body}\n\n{stash.put(end).strip()}\n"
    head, removed = staged_front_matter(_head, document, targets)
    if removed and notes is not None:
        notes.append(
            f"{document.path}: left out {removed} front-matter value(s) naming a page this "
            "audience may not see"
        )
    marker = page_marker(token, document.src_uri, flags)
    text = marked_page(head, body, marker)
    return text, stash, problems, block
