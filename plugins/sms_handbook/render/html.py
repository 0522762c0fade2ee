"""Templates and the safe rendering of register values.

Every value from a document or register is data: it is HTML-escaped, and wherever it lands in
Markdown it is written as character references so that no Markdown, extension syntax or
template syntax in it can take effect.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
)
from markupsafe import Markup, escape

from ..core.model import RESTRICTED, Handbook, Record, Register
from ..core.review import ReviewState
from ..core.schemas import ANY_ITEM
from .links import LinkMap, anchor, slug

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")


def md_text(value: Any) -> Markup:
    """Text for a Markdown context (a heading, a nav title): every symbol as a reference."""
    text = " ".join(str(value).split())
    return Markup(
        "".join(
            c if c in _PLAIN or (c.isalpha() and ord(c) > 127) else f"&#{ord(c)};" for c in text
        )
    )


def html_text(value: Any) -> Markup:
    """Text for an HTML context; braces too are references, so no template engine sees them."""
    return Markup(str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;"))


def heading_id(value: str) -> Markup:
    """attr_list syntax giving a Markdown heading a stable id."""
    return Markup("{#" + slug(value) + "}")


def nowrap(value: Any) -> Markup:
    """Text that must not break at its hyphens (an id, a date), as escaped HTML."""
    return Markup('<span class="sms-nowrap">') + html_text(value) + Markup("</span>")


def restricted() -> Markup:
    return Markup(
        '<span class="sms-restricted" title="not visible to this audience">restricted item</span>'
    )


def link(links: LinkMap, key: str, text: Any, title: Any = None) -> Markup:
    href = links.href(key)
    label = text if isinstance(text, Markup) else html_text(text)
    if href is None:
        return label
    tip = Markup(f' title="{html_text(title)}"') if title is not None else Markup("")
    return Markup(f'<a href="{html_text(href)}"{tip}>{label}</a>')


def item_link(handbook: Handbook, links: LinkMap, item_id: Any) -> Markup:
    """A link to a document or record by id, showing its id (title on hover)."""
    if item_id is RESTRICTED:
        return restricted()
    item_id = str(item_id)
    if handbook.item(item_id) is None:
        return nowrap(item_id)
    return link(links, item_id, nowrap(item_id), handbook.title_of(item_id))


def item_link_titled(handbook: Handbook, links: LinkMap, item_id: Any) -> Markup:
    """A link showing `ID title`."""
    if item_id is RESTRICTED:
        return restricted()
    item_id = str(item_id)
    if handbook.item(item_id) is None:
        return nowrap(item_id)
    title = handbook.title_of(item_id)
    text = nowrap(item_id) if title == item_id else nowrap(item_id) + " " + html_text(title)
    return link(links, item_id, text)


def role_link(handbook: Handbook, links: LinkMap, role_id: Any) -> Markup:
    """A role by its name, linked to the roles register."""
    if role_id is RESTRICTED:
        return restricted()
    if role_id is None:
        return Markup("")
    role_id = str(role_id)
    if handbook.item(role_id) is None:
        return html_text(role_id)
    return link(links, role_id, handbook.title_of(role_id), role_id)


def _reference_fields(register: Register) -> dict[str, tuple[str, ...]]:
    return {ref.path[0]: ref.path[1:] for ref in register.kind.references if ref.path}


def value_html(
    handbook: Handbook, links: LinkMap, register: Register, field: str, value: Any
) -> Markup:
    """Any field value of a record as safe HTML: text, lists, tables, references."""
    ref_rest = _reference_fields(register).get(field)
    is_role_ref = any(r.path[0] == field and r.target == "roles" for r in register.kind.references)

    def one(item: Any, rest: tuple[str, ...] | None) -> Markup:
        if item is RESTRICTED:
            return restricted()
        if rest == () and isinstance(item, str):
            return (
                role_link(handbook, links, item)
                if is_role_ref
                else item_link_titled(handbook, links, item)
            )
        if isinstance(item, dict):
            return _mapping_html(item, lambda k, v: one(v, None))
        if isinstance(item, list):
            sub = rest[1:] if rest and rest[0] == ANY_ITEM else None
            return _list_html([one(v, sub) for v in item])
        if isinstance(item, bool):
            return Markup("yes" if item else "no")
        if item is None:
            return Markup("")
        if isinstance(item, datetime.date) or (isinstance(item, str) and _ISO_DATE.fullmatch(item)):
            return nowrap(item)
        return html_text(item)

    return one(value, ref_rest)


def _list_html(items: list[Markup]) -> Markup:
    if not items:
        return Markup('<span class="sms-empty">none</span>')
    if all("<table" not in i and "<ul" not in i for i in items) and len(items) == 1:
        return items[0]
    # Items on lines of their own: invisible in the page, a word break for anything that reads
    # its text (search previews would otherwise run "first itemSecond item" together).
    return (
        Markup("<ul>")
        + Markup("\n").join(Markup("<li>") + i + Markup("</li>") for i in items)
        + Markup("</ul>")
    )


def _mapping_html(mapping: dict[str, Any], render: Any) -> Markup:
    if set(mapping) == {"metric", "target"}:
        return (
            html_text(mapping["metric"])
            + Markup(": <strong>")
            + html_text(mapping["target"])
            + Markup("</strong>")
        )
    rows = Markup("\n").join(
        Markup("<tr><th>")
        + html_text(k)
        + Markup("</th> <td>")
        + render(k, v)
        + Markup("</td></tr>")
        for k, v in mapping.items()
    )
    return Markup('<table class="sms-nested">') + rows + Markup("</table>")


def state_badge(state: ReviewState | str) -> Markup:
    name = state.value if isinstance(state, ReviewState) else str(state)
    css = name.replace(" ", "-")
    return (
        Markup(f'<span class="sms-badge sms-{escape(css)}">') + html_text(name) + Markup("</span>")
    )


def record_title(register: Register, record: Record) -> str:
    return register.record_title(record)


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sms_handbook", "data/templates"),
        bytecode_cache=_compiled_templates(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_text, text=html_text, badge=state_badge, anchor=anchor, hid=heading_id)
    env.globals.update(restricted=restricted)
    return env


def _compiled_templates() -> BytecodeCache | None:
    """Jinja's cache of our templates compiled, kept between builds (compiling them took a
    build about 30 ms): in a folder of the temporary directory that only this user may
    use, which Jinja makes and checks; a template whose text changed is compiled again.
    None (compile every time) where that folder cannot be had safely."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def join(parts: Iterable[Markup], separator: str = ", ") -> Markup:
    return Markup(separator).join(parts)
