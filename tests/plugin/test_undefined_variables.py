"""Undefined variables of page templates: kept visible (mkdocs-macros' default), or failing.

A policy imported from a template set says `Access to {{companyShortName}} systems`; a site
that never defines `companyShortName` must not publish "Access to  systems".
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Handbook, build_site, run_cli

PAGE = """---
title: Access
classification: public
---

# Access

Access to {{companyShortName}} systems is granted by {{ extra_owner }}.
{% set local = "set here" %}{{ local }}; {% for n in [1] %}{{ n }}{% endfor %}
Contact {{ contact.email }}.
"""


def _site(handbook: Handbook) -> None:
    handbook.replace(
        "mkdocs.yml",
        "site_name: Minimal handbook\n",
        "site_name: Minimal handbook\nextra:\n  extra_owner: the service desk\n",
    )
    handbook.write("docs/access.md", PAGE)


def _paragraph_text(site: Path) -> str:
    from bs4 import BeautifulSoup

    html = (site / "access" / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").article
    assert article is not None
    return article.get_text(" ")


def test_an_undefined_variable_stays_visible(handbook: Handbook, tmp_path: Path) -> None:
    _site(handbook)
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code == 0, built.output
    site = build_site(handbook.root, tmp_path / "plugin", audience="public")
    for root in (tmp_path / "cli" / "public", site.root):
        text = _paragraph_text(root)
        assert "Access to {{ companyShortName }} systems" in text
        assert "granted by the service desk" in text
        assert "set here; 1" in text
        assert "Contact {{ contact.email }}" in text


def test_validate_names_the_file_and_line(handbook: Handbook) -> None:
    _site(handbook)
    checked = handbook.validate()
    assert checked.code == 0, checked.output  # a warning by default
    assert "docs/access.md:8:1: SMS315: `{{ companyShortName }}`" in checked.out
    assert "docs/access.md:10:1: SMS315: `{{ contact }}`" in checked.out
    for defined in ("extra_owner", "local", "`{{ n }}`"):
        assert defined not in checked.out
    assert handbook.validate("--strict").code != 0


def test_on_undefined_strict_fails(handbook: Handbook, tmp_path: Path) -> None:
    _site(handbook)
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      on_undefined: strict\n"
    )
    checked = handbook.validate()
    assert checked.code != 0
    assert "docs/access.md:8:1: SMS316:" in checked.out
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code != 0
    assert "companyShortName" in built.output and "undefined" in built.output
