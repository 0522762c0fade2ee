"""Aliases and merges that keep values among the same readers are fine (SMS014 is in
tests/golden/bad_inputs.yaml): header values in records, records of one classification, a
merged record whose restricted fields stay restricted, a restricted record's own copy."""

from __future__ import annotations

import pytest

from tests.conftest import Handbook

RESTRICTED = """  - &plan
    id: RSK-002
    title: Takeover of a rival provider
    classification: restricted
    kind: opportunity
    category: financial
    services: [SVC-002]
    owner: service-manager
    likelihood: 2
    impact: 5
    treatment: exploit
    actions: [Keep the talks confidential.]
    status: open
    next_review: 2027-02-01
"""
CASES = {
    "a header value in a record": (
        ("owner: service-manager\nreviewed_on", "owner: &owner service-manager\nreviewed_on"),
        "  - <<: *first\n    id: RSK-002\n    owner: *owner\n",
    ),
    "a merge between records of one classification": (None, "  - <<: *first\n    id: RSK-002\n"),
    "restricted fields merged with their restriction": (
        (
            "    actions: [Test restores monthly.]\n",
            "    actions: [Test restores monthly.]\n    notes: The safe's code\n"
            "    restricted_fields: [notes]\n",
        ),
        "  - <<: *first\n    id: RSK-002\n    title: Another\n",
    ),
    "a restricted record merged into a restricted one": (
        None,
        RESTRICTED.replace("    actions:", "    notes: &talks Talks with Rival Ltd\n    actions:")
        + "  - <<: *plan\n    id: RSK-003\n    actions: [*talks]\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_alias_among_the_same_readers_is_fine(handbook: Handbook, name: str) -> None:
    edit, appended = CASES[name]
    handbook.replace("registers/risks.yaml", "  - id: RSK-001\n", "  - &first\n    id: RSK-001\n")
    if edit:
        handbook.replace("registers/risks.yaml", *edit)
    handbook.write("registers/risks.yaml", handbook.read("registers/risks.yaml") + appended)
    result = handbook.validate()
    assert "SMS014" not in result.out
    assert result.code == 0, result.output
