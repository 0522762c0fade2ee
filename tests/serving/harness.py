"""Helpers of the serving tests: the sites as a server holds them, ports, processes.

The site is a real release of tests/fixtures/leaks (mike's layout per audience: version 1.0,
the `latest` alias, versions.json) with each audience's PDF, laid out as a server holds it:
SITE/<audience>/. Every process started here is stopped here; a server that cannot be found or
started fails the tests (they never skip).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent.parent / "fixtures" / "leaks"
ACCESS = "  - sms-handbook:\n      access_groups: {internal: [staff], restricted: [sms-core]}\n"
# The people of the tests: a customer has no account.
USERS = {"staff": ["staff"], "core": ["sms-core"]}
READERS = {"public": {None, "staff", "core"}, "internal": {"staff"}, "restricted": {"core"}}
START_TIMEOUT = 20.0
CHARTER = (
    "---\nid: POL-009\ntitle: Customer charter\ntype: policy\nowner: service-manager\n"
    'approver: managing-director\nversion: "1.0"\nstatus: approved\napproved_on: 2026-01-01\n'
    "classification: public\n---\n\n# Customer charter\n\nWe answer within a day.\n"
)


@dataclass(frozen=True)
class Sites:
    root: Path  # the handbook repository
    site: Path  # SITE/<audience>/

    def files(self, audience: str) -> list[str]:
        """Every file of the audience's folder (one theme asset stands for the others)."""
        found = sorted(
            p.relative_to(self.site / audience).as_posix()
            for p in (self.site / audience).rglob("*")
            if p.is_file()
        )
        assets = [f for f in found if "/assets/" in f]
        return [f for f in found if "/assets/" not in f] + assets[:1]


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    text = log.read_text(errors="replace") if log.exists() else "(no log)"
    pytest.fail(f"the server did not start on port {port}:\n{text[-3000:]}")


def start(command: list[str]) -> subprocess.Popen[bytes]:
    """Start a server that the kernel stops if the tests are killed (a timeout ends them
    without their clean-up), so that no server outlives them (util-linux's setpriv)."""
    guard = [program("setpriv"), "--pdeathsig", "TERM", "--"]
    return subprocess.Popen([*guard, *command], env=environment(), stdin=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        pytest.fail(f"{name} is not installed: `./dev test` installs it from Debian's packages")
    return found


def server_config(sites: Sites, server: str, output: Path, *extra: str) -> None:
    command = [sys.executable, "-m", "sms_handbook.cli", "server-config", str(sites.root)]
    command += ["--server", server, "--site-dir", str(sites.site), "--output", str(output)]
    run([*command, *extra], sites.root)


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("APACHE")}


def build_sites(workspace: Path) -> Sites:
    """A release of the fixture with each audience's PDF, laid out as SITE/<audience>/."""
    root = workspace / "handbook"
    shutil.copytree(FIXTURE, root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - sms-handbook\n", ACCESS))
    (root / "docs" / "customer-charter.md").write_text(CHARTER)  # a public print edition
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    run(["git", "init", "-q", "-b", "main"], root)
    run(["git", "add", "-A"], root)
    run([*git, "commit", "-q", "-m", "handbook"], root)
    tool = [sys.executable, "-m", "sms_handbook.cli"]
    run([*tool, "release", "1.0", "--alias", "latest"], root)
    site = workspace / "site"
    for audience in READERS:
        branch = "gh-pages" if audience == "public" else f"gh-pages-{audience}"
        (site / audience).mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", branch], cwd=root, capture_output=True, timeout=60, check=True
        )
        subprocess.run(
            ["tar", "-x", "-C", str(site / audience)], input=archive.stdout, check=True, timeout=60
        )
        output = site / audience / f"{audience}.pdf"
        run([*tool, "pdf", "--audience", audience, "--output", str(output)], root)
    # A link an author left in the public site, pointing into another audience's folder.
    (site / "public" / "leak").symlink_to(site / "restricted")
    for path in [site, *site.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    return Sites(root, site)
