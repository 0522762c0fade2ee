"""Shared pieces of generated pages: front matter and field tables."""

from __future__ import annotations

from typing import Any, TypeGuard

from markupsafe import Markup

from ..core.loading import dump_yaml
from ..core.model import Handbook, Record, Register
from .html import html_text, value_html
from .links import LinkMap


def front_matter(title: str, **extra: Any) -> str:
    """YAML front matter of a generated page; macros never render generated pages.

    The title is HTML-escaped: themes print page titles into the navigation unescaped.
    """
    data = {"title": str(html_text(title)), "render_macros": False, **extra}
    return dump_yaml(data).strip()


def field_rows(
    view: Handbook, links: LinkMap, register: Register, record: Record, skip: set[str]
) -> list[tuple[str, Markup]]:
    """(label, value) for every field of a record, schema order first, then the rest."""
    order = [f for f in register.kind.fields if f in record.data]
    order += [f for f in record.data if f not in order]
    return [
        (
            register.kind.field_title(name),
            value_html(view, links, register, name, record.data[name]),
        )
        for name in order
        if name not in skip and record.data[name] not in (None, "", [])
    ]


def mermaid_label(text: str) -> str:
    """Text that is safe inside a quoted Mermaid label."""
    text = " ".join(str(text).split())
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(raw, code)
    return text


def mermaid_node(item_id: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in item_id)


def _is_service(item: object) -> TypeGuard[Record]:
    return isinstance(item, Record) and item.register == "services"


def dependency_diagram(view: Handbook, service_ids: list[str] | None = None) -> str:
    """A Mermaid flowchart of service dependencies among visible services ('' if none)."""
    services = view.registers.get("services")
    if services is None:
        return ""
    sources = services.records
    if service_ids is not None:  # the services named and those that depend on them
        chosen = {
            item.id: item
            for service_id in service_ids
            for item in [view.item(service_id), *view.referrers("dependencies", service_id)]
            if _is_service(item)
        }
        sources = sorted(chosen.values(), key=lambda record: record.line)
    edges = [
        (record.id, target)
        for record in sources
        for target in record.get("dependencies") or []
        if isinstance(target, str) and _is_service(view.item(target))
    ]
    if service_ids is not None:
        edges = [(a, b) for a, b in edges if a in service_ids or b in service_ids]
    if not edges:
        return ""
    nodes = sorted({n for edge in edges for n in edge})
    lines = ["graph LR"]
    for node in nodes:
        lines.append(f'  {mermaid_node(node)}["{mermaid_label(view.title_of(node))}"]')
    for source, target in edges:
        lines.append(f"  {mermaid_node(source)} -->|depends on| {mermaid_node(target)}")
    return "\n".join(lines)


def plain(value: Any) -> Markup:
    return html_text(value)
