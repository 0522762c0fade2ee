"""Evidence packs on a small handbook with known registers: exactly the expected items, and
the inputs without data shown as missing."""

from __future__ import annotations

import csv
import json

from sms_handbook.render.packs import PACK_LIMIT

from tests.conftest import Handbook, more_risks, run_cli

REVIEW = """---
id: REC-201
title: Management review, spring
type: record
kind: management-review
held_on: 2026-06-01
owner: service-manager
approver: managing-director
version: "1.0"
status: approved
approved_on: 2026-06-03
retention: 10 years
clauses: ["9.3"]
---

# Management review, spring
"""
AUDIT = REVIEW.replace("REC-201", "REC-202").replace(
    "kind: management-review", "kind: internal-audit"
)
AUDIT = (
    AUDIT.replace("held_on: 2026-06-01", "held_on: 2026-09-01")
    .replace("Management review, spring", "Internal audit IA-9")
    .replace('["9.3"]', '["9.2.2"]')
)


def test_management_review_pack_lists_exactly_the_period_and_shows_what_is_missing(
    handbook: Handbook,
) -> None:
    handbook.write("docs/records/review.md", REVIEW)
    handbook.write("docs/records/audit.md", AUDIT)
    handbook.replace(
        "registers/improvements.yaml",
        "    due: 2027-03-31\n",
        "    due: 2027-03-31\n    raised_on: 2026-07-01\n",
    )
    result = run_cli("pack", "management-review", handbook.root, "--format", "json")
    assert result.code == 0, result.output
    pack = json.loads(result.out)
    assert pack["since"] == "2026-06-01" and pack["last_review"] == "REC-201"
    items = {section["id"]: [i["id"] for i in section["items"]] for section in pack["inputs"]}
    assert items["previous-actions"] == ["REC-201"]
    assert items["audits"] == ["REC-202"]
    assert items["customer-feedback"] == ["IMP-001"]  # raised from customer feedback, open
    assert items["improvements"] == ["IMP-001"]
    assert items["risks"] == ["RSK-001"]
    assert items["suppliers"] == ["SUP-001"]
    assert items["performance"] == ["SVC-001", "SVC-002"]
    missing = {section["id"] for section in pack["inputs"] if section["missing"]}
    assert missing == {
        "context-changes",
        "objectives",
        "nonconformities",
        "monitoring",
        "resources",
    }
    assert [o["id"] for o in pack["outputs"]] == [
        "improvement-decisions",
        "change-needs",
        "resource-needs",
    ]
    text = run_cli("pack", "management-review", handbook.root).out
    assert text.count("**Missing:**") == 5
    assert "- [ ] Decisions on the resources needed: decision, owner, date" in text


def test_management_review_pack_since_a_date(handbook: Handbook) -> None:
    handbook.write("docs/records/audit.md", AUDIT)
    later = run_cli(
        "pack", "management-review", handbook.root, "--since", "2026-10-01", "--format", "json"
    )
    audits = next(s for s in json.loads(later.out)["inputs"] if s["id"] == "audits")
    assert audits["missing"] is True  # the audit of 1 September is before the period
    wrong = run_cli("pack", "management-review", handbook.root, "--since", "spring")
    assert wrong.code == 2 and "is not a date" in wrong.err


def test_audit_checklist_for_clauses_in_markdown_and_csv(handbook: Handbook) -> None:
    markdown = run_cli("pack", "audit", handbook.root, "--clauses", "5.2", "9.3")
    assert markdown.code == 0, markdown.output
    marker, *lines = markdown.out.splitlines()
    assert marker.startswith("<!-- sms-handbook-output ") and marker.endswith(" -->")
    assert lines[0] == "# Internal audit checklist: 5.2, 9.3"
    assert "| 5.2.1 | Service management policy | evidenced | POL-001 |  |   |" in lines
    marker, *table = run_cli(
        "pack", "audit", handbook.root, "--clauses", "9.3", "--format", "csv"
    ).out.splitlines()
    assert marker.startswith("# sms-handbook-output {")
    rows = list(csv.DictReader(table))
    assert {r["clause"] for r in rows} == {"9.3"}
    assert [r["state"] for r in rows if "interval" in r["requirement"]] == ["gap"]
    assert all(r["notes"] == "" for r in rows)
    unknown = run_cli("pack", "audit", handbook.root, "--clauses", "9.9")
    assert unknown.code == 2 and "unknown clause 9.9" in unknown.err


