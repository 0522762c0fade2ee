"""One Chromium run behind Apache httpd: a staff member signs in on the provider's page, then
reads the internal handbook the way a person does (the `latest` redirect, the version
selector reading versions.json, search loading the index), and is refused the restricted one."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from ..browser.conftest import CHROMIUM, FLAGS
from .servers import Front

pytestmark = [pytest.mark.serving, pytest.mark.browser, pytest.mark.xdist_group("serving")]


@pytest.mark.parametrize("front", ["apache"], indirect=True)
def test_a_staff_member_signs_in_and_reads_the_internal_handbook_in_chromium(
    front: Front,
) -> None:
    assert Path(CHROMIUM).exists(), f"Chromium is missing at {CHROMIUM}; ./dev test installs it"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{front.base}/internal/")
            page.get_by_role("button", name="staff").click()
            page.wait_for_url(f"{front.base}/internal/1.0/**")
            current = page.locator(".md-version__current")
            current.wait_for(state="visible")
            assert current.inner_text().strip() == "1.0"
            page.keyboard.press("/")
            page.locator("input.md-search__input").press_sequentially("MARKBODYI", delay=20)
            result = page.locator(".md-search-result__item").first
            result.wait_for(state="visible")
            assert "MARKTITLEI" in result.inner_text()
            refused = page.goto(f"{front.base}/restricted/latest/")
            assert refused is not None and refused.status == 403
            assert "MARK" not in page.content()
        finally:
            browser.close()
