"""The document control block shown at the top of every controlled document."""

from __future__ import annotations

import datetime
from typing import Any

from markupsafe import Markup

from ..core.model import RESTRICTED, Document, Handbook
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
    ]
    # A role the readers may not see has no row: a row of redactions tells them nothing.
    for label, field in (("Owner", "owner"), ("Approver", "approver")):
        if document.get(field) is not RESTRICTED:
            rows.append((label, role_link(view, links, document.get(field))))
    rows += [
        ("Approved on", html_text(document.get("approved_on") or "not approved")),
        ("Next review", html_text(due or "not scheduled") + Markup(" ") + state_badge(state)),
        ("Classification", html_text(document.classification)),
    ]
    if document.clauses:
        rows.append(("Clauses", join(link(links, f"clause:{c}", c) for c in document.clauses)))
    for label, field in (("Services", "services"), ("Related documents", "related")):
        values = [v for v in document.get(field) or [] if v is not RESTRICTED]
        if values:
            rows.append((label, join(item_link_titled(view, links, v) for v in values)))
    return rows


HISTORY_DETAIL = ("minimal", "authors", "full")


def render_history(view: Handbook, revisions: list[Any], detail: str, note: str = "") -> Markup:
    """The revision history table. `detail`: "minimal" (dates, versions, approvals),
    "authors" (plus authors) or "full" (plus commit subjects, which can name anything)."""
    if not revisions:
        return (
            Markup('<p class="sms-muted">')
            + html_text(note or "No revisions recorded.")
            + Markup("</p>")
        )
    columns = ["Date", "Version", "Approval"]
    if detail in ("authors", "full"):
        columns.append("Author")
    if detail == "full":
        columns.append("Change")
    columns.append("Commit")
    head = Markup("").join(Markup("<th>") + html_text(c) + Markup("</th>") for c in columns)
    rows = []
    for revision in revisions:
        approval = Markup("")
        if revision.approval:
            if revision.approver and view.item(revision.approver):
                approver = view.title_of(revision.approver)
                approval = html_text(f"approved by {approver} on {revision.approved_on}")
            else:  # an approver the readers may not see is not named, not even as a role
                approval = html_text(f"approved on {revision.approved_on}")
        cells = [html_text(revision.date), html_text(revision.version or ""), approval]
        if detail in ("authors", "full"):
            cells.append(html_text(revision.author))
        if detail == "full":
            cells.append(html_text(revision.subject))
        cells.append(Markup("<code>") + html_text(revision.commit[:7]) + Markup("</code>"))
        rows.append(
            Markup("<tr>")
            + Markup("").join(Markup("<td>") + c + Markup("</td>") for c in cells)
            + Markup("</tr>")
        )
    table = Markup('<table class="sms-table"><thead><tr>') + head + Markup("</tr></thead><tbody>")
    table += Markup("").join(rows) + Markup("</tbody></table>")
    if note:
        table += Markup('<p class="sms-muted">') + html_text(note) + Markup("</p>")
    return table


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