def test_the_packs_are_generated_pages_for_staff_and_auditors(handbook: Handbook) -> None:
    handbook.write("docs/records/review.md", REVIEW)
    handbook.replace(
        "registers/risks.yaml", "title: Backup storage fails", "title: 'Backup <b>storage</b>'"
    )
    result = run_cli("build", handbook.root)
    assert result.code == 0, result.output
    site = handbook.root / "site"
    assert not (site / "public/handbook/packs").exists()
    assert not (site / "internal/handbook/packs/audit-checklist").exists()
    page = (site / "internal/handbook/packs/management-review/index.html").read_text("utf-8")
    assert '<a href="../../registers/risks/#rsk-001">RSK-001</a>' in page
    assert "Backup &lt;b&gt;storage&lt;/b&gt;" in page and "<b>storage</b>" not in page
    assert page.count("Missing:</strong>") == 6  # the five of the CLI test, and no audit
    checklist = (site / "restricted/handbook/packs/audit-checklist/index.html").read_text("utf-8")
    assert checklist.count("<tr><td>") >= 78


def test_a_document_without_an_approval_date_says_so_instead_of_none(handbook: Handbook) -> None:
    handbook.write("docs/records/review.md", REVIEW)
    draft = AUDIT.replace("status: approved\napproved_on: 2026-06-03\n", "status: draft\n")
    handbook.write("docs/records/audit.md", draft)
    text = run_cli("pack", "management-review", handbook.root).out
    assert "Internal audit IA-9 (draft, not approved)" in text
    assert "None" not in text


def test_management_review_pack_leads_with_the_findings_by_grade(handbook: Handbook) -> None:
    lines = run_cli("pack", "management-review", handbook.root).out.splitlines()[1:]
    assert lines[0].startswith("# Management review input pack")
    assert lines[2].startswith("Conformity findings: 53 major, 16 minor, 6 observations; 13 of 92")
    pack = json.loads(run_cli("pack", "management-review", handbook.root, "--format", "json").out)
    assert pack["findings"].startswith("findings: 53 major, 16 minor, 6 observations;")


def _section(lines: list[str], title: str) -> list[str]:
    start = lines.index(title)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    return lines[start + 1 : end]


def test_a_large_input_is_counted_with_the_overdue_first_and_the_rest_linked(
    handbook: Handbook,
) -> None:
    from bs4 import BeautifulSoup

    overdue = more_risks(range(500, 503), "Overdue risk {n}").replace(
        "next_review: 2027-02-01", "next_review: 2026-01-05"
    )
    handbook.write(
        "registers/risks.yaml",
        handbook.read("registers/risks.yaml") + more_risks(range(100, 130)) + overdue,
    )
    pack = json.loads(run_cli("pack", "management-review", handbook.root, "--format", "json").out)
    risks = next(s for s in pack["inputs"] if s["id"] == "risks")
    total = len(risks["items"])  # the JSON keeps every item
    assert total == 34 > PACK_LIMIT
    lines = run_cli("pack", "management-review", handbook.root).out.splitlines()
    section = _section(lines, next(line for line in lines if line.startswith("## Risks")))
    listed = [line for line in section if line.startswith("- RSK-")]
    assert len(listed) == PACK_LIMIT
    assert [line[2:9] for line in listed[:3]] == ["RSK-500", "RSK-501", "RSK-502"]
    assert section[1] == f"{total} items: 33 accepted, 1 treating; 3 overdue."
    assert f"- \u2026 and {total - PACK_LIMIT} more in the risks register" in section

    assert run_cli("build", handbook.root).code == 0
    page = handbook.root / "site/internal/handbook/packs/management-review/index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html5lib")
    heading = next(h for h in soup.select("article h2") if h.get_text().startswith("Risks"))
    items = heading.find_next("ul").find_all("li", recursive=False)
    assert len(items) == PACK_LIMIT + 1
    assert items[0].get_text().startswith("RSK-500: Overdue risk 500")
    rest = items[-1]
    assert rest.get_text().startswith(f"\u2026 and {total - PACK_LIMIT} more")
    assert [a["href"] for a in rest.find_all("a")] == ["../../registers/risks/"]
    counts = heading.find_next("p", class_="sms-pack-counts")
    assert counts is not None and counts.get_text().startswith(f"{total} items:")
