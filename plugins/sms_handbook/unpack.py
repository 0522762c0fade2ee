"""Unpacking archives and compressed data within limits, with the standard library only.

Every step reads at most what is left of one file's budget (`Limits.unpacked`) and at most
`Limits.ratio` times the packed size of a layer, so a decompression bomb is refused after
reading a bounded amount, never expanded. Archives whose content cannot be read (encrypted or
damaged, an unknown compression method) raise `UnreadableError`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .text_runs import Runs

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    unpacked: int = 128 * MiB  # bytes unpacked from one file, all layers together
    ratio: int = 100  # unpacked / packed size of one compressed layer larger than `floor`
    floor: int = MiB
    depth: int = 6  # layers inside layers


class UnreadableError(Exception):
    """A file, or a layer inside it, whose content cannot be searched."""


class Budget:
    """What is left of `Limits.unpacked` while one file is read."""

    def __init__(self, limits: Limits, runs: Runs | None = None) -> None:
        self.limits = limits
        self.left = limits.unpacked
        self.runs = runs  # where in a binary's bytes text can be (`content.plain_bytes`)

    def take(self, size: int) -> None:
        if size > self.left:
            raise UnreadableError(self.too_large(self.left))
        self.left -= size

    def room(self, packed: int) -> int:
        """How much one compressed layer of `packed` bytes may unpack to."""
        return min(self.left, max(self.limits.floor, self.limits.ratio * packed))

    def too_large(self, packed: int) -> str:
        """Why a layer of `packed` bytes that unpacks to more than `room` is refused."""
        if max(self.limits.floor, self.limits.ratio * packed) < self.left:
            return f"unpacks to more than {self.limits.ratio} times its size (a zip bomb?)"
        return f"unpacks to more than the {self.limits.unpacked // MiB} MiB verification reads"


def inflated(data: bytes, budget: Budget) -> bytes | None:
    """A whole zlib stream, inflated; None when `data` is not one."""
    inflater = zlib.decompressobj()
    room = budget.room(len(data))
    try:
        out = inflater.decompress(data, room + 1)
    except zlib.error:
        return None
    if len(out) > room:
        raise UnreadableError(budget.too_large(len(data)))
    if not inflater.eof:
        return None
    budget.take(len(out))
    return out


OPENERS: dict[str, Callable[[io.BytesIO], io.BufferedIOBase]] = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw),
    "bz2": bz2.BZ2File,
    "xz": lzma.LZMAFile,  # xz and the older lzma format
}


def decompressed(data: bytes, kind: str, budget: Budget) -> bytes:
    """The content of gzip, bzip2 or xz/lzma data (all their concatenated streams)."""
    room = budget.room(len(data))
    try:
        with OPENERS[kind](io.BytesIO(data)) as stream:
            out = stream.read(room + 1)
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
        raise UnreadableError(f"damaged {kind} data ({error})") from None
    if len(out) > room:
        raise UnreadableError(budget.too_large(len(data)))
    budget.take(len(out))
    return out


def gzip_names(data: bytes) -> Iterator[str]:
    """The original file name and comment a gzip header may carry."""
    flags, at = data[3] if len(data) > 3 else 0, 10
    if flags & 4:
        at += 2 + int.from_bytes(data[at : at + 2], "little")
    for flag in (8, 16):
        if flags & flag:
            end = data.find(b"\x00", at)
            yield data[at:end].decode("latin-1")
            at = end + 1


def zip_members(data: bytes, budget: Budget) -> Iterator[tuple[str, bytes | None]]:
    """(name and comment, content or None for a folder) of each member, and the archive's
    comment first."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield archive.comment.decode("latin-1"), None
            for info in archive.infolist():
                label = f"{info.filename} {info.comment.decode('latin-1')}"
                if info.flag_bits & 1:
                    raise UnreadableError(f"an encrypted zip member ({info.filename})")
                if info.is_dir():
                    yield label, None
                    continue
                if info.file_size > budget.room(info.compress_size):
                    raise UnreadableError(budget.too_large(info.compress_size))
                with archive.open(info) as member:
                    content = member.read(info.file_size + 1)
                if len(content) > info.file_size:
                    raise UnreadableError(f"a zip member larger than it says ({info.filename})")
                budget.take(len(content))
                yield label, content
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError) as error:
        raise UnreadableError(f"a zip archive that cannot be read ({error})") from None
    except (ValueError, struct.error) as error:  # a name that is not UTF-8, a short header
        raise UnreadableError(f"a zip archive that cannot be read ({error})") from None


def is_tar(data: bytes) -> bool:
    """A POSIX tar (its magic), or an old one (a valid first header)."""
    if len(data) < 512:
        return False
    if data[257:262] == b"ustar":
        return True
    if len(data) % 512 or b"\x00" not in data[:512]:
        return False
    import tarfile  # (here: most builds read no tar archive)

    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            return archive.next() is not None
    except (tarfile.TarError, EOFError, OSError, ValueError):
        return False


def tar_members(data: bytes, budget: Budget) -> Iterator[tuple[str, bytes | None]]:
    """(names, owners and extended headers, content or None) of each member."""
    import tarfile  # (here: most builds read no tar archive)

    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for member in archive:
                headers = " ".join(f"{k} {v}" for k, v in member.pax_headers.items())
                label = f"{member.name} {member.linkname} {member.uname} {member.gname} {headers}"
                stream = archive.extractfile(member) if member.isfile() else None
                content = stream.read() if stream is not None else None
                budget.take(len(content or b""))
                yield label, content
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise UnreadableError(f"a tar archive that cannot be read ({error})") from None
