"""The benchmark harness runs end to end (a tiny smoke run; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_benchmark_smoke_run_reports_every_comparison(tmp_path: Path) -> None:
    out = tmp_path / "table.md"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--smoke",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = out.read_text()
    for row in (
        "| build, 10 docs, vs material defaults |",
        "| build, 10 docs, vs material + prune |",
        "| peak memory, 10 docs |",
        "| peak memory, 10 docs, vs material + prune |",
        "| build, 300 records, vs the commit before the conformity model |",
        "| CPU, build 300 records, vs that commit |",
        "| build growth, 10 \u2192 30 docs |",
        "| build --audience all (3), 10 docs |",
        "| corpus security-policies: mkdocs build, highest audience, vs plain mkdocs build (",
        "| validate, 300 records, vs parse floor |",
        "| validate, 300 records, vs check-jsonschema |",
        "| pre-commit hook, example handbook |",
        "| validate with history checks, 50 commits, 20 documents |",
        "| serve, body edit, 20 docs (server CPU: ours ",
        "| serve, title edit: the edited page, 20 docs (",
        "| serve, title edit: every dependent page (",
        "| serve, register edit: the register's page, 20 docs (",
        "| serve, register edit: every dependent page (",
        "| serve --engine zensical, body edit, 20 docs, vs zensical serve |",
        "| serve --engine zensical, register edit, 20 docs, vs zensical serve |",
        "| 300 register records | `sms-handbook validate` | ",
        "| 20 documents | `sms-handbook validate` | ",
    ):
        assert row in table, row
    assert table.count("| works (exit 0) |") == 4, table
    deep = next(line for line in table.splitlines() if line.startswith("| YAML nested"))
    assert "clear error (exit 1: SMS004 at registers/deep.yaml:2:" in deep, deep
    assert "SMS011 at registers/deep2.yaml:" in deep, deep


def test_readme_shows_a_benchmark_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Performance" in readme
    assert "| build, 1000 docs, vs material + prune |" in readme
