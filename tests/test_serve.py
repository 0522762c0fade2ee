"""Live preview: a real server on 127.0.0.1, real HTTP requests, real edits of the sources.

Both front ends are tried: `sms-handbook serve` and `mkdocs serve` with the plugin. An edit of
a page and of a register shows after the rebuild; a broken register is reported as
`path:line:column: SMSnnn` in the terminal and on the page, and the preview keeps serving.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY, Handbook, copy_fixture

pytestmark = pytest.mark.slow
WAIT = 60.0  # generous: a rebuild takes about a second here


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(check: Callable[[], bool], what: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped while waiting for {what}"
        try:
            if check():
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


COMMANDS = {
    "sms-handbook": lambda root, address: [
        sys.executable,
        "-m",
        "sms_handbook.cli",
        "serve",
        str(root),
        "--dev-addr",
        address,
    ],
    "mkdocs": lambda root, address: [sys.executable, "-m", "mkdocs", "serve", "-a", address],
}


@contextlib.contextmanager
def running(command: list[str], root: Path, log: Path) -> Iterator[subprocess.Popen[str]]:
    """A preview server started in `root`, its output in `log`; stopped on leaving."""
    environment = {**os.environ, "SMS_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=root, env=environment, stdout=output, stderr=subprocess.STDOUT, text=True
        )
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(params=sorted(COMMANDS))
def preview(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Handbook, str, subprocess.Popen[str], Path]]:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    with running(COMMANDS[request.param](handbook.root, address), handbook.root, log) as server:
        base = f"http://{address}/"
        first = base + "policies/service-management-policy/"
        wait_for(lambda: "We deliver" in fetch(first), "the first build", server)
        yield handbook, base, server, log


def test_an_edit_of_a_page_and_of_a_register_shows_after_reload(
    preview: tuple[Handbook, str, subprocess.Popen[str], Path],
) -> None:
    handbook, base, server, _log = preview
    page = base + "policies/service-management-policy/"
    assert "We deliver what we agree." in fetch(page)
    handbook.replace(
        "docs/policies/service-management-policy.md", "We deliver", "MARKEDIT We deliver"
    )
    wait_for(lambda: "MARKEDIT" in fetch(page), "the page edit", server)
    catalogue = base + "handbook/catalogue/"
    assert "Service desk" in fetch(catalogue)
    handbook.replace("registers/services.yaml", "name: Service desk", "name: MARKDESK desk")
    wait_for(lambda: "MARKDESK" in fetch(catalogue), "the register edit", server)


def test_a_broken_register_is_shown_at_its_line_and_the_preview_keeps_serving(
    preview: tuple[Handbook, str, subprocess.Popen[str], Path],
) -> None:
    handbook, base, server, log = preview
    handbook.replace("registers/services.yaml", "    summary: One place", "    sumary: One place")
    wait_for(lambda: "sms-problems-banner" in fetch(base), "the problems banner", server)
    page = fetch(base)
    assert "registers/services.yaml:10:5: SMS" in page
    assert "registers/services.yaml:10:5: SMS" in log.read_text()
    assert "internal error" not in log.read_text()
    handbook.replace("registers/services.yaml", "    sumary: One place", "    summary: One place")
    wait_for(lambda: "sms-problems-banner" not in fetch(base), "the fixed preview", server)


def test_a_broken_link_is_shown_in_the_preview_at_its_line(
    preview: tuple[Handbook, str, subprocess.Popen[str], Path],
) -> None:
    handbook, base, server, _log = preview
    handbook.write("docs/links.md", "---\ntitle: Links\n---\n\n# Links\n\nSee [it](gone.md).\n")
    wait_for(lambda: "sms-problems-banner" in fetch(base), "the problems banner", server)
    assert "docs/links.md:7:5: SMS206" in fetch(base)


def test_serve_lists_each_problem_once_when_it_starts(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace("registers/services.yaml", "    summary: One place", "    sumary: One place")
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    command = COMMANDS["sms-handbook"](handbook.root, address)
    with running(command, handbook.root, log) as server:
        base = f"http://{address}/"
        wait_for(lambda: "sms-problems-banner" in fetch(base), "the first build", server)
    text = log.read_text()
    assert text.count("registers/services.yaml:10:5: SMS") == 1, text
