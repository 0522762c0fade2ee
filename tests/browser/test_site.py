"""The built handbook in real headless Chromium, as customers and staff use it.

Chromium comes from Debian's packages (`./dev test` installs it); Playwright drives it through
`executable_path`, without downloading a browser. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Server
from tests.conftest import FIXTURES, GIT_ENV, REPO, commit_all

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("example-sites")]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def sites(example_sites: Path) -> Iterator[dict[str, Server]]:
    servers = {a: Server(example_sites / a) for a in ("public", "internal", "restricted")}
    yield servers
    for server in servers.values():
        server.close()


class Visit:
    """A browser page that records console errors and every request it makes."""

    def __init__(self, browser: object) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        # material renders Mermaid into a closed shadow root; open it so the test can see the SVG
        self.page.add_init_script(
            "const attach = Element.prototype.attachShadow;"
            "Element.prototype.attachShadow = function (init) {"
            "  return attach.call(this, { ...init, mode: 'open' }); };"
        )

    def open(self, url: str) -> object:
        self.page.goto(url, wait_until="networkidle")
        return self.page

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def visit(browser: object) -> Iterator[Visit]:
    current = Visit(browser)
    yield current
    current.close()


def search(page: object, query: str) -> list[str]:
    """Titles material's search shows for `query` (an empty list when it finds nothing)."""
    page.keyboard.press("/")  # type: ignore[attr-defined]
    box = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    box.fill("")
    box.press_sequentially(query, delay=20)
    meta = page.locator(".md-search-result__meta")  # type: ignore[attr-defined]
    meta.wait_for(state="visible")
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !/Initializing|Type to start/"
        ".test(document.querySelector('.md-search-result__meta').textContent)"
    )
    results = page.locator(".md-search-result__item")  # type: ignore[attr-defined]
    return [" ".join(t.split()) for t in results.all_inner_texts()]


def assert_search_hides(page: object, queries: list[str]) -> None:
    """Fail when any search result (title or text) shows a query naming hidden content.

    Search matches words, so a name like "Workplace IT" can list pages that say "IT"; what
    must never appear is the hidden name itself.
    """
    for query in queries:
        found = [r for r in search(page, query) if query.lower() in r.lower()]
        assert found == [], f"search for {query!r} shows it in {found}"
        page.keyboard.press("Escape")  # type: ignore[attr-defined]


def test_home_and_catalogue_render(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["public"].url)
    assert page.locator("article h1").inner_text().rstrip("¶") == "Alderfinch IT Services"
    visit.screenshot("public-home")
    page = visit.open(sites["public"].url + "handbook/catalogue/")
    cards = page.locator(".sms-card")
    assert cards.count() == 5 and cards.first.is_visible()
    assert "Managed hosting" in page.locator("article").inner_text()
    visit.screenshot("public-catalogue")
    assert visit.errors == []


def test_service_page_shows_its_targets(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["public"].url + "handbook/catalogue/svc-002/")
    targets = page.locator("#service-level-targets + .sms-section")
    assert "Monthly availability of production servers: 99.9 %" in targets.inner_text()
    assert targets.is_visible()
    visit.screenshot("public-service-managed-hosting")


def test_search_finds_a_public_service(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["public"].url)
    found = search(page, "Managed hosting")
    assert any(title.startswith("Managed hosting") for title in found), found
    visit.screenshot("public-search")


def test_public_search_finds_nothing_hidden(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["public"].url)
    hidden = ["Workplace IT", "Emergency contact list", "Acceptable use", "Sentrel Analytics"]
    assert_search_hides(page, hidden)
    assert search(page, "Sentrel") == [], "a word only hidden content uses finds nothing at all"
    internal = visit.open(sites["internal"].url)
    assert any("Workplace IT" in t for t in search(internal, "Workplace IT")), "internal finds it"


