"""The generated pages of one build: which exist, where they live, and their content."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from markupsafe import Markup

from ..core.conformity import Assessment
from ..core.coverage import compute_coverage
from ..core.model import Handbook, Record, Register
from ..core.options import PAGE_LIMIT
from ..core.review import ReviewState, review_items
from ..render.catalogue import render_catalogue, render_service, services_shown
from ..render.export import export_json
from ..render.html import html_text, link, render_template, role_link
from ..render.links import LinkMap, anchor, clause_anchor
from ..render.pages import front_matter
from ..render.print_edition import print_cover
from ..render.registers import render_register
from ..render.review_status import render_reviews
from ..render.search import RenderedPage
from ..render.traceability import coverage_csv, render_traceability

if TYPE_CHECKING:
    from ..core.changes import Changes

PRINT_MARKER = "SMSPRINTDOCUMENTS"  # the finish step puts the documents in its place


@dataclass
class Generated:
    key: str  # the LinkMap key of the page
    src_uri: str
    title: str
    # content, given links relative to this page (with search entries for some pages)
    render: Callable[[LinkMap], str | RenderedPage]


@dataclass
class PagePlan:
    view: Handbook
    pages_dir: str
    enabled: list[str]
    today: datetime.date
    assessment: Assessment
    limit: int = PAGE_LIMIT  # records per register page
    changes: Changes | None = None
    base: str = ""

    @property
    def staff_pages(self) -> bool:
        """Whether this audience sees the handbook-wide pages (matrix, reviews, exports)."""
        return self.view.access.sees_staff_pages

    def uri(self, *parts: str) -> str:
        return "/".join([self.pages_dir.strip("/"), *parts])


Renderer = Callable[[LinkMap], "str | RenderedPage"]


@dataclass(frozen=True)
class PageRow:
    """One generated page: its key, where it lives under `pages_dir`, its title, when the
    build has it, and its renderer (made when the page is planned)."""

    key: str
    uri: tuple[str, ...]
    title: str
    exists: Callable[[PagePlan], bool]
    renderer: Callable[[PagePlan], Renderer]

    def plan(self, plan: PagePlan) -> list[Generated]:
        if not self.exists(plan):
            return []
        return [Generated(self.key, plan.uri(*self.uri), self.title, self.renderer(plan))]

    def uris(self, plan: PagePlan) -> list[str]:
        return [plan.uri(*self.uri)] if self.exists(plan) else []


@dataclass(frozen=True)
class PageFamily:
    """Generated pages made one per item (a service, a register)."""

    pages: Callable[[PagePlan], list[Generated]]

    def plan(self, plan: PagePlan) -> list[Generated]:
        return self.pages(plan)

    def uris(self, plan: PagePlan) -> list[str]:
        return [page.src_uri for page in self.pages(plan)]


def _option(name: str, *, staff: bool = False) -> Callable[[PagePlan], bool]:
    """A page that the `pages` option `name` turns on (for staff only when `staff`)."""
    return lambda plan: name in plan.enabled and (plan.staff_pages or not staff)


def _service_pages(plan: PagePlan) -> list[Generated]:
    services = plan.view.registers.get("services")
    if "catalogue" not in plan.enabled or services is None:
        return []
    return [
        Generated(
            f"service:{record.id}",
            plan.uri("catalogue", f"{anchor(record.id)}.md"),
            services.record_title(record),
            _service_renderer(plan.view, services, record),
        )
        for record in services_shown(plan.view)
    ]


def _register_pages(plan: PagePlan) -> list[Generated]:
    if "registers" not in plan.enabled:
        return []
    return [
        Generated(
            f"page:register:{name}",
            plan.uri("registers", f"{name}.md"),
            register.title,
            _register_renderer(plan.view, register, plan.today, plan.limit),
        )
        for name, register in plan.view.registers.items()
    ]


def _overview(plan: PagePlan) -> Renderer:
    return lambda links: render_overview(plan.view, links, plan.today, plan.assessment)


def _catalogue(plan: PagePlan) -> Renderer:
    return lambda links: render_catalogue(plan.view, links)


def _changes(plan: PagePlan) -> Renderer:
    from ..render.changes import render_changes_page  # (only with `compare_with`)

    changes, base = plan.changes, plan.base
    assert changes is not None
    return lambda links: render_changes_page(plan.view, links, changes, base)


def _print(plan: PagePlan) -> Renderer:
    return lambda links: render_print_page(plan.view, plan.today)


# A renderer computes what its page needs when it runs (a preview keeps pages it never runs).


def _traceability(plan: PagePlan) -> Renderer:
    view = plan.view
    return lambda links: render_traceability(view, links, compute_coverage(view), plan.assessment)


def _reviews(plan: PagePlan) -> Renderer:
    view, today = plan.view, plan.today
    return lambda links: render_reviews(view, links, review_items(view, today), today, plan.limit)


def _review_pack(plan: PagePlan) -> Renderer:
    from ..render.packs import management_review_pack, management_review_page  # (its option)

    return lambda links: management_review_page(
        management_review_pack(plan.view, assessment=plan.assessment, today=plan.today), links
    )


def _audit_checklist(plan: PagePlan) -> Renderer:
    from ..render.packs import audit_checklist, audit_checklist_page  # (the packs option)

    every = [c.id for c in plan.view.standard.top_level]
    return lambda links: audit_checklist_page(
        audit_checklist(plan.assessment, every, plan.view), links
    )


def _export_json(plan: PagePlan) -> Renderer:
    return lambda links: export_json(plan.view, plan.assessment)


def _export_csv(plan: PagePlan) -> Renderer:
    return lambda links: coverage_csv(plan.assessment)


# Every generated page, in the order of the navigation: adding a page is one row.
PAGES: tuple[PageRow | PageFamily, ...] = (
    PageRow(
        "page:overview", ("index.md",), "Handbook overview", lambda p: p.staff_pages, _overview
    ),
    PageRow(
        "page:catalogue",
        ("catalogue", "index.md"),
        "Service catalogue",
        lambda p: "catalogue" in p.enabled and "services" in p.view.registers,
        _catalogue,
    ),
    PageFamily(_service_pages),
    PageFamily(_register_pages),
    PageRow(
        "page:changes", ("changes.md",), "What changed", lambda p: p.changes is not None, _changes
    ),
    PageRow(
        "page:print",
        ("print.md",),
        "Print edition",
        lambda p: "print" in p.enabled and bool(p.view.controlled_documents),
        _print,
    ),
    PageRow(
        "page:traceability",
        ("traceability.md",),
        "Traceability matrix",
        _option("traceability", staff=True),
        _traceability,
    ),
    PageRow(
        "page:reviews", ("reviews.md",), "Review status", _option("reviews", staff=True), _reviews
    ),
    PageRow(
        "page:pack:management-review",
        ("packs", "management-review.md"),
        "Management review input pack",
        _option("packs", staff=True),
        _review_pack,
    ),
    PageRow(
        "page:pack:audit",
        ("packs", "audit-checklist.md"),
        "Internal audit checklist",
        lambda p: _option("packs", staff=True)(p) and p.view.access.sees_everything,
        _audit_checklist,
    ),
    PageRow(
        "export:json",
        ("export.json",),
        "Export (JSON)",
        _option("exports", staff=True),
        _export_json,
    ),
    PageRow(
        "export:csv",
        ("traceability.csv",),
        "Traceability (CSV)",
        _option("exports", staff=True),
        _export_csv,
    ),
)


def generated_uris(
    view: Handbook, pages_dir: str, enabled: list[str], changes: bool = False
) -> set[str]:
    """Where the generated pages of `view`'s audience live (with the "What changed" page when
    `changes`: a build that compares has it), known without rendering or assessing anything."""
    # Whether a page exists and where depends on the view and the options only: the plan's
    # date and assessment are for its renderers, which this never calls.
    plan = PagePlan(view, pages_dir, enabled, datetime.date.min, cast("Assessment", None))
    found = {uri for row in PAGES for uri in row.uris(plan)}
    if changes:
        rows = [row for row in PAGES if isinstance(row, PageRow) and row.key == "page:changes"]
        found.update(plan.uri(*row.uri) for row in rows)
    return found


def plan_pages(plan: PagePlan) -> list[Generated]:
    """The generated pages this build has, in the navigation's order."""
    return [page for row in PAGES for page in row.plan(plan)]


