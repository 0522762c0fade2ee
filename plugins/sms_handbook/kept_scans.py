"""What verification found in a content, kept between builds in the repository's git directory,
so that a picture unchanged since the last build is not read again.

Only a content found to hold nothing is kept (nothing hidden, no placeholder of the stage; and
why it cannot be read, if it cannot), under one digest of three things: its bytes, everything
verification looks for and how (each searched form of each hidden item, whether an id or a
path; `SecretFinder.digest`), and the code that reads and searches (every module of this
package, the versions of Python, of its Unicode data and of the libraries it reads with). Any
change to one of them makes another key: the content is read again. A content found to hold
something is never kept, so its build fails again until it is fixed.

The file lives in the git directory, which no commit or pull request can write (as the kept
anchors and history do), is written whole, holds at most a bounded number of contents, and is
read as empty when it cannot be read or is not what this code writes.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import sys
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .history_cache import read_json, write_json

FORMAT = 1
NAME = "sms-handbook-scans.json"
KEPT_OTHERS = 2000  # contents kept besides this run's: at least this many, or 3 times this run's
PACKAGE = Path(__file__).parent
READING_LIBRARIES = ("ahocorasick-rs", "pypdf")


@functools.cache
def code_version(package: Path = PACKAGE) -> str:
    """A digest of the code that reads and searches a content: every module of `package`
    (any change to the package reads everything again), the Python and Unicode versions and
    those of the libraries verification reads with."""
    modules = sorted(package.rglob("*.py"))
    if not modules:  # installed without its sources: nothing kept can be trusted
        return secrets.token_hex(32)
    digest = hashlib.sha256()
    for path in modules:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    versions = [sys.version, unicodedata.unidata_version]
    for library in READING_LIBRARIES:
        try:
            versions.append(f"{library} {metadata.version(library)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{library} absent")
    digest.update("\0".join(versions).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Clean:
    """A content in which verification found nothing; `unreadable`: why part of it cannot be
    read (then only what could be read was searched)."""

    unreadable: str | None


@dataclass
class KeptScans:
    """The contents found clean by earlier builds, kept in `folder` (the git directory;
    None: nothing is kept)."""

    folder: Path | None
    _kept: dict[str, str | None] | None = None  # read when first asked
    _used: dict[str, str | None] = field(default_factory=dict)
    _changed: bool = False

    @staticmethod
    def key(content: bytes, looked_for: str) -> str:
        """The key of a content (`content`: the digest of its bytes) searched for what
        `looked_for` (`SecretFinder.digest`) names, by this code."""
        parts = (code_version().encode(), looked_for.encode(), content)
        return hashlib.sha256(b"\0".join(parts)).hexdigest()

    def found(self, key: str) -> Clean | None:
        """What an earlier build found in the content of `key`, if it found it clean."""
        kept = self._read()
        if key not in kept:
            return None
        self._used[key] = kept[key]
        return Clean(kept[key])

    def remember(self, key: str, clean: Clean) -> None:
        self._used[key] = clean.unreadable
        self._changed = True

    def forget_read(self) -> None:
        """Read the file again when next asked (another build may have added to it)."""
        self._kept = None

    def _read(self) -> dict[str, str | None]:
        if self._kept is None:
            data: Any = read_json(self.folder / NAME) if self.folder is not None else None
            current = isinstance(data, dict) and data.get("format") == FORMAT
            entries = data.get("clean") if current else None
            self._kept = {
                key: value
                for key, value in (entries.items() if isinstance(entries, dict) else ())
                if isinstance(key, str) and (value is None or isinstance(value, str))
            }
        return self._kept

    def save(self) -> None:
        """Keep what this run found clean and used, and the most recent others (other
        audiences', other branches') up to three times as many."""
        if self.folder is None or not self._changed:
            return
        others = [(k, v) for k, v in self._read().items() if k not in self._used]
        room = max(KEPT_OTHERS, 3 * len(self._used))
        kept = dict(others[-room:])
        kept.update(self._used)
        write_json(self.folder / NAME, {"format": FORMAT, "clean": kept})
        self._changed = False
