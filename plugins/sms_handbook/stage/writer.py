"""Write a tree of files incrementally: unchanged files are left alone, stale ones removed."""

from __future__ import annotations

import os
from pathlib import Path

# Folders an engine keeps inside the stage (its cache, its output): not ours to remove.
ENGINE_FOLDERS = (".cache", "site")
KEPT_FILES = (".lock",)  # the stage's lock (see layout.StageLock)


class TreeWriter:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.written: set[str] = set()
        self.changed = 0
        self.unchanged = 0
        self._folders: set[Path] = set()

    def write(self, relative: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = self._inside(relative)
        self.written.add(path.relative_to(self.root).as_posix())
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                self.unchanged += 1
                return
        except OSError:
            pass
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
        self.changed += 1

    def _inside(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"refusing to write outside the stage: {relative}")
        return path

    def remove_stale(self) -> int:
        """Delete every file of the tree that was not written this time; returns how many."""
        removed = 0
        for folder, directories, files in os.walk(self.root, topdown=True):
            here = Path(folder)
            if here == self.root:
                directories[:] = [d for d in directories if d not in ENGINE_FOLDERS]
            for name in files:
                if here == self.root and name in KEPT_FILES:
                    continue
                path = here / name
                if path.relative_to(self.root).as_posix() not in self.written:
                    path.unlink()
                    removed += 1
        for folder, _directories, _files in os.walk(self.root, topdown=False):
            here = Path(folder)
            if here == self.root or here.relative_to(self.root).parts[0] in ENGINE_FOLDERS:
                continue
            if not any(here.iterdir()):
                here.rmdir()
        return removed
