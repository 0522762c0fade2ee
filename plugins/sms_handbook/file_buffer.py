"""Files read into one buffer kept between reads.

Reading a large file into a new `bytes` costs a page fault for each of its pages, every time
(the memory of the last one was given back): on a site with 80 MB of pictures, which a build
reads when staging them and when verifying the site, about four times the cost of the reading
itself. A buffer kept between reads costs that once.
"""

from __future__ import annotations

import os
from pathlib import Path

FIRST_SIZE = 1 << 16


class FileBuffer:
    """Reads whole files into one buffer, which grows to the largest file read."""

    def __init__(self) -> None:
        self._buffer = bytearray(FIRST_SIZE)

    def read(self, path: Path) -> memoryview:
        """The content of `path`, valid until the next `read` (copy what must be kept)."""
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size >= len(self._buffer):  # one byte more than the file: its end is seen
                self._buffer = bytearray(size + 1)
            filled = 0
            while got := handle.readinto(memoryview(self._buffer)[filled:]):
                filled += got
                if filled == len(self._buffer):  # it grew while read: read on
                    self._buffer = self._buffer + bytearray(len(self._buffer))
        return memoryview(self._buffer)[:filled]

    def holds(self, path: Path, data: bytes | memoryview) -> bool:
        """Whether the content of `path` is exactly `data` (compared as bytes, at once)."""
        return len(self.read(path)) == len(data) and self._buffer.startswith(data)
