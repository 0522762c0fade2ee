"""Real MkDocs builds of a small handbook; the HTML of every generated page is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Handbook, Site, build_site, mkdocs_build, more_risks


@pytest.fixture
def site(handbook: Handbook, tmp_path: Path) -> Site:
    return build_site(handbook.root, tmp_path / "site", "internal")


def cells(row) -> list[str]:
    """What a reader sees in a table row (the separator kept for search is not shown)."""
    for separator in row.select(".sms-sep"):
        separator.decompose()
    return [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]


def test_catalogue_lists_services_with_status_and_summary(site: Site) -> None:
    article = site.article("handbook/catalogue")
    cards = {c["id"]: c.get_text(" ", strip=True) for c in article.select(".sms-card")}
    assert set(cards) == {"svc-001", "svc-002"}
    assert "Service desk" in cards["svc-001"] and "live" in cards["svc-001"]
    assert "One place to ask for help." in cards["svc-001"]
    assert article.select_one('a[href="svc-002/"]').get_text() == "Backup"


def test_dependency_diagram_is_mermaid_with_the_dependency(site: Site) -> None:
    code = site.article("handbook/catalogue").select_one("pre.mermaid code").get_text()
    assert code.startswith("graph LR")
    assert 'n_SVC_002["Backup"]' in code and "n_SVC_002 -->|depends on| n_SVC_001" in code


def test_service_page_shows_targets_and_facts(site: Site) -> None:
    article = site.article("handbook/catalogue/svc-002")
    assert article.select_one("h1").get_text(strip=True).startswith("Backup")
    facts = dict(cells(r) for r in article.select("table.sms-facts tr"))
    assert facts["Status"] == "live"
    assert facts["Criticality"] == "critical"
    assert facts["Service owner"] == "Service manager"
    assert facts["Workload limits"] == "50 TB"
    targets = (
        article.select_one("#service-level-targets").find_next("div").get_text(" ", strip=True)
    )
    assert targets == "Restore start: 4 hours"
    suppliers = article.select_one("#suppliers").find_next("div")
    assert suppliers.select_one("a").get_text() == "SUP-001 Offsite Storage Ltd"


def test_register_page_has_sortable_table_and_record_details(site: Site) -> None:
    article = site.article("handbook/registers/risks")
    table = article.select_one("table.sortable")
    header = cells(table.select_one("thead tr"))
    assert header[:3] == ["Id", "Title", "Kind"]
    row = cells(table.select_one("tbody tr"))
    assert row[:4] == ["RSK-001", "Backup storage fails", "risk", "availability"]
    detail = article.select_one("h3#rsk-001")
    assert detail is not None and "Backup storage fails" in detail.get_text()
    facts = dict(cells(r) for r in detail.find_next("table").select("tr"))
    assert facts["Treatment"] == "reduce"
    assert facts["Services affected"] == "SVC-002 Backup"


def test_risk_heat_map_places_each_risk_in_its_cell(site: Site) -> None:
    heat = site.article("handbook/registers/risks").select_one("table.sms-heatmap")
    rows = heat.select("tbody tr")
    assert [r.th.get_text() for r in rows] == ["5", "4", "3", "2", "1"]
    likelihood_2 = rows[3].find_all("td")
    assert likelihood_2[4].get_text(strip=True) == "RSK-001"  # impact 5
    assert likelihood_2[4]["class"] == ["sms-heat", "sms-heat-high"]
    assert likelihood_2[4].a["href"] == "#rsk-001"
    assert sum(bool(td.get_text(strip=True)) for td in heat.select("td")) == 1


def test_traceability_matrix_statuses_and_coverage(site: Site) -> None:
    article = site.article("handbook/traceability")
    figures = article.select_one("table.sms-coverage").get_text(" ", strip=True)
    assert figures.startswith(
        "Findings by grade 53 major, 16 minor, 6 observations Conformity findings: 53 major, "
        "16 minor, 6 observations; 13 of 92 requirements evidenced (14%), 16 documented (17%)"
    )  # 8 requirements about every item of a kind have no such item yet: untested, not counted
    assert figures.endswith("Evidenced 13 evidenced Untested 8 untested Findings 75")
    row = article.select_one("tr#clause-5-2-1")
    assert row.select_one("td .sms-badge").get_text() == "evidenced"
    assert "POL-001" in [a.get_text() for a in row.select("a")]
    states = [b.get_text() for b in article.select_one("tr#clause-6-1-2").select(".sms-badge")]
    assert states[0] == "gap" and "evidenced" in states[1:], "risk register in, approach missing"
    assert article.select_one("tr#clause-9-3 .sms-badge").get_text() == "gap"
    findings = article.select("h2#findings + table tbody tr")
    assert any("9.3" in row.get_text() for row in findings)
    assert len(article.select("tr[id^=clause-]")) >= 63
    assert article.select_one("tr#clause-8-5-1").get("class") == ["sms-group"]


def test_review_dashboard_groups_by_owner_with_states(handbook: Handbook, tmp_path: Path) -> None:
    handbook.replace(
        "docs/policies/service-management-policy.md",
        "approved_on: 2026-03-02",
        "approved_on: 2025-06-01",
    )
    site = build_site(handbook.root, tmp_path / "site", "internal")
    article = site.article("handbook/reviews")
    group = article.select_one("h2#owner-service-manager")
    assert group is not None and group.get_text(strip=True).startswith("Service manager")
    rows = [cells(r) for r in group.find_next("table").select("tbody tr")]
    policy = next(r for r in rows if r[0].startswith("POL-001"))
    assert policy[3:] == ["2026-06-01", "overdue"]
    records = [
        cells(r) for r in article.select_one("#records-due").find_next("table").select("tbody tr")
    ]
    assert [
        "IMP-001 Faster first response",
        "improvement",
        "Service manager",
        "approved",
        "2027-03-31",
        "current",
    ] in records


def test_control_block_on_controlled_documents(site: Site) -> None:
    article = site.article("policies/service-management-policy")
    block = article.select_one(".sms-control")
    assert article.find("h1").find_next_sibling() is block, "right after the title"
    facts = dict(cells(r) for r in block.select("tr"))
    assert facts["Document"] == "POL-001"
    assert facts["Version"] == "1.0"
    assert facts["Approver"] == "Managing director"
    assert facts["Next review"] == "2027-03-02 current"
    clause = block.select_one('a[href*="traceability/#clause-5-2-1"]')
    assert clause is not None and clause.get_text() == "5.2.1"
    assert block.select_one('a[href$="catalogue/svc-001/"]').get_text() == "SVC-001 Service desk"
    assert site.article("index.html").select_one(".sms-control") is None, "plain pages have none"


def test_generated_pages_are_in_the_navigation(site: Site) -> None:
    nav = site.soup("handbook/traceability").select_one("nav.md-nav--primary")
    titles = {a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")}
    assert {"Traceability matrix", "Review status", "Catalogue", "Registers"} <= titles
    risks = site.soup("handbook/registers/risks").select_one("nav.md-nav--primary")
    assert "Risks" in {a.get_text(" ", strip=True) for a in risks.select("a.md-nav__link")}
    home = site.soup("index.html").select_one("nav.md-nav--primary")
    assert "Traceability matrix" not in home.get_text(), "navigation.prune: only what a page shows"


def test_explicit_nav_still_works_and_gets_the_generated_section(
    handbook: Handbook, tmp_path: Path
) -> None:
    handbook.replace(
        "mkdocs.yml",
        "plugins:",
        "nav:\n  - Home: index.md\n  - Policy: policies/service-management-policy.md\nplugins:",
    )
    site = build_site(handbook.root, tmp_path / "site", "internal")
    nav = site.soup("handbook/traceability").select_one("nav.md-nav--primary")
    titles = [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]
    assert titles[:2] == ["Home", "Policy"]
    assert "Handbook" in nav.get_text() and "Traceability matrix" in titles


def test_exports_are_written(site: Site) -> None:
    import csv
    import json

    model = json.loads((site.root / "handbook/export.json").read_text())
    assert model["audience"] == "internal"
    assert [r["id"] for r in model["registers"]["risks"]["records"]] == ["RSK-001"]
    text = (site.root / "handbook/traceability.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows[0]["clause"] == "4.1"
    assert len([r for r in rows if r["state"] != "not assessed"]) == 92
    assert next(r for r in rows if r["clause"] == "5.2.1")["state"] == "evidenced"


def test_dangling_reference_fails_a_strict_build_with_file_and_line(
    handbook: Handbook, tmp_path: Path
) -> None:
    handbook.replace(
        "registers/services.yaml", "dependencies: [SVC-001]", "dependencies: [SVC-404]"
    )
    with pytest.raises(AssertionError) as failure:
        build_site(handbook.root, tmp_path / "site", "internal")
    assert "registers/services.yaml:34:20: SMS202" in str(failure.value)
    assert "Aborted with" in str(failure.value)


def test_every_page_is_marked_once_and_the_print_edition_is_whole(site: Site) -> None:
    """`mkdocs build` marks pages while writing them and the rest afterwards: each HTML file
    (404 and the print edition included) carries the audience's marks exactly once."""
    pages = [p for p in site.files() if p.suffix == ".html"]
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(site.root)
        assert text.count('<meta name="robots" content="noindex, nofollow">') == 1, where
        assert text.count('class="sms-audience-banner sms-audience-internal"') == 1, where
    printed = site.soup("handbook/print").select("section.sms-print-document")
    assert [s["id"] for s in printed] == ["pol-001"]
    assert "We deliver what we agree." in printed[0].get_text()
    assert "SMSPRINTDOCUMENTS" not in site.html("handbook/print")


