"""What a file says, decided by its content and not by its name.

`texts_of` sniffs a file's magic bytes and returns every text it holds: text in any Unicode
encoding, the metadata of images and fonts, the text of PDFs, and the content of every archive
and compressed stream the standard library reads (zip and the formats built on it, tar, gzip,
bzip2, xz/lzma, zlib), nested ones too, within `unpack.Limits`. What cannot be read (an
unknown binary format, an encrypted or damaged archive, 7z, rar, anything beyond the limits)
raises `UnreadableError`, so that the caller can refuse it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import Literal

from .pdf_text import pdf_texts
from .text_runs import UTF16_BE, UTF16_LE, Runs, utf16_runs_of
from .unpack import (
    Budget,
    Limits,
    UnreadableError,
    decompressed,
    gzip_names,
    inflated,
    is_tar,
    tar_members,
    zip_members,
)

__all__ = ["Limits", "UnreadableError", "plain_bytes", "sniff", "texts_of"]

Kind = Literal[
    "zip", "gzip", "bz2", "xz", "tar", "pdf", "png", "woff", "ico", "media", "sealed", "text"
]
# Magic bytes at the start of a file; PDF, WebP, EOT and tar are recognised in `sniff`.
MAGIC: tuple[tuple[bytes, Kind], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty zip
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x5d\x00\x00", "xz"),  # the older lzma format, which LZMAFile reads too
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "media"),  # JPEG: EXIF, XMP and comments are plain bytes
    (b"GIF87a", "media"),
    (b"GIF89a", "media"),
    (b"wOFF", "woff"),
    (b"wOF2", "media"),  # its tables are brotli, which the standard library lacks
    (b"\x00\x01\x00\x00", "media"),  # TrueType
    (b"OTTO", "media"),
    (b"ttcf", "media"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"7z\xbc\xaf\x27\x1c", "sealed"),
    (b"Rar!\x1a\x07", "sealed"),
)
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16's, which it starts with
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_UTF16_LE_RUNS, _UTF16_BE_RUNS = UTF16_LE, UTF16_BE
UNKNOWN = "a binary format verification does not know"
LIMITS = Limits()


def texts_of(data: bytes, limits: Limits = LIMITS, runs: Runs | None = None) -> list[str]:
    """Every text in a file's content, each layer decoded; raises `UnreadableError`. `runs`:
    where in a binary's bytes the text looked for can be (`plain_bytes`)."""
    return list(_layer(data, Budget(limits, runs), 0))


def sniff(data: bytes) -> Kind:
    """The kind of content, from its first bytes."""
    if any(data.startswith(bom) for bom, _codec in BOMS):
        return "text"
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:1024]:  # readers accept a PDF header anywhere in the first KiB
        return "pdf"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "media"
    if data[34:36] == b"LP" and int.from_bytes(data[:4], "little") == len(data):  # EOT font
        return "media"
    return "tar" if is_tar(data) else "text"


def _layer(data: bytes, budget: Budget, depth: int) -> Iterator[str]:
    """The texts of one layer and of every layer inside it."""
    if depth > budget.limits.depth:
        raise UnreadableError(f"archives nested more than {budget.limits.depth} deep")
    kind = sniff(data)
    if kind == "text" and data[:1] == b"x" and int.from_bytes(data[:2]) % 31 == 0:
        inner = inflated(data, budget)  # a whole zlib stream, checksum and all: not text
        if inner is not None:
            yield from plain_bytes(data, budget.runs)
            yield from _layer(inner, budget, depth + 1)
            return
    if kind == "sealed":
        raise UnreadableError("an archive format that cannot be read here (7z, rar)")
    if kind in ("gzip", "bz2", "xz"):
        yield from gzip_names(data) if kind == "gzip" else ()
        yield from _layer(decompressed(data, kind, budget), budget, depth + 1)
    elif kind in ("zip", "tar"):
        for label, content in (zip_members if kind == "zip" else tar_members)(data, budget):
            yield label
            yield from _layer(content, budget, depth + 1) if content is not None else ()
    elif kind == "pdf":
        yield from pdf_texts(data, lambda part: _embedded(part, budget, depth), budget.take)
    elif kind in METADATA:
        yield from plain_bytes(data, budget.runs)
        yield from METADATA[kind](data, budget, depth)
    else:
        yield _text(data)


def _embedded(content: bytes, budget: Budget, depth: int) -> Iterator[str]:
    budget.take(len(content))
    return _layer(content, budget, depth + 1)


