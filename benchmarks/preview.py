"""Edit-to-refresh latency of live previews on the same generated handbook.

Each preview runs as its own server on 127.0.0.1. An edit writes one source file; its latency
is the time from that write until an HTTP GET of the page that shows it returns the new text,
asked every 25 ms. One warm-up edit, then `edits` edits of each kind; the median with min-max.
Kinds: a page's body, a page's title (front matter), a register record (its register page).
The baselines (`mkdocs serve --dirty`, `zensical serve`) run plain Material on the same pages
and are given the body edit only.

A title or register edit also changes other pages (a title shows in the navigation of its
section and on the handbook-wide pages; a record on the reviews and the packs): after the
edited page, the same GETs wait until each of those shows the edit too, and that time (from
the write until the last of them shows it) is a series of its own ("... dependents"). Each
edit's CPU time is the server's (its process and the children it waited for, from /proc),
from the write until the last page showed it.

Before each write the runner pauses a random 0 to 0.5 s (the same draws for every server), so
that a save meets a server that polls for changes (`mkdocs serve`, every half second) at any
moment of its cycle, as a person's save does. Written back to back, each save met the poll at
the same moment of its cycle: `mkdocs serve --dirty`'s body edit took 0.5 s in one run (the
next poll came at once) and 1.1 s in another (it had just passed), by the load of the machine.
"""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from measure import BIN, ENV, Sample, Series

POLL = 0.025
CYCLE = 0.5  # MkDocs' polling interval: the pause before each write is drawn from it
FIRST_BUILD = 900.0  # seconds a server may take for its first build on a loaded machine
ONE_EDIT = 300.0


@dataclass
class Edit:
    """One kind of edit: the file it writes, how it writes marker `n`, the page to watch."""

    kind: str
    path: str
    rewrite: Callable[[str, str], str]
    url: str
    dependents: tuple[str, ...] = ()  # other pages that show the edit


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=ONE_EDIT) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(url: str, text: str, limit: float, server: subprocess.Popen[bytes]) -> float:
    """Seconds until GET `url` holds `text`, polling every 25 ms."""
    started = time.monotonic()
    while text not in _get(url):
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped while waiting for {text} at {url}")
        if time.monotonic() - started > limit:
            raise RuntimeError(f"{text} did not show at {url} within {limit:.0f} s")
        time.sleep(POLL)
    return time.monotonic() - started


def _cpu(pid: int) -> float:
    """CPU seconds of process `pid` and of the children it waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _body(text: str, marker: str) -> str:
    return re.sub(r"\n## Part 1\n", f"\n## Part 1\n\nEdited {marker} here.\n", text, count=1)


def _title(text: str, marker: str) -> str:
    return re.sub(r'^title: "', f'title: "{marker} ', text, count=1, flags=re.MULTILINE)


def _record(text: str, marker: str) -> str:
    return re.sub(r"^    title: ", f"    title: {marker} ", text, count=1, flags=re.MULTILINE)


def page_edits(root: Path) -> tuple[Edit, Edit, Edit]:
    """A body edit, a title edit (both of the first policy the internal audience sees) and a
    register edit (the first risk, on the risks register page)."""
    policies = sorted((root / "docs" / "policies").glob("*.md"))
    visible = [p for p in policies if "classification: restricted" not in p.read_text()]
    chosen, last = visible[0], visible[-1]  # the last: far from it in its section
    page = chosen.relative_to(root).as_posix()
    url = f"policies/{chosen.stem}/"
    wide = ("handbook/reviews/", "handbook/packs/management-review/")
    shown = (f"policies/{last.stem}/", "handbook/traceability/", *wide)
    return (
        Edit("body", page, _body, url),
        Edit("title", page, _title, url, shown),
        Edit("register", "registers/risks.yaml", _record, "handbook/registers/risks/", wide),
    )


def measure(
    name: str, command: list[str], root: Path, edits: list[Edit], count: int
) -> dict[str, Series]:
    """Start `command` (a preview server at {address}), then time one warm-up and `count`
    edits of each kind; every file is restored before the server stops."""
    address = f"127.0.0.1:{_free_port()}"
    originals = {edit.path: (root / edit.path).read_text(encoding="utf-8") for edit in edits}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [part.format(address=address) for part in command],
            cwd=root,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            return _timed(name, f"http://{address}/", server, root, edits, originals, count)
        except RuntimeError:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], flush=True)
            raise
        finally:
            for path, text in originals.items():
                (root / path).write_text(text, encoding="utf-8")
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _timed(
    name: str,
    base: str,
    server: subprocess.Popen[bytes],
    root: Path,
    edits: list[Edit],
    originals: dict[str, str],
    count: int,
) -> dict[str, Series]:
    series = {edit.kind: Series(f"{name}, {edit.kind} edit") for edit in edits}
    for edit in edits:
        if edit.dependents:
            series[f"{edit.kind} dependents"] = Series(f"{name}, {edit.kind} edit, dependents")
    first = _wait_for(base + edits[0].url, "<html", FIRST_BUILD, server)
    print(f"  {name}: first build {first:.1f} s", flush=True)
    pauses = random.Random(20)  # the same draws for every server
    for edit in edits:
        for number in range(count + 1):
            time.sleep(pauses.uniform(0, CYCLE))
            marker = f"MARK{edit.kind.upper()}{number}X{os.getpid()}"
            text = edit.rewrite(originals[edit.path], marker)
            cpu = _cpu(server.pid)
            (root / edit.path).write_text(text, encoding="utf-8")
            seconds = _wait_for(base + edit.url, marker, ONE_EDIT, server)
            # (from the write: the page's seconds, then each dependent's wait)
            current = seconds + sum(
                _wait_for(base + url, marker, ONE_EDIT, server) for url in edit.dependents
            )
            cpu = _cpu(server.pid) - cpu
            said = f"{seconds:.2f} s"
            if number:  # the first is the warm-up
                series[edit.kind].samples.append(Sample(seconds, 0.0, cpu=cpu))
            if edit.dependents:
                said += f", every dependent page {current:.2f} s"
                if number:
                    series[f"{edit.kind} dependents"].samples.append(Sample(current, 0.0, cpu=cpu))
            print(f"  {name}: {edit.kind} edit {number}: {said}, {cpu:.2f} s CPU", flush=True)
    return series


def preview_series(root: Path, count: int) -> dict[str, Series]:
    """The series of every preview that is installed, by name."""
    body, title, register = page_edits(root)
    ours = [str(BIN / "sms-handbook"), "serve", str(root), "--dev-addr", "{address}"]
    found = measure("sms-handbook serve", ours, root, [body, title, register], count)
    results = {f"sms-handbook {kind}": series for kind, series in found.items()}
    plain = "mkdocs-material-prune.yml"
    dirty = [str(BIN / "mkdocs"), "serve", "--dirty", "-f", plain, "-a", "{address}"]
    results["mkdocs --dirty body"] = measure("mkdocs serve --dirty", dirty, root, [body], count)[
        "body"
    ]
    if (BIN / "zensical").exists():
        zensical = [str(BIN / "zensical"), "serve", "-f", plain, "-a", "{address}"]
        results["zensical body"] = measure("zensical serve", zensical, root, [body], count)["body"]
        ours_zensical = [*ours, "--engine", "zensical"]
        found = measure(
            "serve --engine zensical", ours_zensical, root, [body, title, register], count
        )
        results |= {f"sms-handbook zensical {kind}": series for kind, series in found.items()}
    return results
