"""The git repository around a handbook: base revisions, old trees, file histories."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAIN_BRANCHES = ("origin/main", "main", "origin/master", "master")


class GitError(Exception):
    """git is missing, the folder is not a repository, or a revision does not exist."""


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    if shutil.which("git") is None:
        raise GitError("git is not installed")
    result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout


def text(root: Path, *args: str) -> str:
    return git(root, *args).decode("utf-8", "replace").strip()


def is_repository(root: Path) -> bool:
    try:
        return text(root, "rev-parse", "--is-inside-work-tree") == "true"
    except GitError:
        return False


def prefix(root: Path) -> str:
    """The handbook root's path inside the repository ('' at the top)."""
    return text(root, "rev-parse", "--show-prefix")


def resolve(root: Path, revision: str) -> str:
    return text(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")


def has_commits(root: Path) -> bool:
    try:
        resolve(root, "HEAD")
    except GitError:
        return False
    return True


def default_base(root: Path) -> str:
    """The merge base of HEAD with the main branch (origin/main, main, master...)."""
    for branch in MAIN_BRANCHES:
        try:
            resolve(root, branch)
        except GitError:
            continue
        return text(root, "merge-base", "HEAD", branch)
    raise GitError("no main or master branch to compare with; pass a base revision")


def export_tree(root: Path, revision: str, destination: Path) -> Path:
    """Write the handbook as it was at `revision` into `destination`; returns its root there."""
    import tarfile  # (here: only comparisons with an earlier revision read an archive)

    inside = prefix(root)
    archive = git(root, "archive", "--format=tar", resolve(root, revision), "--", inside or ".")
    # The "data" filter arrived in Python 3.11.4; an archive git made of its own tree has no
    # absolute paths or links out of it, so older releases extract it as it is.
    safe: dict[str, Any] = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, **safe)
    return destination / inside


def log(root: Path, paths: Sequence[str]) -> str:
    """Commits touching `paths`, newest first, with the files each touched (renames followed)."""
    return git(
        root, "log", "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", "--name-status", "-M", "--", *paths
    ).decode("utf-8", "replace")


def blobs(root: Path, specs: Sequence[str]) -> list[str | None]:
    """Contents of `revision:path` specs, read in one `git cat-file --batch` call."""
    if not specs:
        return []
    output = git(root, "cat-file", "--batch", stdin=("\n".join(specs) + "\n").encode())
    contents: list[str | None] = []
    position = 0
    for _ in specs:
        end = output.index(b"\n", position)
        header = output[position:end].decode("utf-8", "replace").split()
        position = end + 1
        if len(header) < 3 or header[1] == "missing":
            contents.append(None)
            continue
        size = int(header[2])
        contents.append(output[position : position + size].decode("utf-8", "replace"))
        position += size + 1
    return contents


def uncommitted(root: Path) -> list[str]:
    """Files under `root` that differ from HEAD or are not tracked (ignored ones aside)."""
    output = text(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    return [line[3:] for line in output.splitlines() if line.strip()]


def tracked(root: Path, folder: str) -> tuple[str, ...] | None:
    """Files in git's index under `folder` of `root` (relative to `root`); None when `root`
    is not in a repository or git is missing."""
    try:
        output = git(root, "ls-files", "-z", "--", folder)
    except GitError:
        return None
    return tuple(name for name in output.decode("utf-8", "replace").split("\0") if name)


@dataclass(frozen=True)
class Facts:
    """What one `git rev-parse` says about the repository around a handbook."""

    shallow: bool
    git_dir: Path
    prefix: str  # the handbook root's path inside the repository ('' at the top)
    head: str


def facts(root: Path) -> Facts | None:
    """The repository's facts, or None outside a repository or before its first commit."""
    try:
        lines = text(
            root,
            "rev-parse",
            "--is-shallow-repository",
            "--absolute-git-dir",
            "--show-prefix",
            "HEAD",
        ).split("\n")
    except GitError:
        return None
    if len(lines) != 4:
        return None
    return Facts(lines[0] == "true", Path(lines[1]), lines[2], lines[3])


def first_parent_line(root: Path, limit: int) -> list[tuple[str, str]]:
    """(commit, committer date) of the newest `limit` commits on HEAD's first-parent line,
    newest first: the default branch as it received its changes (a merge on the day it was
    merged, a squash merge on the day it was squashed)."""
    output = text(
        root, "rev-list", "--first-parent", f"--max-count={limit}", "--format=%cI", "HEAD"
    )
    lines = output.splitlines()
    # rev-list --format prints "commit <sha>" then the formatted line.
    return [(lines[i].split()[1], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]


def changes_on_line(root: Path, oldest: str | None, paths: Sequence[str]) -> str:
    """Commits of the first-parent line after `oldest` (all when None) touching `paths`, with
    the files each changed against its first parent (renames followed) and their blob ids, as
    `git log --raw`, newest first."""
    revisions = [f"{oldest}..HEAD"] if oldest else ["HEAD"]
    return git(
        root,
        "log",
        "--first-parent",
        "--format=%x1e%H",
        "--raw",
        "--no-abbrev",
        "-M",
        *revisions,
        "--",
        *paths,
    ).decode("utf-8", "replace")


def is_ancestor(root: Path, commit: str, of: str = "HEAD") -> bool:
    try:
        git(root, "merge-base", "--is-ancestor", commit, of)
    except GitError:
        return False
    return True


def renamed_since(root: Path, revision: str, paths: Sequence[str]) -> dict[str, str]:
    """Files under `paths` renamed or moved since `revision` (to the working tree), as
    {new path: old path} relative to `root`; git pairs them by content, not by any id."""
    inside = prefix(root)
    output = text(root, "diff", "-M", "--name-status", revision, "--", *paths)
    renamed = {}
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R"):
            renamed[parts[2].removeprefix(inside)] = parts[1].removeprefix(inside)
    return renamed
