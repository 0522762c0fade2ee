"""The print edition in Chromium: content tabs of two documents on one page stay apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Server
from tests.conftest import controlled, copy_fixture, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("example-sites")]
TABS = '=== "First"\n\n    First tab of {doc}.\n\n=== "Second"\n\n    Second tab of {doc}.\n'


def test_tabs_of_two_documents_on_the_print_page_do_not_switch_each_other(
    browser: Any, tmp_path: Path
) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml",
        "  - tables\n",
        "  - tables\n  - pymdownx.superfences\n  - pymdownx.tabbed:\n      alternate_style: true\n",
    )
    for number in (1, 2):
        text = controlled(
            f"PRO-90{number}",
            f"Tabbed {number}",
            "procedure",
            "approved",
            ["8.1"],
            approved_on="2026-03-02",
        )
        handbook.write(f"docs/tabbed-{number}.md", text + "\n" + TABS.format(doc=number))
    result = run_cli("build", handbook.root, "--audience", "internal")
    assert result.code == 0, result.output
    site = handbook.root / "site" / "internal"
    html = (site / "handbook/print/index.html").read_text(encoding="utf-8")
    assert html.count('type="radio"') == 4
    css = (site / "assets/sms-handbook/sms-handbook.css").read_text(encoding="utf-8")
    assert "@bottom-center" in css and "Uncontrolled when printed" in css
    server = Server(site)
    page = browser.new_page()
    try:
        page.goto(server.url + "handbook/print/")
        first = page.locator("#pro-901 .tabbed-set input[type=radio]")
        second = page.locator("#pro-902 .tabbed-set input[type=radio]")
        assert first.count() == 2 and second.count() == 2
        page.locator("#pro-902 .tabbed-labels label").nth(1).click()
        assert second.nth(1).is_checked()
        assert first.nth(0).is_checked(), "a click in one document switched another's tabs"
    finally:
        page.close()
        server.close()
