"""What a customer reads on a public page: no row of redactions, no "restricted item"
where a link to a page they may not see was, and a warning for the author instead."""

from __future__ import annotations

import datetime
from pathlib import Path

from sms_handbook.core.build import build_handbook
from sms_handbook.core.scope import scope_to_audience
from sms_handbook.render.control_block import control_rows, render_history
from sms_handbook.render.links import LinkMap

from tests.conftest import Handbook, build_site, controlled

PUBLIC_POLICY = controlled(
    "POL-002",
    "Complaints policy",
    "policy",
    "approved",
    ["8.2.1"],
    approved_on="2026-03-02",
    classification="public",
    related="[POL-001]",
)


def public_rows(handbook: Handbook) -> dict[str, str]:
    handbook.write("docs/complaints.md", PUBLIC_POLICY)
    result = build_handbook(handbook.root)
    assert result.ok, result.diagnostics
    view, _hidden = scope_to_audience(result.handbook, "public")
    document = next(d for d in view.documents if d.id == "POL-002")
    rows = control_rows(view, LinkMap({}), document, datetime.date(2026, 10, 1))
    return {label: str(value) for label, value in rows}


def test_a_public_control_block_leaves_out_roles_and_documents_it_may_not_name(
    handbook: Handbook,
) -> None:
    rows = public_rows(handbook)
    assert not any("restricted" in value for value in rows.values()), rows
    assert "Owner" not in rows and "Approver" not in rows and "Related documents" not in rows
    assert rows["Document"] == "POL-002" and rows["Approved on"] == "2026-03-02"


def test_a_public_role_keeps_its_row(handbook: Handbook) -> None:
    handbook.replace(
        "registers/roles.yaml", "title: Roles\n", "title: Roles\nclassification: public\n"
    )
    rows = public_rows(handbook)
    assert "Service manager" in rows["Owner"] and "Managing director" in rows["Approver"]


class Revision:
    date, version, author, subject, commit = "2026-03-02", "1.0", "A", "s", "abcdef0123"
    approval, approved_on = True, "2026-03-02"
    approver = "managing-director"


def test_history_names_no_hidden_approver_by_a_placeholder(handbook: Handbook) -> None:
    result = build_handbook(handbook.root)
    view, _hidden = scope_to_audience(result.handbook, "public")
    html = str(render_history(view, [Revision()], "minimal"))
    assert "approved by approver" not in html
    assert "approved on 2026-03-02" in html


HOME_WITH_LINKS = """---
title: Home
classification: public
---

# Minimal handbook

In an emergency, see [the risk register](handbook/registers/risks.md).

- [Risks](handbook/registers/risks.md)
- [Policy](policies/service-management-policy.md)
- [Catalogue](handbook/catalogue/index.md)
"""


def test_a_public_page_linking_to_an_internal_generated_page_builds(
    handbook: Handbook, tmp_path: Path
) -> None:
    handbook.write("docs/index.md", HOME_WITH_LINKS)
    site = build_site(handbook.root, tmp_path / "site", "public")  # strict: no "not found"
    article = site.article("index.html")
    text = article.get_text(" ", strip=True)
    assert "see restricted item" in text
    assert "Risks" not in text and "Policy" not in text  # each list item held only the link
    assert [a.get_text() for a in article.select("li a")] == ["Catalogue"]
    assert any("left out 2 list item(s)" in line for line in site.log), site.log


LINKS_PAGE = """---
title: Links
classification: public
---

# Links

A [broken page](policies/nope.md) and a [broken anchor](index.md#nowhere).
A [good anchor](index.md#minimal-handbook) and `[code](not/a/link.md)`.

```
[fenced](not/a/link/either.md)
```

See [the policy](policies/service-management-policy.md) and
[the risks](handbook/registers/risks.md), [the catalogue](handbook/catalogue/index.md).
"""


def test_validate_reports_broken_links_anchors_and_hidden_links_at_the_link(
    handbook: Handbook,
) -> None:
    handbook.write("docs/links.md", LINKS_PAGE)
    result = handbook.validate()
    assert result.code == 1, result.output
    found = [line for line in result.out.splitlines() if line.startswith("docs/links.md")]
    assert [line.split(": ", 2)[:2] for line in found] == [
        ["docs/links.md:8:3", "SMS206"],
        ["docs/links.md:8:41", "SMS207"],
        ["docs/links.md:15:5", "SMS310"],
        ["docs/links.md:16:1", "SMS310"],
    ], result.out
    assert "#nowhere, which index.md does not have (did you mean" not in result.out
    assert "'policies/nope.md' leads to no page nor file of docs/" in result.out


def test_a_page_that_means_its_hidden_links_says_so(handbook: Handbook) -> None:
    page = LINKS_PAGE.replace(
        "classification: public\n", "classification: public\nhidden_links: accepted\n"
    )
    handbook.write(
        "docs/links.md", page.replace("policies/nope.md", "index.md").replace("#nowhere", "")
    )
    result = handbook.validate("--strict")
    assert result.code == 0, result.output


def test_links_to_the_headings_of_a_tags_index_are_not_judged(handbook: Handbook) -> None:
    """Material's tags plugin writes a heading per tag where a page has its marker: the source
    cannot show those anchors, so links to them are not SMS207 (a real site's tags index links
    to each of its tags; tests/corpus/nhs-datascience)."""
    index = "---\ntitle: Tags\n---\n\n* [Forecasting](#forecasting)\n\n<!-- material/tags -->\n"
    handbook.write("docs/tags.md", index)
    handbook.write("docs/other.md", "---\ntitle: Other\n---\n\nSee [it](tags.md#forecasting).\n")
    result = handbook.validate("--strict")
    assert result.code == 0, result.output
    handbook.write("docs/tags.md", index.replace("<!-- material/tags -->", "No marker."))
    result = handbook.validate()
    assert result.code == 1, result.output
    assert "docs/tags.md:5:3: SMS207: the link '#forecasting'" in result.out
    assert "docs/other.md:5:5: SMS207" in result.out


def test_the_validate_hook_fails_on_a_broken_link(handbook: Handbook) -> None:
    from hooks.validate_handbook import main

    handbook.write("docs/links.md", "---\ntitle: L\n---\n\nSee [it](gone.md).\n")
    assert main(["--root", str(handbook.root)]) == 1


def test_a_link_to_what_changed_is_known_when_the_build_compares(handbook: Handbook) -> None:
    handbook.write("docs/news.md", "---\ntitle: News\n---\n\nSee [changes](handbook/changes.md).\n")
    assert "SMS206" in handbook.validate().out
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      compare_with: main\n"
    )
    result = handbook.validate("--strict")
    assert result.code == 0, result.output
