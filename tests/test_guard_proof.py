"""The guard's proof of a real stage cannot be forged: a fresh secret per build, handed to the
engine in memory or through its child process's environment and written nowhere, so nothing
in a site, a stage or a repository lets a direct engine run convert a page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from tests.plugin.test_leaks import AUDIENCES, leaks_repository

STAGE = ".cache/sms-handbook/stage"


def all_bytes(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_stage_token_reaches_no_output_and_the_proof_is_written_nowhere(
    tmp_path: Path, engine: str
) -> None:
    root = leaks_repository(tmp_path / "handbook").root
    result = run_cli("build", root, "--site-dir", tmp_path / "site", "--engine", engine)
    assert result.code == 0, result.output
    for audience in AUDIENCES:
        data = json.loads((root / STAGE / audience / ".sms/stage.json").read_text())
        token = data["token"].encode()
        assert token not in all_bytes(tmp_path / "site" / audience), audience
        assert len(data["proof"]) == 64  # a digest: the proof itself is in no file
        # where print markers stay in a page, they carry a value of their own
        for value in re.findall(rb"sms-print-start ([0-9a-f]+)", all_bytes(tmp_path / "site")):
            assert value != token


def direct(root: Path, engine: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SMS_GUARD_PROOF"}
    return subprocess.run(
        [sys.executable, "-m", engine, "build", *arguments],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_a_token_copied_into_the_repository_configuration_converts_nothing(
    tmp_path: Path,
) -> None:
    """The attack of round three: the stage's token and data file named in mkdocs.yml, then a
    direct `zensical build` (which skips the plugin) with `strict: false`."""
    root = leaks_repository(tmp_path / "handbook").root
    assert run_cli("build", root, "--audience", "restricted").code == 0
    data_file = root / STAGE / "restricted/.sms/stage.json"
    token = json.loads(data_file.read_text())["token"]
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["strict"] = False
    config["plugins"] = ["search"]
    config["markdown_extensions"] = [
        {"sms_handbook.guard": {"token": token, "stage": str(data_file)}},
        *[e for e in config["markdown_extensions"] if e != "sms_handbook.guard"],
    ]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    finished = direct(root, "zensical")
    assert finished.returncode != 0
    assert "not staged for an audience" in finished.stdout + finished.stderr
    site = root / "site"
    assert b"MARKBODYR" not in (all_bytes(site) if site.exists() else b"")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_the_stage_built_directly_without_its_proof_converts_nothing(
    tmp_path: Path, engine: str
) -> None:
    """The stage's own configuration, token and data file, run by each engine directly: the
    proof of the build that wrote them is not there, so no page is converted."""
    root = leaks_repository(tmp_path / "handbook").root
    staged = run_cli("stage", root, "--audience", "restricted", "--engine", engine)
    assert staged.code in (0, 1), staged.output
    stage = root / STAGE / "restricted"
    arguments = ["-f", str(stage / "mkdocs.yml")]
    if engine != "zensical":
        arguments += ["-d", str(tmp_path / "out")]
    finished = direct(stage, engine, *arguments)
    assert finished.returncode != 0
    assert "not staged for an audience" in finished.stdout + finished.stderr
    out = tmp_path / "out" if engine != "zensical" else stage / "site"
    assert b"MARKBODYR" not in (all_bytes(out) if out.exists() else b"")
