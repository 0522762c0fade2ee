"""The review status dashboard."""

from __future__ import annotations

import datetime

from markupsafe import Markup

from ..core.model import Handbook
from ..core.options import PAGE_LIMIT
from ..core.review import ReviewItem, ReviewState
from .html import (
    html_text,
    item_link_titled,
    link,
    nowrap,
    render_template,
    role_link,
    state_badge,
)
from .links import LinkMap, anchor
from .pages import front_matter
from .search import RenderedPage, facts_text, rows_text, section


def _item(view: Handbook, links: LinkMap, item: ReviewItem) -> Markup:
    if item.kind == "register":
        return link(links, f"page:register:{item.id}", item.title)
    return item_link_titled(view, links, item.id)


def _kind_noun(kind: str) -> str:
    """What an item is, in the singular: "document", "register", or a record of a register
    ("risk" for the risks register), so that the Kind column reads alike on every row."""
    if kind in ("document", "register"):
        return kind
    return kind.removesuffix("s") if kind.endswith("s") and not kind.endswith("ss") else kind


def _row(view: Handbook, links: LinkMap, item: ReviewItem) -> dict[str, object]:
    return {
        "item": _item(view, links, item),
        "kind": html_text(_kind_noun(item.kind)),
        "owner": role_link(view, links, item.owner),
        "status": html_text(item.status or ""),
        "due": nowrap(item.due or "not scheduled"),
        "state": item.state,
    }


def _sort_key(item: ReviewItem) -> tuple[int, str, str]:
    return (item.state.rank, str(item.due or "9999"), item.id)


def render_reviews(
    view: Handbook,
    links: LinkMap,
    items: list[ReviewItem],
    today: datetime.date,
    limit: int = PAGE_LIMIT,
) -> RenderedPage:
    """The dashboard and its search entries. Tables list at most `limit` items each, the most
    pressing first."""
    owned = [i for i in items if i.kind in ("document", "register")]
    records = sorted((i for i in items if i.kind not in ("document", "register")), key=_sort_key)
    by_owner: dict[str, list[ReviewItem]] = {}
    for item in owned:
        by_owner.setdefault(item.owner or "", []).append(item)
    groups = []
    search_groups = []
    for owner in sorted(by_owner, key=lambda o: view.title_of(o).lower() if o else "~"):
        title = view.title_of(owner) if owner and view.item(owner) else (owner or "No owner")
        rows = [_row(view, links, i) for i in sorted(by_owner[owner], key=_sort_key)]
        where = f"owner-{anchor(owner or 'none')}"
        groups.append({"title": title, "anchor": where, "rows": rows})
        search_groups.append(section(where, title, _rows_text(rows)))
    counts = [(state, sum(1 for i in items if i.state is state)) for state in ReviewState]
    attention = [
        _row(view, links, i)
        for i in sorted(items, key=_sort_key)
        if i.state in (ReviewState.OVERDUE, ReviewState.DUE_SOON)
    ][:limit]
    due = [_row(view, links, i) for i in records[:limit]]
    markdown = render_template(
        "reviews.md.j2",
        front_matter=front_matter("Review status"),
        title="Review status",
        today=today.isoformat(),
        soon=view.settings.due_soon_days,
        counts=counts,
        groups=groups,
        records=due,
        more_records=max(0, len(records) - limit),
        attention=attention,
    )
    search = [
        section("", "Review status", facts_text((state.value, n) for state, n in counts)),
        section("needs-attention", "Needs attention", _rows_text(attention)),
        *search_groups,
        section("records-due", "Register records with due dates", _rows_text(due)),
    ]
    return RenderedPage(markdown, search)


def _rows_text(rows: list[dict[str, object]]) -> str:
    return rows_text(
        [r["item"], r["kind"], r["owner"], r["status"], r["due"], state_badge(r["state"])]  # type: ignore[arg-type]  # row dicts
        for r in rows
    )
