"""Nothing the user wrote is modified: docs/ and registers/ hash the same after every command."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, REPO, commit_all

BIN = Path(sys.executable).parent


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for folder in ("docs", "registers"):
        for path in sorted(p for p in (root / folder).rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(root)}\0{stat.st_mode}\0".encode() + path.read_bytes()
            )
    return digest.hexdigest()


def serve_starts(root: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "sms-handbook"), "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        pytest.fail("serve did not start")
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.slow
def test_no_command_or_hook_changes_the_sources(tmp_path: Path) -> None:
    root = tmp_path / "handbook"
    root.mkdir()
    for name in ("docs", "registers", ".github"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    commit_all(root, "handbook")
    env = {**os.environ, **GIT_ENV}
    before = fingerprint(root)
    out = tmp_path / "out"
    commands = [
        ["sms-handbook", "validate", root],
        ["sms-handbook", "validate", root, "--base", "HEAD", "--format", "json"],
        ["sms-handbook", "build", root, "--audience", "all"],
        ["sms-handbook", "report", "coverage", root, "--format", "csv"],
        ["sms-handbook", "report", "reviews", root],
        ["sms-handbook", "export", root, "--audience", "public", "--output", out / "public.json"],
        ["sms-handbook", "diff", "HEAD", root],
        ["sms-handbook", "codeowners", root, "--check"],
        ["sms-handbook", "schema", root, "--out", out / "schemas"],
        ["sms-handbook-validate", "--root", root],
        ["sms-handbook-check-reviews", "--root", root, "--report-only"],
        ["sms-handbook-check-approvals", "--root", root, "--base", "HEAD"],
        ["sms-handbook-check-codeowners", "--root", root],
    ]
    out.mkdir()
    for command in commands:
        result = subprocess.run(
            [str(BIN / command[0]), *map(str, command[1:])],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        assert fingerprint(root) == before, f"{command} changed docs/ or registers/"
    serve_starts(root)
    assert fingerprint(root) == before, "serve changed docs/ or registers/"
    assert (
        subprocess.run(
            ["git", "status", "--porcelain", "docs", "registers"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        == ""
    )
