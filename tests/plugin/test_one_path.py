"""The two MkDocs paths build the same site: `mkdocs build` with the plugin (and its workers)
and `sms-handbook build --engine mkdocs` (the stage's own configuration and hooks) run one
stage and one sequence of page events, so each audience's folder is byte for byte the same."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli
from tests.plugin.test_leaks import AUDIENCES, leaks_repository, plugin_builds

# Files allowed to differ between the paths, with the reason: none today.
ALLOWED_TO_DIFFER: dict[str, str] = {}
EPOCH = "1700000000"


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(compared: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{name} (one side only)" for name in compared.left_only)
        found.extend(f"{prefix}{name} (one side only)" for name in compared.right_only)
        _same, changed, errors = filecmp.cmpfiles(
            compared.left, compared.right, compared.common_files, shallow=False
        )
        found.extend(f"{prefix}{name}" for name in [*changed, *errors])
        for name, below in compared.subdirs.items():
            walk(below, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return [name for name in found if name not in ALLOWED_TO_DIFFER]


def both_paths(root: Path, sites: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for audience in AUDIENCES:
        built = run_cli("build", root, "--audience", audience, "--site-dir", sites / "engine")
        assert built.code == 0, built.output
    plugin_builds(root, sites / "plugin")


@pytest.mark.slow
def test_the_leak_handbook_is_built_the_same_by_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = leaks_repository(tmp_path / "handbook").root
    both_paths(root, tmp_path, monkeypatch)
    for audience in AUDIENCES:
        assert (tmp_path / "plugin" / audience / "index.html").is_file()
        assert differences(tmp_path / "engine" / audience, tmp_path / "plugin" / audience) == []


@pytest.mark.slow
def test_the_example_is_built_the_same_by_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both_paths(REPO, tmp_path, monkeypatch)
    for audience in AUDIENCES:
        assert differences(tmp_path / "engine" / audience, tmp_path / "plugin" / audience) == []


def test_a_changed_byte_is_a_difference(tmp_path: Path) -> None:
    for side, text in (("a", "same"), ("b", "same")):
        (tmp_path / side / "x").mkdir(parents=True)
        (tmp_path / side / "x" / "page.html").write_text(text)
    assert differences(tmp_path / "a", tmp_path / "b") == []
    (tmp_path / "b" / "x" / "page.html").write_text("sane")
    (tmp_path / "b" / "extra.js").write_text("")
    assert sorted(differences(tmp_path / "a", tmp_path / "b")) == [
        "extra.js (one side only)",
        "x/page.html",
    ]
