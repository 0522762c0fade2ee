"""Values printed through page templates are text on a public page: no script runs (Chromium),
whether the page uses the documented macros or reaches for the model behind `sms`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Server
from tests.conftest import copy_fixture, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("example-sites")]
SCRIPT = "<script>window.__pwned = 'script'; document.title = 'pwned'</script>"
IMAGE = "<img src=x onerror=\\\"window.__pwned = 'image'\\\">"
ROUTES = """---
title: Hours
classification: public
---

# Hours

Documented: {{ sms.registers.services[0].support_hours }}

Summary: {{ sms.registers['services'][0]['summary'] }}

{{ service_summary("SVC-001") }}

{{ register_table("services", columns=["id", "support_hours"]) }}

Model: {{ sms.registers.view.registers.services.records[0].data.support_hours }}

Model summary: {{ sms.registers.view.registers['services'].records[0].data['summary'] }}

Cache: {{ sms.registers.cache }}
"""
PRIVATE = "Private: {{ sms.registers._view }}"


def test_no_route_through_page_templates_runs_a_script(browser: Any, tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace(
        "registers/services.yaml",
        "support_hours: Weekdays 08:00-18:00",
        f'support_hours: "{SCRIPT}{IMAGE}"',
    )
    handbook.replace(
        "registers/services.yaml", "summary: One place to ask for help.", f'summary: "{IMAGE}"'
    )
    handbook.write("docs/hours.md", ROUTES)
    result = run_cli("build", handbook.root, "--audience", "public")
    assert result.code == 0, result.output
    site = handbook.root / "site" / "public"
    server = Server(site)
    page = browser.new_page()
    try:
        page.goto(server.url + "hours/", wait_until="load")
        page.wait_for_timeout(200)  # an image's error event fires after load
        assert page.evaluate("window.__pwned") is None, "a register value ran as a script"
        assert page.title().startswith("Hours")
        text = page.inner_text("article")
        assert "Documented: <script>window.__pwned" in text  # shown, as text
        assert "Summary: <img src=x onerror=" in text
        assert "Model:" in text and "Model: <script>" not in text
    finally:
        page.close()
        server.close()
    # A private attribute is not printed as empty text: the sandbox refuses the page.
    handbook.write("docs/hours.md", ROUTES + PRIVATE)
    refused = run_cli("build", handbook.root, "--audience", "public")
    assert refused.code == 1
    assert "docs/hours.md: page template not rendered: SecurityError" in refused.output
    assert (
        not (site / "hours" / "index.html").exists()
        or "Private:" not in (site / "hours" / "index.html").read_text()
    )
