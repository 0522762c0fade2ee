"""Register data for mkdocs-macros, scoped to the audience, and macros' own leaks closed.

Every string handed to page authors is already safe for Markdown: HTML and Markdown syntax
characters are written as character references, so a register value can never become markup,
a link or template code. Macros return escaped HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment
from markupsafe import Markup
from mkdocs.plugins import get_plugin_logger

from ..core.coverage import compute_coverage
from ..core.model import RESTRICTED, Handbook
from ..render.html import html_text, item_link_titled, link, role_link, value_html
from ..render.links import LinkMap

log = get_plugin_logger(__name__)

# Characters kept as they are: letters, digits and punctuation without meaning in Markdown,
# its extensions or Jinja. Everything else becomes a numeric character reference.
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,;/?@%$")


def safe_text(value: str) -> str:
    return "".join(
        c if c in _KEEP or (c.isalpha() and ord(c) > 127) else f"&#{ord(c)};" for c in value
    )


def safe_data(value: Any) -> Any:
    """A copy of register data where every string is safe to place in Markdown."""
    if value is RESTRICTED:
        return "restricted item"
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(str(k)): safe_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_data(v) for v in value]
    return value


class LazyRegisters(Mapping[str, list[Any]]):
    """Register name -> safe records, made on first use (most pages use none)."""

    def __init__(self, view: Handbook) -> None:
        self.view = view
        self.cache: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        if name not in self.cache:
            register = self.view.registers[name]
            self.cache[name] = [safe_data(r.data) for r in register.records]
        return self.cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.view.registers)

    def __len__(self) -> int:
        return len(self.view.registers)


def variables(view: Handbook) -> dict[str, Any]:
    """The `sms` variable: the audience's view of the handbook, safe to print."""
    coverage = compute_coverage(view)
    return {
        "sms": {
            "audience": view.audience,
            "documents": [
                safe_data({**{k: v for k, v in d.meta.items() if k != "hide"}, "title": d.title})
                for d in view.controlled_documents
            ],
            "registers": LazyRegisters(view),
            "coverage": {
                "approved": coverage.approved,
                "clauses": len(coverage.clauses),
                "percent": round(coverage.percent, 1),
            },
        }
    }


