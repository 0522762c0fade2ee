"""The YAML loader keeps dates as text, finds positions, and honours merge keys."""

from __future__ import annotations

from sms_handbook.core.loading import load_yaml


def test_dates_stay_text_and_numbers_stay_numbers() -> None:
    document, problems = load_yaml(
        "a: 2026-03-02\nb: 12\nc: '007'\nd: yes\ne: 1.5\n", path="x.yaml"
    )
    assert problems == []
    assert document is not None
    assert document.data == {"a": "2026-03-02", "b": 12, "c": "007", "d": True, "e": 1.5}


def test_positions_of_values_and_keys_are_one_based() -> None:
    text = "records:\n  - id: A\n    items:\n      - first\n      - second\n"
    document, _ = load_yaml(text, path="x.yaml")
    assert document is not None
    assert document.position(("records", 0, "items", 1)) == (5, 9)
    assert document.key_position(("records", 0, "items")) == (3, 5)
    assert document.position(("records", 0, "missing")) == (2, 5)


def test_line_offset_shifts_front_matter_lines() -> None:
    document, _ = load_yaml("title: x\nowner: y\n", path="docs/a.md", line_offset=1)
    assert document is not None
    assert document.position(("owner",)) == (3, 8)


def test_merge_keys_merge_without_overriding_explicit_keys() -> None:
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n"
    document, problems = load_yaml(text, path="x.yaml")
    assert problems == []
    assert document is not None
    assert document.data["item"] == {"x": 1, "y": 3}
    assert document.position(("item", "x")) == (1, 14)


def test_every_duplicate_key_is_reported() -> None:
    _document, problems = load_yaml("a: 1\nb: 2\na: 3\nb: 4\n", path="x.yaml")
    assert [(p.line, p.code) for p in problems] == [(3, "SMS006"), (4, "SMS006")]
    assert "first at line 1" in problems[0].message


def test_empty_document_is_none_without_problems() -> None:
    assert load_yaml("# only a comment\n", path="x.yaml") == (None, [])


def test_a_value_an_alias_copied_is_placed_at_the_alias_whatever_else_the_text_holds() -> None:
    """Positions are alias-aware only when a name is written both as `&name` and `*name`;
    emphasis (`**bold**`) and ampersands (`R&D`) alone do not make a file pay for it."""
    plain = "notes: '**bold** R&D *x*'\nrecords:\n  - id: A\n    owner: b\n"
    document, _ = load_yaml(plain, path="x.yaml")
    assert document is not None and not document._may_alias
    assert document.position(("records", 0, "owner")) == (4, 12)
    aliased = (
        "notes: '**bold**'\nshared: &owner-1 {role: b}\nrecords:\n"
        "  - id: A\n    owner: *owner-1\n  - id: B\n    owner: *owner-1\n"
    )
    document, problems = load_yaml(aliased, path="x.yaml")
    assert problems == [] and document is not None and document._may_alias
    assert document.position(("records", 1, "owner", "role")) == (7, 12)
    assert document.position(("records", 0, "owner", "role")) == (5, 12)
    assert document.position(("shared", "role")) == (2, 25)
