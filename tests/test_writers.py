"""Hardening, round three (b): writers that trust names.

Values printed through the page templates' `sms` object are text whatever route reaches them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sms_handbook.context import load_context
from sms_handbook.render.links import LinkMap
from sms_handbook.stage.templates import IncludeLoader, PageTemplates

from tests.conftest import Handbook

# Point 7: the `sms` object hands out text only, whatever route reaches a value.

PAYLOAD = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


def _templates(root: Path, git: dict[str, str] | None = None) -> PageTemplates:
    context = load_context(root, "internal")
    view, _hidden = context.view("internal")
    loader = IncludeLoader(lambda name: None, lambda name: False)
    config = {"site_name": "Handbook", "extra": {"motto": PAYLOAD}}
    return PageTemplates(view, config, loader, context.assessment("internal"), git or {})


@pytest.mark.parametrize(
    "route",
    [
        "{{ sms.registers.services[0].support_hours }}",
        "{{ sms.registers['services'][0]['support_hours'] }}",
        "{{ sms.registers.view.registers.services.records[0].data.support_hours }}",
        "{{ sms.registers.view.registers['services'].records[0].get('support_hours') }}",
        "{% for r in sms.registers.values() %}{{ r }}{% endfor %}",
        "{{ sms.registers.cache }}{{ sms.registers._view }}",
        "{{ motto }}{{ config.extra.motto }}",
        "{{ git.message }}{{ git.author }}",
        '{{ service_summary("SVC-001") }}',
        '{{ register_table("services", columns=["id", "support_hours"]) }}',
    ],
)
def test_every_route_to_a_value_prints_text(handbook: Handbook, route: str) -> None:
    handbook.replace(
        "registers/services.yaml",
        "support_hours: Weekdays 08:00-18:00",
        f'support_hours: "{PAYLOAD}"',
    )
    handbook.replace(
        "registers/services.yaml", "summary: One place to ask for help.", f'summary: "{PAYLOAD}"'
    )
    templates = _templates(handbook.root, {"message": PAYLOAD, "author": PAYLOAD})
    page = {"title": "Page", "meta": {}, "url": "page/"}
    text, problem = templates.render(f"Value: {route}\n", page, LinkMap())
    assert "<script" not in text and "<img" not in text, (route, text, problem)


def test_the_sms_object_exposes_no_model_object(handbook: Handbook) -> None:
    templates = _templates(handbook.root)
    page = {"title": "Page", "meta": {}, "url": "page/"}
    for route in (
        "{{ sms.registers.view }}",
        "{{ sms.registers.view.settings }}",
        "{{ sms.registers.cache }}",
    ):
        text, _problem = templates.render(route, page, LinkMap())
        assert "Handbook" not in text and "Settings" not in text and "{" not in text, route
    # the documented routes still work
    text, problem = templates.render(
        "{{ sms.registers.services | length }} {{ sms.registers.services[0].support_hours }} "
        "{{ sms.registers.keys() | list | length }}",
        page,
        LinkMap(),
    )
    assert problem is None and text.startswith("2 Weekdays 08&#58;00-18&#58;00 "), text