def _text(data: bytes) -> str:
    """Text in whatever Unicode encoding (or a legacy one); else an unknown binary."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    sample = data[:4096]
    wide = _bomless_codec(sample) if b"\x00" in sample else None
    if wide is not None:
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if sum(sample.count(c) for c in _CONTROL) > len(sample) // 50:
            raise UnreadableError(UNKNOWN) from None
    return data.decode("utf-8", errors="replace") + "\n" + data.decode("cp1252", errors="replace")


_PAGE_START = re.compile(rb"\s*<")  # what `bytes.lstrip` strips, then a `<`


def utf8_parts(data: bytes, size: int = 1 << 16) -> Callable[[], Iterator[str]] | None:
    """For a page in UTF-8 (text that starts with `<`, no byte order mark, no NUL in its
    first 4 KiB), what gives `texts_of(data)`'s one text in parts decoded a few KiB at a
    time (UnicodeDecodeError where it is not UTF-8, as `_text` would find); else None."""
    if not _PAGE_START.match(data) or sniff(data) != "text" or b"\x00" in data[:4096]:
        return None

    def parts() -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, len(data), size):
            yield decoder.decode(data[start : start + size])
        yield decoder.decode(b"", final=True)

    return parts


def _bomless_codec(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte order mark: NUL bytes at the same places of each
    character (the high bytes of Latin text)."""
    for width, little, big in ((4, "utf-32-le", "utf-32-be"), (2, "utf-16-le", "utf-16-be")):
        empty = [c.count(0) > 0.9 * len(c) > 0 for c in (sample[i::width] for i in range(width))]
        if empty == [False, *[True] * (width - 1)]:
            return little
        if empty == [*[True] * (width - 1), False]:
            return big
    return None


RUNS_APART = "\n\x00\n"  # between runs of a binary's bytes read apart: no text spans it


def plain_bytes(data: bytes, runs: Runs | None = None) -> Iterator[str]:
    """A binary's bytes as text: byte by byte, as UTF-8 (XMP), and its runs of UTF-16 (EXIF's
    Windows tags, font names), each run apart so that no neighbouring byte joins a word. With
    `runs`, only the runs of bytes it finds are read (a caller looking for given texts knows
    in which bytes they can be written)."""
    if runs is None:
        yield data.decode("latin-1")
        yield data.decode("utf-8", errors="replace")
    else:
        pieces = RUNS_APART.encode().join(runs.findall(data))  # decoded at once: the same
        yield pieces.decode("latin-1")  # texts, as the bytes apart are ASCII (a test says so)
        yield pieces.decode("utf-8", errors="replace")
    wide = utf16_runs_of(data) if runs is None else runs.utf16(data)
    for runs_of_order, codec in zip(wide, ("utf-16-le", "utf-16-be"), strict=True):
        yield "\n".join(run.decode(codec) for run in runs_of_order)


def utf16_runs(data: bytes, runs: re.Pattern[bytes]) -> list[bytes]:
    """What `runs.findall(data)` finds, `runs` one of the two patterns of UTF-16 runs
    (`text_runs.utf16_runs_of`)."""
    little, big = utf16_runs_of(data)
    return little if runs is _UTF16_LE_RUNS else big


def _png_chunks(data: bytes, budget: Budget, depth: int) -> Iterator[str]:
    """The compressed text chunks (zTXt, iTXt) and colour profile of a PNG, inflated."""
    at = 8
    while at + 8 <= len(data):
        size, kind = int.from_bytes(data[at : at + 4]), data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + size]
        at += 12 + size
        key = body.find(b"\x00")
        if kind in (b"zTXt", b"iCCP"):  # key, NUL, method, data
            packed = body[key + 2 :]
        elif kind == b"iTXt" and body[key + 1 : key + 2] == b"\x01":  # key, NUL, flag, method,
            packed = body[key + 3 :].split(b"\x00", 2)[-1]  # language, NUL, key, NUL, text
        else:
            continue
        inner = inflated(packed, budget)
        if inner is None:
            raise UnreadableError(f"a PNG whose {kind.decode()} chunk cannot be inflated")
        yield from plain_bytes(inner, budget.runs)


def _woff_tables(data: bytes, budget: Budget, depth: int) -> Iterator[str]:
    """The tables of a WOFF font, each zlib-compressed unless that would not shrink it."""
    for entry in range(44, 44 + 20 * int.from_bytes(data[12:14]), 20):
        offset, size = int.from_bytes(data[entry + 4 : entry + 8]), data[entry + 8 : entry + 12]
        inner = inflated(data[offset : offset + int.from_bytes(size)], budget)
        yield from plain_bytes(inner, budget.runs) if inner is not None else ()


def _ico_images(data: bytes, budget: Budget, depth: int) -> Iterator[str]:
    """The PNG images inside an icon, read as files of their own."""
    for entry in range(6, 6 + 16 * int.from_bytes(data[4:6], "little"), 16):
        size = int.from_bytes(data[entry + 8 : entry + 12], "little")
        offset = int.from_bytes(data[entry + 12 : entry + 16], "little")
        image = data[offset : offset + size]
        yield from _layer(image, budget, depth + 1) if image.startswith(b"\x89PNG") else ()


METADATA: dict[str, Callable[[bytes, Budget, int], Iterator[str]]] = {
    "png": _png_chunks,
    "woff": _woff_tables,
    "ico": _ico_images,
    "media": lambda data, budget, depth: iter(()),  # its metadata are among its plain bytes
}
