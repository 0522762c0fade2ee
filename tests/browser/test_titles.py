"""Titles are text: a title holding HTML or template code is shown, never run (Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Server
from tests.conftest import copy_fixture, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("example-sites")]
POLICY = "docs/policies/service-management-policy.md"
PAYLOAD = '<img src=x onerror="window.__pwned = (window.__pwned || 0) + 1">'


def test_titles_are_text_in_every_page_and_no_script_runs(browser: Any, tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace(POLICY, "title: Service management policy", f"title: 'Policy {PAYLOAD}'")
    handbook.replace(
        "registers/services.yaml", "title: Service register", f"title: 'Cat {PAYLOAD}'"
    )
    handbook.replace("docs/index.md", "title: Home", "title: 'Home {{ 7*7 }}'")
    result = run_cli("build", handbook.root, "--audience", "internal")
    assert result.code == 0, result.output
    site = handbook.root / "site" / "internal"
    pages = sorted(site.rglob("index.html"))
    assert len(pages) >= 5
    server = Server(site)
    page = browser.new_page()
    try:
        for path in pages:
            url = server.url + path.relative_to(site).parent.as_posix() + "/"
            page.goto(url.replace("/./", "/"))
            assert page.evaluate("window.__pwned") is None, f"a title ran as HTML on {url}"
        page.goto(server.url)
        assert page.title().startswith("Home {{ 7*7 }}")
        page.goto(server.url + "policies/service-management-policy/")
        assert page.title().startswith("Policy <img src=x onerror=")
        page.goto(server.url + "handbook/registers/services/")
        assert page.title().startswith("Cat <img src=x onerror=")
        assert page.evaluate("window.__pwned") is None
    finally:
        page.close()
        server.close()
