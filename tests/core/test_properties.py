"""Arbitrary YAML and front matter never make the loader or validator raise."""

from __future__ import annotations

import datetime
import json
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sms_handbook.core.build import build_handbook
from sms_handbook.core.conformity import assess
from sms_handbook.core.coverage import compute_coverage
from sms_handbook.core.documents import load_document
from sms_handbook.core.loading import load_yaml
from sms_handbook.core.registers import load_register
from sms_handbook.core.review import review_items
from sms_handbook.core.schemas import load_schemas
from sms_handbook.core.scope import scope_to_audience
from sms_handbook.core.settings import Settings
from sms_handbook.core.sources import SourceFile, read_text
from sms_handbook.render.export import export_json
from sms_handbook.render.links import LinkMap
from sms_handbook.render.registers import render_register
from sms_handbook.render.review_status import render_reviews
from sms_handbook.render.traceability import render_traceability

TODAY_DATE = datetime.date(2026, 11, 27)
SETTINGS = Settings()
TODAY = datetime.date(2026, 11, 27)
SCHEMAS, _ = load_schemas([])

yaml_chars = st.sampled_from(
    [*string.printable, "-", ":", "&", "*", "!", "|", ">", "é", "\t", "\x00", "\x07"]
)
yaml_like = st.text(yaml_chars, max_size=300)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        ["2026-13-45", "2026-03-02", "RSK-001", "SVC-001", "service-manager", "public"]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(string.ascii_lowercase + "_", max_size=12), children, max_size=5),
    ),
    max_leaves=20,
)
record_keys = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "status",
        "owner",
        "services",
        "likelihood",
        "impact",
        "dependencies",
        "classification",
        "restricted_fields",
        "clauses",
        "notes",
        "kind",
        "due",
    ]
)
records = st.dictionaries(record_keys, values, max_size=8)


@given(yaml_like)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_loader_never_raises(text: str) -> None:
    _document, diagnostics = load_yaml(text, path="registers/x.yaml")
    for diagnostic in diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1


@given(st.binary(max_size=200))
@settings(max_examples=300)
def test_reading_bytes_never_raises(data: bytes) -> None:
    text, problem = read_text(data, "registers/x.yaml")
    assert (text is None) == (problem is not None)


@given(yaml_like)
@settings(max_examples=300)
def test_register_loading_never_raises(text: str) -> None:
    load_register(SourceFile("registers/x.yaml", text), SCHEMAS, SETTINGS)


@given(yaml_like, st.text(max_size=100))
@settings(max_examples=300)
def test_front_matter_never_raises(front: str, body: str) -> None:
    load_document(SourceFile("docs/x.md", f"---\n{front}\n---\n{body}"), SCHEMAS, SETTINGS)


@given(st.lists(records, max_size=6), st.dictionaries(record_keys, values, max_size=6))
@example(items=[{"id": ""}], meta={})  # an empty id: the "did you mean" hint raised
@settings(max_examples=150, deadline=None)
def test_whole_handbook_with_arbitrary_data_never_raises(
    items: list[dict[str, object]], meta: dict[str, object]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "registers").mkdir()
        (root / "docs").mkdir()
        for kind in ("risks", "services", "roles"):
            register = {
                "register": kind,
                "title": kind,
                "owner": "x",
                "reviewed_on": "2026-01-01",
                "records": items,
            }
            (root / "registers" / f"{kind}.yaml").write_text(json.dumps(register), encoding="utf-8")
        (root / "docs" / "page.md").write_text(
            f"---\n{json.dumps(meta)}\n---\n# Page\n", encoding="utf-8"
        )
        result = build_handbook(root, SETTINGS)
        for diagnostic in result.diagnostics:
            assert diagnostic.line >= 1
        # Later stages must cope with whatever made it into the model, valid or not.
        for audience in SETTINGS.audiences:
            view, _hidden = scope_to_audience(result.handbook, audience)
            links = LinkMap({r.id: f"x/#{r.id}" for _reg, r in view.records()})
            export_json(view, assess(view, TODAY_DATE))
            render_traceability(view, links, compute_coverage(view), assess(view, TODAY_DATE))
            render_reviews(view, links, review_items(view, TODAY), TODAY)
            for register in view.registers.values():
                render_register(view, links, register, TODAY)


@given(records)
@settings(max_examples=400, deadline=None)
def test_fast_and_detailed_validators_agree(record: dict[str, object]) -> None:
    """jsonschema-rs decides validity; the Python jsonschema explains errors: same verdicts."""
    for kind in SCHEMAS.kinds.values():
        validator = kind.validator
        if validator.fast is None:
            continue
        try:
            fast = validator.fast.is_valid(record)
        except Exception:  # values jsonschema-rs cannot take are left to the Python validator
            continue
        assert fast == validator.python.is_valid(record), (kind.kind, record)


VALID_RISK = {
    "id": "RSK-001",
    "title": "A risk",
    "kind": "risk",
    "category": "other",
    "services": ["SVC-001"],
    "owner": "service-manager",
    "likelihood": 2,
    "impact": 3,
    "treatment": "reduce",
    "actions": ["Act."],
    "status": "open",
    "next_review": "2027-01-01",
}


@given(st.sampled_from([*sorted(VALID_RISK), "notes", "extra"]), values)
@settings(max_examples=400, deadline=None)
def test_validators_agree_on_nearly_valid_records(field: str, value: object) -> None:
    record = {**VALID_RISK, field: value}
    validator = SCHEMAS.kinds["risks"].validator
    assert validator.python.is_valid(VALID_RISK)
    if validator.fast is None:
        return
    try:
        fast = validator.fast.is_valid(record)
    except Exception:
        return
    assert fast == validator.python.is_valid(record), record
