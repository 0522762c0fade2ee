"""Shared fixtures: copies of fixture handbooks in tmp_path, and the CLI run in-process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from sms_handbook.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2026-11-27"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# Property tests check what happens, not how fast: on a shared 2-core machine one example can
# take more than hypothesis's default 200 ms deadline. Bounded time is measured by the hostile
# input tests, with limits of their own.
settings.register_profile("sms-handbook", deadline=None)
settings.load_profile("sms-handbook")

# A fixed author, and none of the user's git configuration.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Tomas Finch",
    "GIT_AUTHOR_EMAIL": "tf@example.org",
    "GIT_COMMITTER_NAME": "Tomas Finch",
    "GIT_COMMITTER_EMAIL": "tf@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    """`git ARGS` in `root` with `GIT_ENV`; asserts success and returns the output."""
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit_all(root: Path, message: str) -> None:
    """Make `root` a git repository on branch main whose one commit holds all of it."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_cli(*args: str | Path) -> Run:
    """`sms-handbook ARGS` in this process; returns the exit status and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


class Handbook:
    """A handbook repository in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, path: str, content: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def replace(self, path: str, old: str, new: str) -> None:
        text = self.read(path)
        assert old in text, f"{old!r} not in {path}"
        self.write(path, text.replace(old, new, 1))

    def validate(self, *args: str) -> Run:
        return run_cli("validate", self.root, *args)


def controlled(
    doc_id: str, title: str, doc_type: str, status: str, clauses: list[str], **extra: str
) -> str:
    """A controlled document owned by the service manager, approved by the director."""
    fields = {
        "id": doc_id,
        "title": title,
        "type": doc_type,
        "owner": "service-manager",
        "approver": "managing-director",
        "version": '"1.0"',
        "status": status,
        **extra,
    }
    lines = [f"{key}: {value}" for key, value in fields.items()]
    lines.append("clauses: [" + ", ".join(f'"{c}"' for c in clauses) + "]")
    return "---\n" + "\n".join(lines) + f"\n---\n\n# {title}\n"


def more_risks(numbers: range, title: str = "Filler risk {n}") -> str:
    """Records to append to the minimal handbook's risk register: one accepted risk for each
    number, its title from `title`."""
    return "".join(
        f"""  - id: RSK-{n:03d}
    title: {title.format(n=n)}
    kind: risk
    category: availability
    services: [SVC-002]
    owner: service-manager
    likelihood: 2
    impact: 3
    treatment: accept
    actions: [Watch it.]
    status: accepted
    next_review: 2027-02-01
"""
        for n in numbers
    )


EXAMPLE = ("docs", "registers", "mkdocs.yml")  # the repository's example handbook


def example_copy(destination: Path) -> Path:
    """A copy of the repository's example handbook at `destination`."""
    destination.mkdir(parents=True)
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination


def copy_fixture(name: str, destination: Path) -> Handbook:
    shutil.copytree(FIXTURES / name, destination)
    return Handbook(destination)


@pytest.fixture
def handbook(tmp_path: Path) -> Handbook:
    """A copy of the minimal valid handbook."""
    return copy_fixture("minimal", tmp_path / "handbook")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_TODAY", TODAY)
    monkeypatch.delenv("SMS_AUDIENCE", raising=False)


@dataclass
class Site:
    """A site built by real MkDocs, with helpers to read its pages."""

    root: Path
    log: list[str]

    def html(self, path: str) -> str:
        target = self.root / path
        if target.is_dir() or not target.suffix:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")

    def soup(self, path: str):
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.html(path), "html.parser")

    def article(self, path: str):
        found = self.soup(path).select_one("article")
        assert found is not None, f"no article in {path}"
        return found

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.is_file())


def mkdocs_build(
    root: Path, site_dir: Path, audience: str = "", strict: bool = True
) -> tuple[str | None, list[str]]:
    """`mkdocs build` of `root`'s own mkdocs.yml, in this process: (error or None, log)."""
    import logging

    from click import ClickException
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(f"{record.levelname:<8}-  {record.getMessage()}")

    handler = Collect(logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    previous = os.getcwd()
    old_audience = os.environ.get("SMS_AUDIENCE")
    if audience:
        os.environ["SMS_AUDIENCE"] = audience
    try:
        os.chdir(root)
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        build(config)
        return None, records
    except ClickException as error:  # MkDocs' own errors, and the guard's refusal
        return str(error.message), records
    finally:
        os.chdir(previous)
        logger.removeHandler(handler)
        logger.setLevel(level)
        if old_audience is None:
            os.environ.pop("SMS_AUDIENCE", None)
        else:
            os.environ["SMS_AUDIENCE"] = old_audience


def build_site(root: Path, site_dir: Path, audience: str = "", strict: bool = True) -> Site:
    """Build with MkDocs itself (as `mkdocs build` does); fails the test with the log."""
    error, log = mkdocs_build(root, site_dir, audience, strict)
    if error is not None:
        raise AssertionError(f"build failed: {error}\n" + "\n".join(log))
    return Site(site_dir, log)


@pytest.fixture(scope="session")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example handbook built, verified, for every audience (once a worker)."""
    previous = os.environ.get("SMS_TODAY")
    os.environ["SMS_TODAY"] = TODAY
    try:
        site = tmp_path_factory.mktemp("example-sites")
        result = run_cli("build", REPO, "--site-dir", site)
        assert result.code == 0, result.output
    finally:
        if previous is None:
            os.environ.pop("SMS_TODAY", None)
        else:
            os.environ["SMS_TODAY"] = previous
    return site
