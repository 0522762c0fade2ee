"""What changed between two handbook states: as a site page, and as a pull request comment."""

from __future__ import annotations

import re

from markupsafe import Markup

from ..core.changes import Changes
from ..core.conformity import floor_percent
from ..core.model import Handbook
from .html import html_text, item_link_titled, join, link
from .links import LinkMap
from .pages import front_matter


def _table(headers: list[str], rows: list[list[Markup]]) -> Markup:
    head = join((Markup("<th>") + html_text(h) + Markup("</th>") for h in headers), "")
    body = join(
        (
            Markup("<tr>")
            + join((Markup("<td>") + c + Markup("</td>") for c in row), "")
            + Markup("</tr>")
            for row in rows
        ),
        "",
    )
    return (
        Markup('<table class="sms-table sortable"><thead><tr>')
        + head
        + Markup("</tr></thead><tbody>")
        + body
        + Markup("</tbody></table>")
    )


def _short(revision: str) -> str:
    """A commit hash as people quote it (12 characters); names stay as they are."""
    is_hash = len(revision) == 40 and all(c in "0123456789abcdef" for c in revision)
    return revision[:12] if is_hash else revision


def render_changes_page(view: Handbook, links: LinkMap, changes: Changes, base: str) -> str:
    """The generated "What changed" page, for one audience's view of both states."""
    parts = [
        "---\n" + front_matter("What changed") + "\n---\n",
        "# What changed\n",
        f'<p class="sms-lead">Changes since {html_text(_short(base))}.</p>\n',
    ]
    if changes.empty:
        parts.append("<p>Nothing changed in the documents or registers.</p>\n")
    if changes.withdrawn:
        count = changes.withdrawn
        parts.append(
            f"<p>{count} item{'s were' if count != 1 else ' was'} withdrawn from this edition "
            "of the handbook.</p>\n"
        )
    if changes.documents:
        parts += documents_section(view, links, changes)
    if changes.records or changes.registers:
        parts += registers_section(view, links, changes)
    if changes.clauses:
        parts += conformity_section(links, changes)
    return "\n".join(str(p) for p in parts)


def documents_section(view: Handbook, links: LinkMap, changes: Changes) -> list[str]:
    rows = [
        [
            item_link_titled(view, links, c.document.id)
            if c.new
            else html_text(f"{c.document.id} {c.document.title}"),
            html_text(c.change),
            html_text(f"{c.old_version or '-'} \u2192 {c.new_version or '-'}"),
            html_text((c.new or c.document).get("status") or ""),
        ]
        for c in changes.documents
    ]
    table = _table(["Document", "Change", "Version", "Status"], rows)
    return ["## Documents {#documents}\n", table, "\n"]


def registers_section(view: Handbook, links: LinkMap, changes: Changes) -> list[str]:
    rows = [
        [
            link(links, f"page:register:{c.register}", c.register),
            item_link_titled(view, links, c.record_id)
            if c.change != "removed"
            else html_text(f"{c.record_id} {c.title}"),
            html_text(c.change),
        ]
        for c in changes.records
    ]
    rows += [
        [
            link(links, f"page:register:{name}", name),
            html_text("register header"),
            html_text("changed"),
        ]
        for name in changes.registers
    ]
    return ["## Registers {#registers}\n", _table(["Register", "Record", "Change"], rows), "\n"]


def conformity_section(links: LinkMap, changes: Changes) -> list[str]:
    rows = [
        [
            link(links, f"clause:{c.clause_id}", f"{c.clause_id} {c.title}"),
            html_text(c.old),
            html_text(c.new),
        ]
        for c in changes.clauses
    ]
    return [
        "## Conformity {#coverage}\n",
        f"<p>Requirements {html_text(figures(changes))}.</p>\n",
        _table(["Clause", "Before", "Now"], rows),
        "\n",
    ]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: object) -> str:
    """Plain text for a GitHub Markdown table cell or list item: inline syntax escaped."""
    plain = (
        " ".join(str(text).split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )
    return _MD_SPECIAL.sub(r"\\\1", plain)


def figures(changes: Changes) -> str:
    """Both conformity figures, before and after, rounded as everywhere (whole percent, down)."""
    (eb, ea), (db, da) = changes.coverage, changes.documented
    return (
        f"evidenced {floor_percent(eb)} \u2192 {floor_percent(ea)}, "
        f"documented {floor_percent(db)} \u2192 {floor_percent(da)}"
    )


def changes_markdown(changes: Changes, current: Handbook, base: str) -> str:
    """A pull request comment: what this change does to the handbook, reviewers first."""
    lines = [f"## SMS handbook changes since `{base[:12]}`", ""]
    if changes.empty:
        return "\n".join([*lines, "No documents or registers changed.", ""])
    lines += [f"Requirements of {md(current.standard.title)}: {figures(changes)}", ""]
    if changes.withdrawn:
        lines += [f"{changes.withdrawn} item(s) withdrawn from this audience (not named).", ""]
    if changes.documents:
        lines += [
            "### Documents",
            "",
            "| Document | Change | Version | Status |",
            "|---|---|---|---|",
        ]
        for change in changes.documents:
            document = change.new or change.document
            versions = f"{md(change.old_version or '-')} \u2192 {md(change.new_version or '-')}"
            lines.append(
                f"| {md(change.document.id)} {md(change.document.title)} | {change.change} | "
                f"{versions} | {md(document.get('status') or '')} |"
            )
        lines.append("")
    approvals = changes.approvals
    if approvals:
        lines += ["### Approvals", ""]
        for document in approvals:
            approver = current.title_of(str(document.get("approver")))
            if document.get("status") == "approved":
                lines.append(
                    f"- [ ] {md(document.id)}: approval by **{md(approver)}** recorded for "
                    f"{md(document.get('approved_on'))}; "
                    "the approver should approve this pull request"
                )
            else:
                lines.append(
                    f"- [ ] {md(document.id)}: {md(document.get('status'))}; "
                    f"needs approval by **{md(approver)}** before it takes effect"
                )
        lines.append("")
    if changes.clauses:
        lines += ["### Coverage by clause", "", "| Clause | Before | Now |", "|---|---|---|"]
        lines += [
            f"| {md(c.clause_id)} {md(c.title)} | {c.old} | {c.new} |" for c in changes.clauses
        ]
        lines.append("")
    if changes.reviews:
        lines += ["### Reviews", ""]
        lines += [f"- {md(r.item_id)} {md(r.title)}: {r.change}" for r in changes.reviews]
        lines.append("")
    if changes.records or changes.registers:
        lines += ["### Register records", "", "| Register | Record | Change |", "|---|---|---|"]
        lines += [
            f"| {md(c.register)} | {md(c.record_id)} {md(c.title)} | {c.change} |"
            for c in changes.records
        ]
        lines += [f"| {md(name)} | register header | changed |" for name in changes.registers]
        lines.append("")
    return "\n".join(lines)
