"""A handbook with a long git history, for the history checks' benchmark row.

The history is written with one `git fast-import`: a first commit holding the whole handbook,
then one commit per change, each giving one document a new version approved on the day of its
commit (so the checks read every version and find nothing), two hours apart.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
STEP = datetime.timedelta(hours=2)
VERSION = re.compile(r'^version: "(\d+)\.(\d+)"$', re.MULTILINE)
APPROVED = re.compile(r"^approved_on: .*$", re.MULTILINE)
PERSON = "Bench <bench@example.org>"


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _commit(number: int, files: dict[str, str]) -> bytes:
    when = int((START + number * STEP).timestamp())
    header = f"commit refs/heads/main\nmark :{number + 1}\n"
    header += f"author {PERSON} {when} +0000\ncommitter {PERSON} {when} +0000\n"
    out = header.encode() + _data(f"Change {number}")
    if number:
        out += f"from :{number}\n".encode()
    for path, text in files.items():
        out += f"M 100644 inline {path}\n".encode() + _data(text)
    return out


def _revised(text: str, day: str) -> str:
    """The document as its next version, approved on `day`."""

    def bump(match: re.Match[str]) -> str:
        return f'version: "{match.group(1)}.{int(match.group(2)) + 1}"'

    text = VERSION.sub(bump, text, count=1)
    text = APPROVED.sub(f"approved_on: {day}", text, count=1)
    return text + f"\nRevised on {day}.\n"


def with_history(root: Path, commits: int) -> Path:
    """Make the handbook at `root` a git repository of `commits` commits; returns `root`."""
    shutil.rmtree(root / ".git", ignore_errors=True)
    files = {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
    documents = sorted(p for p in files if p.startswith("docs/") and "\nid: " in files[p])
    stream = [_commit(0, files)]
    for number in range(1, commits):
        path = documents[number % len(documents)]
        files[path] = _revised(files[path], (START + number * STEP).date().isoformat())
        stream.append(_commit(number, {path: files[path]}))
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True)
    return root


def without_history(root: Path, copy: Path) -> Path:
    """The same handbook without its repository: the history checks cannot run there."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    return copy
