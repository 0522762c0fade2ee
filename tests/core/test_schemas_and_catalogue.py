"""Shipped schemas and the clause catalogue are valid, complete and consistent."""

from __future__ import annotations

from importlib import resources

import pytest
from jsonschema import Draft202012Validator
from sms_handbook.core.schemas import load_schemas, package_kinds, package_schema
from sms_handbook.core.standards import available_standards, load_standard, parse_standard

ALL_SCHEMAS = ["document", "page", "register", *package_kinds()]


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_schema_is_valid_against_the_2020_12_metaschema(name: str) -> None:
    schema = package_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_register_kind_of_the_design_is_shipped() -> None:
    assert set(package_kinds()) == {"services", "risks", "suppliers", "improvements", "roles"}


@pytest.mark.parametrize("kind", package_kinds())
def test_compiled_record_schema_is_valid_and_carries_the_envelope(kind: str) -> None:
    schemas, problems = load_schemas([])
    assert problems == []
    record = schemas.kinds[kind].record_schema
    Draft202012Validator.check_schema(record)
    assert {"id", "notes", "classification", "restricted_fields", "clauses"} <= set(
        record["properties"]
    )
    assert record["additionalProperties"] is False


def test_schema_ids_are_stable_and_unique() -> None:
    ids = [package_schema(name)["$id"] for name in ALL_SCHEMAS]
    assert len(set(ids)) == len(ids)
    for name, schema_id in zip(ALL_SCHEMAS, ids, strict=True):
        assert schema_id.endswith(f"/v1/{name}.schema.json")


def test_references_are_declared_generically() -> None:
    schemas, _ = load_schemas([])
    targets = {(r.path, r.target) for r in schemas.kinds["services"].references}
    assert (("dependencies", "*"), "services") in targets
    assert (("suppliers", "*"), "suppliers") in targets
    assert (("owner",), "roles") in targets


def test_value_sets_of_the_design_are_in_the_schemas() -> None:
    risks = package_schema("risks")["$defs"]["record"]["properties"]
    assert risks["treatment"]["enum"] == ["avoid", "reduce", "transfer", "accept", "exploit"]
    assert risks["status"]["enum"] == ["open", "treating", "accepted", "closed"]
    improvements = package_schema("improvements")["$defs"]["record"]["properties"]
    assert improvements["status"]["enum"] == [
        "proposed",
        "approved",
        "in-progress",
        "implemented",
        "verified",
        "rejected",
        "closed",
    ]
    assert package_schema("services")["$defs"]["record"]["properties"]["status"]["enum"] == [
        "pipeline",
        "live",
        "retired",
    ]


def test_catalogue_has_63_leaf_clauses_from_4_1_to_10_2() -> None:
    standard = load_standard("iso20000-1-2018")
    leaves = [c.id for c in standard.leaves]
    assert len(leaves) == 63
    assert leaves[0] == "4.1" and leaves[-1] == "10.2"
    assert "8.5.1.1" in leaves and "8.5.1" not in leaves
    assert [c.id for c in standard.top_level] == ["4", "5", "6", "7", "8", "9", "10"]


def test_every_clause_has_title_and_parent_chain() -> None:
    standard = load_standard("iso20000-1-2018")
    for clause in standard.clauses.values():
        assert clause.title
        if clause.parent is not None:
            assert clause.parent in standard.clauses
            assert clause.id.startswith(clause.parent + ".")


def test_expectations_name_real_document_types_and_register_kinds() -> None:
    types = set(package_schema("document")["properties"]["type"]["enum"])
    standard = load_standard("iso20000-1-2018")
    for leaf in standard.leaves:
        for expectation in leaf.expects:
            if expectation.register:
                assert expectation.register in package_kinds()
            else:
                assert set(expectation.document_types or ()) <= types
    assert any(e.what == "Change management policy" for e in standard.clauses["8.5.1.1"].expects)


def test_a_second_standard_is_one_more_data_file() -> None:
    folder = resources.files("sms_handbook") / "data" / "standards"
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    assert [f.removesuffix(".yaml") for f in files] == available_standards()
    other = parse_standard(
        "standard: iso9001-2015\ntitle: ISO 9001:2015\nclauses:\n"
        "  - id: '4'\n    title: Context of the organization\n    children:\n"
        "      - id: '4.1'\n        title: Understanding the organization and its context\n"
        "        expects:\n          - what: Context analysis\n            document: []\n"
        "  - id: '7.5'\n    title: Documented information\n"
    )
    assert [c.id for c in other.leaves] == ["4.1", "7.5"]
    assert other.clauses["4.1"].parent == "4"
