"""The service catalogue: an index of services and one page per service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..core.model import Document, Handbook, Record, Register
from .html import html_text, item_link_titled, join, link, render_template, value_html
from .links import LinkMap, anchor, slug
from .pages import dependency_diagram, field_rows, front_matter

STATUS_GROUPS = (("live", "Live services"), ("pipeline", "In the pipeline"), ("retired", "Retired"))
FACT_FIELDS = (
    "status",
    "criticality",
    "owner",
    "customers",
    "support_hours",
    "workload_limits",
    "agreement",
)
SECTION_FIELDS = (
    "intended_outcomes",
    "service_level_targets",
    "exceptions",
    "how_to_request",
    "dependencies",
    "suppliers",
    "notes",
)


@dataclass
class Section:
    title: str
    anchor: str
    body: Markup


def services_shown(view: Handbook) -> list[Record]:
    """Services the catalogue lists: every one in the view (customers' view holds the live
    ones only: see Audience.shows_record)."""
    services = view.registers.get("services")
    return list(services.records) if services is not None else []


def render_catalogue(view: Handbook, links: LinkMap) -> str:
    services = view.registers.get("services")
    shown = services_shown(view)
    public = view.access.is_public
    groups = []
    for status, title in STATUS_GROUPS:
        members = [r for r in shown if r.get("status") == status]
        if not members or services is None:
            continue
        cards = [
            {
                "id": record.id,
                "link": link(links, record.id, services.record_title(record)),
                "status": str(record.get("status")),
                "summary": html_text(record.get("summary") or ""),
                "support_hours": html_text(record.get("support_hours") or ""),
            }
            for record in members
        ]
        groups.append(
            {"title": "Services" if public else title, "anchor": status, "services": cards}
        )
    intro = (
        "The services we deliver, what each one achieves for you, and the service levels we "
        "commit to."
    )
    return render_template(
        "catalogue.md.j2",
        front_matter=front_matter("Service catalogue"),
        title="Service catalogue",
        intro=intro,
        groups=groups,
        diagram="" if public else dependency_diagram(view),
    )


def _documents_for(view: Handbook, links: LinkMap, service_id: str) -> list[Markup]:
    return [
        item_link_titled(view, links, d.id)
        for d in view.referrers("services", service_id)
        if isinstance(d, Document) and d.controlled and d.id
    ]


def _records_for(view: Handbook, links: LinkMap, register: str, service_id: str) -> list[Markup]:
    return [
        item_link_titled(view, links, r.id)
        for r in view.referrers("services", service_id)
        if isinstance(r, Record) and r.register == register
    ]


def render_service(view: Handbook, links: LinkMap, services: Register, record: Record) -> str:
    title = services.record_title(record)
    facts = [
        (
            services.kind.field_title(name),
            value_html(view, links, services, name, record.data[name]),
        )
        for name in FACT_FIELDS
        if record.data.get(name) not in (None, "", [])
    ]
    sections = [
        Section(
            services.kind.field_title(name),
            slug(name),
            value_html(view, links, services, name, record.data[name]),
        )
        for name in SECTION_FIELDS
        if record.data.get(name) not in (None, "", [])
    ]
    shown = {"id", "name", "summary", "classification", *FACT_FIELDS, *SECTION_FIELDS}
    other = field_rows(view, links, services, record, shown)
    if other:
        rows = join(
            (
                Markup("<tr><th>") + label + Markup("</th><td>") + value + Markup("</td></tr>")
                for label, value in other
            ),
            "",
        )
        sections.append(
            Section(
                "Other information",
                "other-information",
                Markup('<table class="sms-facts">') + rows + Markup("</table>"),
            )
        )
    for heading, items in (
        ("Documents", _documents_for(view, links, record.id)),
        ("Risks and opportunities", _records_for(view, links, "risks", record.id)),
    ):
        if items:
            body = (
                Markup("<ul>")
                + join((Markup("<li>") + i + Markup("</li>") for i in items), "")
                + Markup("</ul>")
            )
            sections.append(Section(heading, slug(heading), body))
    context: dict[str, Any] = {
        "front_matter": front_matter(title),
        "title": title,
        "anchor": anchor(record.id),
        "summary": html_text(record.get("summary") or ""),
        "facts": facts,
        "sections": sections,
        "diagram": dependency_diagram(view, [record.id]),
    }
    return render_template("service.md.j2", **context)
