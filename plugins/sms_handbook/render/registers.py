"""One page per register: facts, a sortable table, a detail block per record, a heat map."""

from __future__ import annotations

import datetime

from markupsafe import Markup

from ..core.model import RESTRICTED, Handbook, Record, Register
from ..core.options import PAGE_LIMIT
from ..core.review import register_next_review, state_for
from ..core.schemas import KindSchema
from .html import (
    html_text,
    join,
    link,
    nowrap,
    render_template,
    role_link,
    state_badge,
    value_html,
)
from .links import LinkMap, anchor
from .pages import field_rows, front_matter
from .search import RenderedPage, facts_text, search_text, section

LEVELS = ((4, "low"), (9, "medium"), (16, "high"), (25, "critical"))
# A page of more records than this lists them in its table of records and search, not in the
# table of contents beside it (hundreds of entries there help nobody, and they were most of
# what Markdown did for the page): their sections are written as one block of HTML.
TOC_RECORDS = 100


def heat_level(score: int) -> str:
    return next(name for limit, name in LEVELS if score <= limit)


def has_heat_map(register: Register) -> bool:
    return {"likelihood", "impact"} <= set(register.kind.fields)


def render_heat_map(register: Register, links: LinkMap) -> Markup:
    """A static 5 x 5 likelihood by impact table; each cell links to its records."""
    cells: dict[tuple[int, int], list[Record]] = {}
    for record in register.records:
        likelihood, impact = record.get("likelihood"), record.get("impact")
        if (
            isinstance(likelihood, int)
            and isinstance(impact, int)
            and 1 <= likelihood <= 5
            and 1 <= impact <= 5
        ):
            cells.setdefault((likelihood, impact), []).append(record)
    rows = []
    for likelihood in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            score = likelihood * impact
            risks = [
                link(links, r.id, r.id, register.record_title(r))
                for r in cells.get((likelihood, impact), [])
            ]
            row.append({"score": score, "level": heat_level(score), "risks": risks})
        rows.append({"likelihood": likelihood, "cells": row})
    legend, low = [], 1
    for high, name in LEVELS:
        legend.append({"name": name, "low": low, "high": high})
        low = high + 1
    return Markup(
        render_template("heatmap.html.j2", impacts=range(1, 6), cells=rows, legend=legend)
    )


def clause_links(links: LinkMap, clauses: list[str]) -> Markup:
    return join(link(links, f"clause:{c}", c) for c in clauses) if clauses else Markup("")


def register_facts(
    view: Handbook, links: LinkMap, register: Register, today: datetime.date
) -> list[tuple[str, Markup]]:
    settings = view.settings
    due = register_next_review(register, settings.review_interval_months)
    owner = register.header.get("owner")
    facts = [
        *([("Owner", role_link(view, links, owner))] if owner is not RESTRICTED else []),
        ("Classification", html_text(register.classification)),
        ("Reviewed on", nowrap(register.header.get("reviewed_on") or "never")),
        (
            "Next review",
            nowrap(due or "not scheduled")
            + Markup(" ")
            + state_badge(state_for(due, today, settings.due_soon_days)),
        ),
        ("Records", html_text(len(register.records))),
    ]
    if register.clauses:
        facts.append(("Clauses", clause_links(links, register.clauses)))
    return facts


def _description(view: Handbook, register: Register) -> str:
    """The page's introduction: staff read `description`; the lowest audience reads
    `public_description` when the register has one (the staff text may speak of what it
    does not see)."""
    header = register.header
    if view.access.is_public and header.get("public_description"):
        return str(header["public_description"])
    return str(header.get("description") or register.kind.description)


def render_register(
    view: Handbook,
    links: LinkMap,
    register: Register,
    today: datetime.date,
    limit: int = PAGE_LIMIT,
) -> RenderedPage:
    """The register page and its search entries; beyond `limit` records only the count (the
    JSON export has them)."""
    shown = register.records[:limit]
    columns = shown_columns(register.kind, shown)
    records = record_sections(view, links, register, shown)
    note = limit_note(len(shown), len(register.records))
    description = html_text(_description(view, register))
    facts = register_facts(view, links, register, today)
    heatmap = render_heat_map(register, links) if has_heat_map(register) else ""
    markdown = render_template(
        "register.md.j2",
        front_matter=front_matter(register.title),
        title=register.title,
        description=description,
        facts=facts,
        heatmap=heatmap,
        columns=[register.kind.field_title(c) for c in columns],
        rows=[table_row(view, links, register, record, columns) for record in shown],
        records=records,
        note=note,
        in_toc=len(records) <= TOC_RECORDS,
    )
    # The table of records says again what each record's section says: no entry of its own.
    search = [
        section("", register.title, f"{search_text(description)} {facts_text(facts)}".strip()),
        *([section("heat-map", "Heat map")] if heatmap else []),
        section("records", "Records", search_text(note)),
        *(
            section(str(r["anchor"]), r["heading"], facts_text(r["fields"]))  # type: ignore[arg-type]  # row dicts
            for r in records
        ),
    ]
    return RenderedPage(markdown, search)


def shown_columns(kind: KindSchema, shown: list[Record]) -> list[str]:
    """The table's columns: only fields this audience sees a value of (no empty Criticality
    column on the public page, no column of "restricted item"), and no field whose value is
    the same in every row (every record a "risk" says nothing the page title does not; the
    record's details below still show it)."""
    return [
        c
        for c in kind.columns
        if c in kind.fields
        and (
            c == "id"
            or (
                any(r.data.get(c) not in (None, "", [], RESTRICTED) for r in shown)
                and (len(shown) < 2 or len({repr(r.data.get(c)) for r in shown}) > 1)
            )
        )
    ]


def table_row(
    view: Handbook, links: LinkMap, register: Register, record: Record, columns: list[str]
) -> list[Markup]:
    cells = []
    for column in columns:
        if column == "id":
            cells.append(
                Markup(f'<a href="#{anchor(record.id)}">') + nowrap(record.id) + Markup("</a>")
            )
        elif column in record.data:
            cells.append(value_html(view, links, register, column, record.data[column]))
        else:
            cells.append(Markup(""))
    return cells


def record_sections(
    view: Handbook, links: LinkMap, register: Register, shown: list[Record]
) -> list[dict[str, object]]:
    """Each record's own section: heading, anchor and its fields."""
    return [
        {
            "heading": f"{record.id} {register.record_title(record)}".strip()
            if register.record_title(record) != record.id
            else record.id,
            "anchor": anchor(record.id),
            "fields": field_rows(view, links, register, record, {"id"}),
        }
        for record in shown
    ]


def limit_note(shown: int, total: int) -> str:
    if shown >= total:
        return ""
    return (
        f"This page shows the first {shown:,} of {total:,} records; the JSON export of the "
        "handbook holds all of them."
    )
