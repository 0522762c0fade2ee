"""`mkdocs build` writes the generated pages and re-bases the print edition's sections in
workers beside MkDocs (background.py). Real `mkdocs build` processes (pytest's own workers
have threads, and a process with threads never forks): the site is byte for byte the one
built without workers, and no earlier build's generated page can be read while a worker
writes its new version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.background import WORKERS_FROM_BYTES, workers_pay
from sms_handbook.context import source_bytes
from sms_handbook.project import read_project

from tests.conftest import TODAY, copy_fixture, example_copy, more_risks

pytestmark = pytest.mark.slow

WORKERS_USED = (
    "a worker writes the generated pages beside MkDocs",
    "a worker re-based the print edition's sections beside MkDocs",
)


def mkdocs_build(root: Path, site: Path, audience: str, **env: str) -> str:
    """A real `mkdocs build --strict -v` of `root`; returns its log. The workers are used
    whatever the handbook's size (`SMS_WORKERS=1`) unless `env` says otherwise."""
    environment = {k: v for k, v in os.environ.items() if k != "SMS_WORKERS"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-v", "-d", str(site)],
        cwd=root,
        env={
            **environment,
            "SMS_TODAY": TODAY,
            "SMS_AUDIENCE": audience,
            "SMS_WORKERS": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    shown = [line for line in result.stderr.splitlines() if "DEBUG" not in line]
    assert result.returncode == 0, "\n".join(shown)[-3000:]
    return result.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_small_handbook_is_built_in_one_process(tmp_path: Path) -> None:
    """Below `WORKERS_FROM_BYTES` of pages and registers, the workers would cost more than
    their work: the build uses none beside MkDocs unless `SMS_WORKERS=1` asks for them (the
    model's own worker, which keeps the schema engine out, is test_build_memory.py's)."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    project = read_project(handbook.root)[0]
    assert project is not None and source_bytes(project) < WORKERS_FROM_BYTES
    alone = mkdocs_build(handbook.root, tmp_path / "alone", "internal", SMS_WORKERS="")
    assert "handbook (" in alone  # built
    for line in WORKERS_USED:
        assert line not in alone
    assert WORKERS_USED[0] in mkdocs_build(handbook.root, tmp_path / "asked", "internal")


def test_workers_pay_from_a_size_of_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    project = read_project(handbook.root)[0]
    assert project is not None
    small = source_bytes(project)
    handbook.write("docs/long.md", "# Long\n\n" + "x" * (WORKERS_FROM_BYTES - small))
    handbook.write("docs/picture.png", b"\0" * WORKERS_FROM_BYTES)  # not a page: not counted
    assert source_bytes(project) == WORKERS_FROM_BYTES + len("# Long\n\n")
    monkeypatch.delenv("SMS_WORKERS", raising=False)
    assert not workers_pay(small) and workers_pay(source_bytes(project))
    monkeypatch.setenv("SMS_WORKERS", "1")
    assert workers_pay(small)


def test_a_build_with_workers_writes_the_same_site_as_one_without(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "example")
    with_workers = mkdocs_build(root, tmp_path / "with", "internal")
    without = mkdocs_build(root, tmp_path / "without", "internal", SMS_WORKERS="0")
    for line in WORKERS_USED:
        assert line in with_workers
        assert line not in without
    built, reference = tree(tmp_path / "with"), tree(tmp_path / "without")
    assert sorted(built) == sorted(reference)
    assert [name for name in built if built[name] != reference[name]] == []
    printed = built["handbook/print/index.html"].decode()
    assert printed.count('class="sms-print-document"') > 20  # the print edition is whole


HOOK = """
import os
import signal
from pathlib import Path

from mkdocs.plugins import event_priority


def _children():
    tasks = Path("/proc/self/task").iterdir()
    return [int(pid) for task in tasks for pid in (task / "children").read_text().split()]


@event_priority(-100)  # after the sms-handbook plugin staged the audience (and forked)
def on_config(config):
    global stopped
    stopped = _children()
    for pid in stopped:  # the worker stays where it is until MkDocs has listed the files
        os.kill(pid, signal.SIGSTOP)


def on_files(files, config):
    found = [p.relative_to(config["docs_dir"]).as_posix()
             for p in Path(config["docs_dir"]).rglob("*")
             if p.is_file() and "Backup storage fails" in p.read_text(errors="replace")]
    seen = Path(config["config_file_path"]).with_name("seen.txt")
    seen.write_text(f"{len(stopped)} stopped\\n" + "\\n".join(found))
    for pid in stopped:
        os.kill(pid, signal.SIGCONT)
"""


def test_an_earlier_build_of_a_generated_page_is_never_readable_meanwhile(
    tmp_path: Path,
) -> None:
    """A risk reclassified above the audience was on the register page of the last build:
    from the moment MkDocs lists the stage, no version of that page holds it. The hook stops
    the worker (writing 1,500 risks takes it a while) and reads every file MkDocs lists."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.write("seen.py", HOOK)
    handbook.replace("mkdocs.yml", "plugins:", "hooks:\n  - seen.py\nplugins:")
    fillers = more_risks(range(100, 1600))
    handbook.write("registers/risks.yaml", handbook.read("registers/risks.yaml") + fillers)
    mkdocs_build(handbook.root, tmp_path / "first", "internal")
    first = tmp_path / "first/handbook/registers/risks/index.html"
    assert "Backup storage fails" in first.read_text()

    handbook.replace(
        "registers/risks.yaml",
        "    status: treating",
        "    status: treating\n    classification: restricted",
    )
    log = mkdocs_build(handbook.root, tmp_path / "second", "internal")
    assert WORKERS_USED[0] in log
    assert handbook.read("seen.txt") == "1 stopped\n"  # the worker, caught before it was done
    for path in (tmp_path / "second").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv"):
            assert "Backup storage fails" not in path.read_text(errors="replace"), path
    assert (
        "Filler risk 1599" in (tmp_path / "second/handbook/registers/risks/index.html").read_text()
    )


def test_notes_of_both_halves_are_reported_as_without_workers(
    tmp_path: Path,
) -> None:
    """A worker stages half of the documents: what it notes (an include left out for the
    audience) is logged, in document order, as a build without workers logs it."""
    handbook = copy_fixture("leaks", tmp_path / "handbook")
    for n in range(8):
        handbook.write(
            f"docs/restricted/page-{n}.md",
            f"---\ntitle: R{n}\nclassification: restricted\n---\n\n# R{n}\n",
        )
        handbook.write(
            f"docs/notes/page-{n}.md",
            f"---\ntitle: Page {n}\nclassification: internal\n---\n\n# Page {n}\n\n"
            f'Include: {{% include "restricted/page-{n}.md" %}}\n',
        )

    def reported(log: str) -> list[str]:
        lines = [line for line in log.splitlines() if "DEBUG" not in line]
        return [line for line in lines if "left out" in line or line.startswith("WARNING")]

    with_workers = mkdocs_build(handbook.root, tmp_path / "with", "internal")
    without = mkdocs_build(handbook.root, tmp_path / "without", "internal", SMS_WORKERS="0")
    assert WORKERS_USED[0] in with_workers
    assert reported(with_workers) == reported(without)
    assert sum("left out include" in line for line in reported(without)) == 9
