"""The generated pages of one build: which exist, where they live, and their content."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..core.changes import Changes
from ..core.conformity import Assessment
from ..core.coverage import compute_coverage
from ..core.model import Handbook, Record, Register
from ..core.options import PAGE_LIMIT
from ..core.review import ReviewState, review_items
from ..render.catalogue import render_catalogue, render_service
from ..render.changes import render_changes_page
from ..render.export import export_json
from ..render.html import html_text, link, render_template, role_link
from ..render.links import LinkMap, anchor, clause_anchor
from ..render.packs import (
    audit_checklist,
    audit_checklist_page,
    management_review_pack,
    management_review_page,
)
from ..render.pages import front_matter
from ..render.print_edition import print_cover
from ..render.registers import render_register
from ..render.review_status import render_reviews
from ..render.search import RenderedPage
from ..render.traceability import coverage_csv, render_traceability

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
    def public(self) -> bool:
        return self.view.audience == self.view.settings.lowest

    @property
    def staff_pages(self) -> bool:
        """Whether this audience sees the handbook-wide pages (matrix, reviews, exports)."""
        settings = self.view.settings
        return settings.visible(settings.default_classification, self.view.audience)

    def uri(self, *parts: str) -> str:
        return "/".join([self.pages_dir.strip("/"), *parts])


def plan_pages(plan: PagePlan) -> list[Generated]:
    view, pages = plan.view, []
    if "catalogue" in plan.enabled and "services" in view.registers:
        services = view.registers["services"]
        pages.append(
            Generated(
                "page:catalogue",
                plan.uri("catalogue", "index.md"),
                "Service catalogue",
                lambda links: render_catalogue(view, links, plan.public),
            )
        )
        shown = {r.id for r in services.records if not plan.public or r.get("status") == "live"}
        for record in services.records:
            if record.id in shown:
                pages.append(
                    Generated(
                        f"service:{record.id}",
                        plan.uri("catalogue", f"{anchor(record.id)}.md"),
                        services.record_title(record),
                        _service_renderer(view, services, record),
                    )
                )
    if "registers" in plan.enabled:
        for name, register in view.registers.items():
            pages.append(
                Generated(
                    f"page:register:{name}",
                    plan.uri("registers", f"{name}.md"),
                    register.title,
                    _register_renderer(view, register, plan.today, plan.limit),
                )
            )
    if plan.changes is not None:
        changes, base = plan.changes, plan.base
        pages.append(
            Generated(
                "page:changes",
                plan.uri("changes.md"),
                "What changed",
                lambda links: render_changes_page(view, links, changes, base),
            )
        )
    if "print" in plan.enabled and view.controlled_documents:
        pages.append(
            Generated(
                "page:print",
                plan.uri("print.md"),
                "Print edition",
                lambda links: render_print_page(view, plan.today),
            )
        )
    if not plan.staff_pages:
        return pages
    coverage, assessment = compute_coverage(view), plan.assessment
    if "traceability" in plan.enabled:
        pages.append(
            Generated(
                "page:traceability",
                plan.uri("traceability.md"),
                "Traceability matrix",
                lambda links: render_traceability(view, links, coverage, assessment),
            )
        )
    if "reviews" in plan.enabled:
        items = review_items(view, plan.today)
        pages.append(
            Generated(
                "page:reviews",
                plan.uri("reviews.md"),
                "Review status",
                lambda links: render_reviews(view, links, items, plan.today, plan.limit),
            )
        )
    if "packs" in plan.enabled:
        pack = management_review_pack(view)
        pages.append(
            Generated(
                "page:pack:management-review",
                plan.uri("packs", "management-review.md"),
                "Management review input pack",
                lambda links: management_review_page(pack, links),
            )
        )
        if view.audience == view.settings.highest:
            every = [c.id for c in view.standard.top_level]
            rows = audit_checklist(assessment, every, view)
            pages.append(
                Generated(
                    "page:pack:audit",
                    plan.uri("packs", "audit-checklist.md"),
                    "Internal audit checklist",
                    lambda links: audit_checklist_page(rows, links),
                )
            )
    if "exports" in plan.enabled:
        pages.append(
            Generated(
                "export:json",
                plan.uri("export.json"),
                "Export (JSON)",
                lambda links: export_json(view, assessment),
            )
        )
        pages.append(
            Generated(
                "export:csv",
                plan.uri("traceability.csv"),
                "Traceability (CSV)",
                lambda links: coverage_csv(assessment),
            )
        )
    pages.insert(
        0,
        Generated(
            "page:overview",
            plan.uri("index.md"),
            "Handbook overview",
            lambda links: render_overview(view, links, plan.today, assessment),
        ),
    )
    return pages


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
