"""Register data in pages through mkdocs-macros: scoped, escaped, never evaluated."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Handbook, build_site

HOSTILE = "<script>alert('x')</script> {{ 7*191 }} [click](javascript:alert(1)) **loud**"


def test_macros_render_register_data(handbook: Handbook, tmp_path: Path) -> None:
    handbook.write(
        "docs/overview.md",
        "# Overview\n\n"
        "Services: {{ sms.registers.services | length }}; coverage {{ coverage_summary() }}.\n\n"
        'Policy: {{ document_link("POL-001") }}\n\n'
        '{{ register_table("risks", columns=["id", "title", "status"]) }}\n\n'
        '{{ service_summary("SVC-001") }}\n',
    )
    site = build_site(handbook.root, tmp_path / "site", "internal")
    article = site.article("overview")
    text = article.get_text(" ", strip=True)
    assert (
        "Services: 2; coverage findings: 53 major, 16 minor, 6 observations; 13 of 92 "
        "requirements evidenced (14%), 16 documented (17%)." in text
    )
    policy = article.select_one('a[href$="policies/service-management-policy/"]')
    assert policy is not None and policy.get_text() == "POL-001 Service management policy"
    table = article.select_one("table.sms-table")
    assert [th.get_text() for th in table.select("th")] == ["Id", "Title", "Status"]
    assert [td.get_text(" ", strip=True) for td in table.select("td")] == [
        "RSK-001 Backup storage fails",
        "Backup storage fails",
        "treating",
    ]
    assert article.select_one(".sms-card a").get_text() == "Service desk"


def test_register_values_come_out_literally(handbook: Handbook, tmp_path: Path) -> None:
    handbook.replace(
        "registers/services.yaml", "summary: One place to ask for help.", f'summary: "{HOSTILE}"'
    )
    handbook.write(
        "docs/overview.md",
        "# Overview\n\nVariable: {{ sms.registers.services[0].summary }}\n\n"
        '{{ register_table("services", columns=["id", "summary"]) }}\n',
    )
    site = build_site(handbook.root, tmp_path / "site", "internal")
    for page in (
        "overview",
        "handbook/catalogue",
        "handbook/catalogue/svc-001",
        "handbook/registers/services",
    ):
        html = site.html(page)
        article = site.article(page)
        assert "1337" not in html, page
        assert "{{ 7*191 }}" in article.get_text(), page
        assert "<script>alert('x')</script>" in article.get_text(), f"shown as text on {page}"
        assert not [s for s in article.find_all("script") if "alert" in s.get_text()], page
        assert not article.select('a[href^="javascript"]'), page
        assert not article.find("strong", string="loud"), page
    for path in site.files():
        if path.suffix in (".html", ".json", ".xml"):
            assert "1337" not in path.read_text(encoding="utf-8", errors="replace"), path
