"""Every kind of bad input gets a diagnostic with code, file and exact line; never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Handbook

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "golden" / "bad_inputs.yaml").read_text(encoding="utf-8")
)


def apply(handbook: Handbook, case: dict[str, Any]) -> None:
    for path, content in (case.get("files") or {}).items():
        handbook.write(
            path, bytes.fromhex(content["hex"]) if isinstance(content, dict) else content
        )
    edit = case.get("edit")
    if edit:
        handbook.replace(edit["file"], edit["old"], edit["new"])
    append = case.get("append")
    if append:
        handbook.write(append["file"], handbook.read(append["file"]) + append["text"])


def test_there_are_at_least_25_distinct_kinds_of_bad_input() -> None:
    codes = {line.split(": ")[1] for case in CASES for line in case["expect"]}
    assert all(";" in line for case in CASES for line in case["expect"]), "each says what to do"
    assert len(CASES) >= 25
    assert len(codes) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_is_reported_with_code_file_and_line(
    handbook: Handbook, case: dict[str, Any]
) -> None:
    apply(handbook, case)
    warning_only = all(": SMS013: " in line for line in case["expect"])
    result = handbook.validate(*(["--strict"] if warning_only else []))
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    reported = result.out.splitlines()
    for expected in case["expect"]:
        assert expected in reported, f"expected\n{expected}\ngot:\n{result.out}"
