"""A customer's page in real Chromium at a phone's width and a desktop's: a public controlled
document's control block without rows of redactions, and no column of "restricted item"
lines where its links to pages they may not see were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import Server
from tests.conftest import build_site, copy_fixture
from tests.test_public_pages import PUBLIC_POLICY

pytestmark = [pytest.mark.browser]

PAGE = PUBLIC_POLICY + (
    "\nIn an emergency, see [the policy](policies/service-management-policy.md).\n\n"
    "- [Risks](handbook/registers/risks.md)\n"
    "- [Policy](policies/service-management-policy.md)\n"
    "- [Catalogue](handbook/catalogue/index.md)\n"
)


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("public-page")
    handbook = copy_fixture("minimal", root / "handbook")
    handbook.write("docs/complaints.md", PAGE)
    site = build_site(handbook.root, root / "site", "public")
    server = Server(site.root)
    yield server
    server.close()


@pytest.mark.parametrize("width", [390, 1400])
def test_a_public_page_shows_no_redactions(
    browser: object, public_site: Server, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(public_site.url + "complaints/", wait_until="load")
        control = page.locator(".sms-control").inner_text()
        labels = page.eval_on_selector_all(
            ".sms-control table.sms-facts th", "ths => ths.map(th => th.textContent)"
        )
        assert "restricted" not in control, control
        assert not {"Owner: ", "Approver: ", "Related documents: "} & set(labels), labels
        items = page.eval_on_selector_all("article li", "lis => lis.map(li => li.innerText.trim())")
        assert items == ["Catalogue"], items
        text = page.locator("article").inner_text()
        assert text.count("restricted item") == 1  # the sentence keeps its words
        fits = page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert fits
    finally:
        page.close()
