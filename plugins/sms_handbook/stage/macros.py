"""The macros page authors call (`{{ register_table("risks") }}` and so on), each returning
escaped HTML built from this audience's view only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..core.conformity import Assessment
from ..core.model import Handbook
from ..render.html import html_text, item_link_titled, link, role_link, value_html
from ..render.links import LinkMap

MACRO_NAMES = (
    "register_table",
    "document_link",
    "service_summary",
    "coverage_summary",
    "document_table",
)


def macros(
    view: Handbook, links_for_page: Callable[[], LinkMap], notes: list[str], assessment: Assessment
) -> dict[str, Callable[..., str]]:
    """Functions page authors call, by the names they call them."""
    page = PageMacros(view, links_for_page, notes, assessment)
    return {name: getattr(page, name) for name in MACRO_NAMES}


def _row(cells: list[Markup]) -> Markup:
    return (
        Markup("<tr>")
        + Markup("").join(Markup("<td>") + c + Markup("</td>") for c in cells)
        + Markup("</tr>")
    )


@dataclass
class PageMacros:
    view: Handbook
    links_for_page: Callable[[], LinkMap]  # links relative to the page being rendered
    notes: list[str]
    assessment: Assessment

    def register_table(self, name: str, columns: list[str] | None = None, **where: Any) -> str:
        """An HTML table of a register's visible records, optionally filtered by field values."""
        view = self.view
        register = view.registers.get(name)
        if register is None:
            self.notes.append(
                f"register_table: no register '{name}' for the {view.audience} audience"
            )
            return ""
        links = self.links_for_page()
        wanted = [c for c in (columns or register.kind.columns) if c in register.kind.fields]
        head = Markup("").join(
            Markup("<th>") + html_text(register.kind.field_title(c)) + Markup("</th>")
            for c in wanted
        )
        rows = [
            _row(
                [
                    item_link_titled(view, links, record.id)
                    if c == "id"
                    else value_html(view, links, register, c, record.get(c))
                    for c in wanted
                ]
            )
            for record in register.records
            if all(record.get(k) == v for k, v in where.items())
        ]
        return str(
            Markup('<table class="sms-table sortable"><thead><tr>')
            + head
            + Markup("</tr></thead><tbody>")
            + Markup("").join(rows)
            + Markup("</tbody></table>")
        )

    def document_link(self, document_id: str) -> str:
        """A link to a document by id, with its title; plain text if this audience cannot see it."""
        if self.view.item(document_id) is None:
            return "restricted item"
        title = f"{document_id} {self.view.title_of(document_id)}"
        return str(link(self.links_for_page(), document_id, title))

    def service_summary(self, service_id: str) -> str:
        """A short card for one service: name (linked), summary and support hours."""
        services = self.view.registers.get("services")
        record = self.view.item(service_id)
        if services is None or record is None or getattr(record, "register", None) != "services":
            return "restricted item"
        parts = [
            Markup('<div class="sms-card"><p class="sms-card-title">'),
            link(self.links_for_page(), service_id, services.record_title(record)),  # type: ignore[arg-type]  # a record
            Markup("</p><p>"),
            html_text(record.get("summary") or ""),
            Markup("</p></div>"),
        ]
        return str(Markup("").join(parts))

    def document_table(self, status: str | None = None) -> str:
        """An HTML table of the controlled documents this audience sees, by id."""
        links = self.links_for_page()
        head = Markup(
            "<thead><tr><th>Id</th><th>Title</th><th>Type</th><th>Version</th>"
            "<th>Status</th><th>Owner</th></tr></thead>"
        )
        rows = [
            _row(
                [
                    link(links, str(document.id), document.id),
                    html_text(document.title),
                    html_text(document.get("type") or ""),
                    html_text(document.get("version") or ""),
                    html_text(document.get("status") or ""),
                    role_link(self.view, links, document.get("owner")),
                ]
            )
            for document in sorted(self.view.controlled_documents, key=lambda d: d.id or "")
            if status is None or document.get("status") == status
        ]
        table = Markup('<table class="sms-table sortable">') + head + Markup("<tbody>")
        return str(table + Markup("").join(rows) + Markup("</tbody></table>"))

    def coverage_summary(self) -> str:
        """The two conformity figures, for example '60 of 78 requirements evidenced (76%),
        64 documented (82%)'."""
        return self.assessment.summary()
