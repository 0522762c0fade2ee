"""Write a tree of files incrementally: unchanged files are left alone, stale ones removed.

A file written from data is unchanged when the tree holds those bytes already. A file copied
(an attachment) is judged as make and rsync judge it, by its metadata: the copy's size and
modification time (in nanoseconds) are the source's, set from it when the copy was written, so
an unchanged attachment is not read at all; a changed or new one is copied by the kernel
(`sendfile`), its bytes never read into this process (a fresh clone's first build copies every
picture: on 84 MB, about half the CPU of reading and writing them). The stage's journal vouches
that each file of the tree is the one its writer wrote (sealing.py); what the site publishes is
verified from its output either way.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..file_buffer import FileBuffer
from .sealing import ENGINE_FOLDERS, JOURNAL, LOCK, Journal

KEPT_FILES = (LOCK, JOURNAL)  # the stage's lock and journal (see sealing.py)
SEND_BLOCK = 1 << 23  # bytes asked of `sendfile` at a time, at least
# What `sendfile` answers where it cannot copy between two files (as `shutil` takes them).
_NO_SENDFILE = frozenset(
    {errno.ENOTSOCK, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV}
)


class TreeWriter:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.written: set[str] = set()
        self.changed = 0
        self.unchanged = 0
        self._folders: set[Path] = set()
        self._checked: dict[str, Path] = {}  # folder (as written) -> resolved inside the tree
        self.journal = Journal(self.root)
        self._reader = FileBuffer()  # what is there, compared with what would be written

    def write(self, relative: str, data: bytes | memoryview | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = self._inside(relative)
        self.written.add(path.relative_to(self.root).as_posix())
        try:
            if path.stat().st_size == len(data) and self._reader.holds(path, data):
                self.unchanged += 1
                return
        except OSError:
            pass
        self._replace(path, data)
        self.changed += 1

    def copy(self, relative: str, source: Path) -> None:
        """Copy the file `source` to `relative`, unless the copy there has its size and
        modification time already (the module's docstring)."""
        path = self._inside(relative)
        self.written.add(path.relative_to(self.root).as_posix())
        info = os.stat(source)  # taken before reading: a later change makes a later time
        if _same_metadata(path, info):
            self.unchanged += 1
            return
        self._replace(path, source, info.st_mtime_ns)
        self.changed += 1

    def _replace(
        self, path: Path, data: bytes | memoryview | Path, mtime_ns: int | None = None
    ) -> None:
        """Write `path` whole (`data`, or a copy of the file `data` names) by way of its
        partial: a reader sees the old or the new file, and a link at `path` is replaced,
        not written through. `mtime_ns` sets its modification time (a copy's, from its
        source)."""
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        partial = _partial(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
        with os.fdopen(os.open(partial, flags, 0o644), "wb") as handle:
            if isinstance(data, Path):
                self._copy_into(handle, data)
            else:
                handle.write(data)
            if mtime_ns is not None:
                handle.flush()  # (a later write would set the time again)
                os.utime(handle.fileno(), ns=(mtime_ns, mtime_ns))
        os.replace(partial, path)
        self.journal.enter(path)

    def _copy_into(self, handle: BinaryIO, source: Path) -> None:
        """The bytes of `source` to its end, into the empty file `handle`: by the kernel
        where it can (`sendfile`), else read and written here."""
        with open(source, "rb", buffering=0) as reading:
            try:
                _send_whole(reading.fileno(), handle.fileno())
                return
            except OSError as error:
                if error.errno not in _NO_SENDFILE:
                    raise
        handle.seek(0)  # what the kernel wrote, if any, is written again
        handle.truncate()
        handle.write(self._reader.read(source))

    def reserve(self, relative: str, *, placeholder: bool) -> None:
        """A file another writer (a worker's) writes this time: kept by `remove_stale`, with
        its partial. With `placeholder`, it is emptied (or made) now: an engine listing the
        tree finds it, and nothing of an earlier build's version of it can be read while its
        new content is on its way."""
        path = self._inside(relative)
        for kept in (path, _partial(path)):
            self.written.add(kept.relative_to(self.root).as_posix())
        if placeholder:
            self._replace(path, b"")

    def _inside(self, relative: str) -> Path:
        """The path of `relative` in the tree; its folder is checked (once) to resolve inside
        the tree. The file itself is replaced, never written through, so a link there
        cannot lead a write outside."""
        folder_name, _, name = relative.rpartition("/")
        if name in ("", ".", ".."):
            raise ValueError(f"refusing to write outside the stage: {relative}")
        folder = self._checked.get(folder_name)
        if folder is None:
            folder = (self.root / folder_name).resolve()
            if not folder.is_relative_to(self.root):
                raise ValueError(f"refusing to write outside the stage: {relative}")
            self._checked[folder_name] = folder
        return folder / name

    def remove_stale(self) -> int:
        """Delete every file of the tree that was not written this time; returns how many."""
        removed = 0
        for folder, directories, files in os.walk(self.root, topdown=True):
            here = Path(folder)
            if here == self.root:
                directories[:] = [d for d in directories if d not in ENGINE_FOLDERS]
            for name in files:
                path = here / name
                relative = path.relative_to(self.root).as_posix()
                if relative in KEPT_FILES:
                    continue
                if relative not in self.written:
                    path.unlink()
                    removed += 1
        for folder, _directories, _files in os.walk(self.root, topdown=False):
            here = Path(folder)
            if here == self.root or here.relative_to(self.root).parts[0] in ENGINE_FOLDERS:
                continue
            if not any(here.iterdir()):
                here.rmdir()
        return removed


def _same_metadata(path: Path, source: os.stat_result) -> bool:
    """Whether the plain file at `path` has the size and modification time of `source`."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_size == source.st_size
        and info.st_mtime_ns == source.st_mtime_ns
    )


def _send_whole(source: int, target: int) -> None:
    """Copy the file `source` from its start to its end (however it grew meanwhile) onto
    `target`, by the kernel; OSError where it cannot (Windows has no `sendfile`)."""
    send = getattr(os, "sendfile", None)
    if send is None:
        raise OSError(errno.ENOSYS, "no sendfile on this system")
    block = max(os.fstat(source).st_size, SEND_BLOCK)
    sent = 0
    while count := send(target, source, sent, block):
        sent += count


def _partial(path: Path) -> Path:
    """Where `path` is written before it replaces the file (a dot file: engines skip it)."""
    return path.with_name(f".{path.name}.partial")
