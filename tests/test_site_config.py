"""mkdocs.yml read as the engine reads it, without importing or running anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load
from sms_handbook.site_config import ConfigError, load_config

ENV_CONFIG = """\
site_name: Env
extra:
  mapping_text: !ENV SMS_T_MAPPING
  list_text: !ENV SMS_T_LIST
  empty: !ENV SMS_T_EMPTY
  number: !ENV SMS_T_NUMBER
  flag: !ENV SMS_T_FLAG
  day: !ENV SMS_T_DAY
  first_set: !ENV [SMS_T_MISSING, SMS_T_NUMBER, fallback]
  fallback: !ENV [SMS_T_MISSING, 7]
  nothing: !ENV SMS_T_MISSING
"""


def test_env_values_are_what_mkdocs_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`!ENV` gives the variable's text typed as one YAML scalar (pyyaml-env-tag, which MkDocs
    uses): `a: b` stays text, an empty variable is null."""
    for name, value in {
        "SMS_T_MAPPING": "a: b",
        "SMS_T_LIST": "[x, y]",
        "SMS_T_EMPTY": "",
        "SMS_T_NUMBER": "42",
        "SMS_T_FLAG": "true",
        "SMS_T_DAY": "2026-12-07",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SMS_T_MISSING", raising=False)
    path = tmp_path / "mkdocs.yml"
    path.write_text(ENV_CONFIG, encoding="utf-8")
    ours = load_config(path)["extra"]
    assert ours == yaml_load(ENV_CONFIG)["extra"]
    assert ours["mapping_text"] == "a: b" and ours["empty"] is None and ours["number"] == 42


def test_an_alias_bomb_is_refused_at_its_line(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: Bomb\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.line > 1
