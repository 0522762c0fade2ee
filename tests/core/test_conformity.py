"""Conformity rules as golden cases (tests/golden/conformity.yaml), and repository rules."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sms_handbook.core.build import build_handbook
from sms_handbook.core.conformity import State, assess

from tests.conftest import Handbook, copy_fixture, run_cli

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "golden" / "conformity.yaml").read_text(encoding="utf-8")
)
DATE = datetime.date(2026, 11, 27)


def rule_file(rule: dict[str, Any], clause: str = "9.4", name: str = "case") -> str:
    return yaml.safe_dump(
        {"requirements": [{"clause": clause, "id": name, "text": "The case.", "evidence": [rule]}]}
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_kind_golden_case(case: dict[str, Any], tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    for path, text in (case.get("files") or {}).items():
        handbook.write(path, text)
    for edit in case.get("edits") or []:
        handbook.replace(edit["file"], edit["old"], edit["new"])
    handbook.write("registers/rules/case.yaml", rule_file(case["rule"]))
    result = build_handbook(handbook.root)
    assert [d for d in result.diagnostics if d.is_error] == []
    assessment = assess(result.handbook, DATE)
    (requirement,) = [r for r in assessment.requirements if r.requirement.id == "case"]
    assert requirement.state is State(case["state"])
    assert [f"{f.item}: {f.problem}" for f in requirement.findings] == case["findings"]
    if "remedies" in case:
        assert [f.remedy for f in requirement.findings] == case["remedies"]
    if "grades" in case:
        assert [f.grade for f in requirement.findings] == case["grades"]
    if "why" in case:
        assert [f.why for f in requirement.findings] == case["why"]


def test_golden_cases_cover_every_rule_kind_holding_and_failing() -> None:
    from sms_handbook.core.conformity.requirements import RULE_KINDS

    holds = {next(iter(c["rule"])) for c in CASES if c["state"] == "evidenced"}
    fails = {next(iter(c["rule"])) for c in CASES if c["state"] != "evidenced"}
    assert holds == fails == set(RULE_KINDS)


def test_every_rule_about_every_item_of_a_kind_is_untested_with_no_such_item() -> None:
    """A rule that judges each item of a kind proves nothing when there is none: an `init`
    handbook with nothing approved was 27% evidenced, half of it from such rules."""
    untested = {next(iter(c["rule"])) for c in CASES if c["state"] == "untested"}
    assert untested == {
        "each",
        "fields",
        "accepts",
        "current",
        "approvals",
        "dates",
        "independence",
        "consistent",
    }


def test_a_clause_is_untested_only_when_every_requirement_is(handbook: Handbook) -> None:
    before = assess(build_handbook(handbook.root).handbook, DATE)
    assert before.by_clause()["5.1"].state is None  # no requirement: not assessed
    rule = [{"independence": {}}]  # the fixture holds no internal audit
    handbook.write(
        "registers/rules/ours.yaml",
        yaml.safe_dump(
            {
                "requirements": [
                    {"clause": "5.1", "id": "alone", "text": "T.", "evidence": rule},
                    {"clause": "8.1", "id": "beside-a-gap", "text": "T.", "evidence": rule},
                ]
            }
        ),
    )
    after = assess(build_handbook(handbook.root).handbook, DATE)
    assert after.by_clause()["5.1"].state is State.UNTESTED
    assert after.by_clause()["8.1"].state is State.GAP  # judged by its shipped requirement
    assert after.count(State.UNTESTED) == before.count(State.UNTESTED) + 2
    assert (after.evidenced, after.documented) == (before.evidenced, before.documented)
    assert len(after.requirements) == len(before.requirements) + 2


def test_a_repository_adds_a_rule_and_overrides_a_cadence_with_data_only(
    handbook: Handbook,
) -> None:
    handbook.write(
        "docs/records/review.md",
        "---\nid: REC-102\ntitle: Management review\ntype: record\nkind: management-review\n"
        "held_on: 2026-05-01\nowner: service-manager\napprover: managing-director\n"
        'version: "1.0"\nstatus: approved\napproved_on: 2026-05-02\n---\n\n# Review\n',
    )
    before = assess(build_handbook(handbook.root).handbook, DATE)
    reviews = next(r for r in before.requirements if r.requirement.id == "reviews-held")
    assert not any("older than the cadence" in f.problem for f in reviews.findings)
    handbook.write(
        "registers/rules/ours.yaml",
        "cadences:\n  management-review: 3\n"
        + rule_file({"current": {"register": "risks"}}, "8.1", "our-own-rule"),
    )
    after = assess(build_handbook(handbook.root).handbook, DATE)
    reviews = next(r for r in after.requirements if r.requirement.id == "reviews-held")
    assert any("older than the cadence of 3 months" in f.problem for f in reviews.findings)
    assert reviews.state is State.LAPSED
    ours = [r for r in after.requirements if r.requirement.id == "our-own-rule"]
    assert [r.requirement.clause for r in ours] == ["8.1"]
    assert len(after.requirements) == len(before.requirements) + 1
    report = run_cli("report", "coverage", handbook.root)
    assert "The case." in report.out


def test_a_repository_replaces_a_shipped_requirement_by_its_id(handbook: Handbook) -> None:
    handbook.write(
        "registers/rules/ours.yaml",
        rule_file({"current": {"register": "risks"}}, "8.3.3", "agreement-per-live-service"),
    )
    assessment = assess(build_handbook(handbook.root).handbook, DATE)
    (replaced,) = [
        r for r in assessment.requirements if r.requirement.id == "agreement-per-live-service"
    ]
    assert replaced.requirement.text == "The case." and replaced.state is State.EVIDENCED


def test_validate_warns_for_a_parent_clause_naming_the_leaves_to_cite(handbook: Handbook) -> None:
    handbook.replace(
        "docs/policies/service-management-policy.md",
        'clauses: ["5.2.1", "5.2.2"]',
        'clauses: ["5.2.1", "5.2.2", "9.2"]',
    )
    result = build_handbook(handbook.root)
    (warning,) = [d for d in result.diagnostics if d.code == "SMS205"]
    assert not warning.is_error and warning.path == "docs/policies/service-management-policy.md"
    assert warning.message == (
        "'9.2' has child clauses, and conformity does not count a document for the children "
        "of a clause it lists; list those it addresses: 9.2.1, 9.2.2"
    )


def test_a_repository_overrides_a_grade_and_a_finding_lists_every_item(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    rule = {"each": {"register": "services", "needs": {"records": "service-review"}}}
    rules = yaml.safe_load(rule_file(rule))
    handbook.write("registers/rules/case.yaml", yaml.safe_dump(rules))
    (finding,) = _case_findings(handbook)
    assert (finding.grade, finding.items) == ("minor", ("service SVC-001", "service SVC-002"))
    assert finding.item == "2 services"
    assert finding.problem == (
        "services SVC-001 and SVC-002 have no service-review record within their cadence "
        "(12 months): none recorded"
    )
    assert finding.remedy == (
        "hold a service-review with each and record it with `kind: service-review` and "
        "`services: [<id>]`"
    )
    handbook.write(
        "registers/rules/case.yaml", yaml.safe_dump({**rules, "grades": {"9.4/case": "major"}})
    )
    assert [f.grade for f in _case_findings(handbook)] == ["major"]
    escalating = {"each": {**rule["each"], "escalate": {"more_than": 1, "to": "major"}}}
    handbook.write("registers/rules/case.yaml", rule_file(escalating))
    assert [f.grade for f in _case_findings(handbook)] == ["major"]


def _case_findings(handbook: Handbook) -> list[Any]:
    result = build_handbook(handbook.root)
    assert [d for d in result.diagnostics if d.is_error] == []
    assessment = assess(result.handbook, DATE)
    (requirement,) = [r for r in assessment.requirements if r.requirement.id == "case"]
    assert requirement.state is State.GAP
    return requirement.findings


@pytest.mark.parametrize(
    ("grade", "state"), [("minor", "documented"), ("observation", "evidenced")]
)
def test_an_open_finding_keeps_its_requirement_from_evidenced(
    grade: str, state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sms_handbook.core.conformity.check import Outcome
    from sms_handbook.core.conformity.rules import RULES

    def holds_with_a_finding(check: Any) -> Outcome:
        finding = check.finding(State.EVIDENCED, "item", "problem", "remedy", grade=grade)
        return Outcome(State.EVIDENCED, [finding])

    monkeypatch.setitem(RULES, "fields", holds_with_a_finding)
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.write("registers/rules/case.yaml", rule_file({"fields": {"require": ["id"]}}))
    assessment = assess(build_handbook(handbook.root).handbook, DATE)
    (requirement,) = [r for r in assessment.requirements if r.requirement.id == "case"]
    assert requirement.state is State(state)


def test_validate_names_a_clause_with_findings_that_is_not_one(handbook: Handbook) -> None:
    handbook.write(
        "docs/records/audit.md",
        "---\nid: REC-101\ntitle: Internal audit\ntype: record\nkind: internal-audit\n"
        "held_on: 2026-03-05\nowner: service-manager\napprover: managing-director\n"
        'version: "1.0"\nstatus: approved\napproved_on: 2026-03-05\n'
        'findings_on: ["8.6", "8.99"]\n---\n\n# Internal audit\n',
    )
    result = build_handbook(handbook.root)
    (error,) = [d for d in result.diagnostics if d.code == "SMS204"]
    assert (error.path, error.line, error.column) == ("docs/records/audit.md", 12, 22)
    assert error.message.startswith("'8.99' is not a clause of ISO/IEC 20000-1:2018")
