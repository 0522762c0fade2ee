"""Audience views, clause coverage and review states, on small real handbooks."""

from __future__ import annotations

import datetime

from sms_handbook.core.build import build_handbook
from sms_handbook.core.coverage import ClauseStatus, compute_coverage
from sms_handbook.core.model import RESTRICTED
from sms_handbook.core.review import ReviewState, add_months, review_diagnostics, review_items
from sms_handbook.core.scope import scope_to_audience

from tests.conftest import Handbook, controlled


def test_public_view_denies_by_default(handbook: Handbook) -> None:
    full = build_handbook(handbook.root).handbook
    view, hidden = scope_to_audience(full, "public")
    assert [d.src_uri for d in view.documents] == ["index.md"]
    assert list(view.registers) == ["services"]
    backup = next(r for r in view.registers["services"].records if r.id == "SVC-002")
    assert "owner" not in backup.data and "criticality" not in backup.data
    assert "dependencies" not in backup.data
    assert "summary" in backup.data
    assert {d.src_uri for d in hidden.documents} == {"policies/service-management-policy.md"}
    assert {r.id for _reg, r in hidden.records} >= {"RSK-001", "service-manager"}


def test_references_to_hidden_items_become_restricted(handbook: Handbook) -> None:
    handbook.replace(
        "registers/risks.yaml",
        "    next_review: 2027-02-01",
        "    next_review: 2027-02-01\n    classification: restricted",
    )
    handbook.replace(
        "registers/improvements.yaml",
        "    due: 2027-03-31",
        "    due: 2027-03-31\n    services: [SVC-001]",
    )
    full = build_handbook(handbook.root).handbook
    assert full.item("RSK-001") is not None
    view, _ = scope_to_audience(full, "internal")
    assert view.item("RSK-001") is None
    supplier_refs = view.registers["suppliers"].records[0].data["services"]
    assert supplier_refs == ["SVC-002"]
    handbook.replace(
        "registers/suppliers.yaml",
        "services: [SVC-002]",
        "services: [SVC-002]\n    notes: see RSK-001",
    )
    handbook.replace(
        "registers/services.yaml",
        "    suppliers: [SUP-001]",
        "    suppliers: [SUP-001]\n    classification: restricted",
    )
    full = build_handbook(handbook.root).handbook
    view, _ = scope_to_audience(full, "internal")
    assert view.registers["suppliers"].records[0].data["services"] == [RESTRICTED]
    assert full.registers["suppliers"].records[0].data["services"] == ["SVC-002"], (
        "the source model is untouched"
    )


def test_restricted_fields_are_only_for_the_highest_audience(handbook: Handbook) -> None:
    handbook.replace(
        "registers/risks.yaml",
        "    next_review: 2027-02-01",
        "    next_review: 2027-02-01\n    restricted_fields: [actions]",
    )
    full = build_handbook(handbook.root).handbook
    internal, hidden = scope_to_audience(full, "internal")
    assert "actions" not in internal.registers["risks"].records[0].data
    assert "actions" in {f for _r, _rec, f in hidden.fields}
    restricted, _ = scope_to_audience(full, "restricted")
    assert restricted.registers["risks"].records[0].data["actions"] == ["Test restores monthly."]


def test_coverage_of_a_known_fixture(handbook: Handbook) -> None:
    approved = controlled(
        "POL-002", "Change policy", "policy", "approved", ["8.5.1"], approved_on="2026-01-10"
    )
    handbook.write("docs/change.md", approved)
    draft = controlled("PRO-001", "Incidents", "procedure", "draft", ["8.6.1"])
    handbook.write("docs/incident.md", draft)
    handbook.write("docs/old.md", controlled("PRO-002", "Old", "procedure", "retired", ["9.1"]))
    coverage = compute_coverage(build_handbook(handbook.root).handbook)
    status = {c.clause.id: c.status for c in coverage.clauses}
    approved = {k for k, v in status.items() if v is ClauseStatus.APPROVED}
    draft = {k for k, v in status.items() if v is ClauseStatus.DRAFT}
    assert approved == {"5.2.1", "5.2.2", "8.5.1.1", "8.5.1.2", "8.5.1.3"}
    assert draft == {"5.3", "6.1.2", "6.1.3", "8.2.4", "8.3.4.1", "8.6.1", "10.2"}
    assert status["9.1"] is ClauseStatus.GAP, "a retired document covers nothing"
    assert len(status) == 63 and coverage.approved == 5
    missing = {(c.id, e.what) for c, e in coverage.missing}
    assert ("8.5.1.1", "Change management policy") not in missing
    assert ("8.5.1.3", "Change management procedure") in missing, "a policy is not a procedure"
    assert ("5.3", "Roles register with responsibilities and authorities") not in missing
    assert ("8.3.4.1", "Documented contract with an external supplier") in missing


def test_review_states_for_a_given_today(handbook: Handbook) -> None:
    handbook.replace(
        "docs/policies/service-management-policy.md",
        "approved_on: 2026-03-02",
        "approved_on: 2025-06-01",
    )
    soon = controlled("PRO-003", "Soon", "procedure", "approved", [], approved_on="2025-12-10")
    handbook.write("docs/soon.md", soon)
    full = build_handbook(handbook.root).handbook
    items = {i.id: i for i in review_items(full, datetime.date(2026, 11, 27))}
    assert items["POL-001"].state is ReviewState.OVERDUE and items["POL-001"].due == datetime.date(
        2026, 6, 1
    )
    assert items["PRO-003"].state is ReviewState.DUE_SOON
    assert items["risks"].state is ReviewState.CURRENT
    assert items["IMP-001"].due == datetime.date(2027, 3, 31)
    diagnostics = review_diagnostics(full, datetime.date(2026, 11, 27))
    assert [(d.path, d.line, d.code) for d in diagnostics] == [
        ("docs/policies/service-management-policy.md", 9, "SMS401")
    ]


def test_month_arithmetic_clamps_to_the_end_of_the_month() -> None:
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)


def test_a_view_shares_what_it_does_not_change(handbook: Handbook) -> None:
    full = build_handbook(handbook.root).handbook
    view, _hidden = scope_to_audience(full, "internal")
    shared = 0
    for name, register in view.registers.items():
        originals = {r.id: r for r in full.registers[name].records}
        for record in register.records:
            original = originals[record.id]
            if record == original:
                assert record is original, record.id
                shared += 1
    assert shared > 0