def render_print_page(view: Handbook, today: datetime.date) -> str:
    """The print edition's page; its documents are added after the engine has built them."""
    head = front_matter("Print edition", hide=["toc"], search={"exclude": True})
    cover = print_cover(view.audience, today.isoformat())
    return f"---\n{head}\n---\n\n# Print edition\n\n{cover}\n\n{PRINT_MARKER}\n"


def _service_renderer(
    view: Handbook, services: Register, record: Record
) -> Callable[[LinkMap], str]:
    return lambda links: render_service(view, links, services, record)


def _register_renderer(
    view: Handbook, register: Register, today: datetime.date, limit: int
) -> Callable[[LinkMap], RenderedPage]:
    return lambda links: render_register(view, links, register, today, limit)


def render_overview(
    view: Handbook, links: LinkMap, today: datetime.date, assessment: Assessment
) -> str:
    items = review_items(view, today)
    overdue = sum(1 for i in items if i.state is ReviewState.OVERDUE)
    soon = sum(1 for i in items if i.state is ReviewState.DUE_SOON)
    facts = [
        (
            "Traceability",
            link(links, "page:traceability", assessment.summary()),
        ),
        (
            "Reviews",
            link(
                links,
                "page:reviews",
                f"{overdue} overdue, {soon} due soon",
            ),
        ),
        ("Controlled documents", html_text(len(view.controlled_documents))),
        (
            "Exports",
            link(links, "export:json", "model (JSON)")
            + Markup(", ")
            + link(links, "export:csv", "traceability (CSV)"),
        ),
    ]
    registers = [
        {
            "link": link(links, f"page:register:{name}", register.title),
            "count": len(register.records),
            "owner": role_link(view, links, register.header.get("owner")),
        }
        for name, register in view.registers.items()
    ]
    return render_template(
        "overview.md.j2",
        front_matter=front_matter("Handbook overview"),
        title="Handbook overview",
        audience=view.audience,
        facts=facts,
        registers=registers,
    )


def build_link_map(
    view: Handbook,
    document_urls: dict[str, str],
    page_urls: dict[str, str],
    limit: int = PAGE_LIMIT,
) -> LinkMap:
    """Every linkable thing of the view: documents, records, generated pages, clauses."""
    urls = dict(page_urls)
    for document in view.documents:
        if document.id and document.src_uri in document_urls:
            urls[document.id] = document_urls[document.src_uri]
    for name, register in view.registers.items():
        page = page_urls.get(f"page:register:{name}")
        for index, record in enumerate(register.records):
            service_page = page_urls.get(f"service:{record.id}")
            if service_page is not None:
                urls[record.id] = service_page
            elif page is not None:
                urls[record.id] = f"{page}#{anchor(record.id)}" if index < limit else page
    matrix = page_urls.get("page:traceability")
    if matrix is not None:
        for clause in view.standard.clauses:
            urls[f"clause:{clause}"] = f"{matrix}#{clause_anchor(clause)}"
    return LinkMap(urls)
