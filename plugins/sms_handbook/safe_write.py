"""Write a file into the repository (or another folder the user named): never through a link,
never outside that folder.

A pull request can carry links: a dangling `docs/policies/access.md` pointing at a file in the
user's home, or a `.github` that is a link to another folder. Writers here look at every part
of the path below the folder with `lstat`, create missing folders one at a time, open new files
with `O_EXCL | O_NOFOLLOW`, and replace a file by way of a partial and `os.replace`, after
refusing a link in its place (rather than silently replacing the user's link).
"""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path


class UnsafeWriteError(Exception):
    """A write that would go through a link or outside its folder; nothing was written."""


def create_file(inside: Path, path: Path, data: str | bytes) -> None:
    """Write the new file `path` in `inside`; a file or link already there is refused."""
    _folder(inside, path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileExistsError:
        raise UnsafeWriteError(f"{path} {_what_is_there(path)}; not overwritten") from None
    _write(descriptor, data)


def replace_file(inside: Path, path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Write `path` in `inside` whole (a reader sees the old or the new file); a link or
    anything but a plain file at `path` is refused. `mode` fixes its permissions (default:
    those of the file it replaces, or 0644)."""
    folder = _folder(inside, path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise UnsafeWriteError(f"{path} {_what_is_there(path)}; not written")
    partial = folder / f".{path.name}.{uuid.uuid4().hex[:8]}.partial"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(partial, flags, 0o600)
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
    os.fchmod(descriptor, mode)
    _write(descriptor, data)
    try:
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def _write(descriptor: int, data: str | bytes) -> None:
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def _folder(inside: Path, path: Path) -> Path:
    """The folder of `path`, made part by part below `inside`; a part that is a link or not a
    folder, or a path that is not below `inside`, is refused."""
    top = Path(os.path.abspath(inside))
    target = Path(os.path.abspath(path))
    if target == top or not target.is_relative_to(top):
        raise UnsafeWriteError(f"{path} is outside {inside}; not written")
    current = top
    for part in target.relative_to(top).parts[:-1]:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            os.mkdir(current)
            continue
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeWriteError(
                f"{current} is a symbolic link, which could lead outside {inside}; "
                f"{path} not written"
            )
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafeWriteError(f"{current} is not a folder; {path} not written")
    if not current.resolve().is_relative_to(top.resolve()):
        raise UnsafeWriteError(f"{path} is outside {inside}; not written")
    return current


def _what_is_there(path: Path) -> str:
    if path.is_symlink():
        return f"is a symbolic link (to {os.readlink(path)})"
    return "exists" if path.is_file() else "exists and is not a file"
