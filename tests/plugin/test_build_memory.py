"""What `mkdocs build` keeps out of its own memory (README, Performance): real builds in
their own processes (pytest's have threads, and a process with threads never forks), whose
modules are listed when they end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import TODAY, copy_fixture

pytestmark = pytest.mark.slow

# Runs `mkdocs build` as its command line does, then writes the modules it imported.
BUILD_THEN_LIST = """
import atexit, json, sys
from mkdocs.__main__ import cli
listing, site = sys.argv[1:3]
atexit.register(lambda: open(listing, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["mkdocs", "build", "--strict", "-d", site]
cli()
"""

SCHEMA_ENGINE = "jsonschema_rs"
SNIPPETS = "pymdownx.snippets"


def modules_of_a_build(root: Path, site: Path, listing: Path, **env: str) -> set[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SMS_WORKERS"}
    result = subprocess.run(
        [sys.executable, "-c", BUILD_THEN_LIST, str(listing), str(site)],
        cwd=root,
        env={**environment, "SMS_TODAY": TODAY, "SMS_AUDIENCE": "internal", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "index.html").is_file()
    return set(json.loads(listing.read_text()))


def test_a_small_handbook_build_keeps_the_schema_engine_and_snippets_out(
    tmp_path: Path,
) -> None:
    """The model is built in a worker whatever the handbook's size, so the schema engine
    (some 10 MB) never enters the build's process; pymdownx.snippets (which imports Python's
    URL and TLS modules) is imported only for a site listing it."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    modules = modules_of_a_build(handbook.root, tmp_path / "site", tmp_path / "modules.json")
    assert SCHEMA_ENGINE not in modules
    assert SNIPPETS not in modules
    # in one process (`SMS_WORKERS=0`) the same build validates here: the check above sees it
    alone = modules_of_a_build(
        handbook.root, tmp_path / "alone", tmp_path / "alone.json", SMS_WORKERS="0"
    )
    assert SCHEMA_ENGINE in alone


def test_the_stage_copies_the_package_assets_as_files(tmp_path: Path) -> None:
    """The package's scripts are copied into the stage with their own modification time,
    not read into memory and written (Mermaid's script is 3.6 MB)."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    modules_of_a_build(handbook.root, tmp_path / "site", tmp_path / "modules.json")
    installed = Path(str(resources.files("sms_handbook").joinpath("data", "assets", "vendor")))
    staged = list((handbook.root / ".cache").rglob("assets/sms-handbook/mermaid.min.js"))
    assert len(staged) == 1
    assert staged[0].read_bytes() == (installed / "mermaid.min.js").read_bytes()
    assert staged[0].stat().st_mtime_ns == (installed / "mermaid.min.js").stat().st_mtime_ns
    built = tmp_path / "site" / "assets" / "sms-handbook" / "mermaid.min.js"
    assert built.read_bytes() == staged[0].read_bytes()
