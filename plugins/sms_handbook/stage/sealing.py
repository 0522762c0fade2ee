"""The stage holds only what builds of this tool wrote.

Every file the stage writer writes is entered in the stage's journal with its identity (inode
and change time: nobody can choose them, so a journal committed to git or written by hand
cannot vouch for a file it did not see written). Before a build writes the stage again, it
walks the stage with `lstat`, never following a link, and removes every entry that the journal
does not vouch for: links, hard links, entries of another owner, devices and pipes, and files
that a commit, another tool or another user put there. The build is then refused, naming what
was removed: the next build starts from a clean stage.

The folders from `.cache` down to the stage are real folders of the user who builds, the
private ones readable by that user only, whatever the umask.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

CACHE_FOLDER = ".cache"
TOOL_FOLDER = "sms-handbook"
STAGES_FOLDER = "stage"
PREVIEWS_FOLDER = "preview"  # the Zensical preview's checked copies of stages
JOURNAL = ".sms/entries"
_JOURNAL_PARTIAL = ".sms/.entries.partial"
LOCK = ".lock"
# Folders an engine writes inside the stage (Zensical's output and cache): emptied before
# every build, never read from an earlier one.
ENGINE_FOLDERS = (".cache", "site")
_GITIGNORE = b"# made by sms-handbook: a cache, never committed\n*\n"

Identity = tuple[int, int]  # inode, change time in nanoseconds


class StageError(Exception):
    """The stage cannot be used as it is; the message names the path and what to do."""


def open_stage(root: Path, audience: str) -> Path:
    """The stage folder of `audience` under the handbook `root`: every folder from `.cache`
    down is checked to be a real folder of this user (made 0700 whatever the umask); a link
    where a folder of ours belongs is removed and the build refused."""
    cache = _own_folder(root / CACHE_FOLDER, private=False)
    tool = _own_folder(cache / TOOL_FOLDER, private=True)
    _ignore_in_git(tool)
    stages = _own_folder(tool / STAGES_FOLDER, private=True)
    return _own_folder(stages / audience, private=True)


def open_preview(root: Path, audience: str) -> Path:
    """The folder of `audience`'s Zensical preview (zensical_preview.py), as private as a
    stage and emptied: only the preview writes in it, and only what it checked."""
    cache = _own_folder(root / CACHE_FOLDER, private=False)
    tool = _own_folder(cache / TOOL_FOLDER, private=True)
    _ignore_in_git(tool)
    previews = _own_folder(tool / PREVIEWS_FOLDER, private=True)
    folder = previews / audience
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    elif folder.is_dir():
        shutil.rmtree(folder)
    return _own_folder(folder, private=True)


def _own_folder(path: Path, *, private: bool) -> Path:
    """`path` as a real folder of this user: made when missing, never followed when a link.
    `.cache` (private=False) may be shared with other tools: it only loses write access for
    others; our folders under it are the owner's alone."""
    with contextlib.suppress(FileExistsError):  # a build beside this one made it first
        os.mkdir(path, 0o700)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) and private:
        os.unlink(path)
        raise StageError(
            f"{path} was a symbolic link, where the build keeps a folder of its own; it was "
            "removed (nothing it pointed to was read or changed). Find out who put it there, "
            "then build again"
        )
    if not stat.S_ISDIR(info.st_mode):
        what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a folder"
        raise StageError(
            f"{path} is {what}; the build keeps its stage under it and will not follow it. "
            "Remove it (and `git rm` it if it is tracked), then build again"
        )
    if info.st_uid != os.geteuid():
        raise StageError(
            f"{path} belongs to another user (uid {info.st_uid}); a stage another user can "
            "change cannot be trusted. Remove it, then build again"
        )
    wanted = 0o700 if private else stat.S_IMODE(info.st_mode) & ~0o022
    if stat.S_IMODE(info.st_mode) != wanted:
        os.chmod(path, wanted)
    return path


def _ignore_in_git(folder: Path) -> None:
    """Keep the tool's folder out of git, as pytest and ruff do with theirs."""
    marker = folder / ".gitignore"
    try:
        descriptor = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(_GITIGNORE)


def clear_unrecorded(root: Path) -> list[str]:
    """Remove from the stage `root` every entry its journal does not vouch for, then write the
    journal anew with what is left. Returns what was removed, each with the reason. Engines'
    folders are emptied too, but said only for what no engine writes (links, say)."""
    journal = _read_journal(root)
    removed: list[str] = []
    kept: dict[str, Identity] = {}
    for relative, info, reason in _walk(root, journal):
        if reason is None:
            kept[relative] = (info.st_ino, info.st_ctime_ns)
            continue
        _remove(root / relative, info)
        if reason:
            removed.append(f"{relative} ({reason})")
    _write_journal(root, kept)
    return removed


Verdict = tuple[str, os.stat_result, str | None]  # path, lstat, why it goes ("" unsaid)