def test_register_records_are_searchable_by_their_own_entries(site: Site) -> None:
    """Material's index holds the register page's sections as the renderer wrote them: one
    entry per visible record at its anchor, labels apart from values, and no entry made of
    the table of records."""
    import json

    index = json.loads((site.root / "search/search_index.json").read_text(encoding="utf-8"))
    entries = {
        doc["location"]: doc
        for doc in index["docs"]
        if doc["location"].startswith("handbook/registers/risks/")
    }
    assert list(entries) == [
        "handbook/registers/risks/",
        "handbook/registers/risks/#heat-map",
        "handbook/registers/risks/#records",
        "handbook/registers/risks/#rsk-001",
    ]
    record = entries["handbook/registers/risks/#rsk-001"]
    assert record["title"] == "RSK-001 Backup storage fails"
    assert "Kind: risk" in record["text"] and "Services affected: SVC-002 Backup" in record["text"]
    assert entries["handbook/registers/risks/#records"]["text"] == ""
    assert entries["handbook/registers/risks/"]["title"] == "Risks"
    clause = next(
        d for d in index["docs"] if d["location"] == "handbook/traceability/#clause-5-2-1"
    )
    assert clause["title"] == "5.2.1 Establishing the service management policy"
    assert "State: evidenced" in clause["text"] and "Documents: POL-001" in clause["text"]
    reviews = next(d for d in index["docs"] if d["location"] == "handbook/reviews/#records-due")
    assert "RSK-001 Backup storage fails, risk, Service manager, treating" in reviews["text"]
    service = [d for d in index["docs"] if d["location"].startswith("handbook/catalogue/svc-001/")]
    assert service, "pages without entries of their own are still parsed by Material's search"


