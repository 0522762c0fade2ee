"""What a customer reads on a public page: no row of redactions, no "restricted item"
where a link to a page they may not see was, and a warning for the author instead."""

from __future__ import annotations

import datetime

from sms_handbook.core.build import build_handbook
from sms_handbook.core.scope import scope_to_audience
from sms_handbook.render.control_block import control_rows, render_history
from sms_handbook.render.links import LinkMap

from tests.conftest import Handbook, controlled

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