def _walk(root: Path, journal: dict[str, set[Identity]]) -> Iterator[Verdict]:
    """Every entry of the stage, top down, with why it goes (None: it stays); a folder that
    goes is not entered."""
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(root / folder if folder else root) as entries:
            found = list(entries)
        for entry in found:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            info = entry.stat(follow_symlinks=False)
            reason = _foreign(info)
            if reason is None and not folder and entry.name in ENGINE_FOLDERS:
                yield from _engine_folder(root, relative, info)
            elif reason is None and stat.S_ISDIR(info.st_mode):
                pending.append(relative)
            elif relative == LOCK and reason is None:
                continue  # the lock of the build in progress: never journalled
            elif relative == _JOURNAL_PARTIAL and reason is None:
                yield relative, info, ""  # a journal a killed build was writing
            elif reason is None and relative != JOURNAL:
                if (info.st_ino, info.st_ctime_ns) not in journal.get(relative, ()):
                    reason = "not written by a build of this tool"
                yield relative, info, reason
            elif reason is not None:
                yield relative, info, reason


def _engine_folder(root: Path, relative: str, info: os.stat_result) -> Iterator[Verdict]:
    """An engine's folder goes whole (nothing of an earlier build is read again); a link or
    another user's entry in it is said."""
    for folder, directories, files in os.walk(root / relative):
        for name in [*directories, *files]:
            path = Path(folder) / name
            inner = os.lstat(path)
            reason = _foreign(inner)
            if reason is not None:
                yield path.relative_to(root).as_posix(), inner, reason
    yield relative, info, ""


def _foreign(info: os.stat_result) -> str | None:
    """Why an entry can never be part of a stage, or None."""
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link"
    if info.st_uid != os.geteuid():
        return f"owned by another user (uid {info.st_uid})"
    if stat.S_ISREG(info.st_mode):
        return "a hard link (the file has other names)" if info.st_nlink > 1 else None
    if stat.S_ISDIR(info.st_mode):
        return None
    return "not a file or folder"


def _remove(path: Path, info: os.stat_result) -> None:
    with contextlib.suppress(FileNotFoundError):  # inside a folder removed already
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(path)  # removes links inside, never follows them
        else:
            os.unlink(path)


def _read_journal(root: Path) -> dict[str, set[Identity]]:
    path = root / JOURNAL
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or _foreign(info) is not None:
            return {}
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return {}
    journal: dict[str, set[Identity]] = {}
    with os.fdopen(descriptor, "rb") as handle:
        for line in handle:
            try:
                inode, ctime, relative = json.loads(line)
            except (ValueError, TypeError):
                continue
            if isinstance(inode, int) and isinstance(ctime, int) and isinstance(relative, str):
                journal.setdefault(relative, set()).add((inode, ctime))
    return journal


def _write_journal(root: Path, kept: dict[str, Identity]) -> None:
    folder = root / JOURNAL.rsplit("/", 1)[0]
    folder.mkdir(exist_ok=True)
    lines = (json.dumps([i, c, r]) + "\n" for r, (i, c) in sorted(kept.items()))
    partial = root / _JOURNAL_PARTIAL
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.writelines(lines)
    os.replace(partial, root / JOURNAL)


class Journal:
    """Appends each file a writer wrote to the stage's journal, as it is written (a build that
    is killed half way leaves a journal that still vouches for what it wrote). Writers in
    forked workers append to the same journal: each line is one write of an append-only file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._descriptor: int | None = None
        self._pid = 0

    def enter(self, path: Path) -> None:
        info = os.lstat(path)
        line = json.dumps([info.st_ino, info.st_ctime_ns, path.relative_to(self.root).as_posix()])
        os.write(self._open(), (line + "\n").encode("utf-8"))

    def _open(self) -> int:
        if self._descriptor is None or self._pid != os.getpid():
            (self.root / ".sms").mkdir(exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
            self._descriptor = os.open(self.root / JOURNAL, flags, 0o600)
            self._pid = os.getpid()
        return self._descriptor

    def close(self) -> None:
        if self._descriptor is not None and self._pid == os.getpid():
            os.close(self._descriptor)
        self._descriptor = None


def seal_stage(root: Path, audience: str) -> Path:
    """Open the stage of `audience` and clear it of everything no build wrote; raises
    StageError, naming each entry removed, when there was any."""
    stage = open_stage(root, audience)
    removed = clear_unrecorded(stage)
    if removed:
        shown = "\n    ".join(removed[:20])
        more = f"\n    … and {len(removed) - 20} more" if len(removed) > 20 else ""
        raise StageError(
            f"the stage {stage} held {len(removed)} entr{'y' if len(removed) == 1 else 'ies'} "
            f"that no build of this tool wrote, now removed:\n    {shown}{more}\n"
            "Nothing was built from them. A commit that adds files under .cache/ "
            "(`git ls-files .cache`), another user or another tool put them there; "
            "`sms-handbook validate` names tracked ones. Build again: the stage is clean now"
        )
    return stage
