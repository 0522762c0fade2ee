"""The words findings are written in: lists, articles, plurals and counts."""

from __future__ import annotations

import pytest
from sms_handbook.core.conformity.wording import article, code_names, counted, listed, plural


def test_lists_read_as_a_sentence_lists() -> None:
    assert listed([]) == ""
    assert listed(["SUP-001"]) == "SUP-001"
    assert listed(["SUP-001", "SUP-002"]) == "SUP-001 and SUP-002"
    assert listed(["plan", "procedure", "policy"], "or") == "plan, procedure or policy"
    assert code_names(["owner", "due"]) == "`owner` and `due`"


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("agreement", "an agreement"),
        ("other", "an other"),
        ("plan", "a plan"),
        ("record", "a record"),
    ],
)
def test_the_article_follows_the_sound(noun: str, expected: str) -> None:
    assert article(noun) == expected


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("policy", "policies"),
        ("process", "processes"),
        ("plan", "plans"),
        ("supplier", "suppliers"),
        ("survey", "surveys"),
    ],
)
def test_plurals(noun: str, expected: str) -> None:
    assert plural(noun) == expected


def test_counts_take_the_plural_but_for_one() -> None:
    assert (counted(1, "month"), counted(3, "month"), counted(2, "policy")) == (
        "1 month",
        "3 months",
        "2 policies",
    )