def test_the_control_block_is_written_whole_but_never_indexed(site: Site) -> None:
    """Search reads the page with its control block set aside; the page carries it whole."""
    import json

    page = site.html("policies/service-management-policy")
    assert page.count('<div class="sms-control"') == 1 and "SMSHTML" not in page
    assert "Managing director" in site.article("policies/service-management-policy").get_text()
    index = json.loads((site.root / "search/search_index.json").read_text(encoding="utf-8"))
    policy = [d for d in index["docs"] if d["location"].startswith("policies/")]
    assert policy and "We deliver what we agree." in " ".join(d["text"] for d in policy)
    text = json.dumps(policy)
    assert "Approver" not in text and "SMSHTML" not in text and "sms-slot" not in text


def test_a_control_block_that_cannot_be_put_back_stops_the_build(
    handbook: Handbook, tmp_path: Path
) -> None:
    """A hook that rewrites page content after search has read it loses the slot: the build
    fails rather than publish a controlled document without its control block."""
    handbook.write(
        "mangle.py",
        "def on_page_context(context, page, config, nav):\n"
        "    page.content = page.content.replace('sms-slot', 'sms-other')\n"
        "    return context\n",
    )
    handbook.replace("mkdocs.yml", "plugins:", "hooks:\n  - mangle.py\nplugins:")
    error, log = mkdocs_build(handbook.root, tmp_path / "site", "internal")
    assert error is not None
    lost = "control block of policies/service-management-policy.md could not be put back"
    assert any(lost in line for line in log), log


def test_search_previews_keep_list_items_apart(handbook: Handbook, tmp_path: Path) -> None:
    """Each item of a listed value is its own words in the search entry ("Backup SVC-001",
    never "BackupSVC-001")."""
    import json

    handbook.replace("registers/risks.yaml", "services: [SVC-002]", "services: [SVC-002, SVC-001]")
    handbook.replace(
        "registers/risks.yaml",
        "actions: [Test restores monthly.]",
        "actions: [Test restores monthly., Keep a second copy.]",
    )
    site = build_site(handbook.root, tmp_path / "site", "internal")
    index = json.loads((site.root / "search/search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"].endswith("risks/#rsk-001"))
    assert "Services affected: SVC-002 Backup SVC-001 Service desk" in entry["text"], entry
    assert "Actions: Test restores monthly. Keep a second copy." in entry["text"], entry


def test_a_register_of_many_records_keeps_them_out_of_the_table_of_contents(
    handbook: Handbook, tmp_path: Path
) -> None:
    """Beyond 100 records a register page lists them in its table and its sections (ids, for
    links and search) but not in the table of contents beside it; titles stay text."""
    extra = more_risks(range(100, 220), "Risk number {n} <script>alert(1)</script>")
    handbook.write("registers/risks.yaml", handbook.read("registers/risks.yaml") + extra)
    site = build_site(handbook.root, tmp_path / "site", "internal")
    page = site.soup("handbook/registers/risks")
    article = page.select_one("article")
    assert len(article.select("table.sortable tbody tr")) == 121
    sections = article.select("div.sms-records > h3[id]")
    assert len(sections) == 121 and sections[0]["id"] == "rsk-001"
    assert sections[-1].get_text() == "RSK-219 Risk number 219 <script>alert(1)</script>"
    assert not article.select("script") and not page.select("script:-soup-contains('alert')")
    facts = dict(cells(r) for r in sections[-1].find_next("table").select("tr"))
    assert facts["Treatment"] == "accept"
    toc = [a["href"] for a in page.select("nav.md-nav--secondary a")]
    assert "#records" in toc and not any(href.startswith("#rsk-") for href in toc)
    index = (site.root / "search/search_index.json").read_text(encoding="utf-8")
    assert '"location":"handbook/registers/risks/#rsk-219"' in index.replace(" ", "")
