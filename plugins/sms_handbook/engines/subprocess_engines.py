"""ProperDocs and Zensical, each run as a child process on the stage."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..finish import PageMarks
from ..guard import PROOF_VARIABLE
from ..stage.request import Stage
from .base import Engine, EngineResult, strict_failure
from .mkdocs import stage_hooks

TIMEOUT = 3600


def _run(command: list[str], cwd: Path, proof: str) -> tuple[int, list[str]]:
    """`command` in a child process whose environment alone carries the build's proof."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    environment[PROOF_VARIABLE] = proof
    try:
        finished = subprocess.run(
            command,
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 124, [f"ERROR   -  {command[2]} did not finish within {TIMEOUT} s"]
    lines = (finished.stdout + finished.stderr).splitlines()
    return finished.returncode, lines


def _problem(lines: list[str]) -> str:
    """The line that says what went wrong, from an engine's output."""
    for line in reversed(lines):
        text = line.strip()
        if text.startswith(("ERROR", "Error", "RuntimeError", "sms-handbook", "Aborted")) or (
            "Error:" in text
        ):
            return text
    return lines[-1].strip() if lines else "the engine failed without a message"


class ProperDocsEngine(Engine):
    name = "properdocs"
    module = "properdocs"

    def hooks(self) -> list[str]:
        return [stage_hooks()]

    def build(
        self, stage: Stage, site_dir: Path, strict: bool, marks: PageMarks | None = None
    ) -> EngineResult:
        started = time.monotonic()
        command = [sys.executable, "-m", "properdocs", "build", "-f", str(stage.config_file)]
        command += ["-d", str(site_dir), "--clean"] + (["--strict"] if strict else [])
        code, lines = _run(command, stage.root, stage.proof)
        seconds = time.monotonic() - started
        if code != 0:
            aborted = strict and any(
                line.startswith("Aborted") and "strict" in line for line in lines
            )
            reason = (aborted and strict_failure("ProperDocs", lines)) or _problem(lines)
            return EngineResult(False, seconds, lines, reason)
        return EngineResult(True, seconds, lines)


class ZensicalEngine(Engine):
    name = "zensical"
    module = "zensical"

    def build(
        self, stage: Stage, site_dir: Path, strict: bool, marks: PageMarks | None = None
    ) -> EngineResult:
        started = time.monotonic()
        output = stage.root / "site"  # Zensical writes inside the folder of its configuration
        shutil.rmtree(output, ignore_errors=True)
        command = [sys.executable, "-m", "zensical", "build", "-f", str(stage.config_file)]
        command += ["--clean"] + (["--strict"] if strict else [])
        code, lines = _run(command, stage.root, stage.proof)
        seconds = time.monotonic() - started
        if code != 0 or not output.is_dir():
            shutil.rmtree(output, ignore_errors=True)
            return EngineResult(False, seconds, lines, _problem(lines))
        if site_dir.exists():
            shutil.rmtree(site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(output), str(site_dir))
        return EngineResult(True, seconds, lines)
