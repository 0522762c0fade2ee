"""The document control block shown at the top of every controlled document."""

from __future__ import annotations

import datetime

from markupsafe import Markup

from ..core.model import Document, Handbook
from ..core.review import document_next_review, state_for
from .html import html_text, item_link_titled, join, link, render_template, role_link, state_badge
from .links import LinkMap


def control_rows(
    view: Handbook, links: LinkMap, document: Document, today: datetime.date
) -> list[tuple[str, Markup]]:
    settings = view.settings
    due = document_next_review(document, settings.review_interval_months)
    state = state_for(due, today, settings.due_soon_days)
    rows = [
        ("Document", html_text(document.id)),
        ("Version", html_text(document.get("version", ""))),
        ("Status", state_badge(str(document.get("status", "")))),
        ("Type", html_text(document.get("type", ""))),
        ("Owner", role_link(view, links, document.get("owner"))),
        ("Approver", role_link(view, links, document.get("approver"))),
        ("Approved on", html_text(document.get("approved_on") or "not approved")),
        ("Next review", html_text(due or "not scheduled") + Markup(" ") + state_badge(state)),
        ("Classification", html_text(document.classification)),
    ]
    if document.clauses:
        rows.append(("Clauses", join(link(links, f"clause:{c}", c) for c in document.clauses)))
    for label, field in (("Services", "services"), ("Related documents", "related")):
        values = document.get(field) or []
        if values:
            rows.append((label, join(item_link_titled(view, links, v) for v in values)))
    return rows


def render_control_block(
    view: Handbook,
    links: LinkMap,
    document: Document,
    today: datetime.date,
    history: Markup | str = "",
) -> str:
    html = render_template(
        "control_block.html.j2",
        rows=control_rows(view, links, document, today),
        history=history,
    )
    return html.strip() + "\n"