def macros(view: Handbook, links_for_page: Callable[[], LinkMap]) -> dict[str, Callable[..., str]]:
    """Functions page authors call as `{{ register_table("risks") }}` and so on."""

    def register_table(name: str, columns: list[str] | None = None, **where: Any) -> str:
        """An HTML table of a register's visible records, optionally filtered by field values."""
        register = view.registers.get(name)
        if register is None:
            log.info(f"register_table: no register '{name}' for the {view.audience} audience")
            return ""
        links = links_for_page()
        wanted = [c for c in (columns or register.kind.columns) if c in register.kind.fields]
        head = Markup("").join(
            Markup("<th>") + html_text(register.kind.field_title(c)) + Markup("</th>")
            for c in wanted
        )
        rows = []
        for record in register.records:
            if any(record.get(k) != v for k, v in where.items()):
                continue
            cells = Markup("").join(
                Markup("<td>")
                + (
                    item_link_titled(view, links, record.id)
                    if c == "id"
                    else value_html(view, links, register, c, record.get(c))
                )
                + Markup("</td>")
                for c in wanted
            )
            rows.append(Markup("<tr>") + cells + Markup("</tr>"))
        body = Markup("").join(rows)
        return str(
            Markup('<table class="sms-table sortable"><thead><tr>')
            + head
            + Markup("</tr></thead><tbody>")
            + body
            + Markup("</tbody></table>")
        )

    def document_link(document_id: str) -> str:
        """A link to a document by id, with its title; plain text if this audience cannot see it."""
        if view.item(document_id) is None:
            return "restricted item"
        return str(
            link(links_for_page(), document_id, f"{document_id} {view.title_of(document_id)}")
        )

    def service_summary(service_id: str) -> str:
        """A short card for one service: name (linked), summary and support hours."""
        services = view.registers.get("services")
        record = view.item(service_id)
        if services is None or record is None or getattr(record, "register", None) != "services":
            return "restricted item"
        links = links_for_page()
        parts = [
            Markup('<div class="sms-card"><p class="sms-card-title">'),
            link(links, service_id, services.record_title(record)),  # type: ignore[arg-type]
            Markup("</p><p>"),
            html_text(record.get("summary") or ""),
            Markup("</p></div>"),
        ]
        return str(Markup("").join(parts))

    def document_table(status: str | None = None) -> str:
        """An HTML table of the controlled documents this audience sees, by id."""
        links = links_for_page()
        head = Markup(
            "<thead><tr><th>Id</th><th>Title</th><th>Type</th><th>Version</th>"
            "<th>Status</th><th>Owner</th></tr></thead>"
        )
        rows = []
        for document in sorted(view.controlled_documents, key=lambda d: d.id or ""):
            if status is not None and document.get("status") != status:
                continue
            cells = [
                link(links, str(document.id), document.id),
                html_text(document.title),
                html_text(document.get("type") or ""),
                html_text(document.get("version") or ""),
                html_text(document.get("status") or ""),
                role_link(view, links, document.get("owner")),
            ]
            rows.append(
                Markup("<tr>")
                + Markup("").join(Markup("<td>") + c + Markup("</td>") for c in cells)
                + Markup("</tr>")
            )
        table = Markup('<table class="sms-table sortable">') + head + Markup("<tbody>")
        return str(table + Markup("").join(rows) + Markup("</tbody></table>"))

    def coverage_summary() -> str:
        """The traceability figure, for example '63 of 63 clauses (100%)'."""
        coverage = compute_coverage(view)
        return f"{coverage.approved} of {len(coverage.clauses)} clauses ({coverage.percent:.0f}%)"

    return {
        "register_table": register_table,
        "document_link": document_link,
        "service_summary": service_summary,
        "coverage_summary": coverage_summary,
        "document_table": document_table,
    }


SAFE_CONFIG_KEYS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "extra",
)


def safe_config(config: Any) -> dict[str, Any]:
    """What `{{ config }}` shows: site identity only; no nav, plugins, paths or repository."""
    return {key: config.get(key) for key in SAFE_CONFIG_KEYS}


class ScopedLoader(BaseLoader):
    """macros' `{% include %}` loader: hidden pages and raw register files include as nothing.

    Like a left-out snippet, an include of something this audience may not see renders empty,
    so that the same page builds for every audience.
    """

    def __init__(self, inner: BaseLoader, root: Path, allowed: Callable[[Path], bool]) -> None:
        self.inner = inner
        self.root = root
        self.allowed = allowed

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        path = (self.root / template).resolve()
        if path.exists() and not self.allowed(path):
            log.info(f"macros: left out include '{template}' (not for this audience)")
            return "", None, lambda: True
        return self.inner.get_source(environment, template)


def secure_macros_plugin(
    plugin: Any,
    view: Handbook,
    config: Any,
    links_for_page: Callable[[], LinkMap],
    allowed_include: Callable[[Path], bool],
    keep_git: bool,
) -> None:
    """Scope what mkdocs-macros exposes; call after its `on_config`."""
    variables_ = plugin.variables
    variables_["config"] = safe_config(config)
    for name in ("environment", "macros_info"):
        variables_.pop(name, None)
    if not keep_git:
        # Commit messages and authors can name anything in the repository.
        blank = (
            "author",
            "author_email",
            "commit",
            "committer",
            "committer_email",
            "date",
            "message",
            "raw_date",
            "root_dir",
            "short_commit",
            "short_tag",
            "tag",
        )
        variables_["git"] = {"status": False, **dict.fromkeys(blank, "")}
    plugin.register_variables(variables(view))
    plugin.register_macros(macros(view, links_for_page))
    env = plugin.env
    include_dir = Path(plugin.config.get("include_dir") or config["docs_dir"])
    if env.loader is not None and not isinstance(env.loader, ScopedLoader):
        env.loader = ScopedLoader(env.loader, include_dir.resolve(), allowed_include)
