"""The example handbook's layout at a phone's width (390 px) and a desktop's (1,400 px).

Real Chromium measures every page of the public site and the generated and table-heavy pages
of the restricted one: the page never scrolls sideways, the heat map fits, the risk register's
table fits a desktop, ids and dates keep to one line, and the control block's labels keep a
gap to their values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("example-sites")]
WIDTHS = (390, 1400)
# Pages of the restricted site with wide content: every generated page, and the documents
# whose tables are the widest.
RESTRICTED_PAGES = (
    "plans/service-management-objectives/",
    "plans/internal-audit-programme/",
    "plans/capacity-plan/",
    "procedures/service-reporting/",
    "policies/risk-management/",
)

# What overflows sideways: the page itself, and each element not inside a box that scrolls
# or clips (those scroll on their own, as material's tables do).
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth - width;
  const loose = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || getComputedStyle(el).position === 'fixed') continue;
    let held = false;
    for (let p = el.parentElement; p && !held; p = p.parentElement) {
      held = getComputedStyle(p).overflowX !== 'visible';
    }
    if (!held) loose.push(el.tagName + '.' + el.className);
  }
  const broken = [...document.querySelectorAll('.md-content .sms-nowrap')]
    .filter(el => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 30)
    .map(el => el.textContent);
  return {page, loose: loose.slice(0, 5), broken: broken.slice(0, 5)};
}"""


def _pages(site: Path) -> list[str]:
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel != "handbook/print":  # the print edition is laid out for paper
            found.append("" if rel == "." else rel + "/")
    return found


@pytest.fixture(scope="module")
def servers(example_sites: Path) -> Iterator[dict[str, Server]]:
    servers = {a: Server(example_sites / a) for a in ("public", "restricted")}
    yield servers
    for server in servers.values():
        server.close()


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    width = request.param
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    yield page
    page.close()


def _measure(page: object, url: str) -> dict[str, object]:
    page.goto(url, wait_until="load")  # type: ignore[attr-defined]
    return page.evaluate(MEASURE)  # type: ignore[attr-defined,no-any-return]


def test_no_page_scrolls_sideways(
    page: object, servers: dict[str, Server], example_sites: Path
) -> None:
    pages = {"public": _pages(example_sites / "public")}
    generated = [p for p in _pages(example_sites / "restricted") if p.startswith("handbook/")]
    pages["restricted"] = [*generated, *RESTRICTED_PAGES]
    assert len(pages["public"]) > 10 and len(generated) > 10
    problems = []
    for audience, urls in pages.items():
        for url in urls:
            found = _measure(page, servers[audience].url + url)
            if found["page"] or found["loose"] or found["broken"]:
                problems.append(f"{audience}/{url}: {found}")
    assert problems == []


def test_heat_map_fits_a_phone_and_has_a_legend(page: object, servers: dict[str, Server]) -> None:
    page.goto(servers["restricted"].url + "handbook/registers/risks/", wait_until="load")  # type: ignore[attr-defined]
    fits = page.evaluate(  # type: ignore[attr-defined]
        "() => { const t = document.querySelector('table.sms-heatmap');"
        " return t.getBoundingClientRect().right <= document.documentElement.clientWidth; }"
    )
    assert fits
    legend = page.locator(".sms-legend").inner_text()  # type: ignore[attr-defined]
    for level in ("low 1–4", "medium 5–9", "high 10–16", "critical 17–25"):
        assert level in legend


def test_risk_table_fits_a_desktop(browser: object, servers: dict[str, Server]) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(servers["restricted"].url + "handbook/registers/risks/", wait_until="load")
        overflow = page.evaluate(
            "() => [...document.querySelectorAll('table.sms-table')]"
            ".map(t => t.scrollWidth - t.clientWidth)"
        )
        assert overflow and max(overflow) <= 0, overflow
    finally:
        page.close()


def test_control_block_labels_keep_apart_from_values(
    page: object, servers: dict[str, Server]
) -> None:
    page.goto(servers["restricted"].url + "policies/risk-management/", wait_until="load")  # type: ignore[attr-defined]
    gaps = page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('.sms-control table.sms-facts tr')].map(tr => {"
        " const th = tr.querySelector('th'), td = tr.querySelector('td');"
        " const r = document.createRange(); r.selectNodeContents(th.firstChild);"
        " return td.getBoundingClientRect().left - r.getBoundingClientRect().right; })"
    )
    assert len(gaps) >= 8
    assert min(gaps) >= 12, gaps  # "Related documents" no longer touches its value


MATRIX = """() => {
  const width = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('table.sms-matrix')];
  const cells = tables.flatMap(t => [...t.querySelectorAll('tbody tr:not(.sms-group) td')]);
  const hidden = cells.filter(td => {
    const box = td.getBoundingClientRect();
    return box.width === 0 || box.right > width + 1 || box.left < -1;
  }).map(td => td.dataset.label);
  const scrolls = tables.filter(t => t.scrollWidth > t.clientWidth + 1).length;
  const labels = [...new Set(cells.map(td => td.dataset.label))];
  const head = tables.length && getComputedStyle(tables[0].querySelector('thead')).display;
  return {tables: tables.length, cells: cells.length, hidden: hidden.slice(0, 5), scrolls,
          labels, head, shown: cells.length && getComputedStyle(cells[0], '::before').content};
}"""


def test_the_traceability_matrix_shows_every_column_without_scrolling(
    page: object, servers: dict[str, Server]
) -> None:
    """At 390 px each clause's row is laid out as labelled lines (Documents and Registers
    included); at 1,400 px it is the table with its header."""
    page.goto(servers["restricted"].url + "handbook/traceability/", wait_until="load")  # type: ignore[attr-defined]
    found = page.evaluate(MATRIX)  # type: ignore[attr-defined]
    assert found["tables"] >= 7 and found["cells"] > 100, found
    assert found["labels"] == [
        "Clause",
        "State",
        "Requirements",
        "Documents",
        "Registers and records",
    ]
    assert found["hidden"] == [] and found["scrolls"] == 0, found
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    if width < 700:
        assert found["head"] == "none" and found["shown"] == '"Clause"', found
    else:
        assert found["head"] != "none" and found["shown"] in ("none", "normal"), found