def test_the_search_check_fails_when_a_restricted_title_is_planted(
    visit: Visit, tmp_path: Path
) -> None:
    from tests.conftest import build_site, copy_fixture

    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace("docs/index.md", "Welcome.", "Welcome. Our Emergency contact list is here.")
    site = build_site(handbook.root, tmp_path / "site", "public", strict=False)
    server = Server(site.root)
    try:
        page = visit.open(server.url)
        with pytest.raises(AssertionError, match="Emergency contact list"):
            assert_search_hides(page, ["Emergency contact list"])
    finally:
        server.close()


def test_heat_map_and_matrix_are_visible(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["internal"].url + "handbook/registers/risks/")
    heat = page.locator("table.sms-heatmap")
    assert heat.is_visible() and "RSK-007" in heat.inner_text()
    visit.screenshot("internal-risk-register")
    page = visit.open(sites["internal"].url + "handbook/traceability/")
    row = page.locator("tr#clause-8-5-1-1")
    assert row.is_visible() and "POL-005" in row.inner_text()
    visit.screenshot("internal-traceability")


def test_sortable_table_sorts(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["internal"].url + "handbook/registers/suppliers/")
    table = page.locator("table.sortable").first
    first = table.locator("tbody tr td").first
    assert first.inner_text() == "SUP-001"
    table.locator("th").first.click()
    table.locator("th").first.click()
    assert first.inner_text() == "SUP-009"


def test_mermaid_diagram_renders_to_svg(visit: Visit, sites: dict[str, Server]) -> None:
    page = visit.open(sites["internal"].url + "handbook/catalogue/")
    svg = page.locator(".mermaid svg")
    svg.first.wait_for(state="attached", timeout=20_000)
    assert svg.count() >= 1
    assert "Managed hosting" in (svg.first.text_content() or "")
    svg.first.scroll_into_view_if_needed()
    visit.screenshot("internal-catalogue-diagram")
    assert visit.errors == []


PAGES = ["", "handbook/catalogue/", "handbook/catalogue/svc-002/", "customers/how-to-request/"]
STAFF_PAGES = [
    "handbook/registers/risks/",
    "handbook/reviews/",
    "policies/service-management-policy/",
    "handbook/print/",
    "handbook/traceability/",
]


@pytest.mark.parametrize("audience", ["public", "internal", "restricted"])
def test_no_console_errors_and_no_third_party_requests(
    visit: Visit, sites: dict[str, Server], audience: str
) -> None:
    pages = PAGES + ([] if audience == "public" else STAFF_PAGES)
    for path in pages:
        visit.open(sites[audience].url + path)
    hosts = {urlsplit(url).hostname for url in visit.requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, f"requests left for {hosts - {'127.0.0.1'}}"
    assert visit.errors == [], visit.errors
    if audience != "public":
        banner = visit.page.locator(".sms-audience-banner")
        assert banner.is_visible() and audience.capitalize() in banner.inner_text()


def test_version_selector_works_on_a_released_handbook(visit: Visit, tmp_path: Path) -> None:
    root = tmp_path / "handbook"
    shutil.copytree(FIXTURES / "minimal", root)
    commit_all(root, "one")
    env = {**os.environ, **GIT_ENV}
    for version in ("1.0", "2.0"):
        release = [
            sys.executable,
            "-m",
            "sms_handbook.cli",
            "release",
            version,
            str(root),
            "--alias",
            "latest",
        ]
        subprocess.run(release, env=env, check=True, capture_output=True)
    published = tmp_path / "published"
    published.mkdir()
    archive = subprocess.run(
        ["git", "archive", "gh-pages-internal"], cwd=root, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(published)], input=archive.stdout, check=True)
    server = Server(published)
    try:
        page = visit.open(server.url + "2.0/")
        current = page.locator(".md-version__current")
        current.wait_for(state="visible", timeout=15_000)
        assert current.inner_text().strip() == "2.0"
        versions = page.locator(".md-version__link").all_inner_texts()
        assert {"2.0", "1.0"} <= {v.strip() for v in versions}
        visit.screenshot("internal-version-selector")
    finally:
        server.close()
